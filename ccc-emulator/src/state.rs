//! In-memory state for the actions where state matters: automatic outbound call
//! tasks, predictive dialing campaigns, staff and skill groups with their
//! bindings, numbers and their call-out skill groups, and call records; each kept
//! per `SdkAppId`.
//!
//! Kept compactly, because the requests are large and repetitive (one 371 KiB
//! `CreateAutoCalloutTask` once cost 14.7 MB as JSON values): typed records
//! holding only what a later answer shows, lists of strings packed into one
//! allocation, answers built on demand. And capped, so that no sequence of
//! requests grows it without bound: at most [`MAX_APPS`] applications with state,
//! each holding at most [`MAX_ENTRIES`] records of a kind and about
//! [`MAX_APP_BYTES`] bytes, refused with the service's own limit codes. Reads
//! never create state.

use crate::validate::Refusal;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::mem::size_of;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Applications that may hold state at once.
pub const MAX_APPS: usize = 32;
/// Records of one kind (tasks, campaigns, staff, skill groups) per application.
pub const MAX_ENTRIES: usize = 1000;
/// Bytes of state per application (record sizes plus the text they hold).
pub const MAX_APP_BYTES: usize = 4 << 20;
/// Staff per `CreateStaff`, as the action documents.
const MAX_STAFF_PER_REQUEST: usize = 10;
/// Staff per `DeleteStaff`, as the action documents.
const MAX_DELETE_PER_REQUEST: usize = 200;
/// Numbers every application has.
const NUMBERS: usize = 12;

/// Task states, as `AutoCalloutTaskState` documents them.
const TASK_INITIAL: i64 = 0;
const TASK_RUNNING: i64 = 1;
const TASK_TERMINATED: i64 = 4;
const TASK_SUSPENDED: i64 = 5;
/// Campaign states, as `DescribePredictiveDialingCampaignStatus` documents them.
const CAMPAIGN_NOT_STARTED: i64 = 0;
const CAMPAIGN_RUNNING: i64 = 1;
const CAMPAIGN_PAUSED: i64 = 2;
const CAMPAIGN_STOPPED: i64 = 3;

/// A list of strings in two allocations: the texts back to back, and where each
/// one ends.
#[derive(Default)]
struct Texts {
    text: Box<str>,
    ends: Box<[usize]>,
}

impl Texts {
    /// The strings of the JSON array `p[k]` (non-strings skipped).
    fn of(p: &Value, k: &str) -> Texts {
        let items = || p.get(k).and_then(Value::as_array).into_iter().flatten();
        let mut text = String::with_capacity(items().filter_map(Value::as_str).map(str::len).sum());
        let mut ends = Vec::with_capacity(items().count());
        for s in items().filter_map(Value::as_str) {
            text.push_str(s);
            ends.push(text.len());
        }
        Texts {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(a, b)| self.text.get(a..b).unwrap_or_default())
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn heap_bytes(&self) -> usize {
        self.text.len() + self.ends.len() * size_of::<usize>()
    }

    fn to_json(&self) -> Value {
        self.iter().collect()
    }
}

struct Task {
    name: Box<str>,
    description: Box<str>,
    not_before: i64,
    not_after: Option<i64>,
    callers: Texts,
    callees: Texts,
    ivr_id: u64,
    state: i64,
    max_ring_timeout: Option<i64>,
}

struct Campaign {
    name: Box<str>,
    call_order: i64,
    skill_group_id: i64,
    ivr_id: Option<i64>,
    priority: i64,
    expected_abandon_rate: i64,
    retry_times: Option<i64>,
    retry_interval: i64,
    start_time: i64,
    end_time: i64,
    /// `Variables` as compact JSON text, shown again by the describe action.
    variables: Option<Box<str>>,
    uui: Option<Box<str>>,
    callee_count: usize,
    status: i64,
}

struct Staff {
    name: Box<str>,
    staff_number: Box<str>,
    phone: Box<str>,
    nick: Box<str>,
    /// Bound skill groups: id and priority; names are looked up when shown.
    skill_groups: Vec<(i64, i64)>,
    last_modified: i64,
}

struct SkillGroup {
    name: Box<str>,
    skill_group_type: i64,
    max_concurrency: i64,
    last_modified: i64,
}

/// What one record costs against [`MAX_APP_BYTES`].
trait Cost {
    fn cost(&self) -> usize;
}

impl Cost for Task {
    fn cost(&self) -> usize {
        size_of::<Self>()
            + self.name.len()
            + self.description.len()
            + self.callers.heap_bytes()
            + self.callees.heap_bytes()
    }
}

impl Cost for Campaign {
    fn cost(&self) -> usize {
        size_of::<Self>()
            + self.name.len()
            + self.variables.as_ref().map_or(0, |v| v.len())
            + self.uui.as_ref().map_or(0, |v| v.len())
    }
}

impl Cost for Staff {
    fn cost(&self) -> usize {
        size_of::<Self>()
            + self.name.len()
            + self.staff_number.len()
            + self.phone.len()
            + self.nick.len()
            + self.skill_groups.capacity() * size_of::<(i64, i64)>()
    }
}

impl Cost for SkillGroup {
    fn cost(&self) -> usize {
        size_of::<Self>() + self.name.len()
    }
}

/// The state of one application.
#[derive(Default)]
struct App {
    tasks: BTreeMap<i64, Task>,
    campaigns: BTreeMap<i64, Campaign>,
    /// By mail.
    staff: BTreeMap<Box<str>, Staff>,
    skill_groups: BTreeMap<i64, SkillGroup>,
    /// Call-out skill groups of each of the [`NUMBERS`] numbers.
    numbers: [Vec<u64>; NUMBERS],
    /// The sum of the costs of everything above.
    bytes: usize,
}

impl App {
    /// Room for one more record costing `cost` next to `count` of its kind, or the
    /// refusal with `code`.
    fn room(&self, count: usize, cost: usize, code: &'static str) -> Result<(), Refusal> {
        if count >= MAX_ENTRIES {
            return Err((
                code,
                format!(
                    "the application already holds {MAX_ENTRIES} of these, the emulator's limit"
                ),
            ));
        }
        if self.bytes.saturating_add(cost) > MAX_APP_BYTES {
            return Err((
                code,
                format!(
                    "the application's state would exceed the emulator's limit of {MAX_APP_BYTES} bytes ({} held, {cost} more asked)",
                    self.bytes
                ),
            ));
        }
        Ok(())
    }

    fn skill_group_name(&self, id: i64) -> &str {
        self.skill_groups.get(&id).map_or("", |g| &g.name)
    }

    fn staff_json(&self, mail: &str, s: &Staff) -> Value {
        let groups: Vec<Value> = s
            .skill_groups
            .iter()
            .map(|(id, priority)| {
                json!({"SkillGroupId": id, "SkillGroupName": self.skill_group_name(*id), "Priority": priority, "Type": "TEL"})
            })
            .collect();
        json!({
            "Name": &*s.name, "Mail": mail, "StaffNumber": &*s.staff_number, "Phone": &*s.phone,
            "Nick": &*s.nick, "SkillGroupList": groups, "LastModifyTimestamp": s.last_modified,
        })
    }
}

#[derive(Default)]
struct Data {
    next_id: i64,
    apps: HashMap<i64, App>,
}

impl Data {
    /// The application's state, created on first write while there is room.
    fn app_mut(&mut self, app: i64, code: &'static str) -> Result<&mut App, Refusal> {
        if !self.apps.contains_key(&app) && self.apps.len() >= MAX_APPS {
            return Err((
                code,
                format!("the emulator already holds state of {MAX_APPS} applications, its limit"),
            ));
        }
        Ok(self.apps.entry(app).or_default())
    }

    fn next_id(&mut self) -> i64 {
        self.next_id = self.next_id.saturating_add(1);
        self.next_id
    }
}

/// The emulator's state.
#[derive(Default)]
pub struct State {
    data: Mutex<Data>,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn int(p: &Value, k: &str) -> i64 {
    p.get(k).and_then(Value::as_i64).unwrap_or(0)
}

fn opt_int(p: &Value, k: &str) -> Option<i64> {
    p.get(k).and_then(Value::as_i64)
}

fn text(p: &Value, k: &str) -> Box<str> {
    p.get(k).and_then(Value::as_str).unwrap_or_default().into()
}

fn strings(p: &Value, k: &str) -> Vec<String> {
    p.get(k)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn number(i: usize) -> String {
    format!("0086755000000{i:02}")
}

fn not_found(what: &str, id: impl std::fmt::Display) -> Refusal {
    (
        "InvalidParameterValue",
        format!("{what} {id} does not exist"),
    )
}

fn bad_state(what: &str, id: i64, state: i64, verb: &str) -> Refusal {
    (
        "FailedOperation",
        format!("{what} {id} is in state {state} and cannot be {verb}"),
    )
}

/// `TotalCount` and one page of `items` for 0-based `page` of `size` (size 0: 10).
fn page<T>(items: Vec<T>, page: i64, size: i64) -> (usize, Vec<T>) {
    let size = usize::try_from(size).ok().filter(|s| *s > 0).unwrap_or(10);
    let skip = usize::try_from(page).unwrap_or(0).saturating_mul(size);
    let total = items.len();
    (total, items.into_iter().skip(skip).take(size).collect())
}

impl State {
    /// Answers a stateful action; `None` for actions without state.
    pub fn handle(&self, action: &str, p: &Value) -> Option<Result<Value, Refusal>> {
        let mut guard = match self.data.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let d = &mut *guard;
        let app = int(p, "SdkAppId");
        let empty = App::default();
        Some(match action {
            "CreateAutoCalloutTask" => {
                let not_before = int(p, "NotBefore");
                let task = Task {
                    name: text(p, "Name"),
                    description: text(p, "Description"),
                    not_before,
                    not_after: opt_int(p, "NotAfter"),
                    callers: Texts::of(p, "Callers"),
                    callees: Texts::of(p, "Callees"),
                    ivr_id: p.get("IvrId").and_then(Value::as_u64).unwrap_or(0),
                    state: if not_before <= now() {
                        TASK_RUNNING
                    } else {
                        TASK_INITIAL
                    },
                    max_ring_timeout: opt_int(p, "MaxRingTimeoutSecond"),
                };
                let cost = task.cost();
                let a = match d.app_mut(app, "LimitExceeded") {
                    Ok(a) => a,
                    Err(e) => return Some(Err(e)),
                };
                if let Err(e) = a.room(a.tasks.len(), cost, "LimitExceeded") {
                    return Some(Err(e));
                }
                a.bytes += cost;
                let id = d.next_id();
                if let Some(a) = d.apps.get_mut(&app) {
                    a.tasks.insert(id, task);
                }
                Ok(json!({"TaskId": id}))
            }
            "DescribeAutoCalloutTask" => {
                let id = int(p, "TaskId");
                match d.apps.get(&app).and_then(|a| a.tasks.get(&id)) {
                    Some(t) => {
                        let callees: Vec<Value> = t
                            .callees
                            .iter()
                            .map(|c| json!({"Callee": c, "State": 0, "Sessions": []}))
                            .collect();
                        let mut out = json!({
                            "Name": &*t.name, "Description": &*t.description, "NotBefore": t.not_before,
                            "NotAfter": t.not_after, "Callers": t.callers.to_json(), "Callees": callees,
                            "IvrId": t.ivr_id, "State": t.state,
                        });
                        if let Some(v) = t.max_ring_timeout {
                            out["MaxRingTimeoutSecond"] = json!(v);
                        }
                        Ok(out)
                    }
                    None => Err(not_found("task", id)),
                }
            }
            "DescribeAutoCalloutTasks" => {
                let a = d.apps.get(&app).unwrap_or(&empty);
                let (total, tasks) = page(
                    a.tasks.iter().collect(),
                    int(p, "PageNumber"),
                    int(p, "PageSize"),
                );
                let tasks: Vec<Value> = tasks
                    .into_iter()
                    .map(|(id, t)| {
                        json!({
                            "TaskId": id, "Name": &*t.name, "CalleeCount": t.callees.len(),
                            "Callers": t.callers.to_json(), "NotBefore": t.not_before, "NotAfter": t.not_after,
                            "IvrId": t.ivr_id, "State": t.state,
                        })
                    })
                    .collect();
                Ok(json!({"TotalCount": total, "Tasks": tasks}))
            }
            "PauseAutoCalloutTask" | "ResumeAutoCalloutTask" | "StopAutoCalloutTask" => {
                let id = int(p, "TaskId");
                let Some(t) = d.apps.get_mut(&app).and_then(|a| a.tasks.get_mut(&id)) else {
                    return Some(Err(not_found("task", id)));
                };
                let (allowed, next, verb): (&[i64], i64, &str) = match action {
                    "PauseAutoCalloutTask" => {
                        (&[TASK_INITIAL, TASK_RUNNING], TASK_SUSPENDED, "paused")
                    }
                    "ResumeAutoCalloutTask" => (&[TASK_SUSPENDED], TASK_RUNNING, "resumed"),
                    _ => (
                        &[TASK_INITIAL, TASK_RUNNING, TASK_SUSPENDED],
                        TASK_TERMINATED,
                        "stopped",
                    ),
                };
                if !allowed.contains(&t.state) {
                    return Some(Err(bad_state("task", id, t.state, verb)));
                }
                t.state = next;
                Ok(json!({}))
            }
            "CreatePredictiveDialingCampaign" => {
                let start_time = int(p, "StartTime");
                let campaign = Campaign {
                    name: text(p, "Name"),
                    call_order: int(p, "CallOrder"),
                    skill_group_id: int(p, "SkillGroupId"),
                    ivr_id: opt_int(p, "IVRId"),
                    priority: int(p, "Priority"),
                    expected_abandon_rate: int(p, "ExpectedAbandonRate"),
                    retry_times: opt_int(p, "RetryTimes"),
                    retry_interval: int(p, "RetryInterval"),
                    start_time,
                    end_time: int(p, "EndTime"),
                    variables: p.get("Variables").map(|v| v.to_string().into()),
                    uui: p.get("UUI").and_then(Value::as_str).map(Into::into),
                    callee_count: p
                        .get("Callees")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len),
                    status: if start_time <= now() {
                        CAMPAIGN_RUNNING
                    } else {
                        CAMPAIGN_NOT_STARTED
                    },
                };
                let cost = campaign.cost();
                let code = "LimitExceeded.OutOfCountLimit";
                let a = match d.app_mut(app, code) {
                    Ok(a) => a,
                    Err(e) => return Some(Err(e)),
                };
                if let Err(e) = a.room(a.campaigns.len(), cost, code) {
                    return Some(Err(e));
                }
                a.bytes += cost;
                let id = d.next_id();
                if let Some(a) = d.apps.get_mut(&app) {
                    a.campaigns.insert(id, campaign);
                }
                Ok(json!({"CampaignId": id}))
            }
            "DescribePredictiveDialingCampaign" => {
                let id = int(p, "CampaignId");
                match d.apps.get(&app).and_then(|a| a.campaigns.get(&id)) {
                    Some(c) => {
                        let mut out = json!({
                            "CampaignId": id, "Name": &*c.name, "CallOrder": c.call_order,
                            "SkillGroupId": c.skill_group_id, "Priority": c.priority,
                            "ExpectedAbandonRate": c.expected_abandon_rate, "RetryInterval": c.retry_interval,
                            "StartTime": c.start_time, "EndTime": c.end_time, "Status": c.status, "StatusReason": 0,
                        });
                        if let Some(v) = c.ivr_id {
                            out["IVRId"] = json!(v);
                        }
                        if let Some(v) = c.retry_times {
                            out["RetryTimes"] = json!(v);
                        }
                        if let Some(v) = &c.variables {
                            out["Variables"] = serde_json::from_str(v).unwrap_or(Value::Null);
                        }
                        if let Some(v) = &c.uui {
                            out["UUI"] = json!(&**v);
                        }
                        Ok(out)
                    }
                    None => Err(not_found("campaign", id)),
                }
            }
            "DescribePredictiveDialingCampaigns" => {
                let a = d.apps.get(&app).unwrap_or(&empty);
                let id = opt_int(p, "CampaignId");
                let name = p.get("Name").and_then(Value::as_str);
                let group = opt_int(p, "SkillGroupId");
                let (total, list) = page(
                    a.campaigns
                        .iter()
                        .filter(|(i, _)| id.is_none_or(|id| id == **i))
                        .filter(|(_, c)| name.is_none_or(|n| c.name.contains(n)))
                        .filter(|(_, c)| group.is_none_or(|g| g == c.skill_group_id))
                        .collect(),
                    int(p, "PageNumber"),
                    int(p, "PageSize"),
                );
                let list: Vec<Value> = list
                    .into_iter()
                    .map(|(id, c)| {
                        json!({
                            "CampaignId": id, "Name": &*c.name, "Status": c.status,
                            "StatusReason": 0, "CalleeCount": c.callee_count,
                            "FinishedCalleeCount": 0, "Priority": c.priority, "SkillGroupId": c.skill_group_id,
                        })
                    })
                    .collect();
                Ok(json!({"TotalCount": total, "CampaignList": list}))
            }
            "PausePredictiveDialingCampaign"
            | "ResumePredictiveDialingCampaign"
            | "AbortPredictiveDialingCampaign" => {
                let id = int(p, "CampaignId");
                let Some(c) = d.apps.get_mut(&app).and_then(|a| a.campaigns.get_mut(&id)) else {
                    return Some(Err(not_found("campaign", id)));
                };
                let (allowed, next, verb): (&[i64], i64, &str) = match action {
                    "PausePredictiveDialingCampaign" => (
                        &[CAMPAIGN_NOT_STARTED, CAMPAIGN_RUNNING],
                        CAMPAIGN_PAUSED,
                        "paused",
                    ),
                    "ResumePredictiveDialingCampaign" => {
                        (&[CAMPAIGN_PAUSED], CAMPAIGN_RUNNING, "resumed")
                    }
                    _ => (
                        &[CAMPAIGN_NOT_STARTED, CAMPAIGN_RUNNING, CAMPAIGN_PAUSED],
                        CAMPAIGN_STOPPED,
                        "aborted",
                    ),
                };
                if !allowed.contains(&c.status) {
                    return Some(Err(bad_state("campaign", id, c.status, verb)));
                }
                c.status = next;
                Ok(json!({}))
            }
            "DeletePredictiveDialingCampaign" => {
                let id = int(p, "CampaignId");
                let Some(a) = d.apps.get_mut(&app) else {
                    return Some(Err(not_found("campaign", id)));
                };
                match a.campaigns.remove(&id) {
                    Some(c) => {
                        a.bytes = a.bytes.saturating_sub(c.cost());
                        Ok(json!({}))
                    }
                    None => Err(not_found("campaign", id)),
                }
            }
            "CreateStaff" => {
                let staffs: &[Value] = p
                    .get("Staffs")
                    .and_then(Value::as_array)
                    .map_or(&[], Vec::as_slice);
                if staffs.len() > MAX_STAFF_PER_REQUEST {
                    return Some(Err((
                        "InvalidParameterValue",
                        format!(
                            "{} staff given; at most {MAX_STAFF_PER_REQUEST} per request",
                            staffs.len()
                        ),
                    )));
                }
                let a = match d.app_mut(app, "LimitExceeded") {
                    Ok(a) => a,
                    Err(e) => return Some(Err(e)),
                };
                let mut errors = Vec::new();
                for s in staffs {
                    let mail = text(s, "Mail");
                    if a.staff.contains_key(&mail) {
                        errors.push(json!({"StaffEmail": &*mail, "Code": "FailedOperation.DuplicatedAccount", "Message": "the account already exists"}));
                        continue;
                    }
                    let staff = Staff {
                        name: text(s, "Name"),
                        staff_number: text(s, "StaffNumber"),
                        phone: text(s, "Phone"),
                        nick: text(s, "Nick"),
                        skill_groups: Vec::new(),
                        last_modified: now(),
                    };
                    let cost = staff.cost() + mail.len();
                    if let Err(e) = a.room(a.staff.len(), cost, "LimitExceeded") {
                        return Some(Err(e));
                    }
                    a.bytes += cost;
                    a.staff.insert(mail, staff);
                }
                Ok(json!({"ErrorStaffList": errors}))
            }
            "DescribeStaffInfoList" => {
                let a = d.apps.get(&app).unwrap_or(&empty);
                let group = opt_int(p, "SkillGroupId");
                let mail = p.get("StaffMail").and_then(Value::as_str);
                let (total, list) = page(
                    a.staff
                        .iter()
                        .filter(|(m, _)| mail.is_none_or(|mail| mail == &***m))
                        .filter(|(_, s)| {
                            group.is_none_or(|g| s.skill_groups.iter().any(|(id, _)| *id == g))
                        })
                        .collect(),
                    int(p, "PageNumber"),
                    int(p, "PageSize"),
                );
                let list: Vec<Value> = list.into_iter().map(|(m, s)| a.staff_json(m, s)).collect();
                Ok(json!({"TotalCount": total, "StaffList": list}))
            }
            "DeleteStaff" => {
                let mails = strings(p, "StaffList");
                if mails.len() > MAX_DELETE_PER_REQUEST {
                    return Some(Err((
                        "InvalidParameterValue",
                        format!(
                            "{} staff given; at most {MAX_DELETE_PER_REQUEST} per request",
                            mails.len()
                        ),
                    )));
                }
                let a = d.apps.get_mut(&app);
                let Some(a) = a else {
                    return match mails.first() {
                        Some(mail) => Some(Err(not_found("staff", mail))),
                        None => Some(Ok(json!({"OnlineStaffList": []}))),
                    };
                };
                for mail in mails {
                    match a.staff.remove(mail.as_str()) {
                        Some(s) => a.bytes = a.bytes.saturating_sub(s.cost() + mail.len()),
                        None => return Some(Err(not_found("staff", mail))),
                    }
                }
                Ok(json!({"OnlineStaffList": []}))
            }
            "CreateCCCSkillGroup" => {
                let group = SkillGroup {
                    name: text(p, "SkillGroupName"),
                    skill_group_type: int(p, "SkillGroupType"),
                    max_concurrency: int(p, "MaxConcurrency"),
                    last_modified: now(),
                };
                let cost = group.cost();
                let a = match d.app_mut(app, "LimitExceeded") {
                    Ok(a) => a,
                    Err(e) => return Some(Err(e)),
                };
                if a.skill_groups.values().any(|g| g.name == group.name) {
                    return Some(Err((
                        "InvalidParameterValue.SkillGroupExist",
                        format!("a skill group named {} already exists", group.name),
                    )));
                }
                if let Err(e) = a.room(a.skill_groups.len(), cost, "LimitExceeded") {
                    return Some(Err(e));
                }
                a.bytes += cost;
                let id = d.next_id();
                if let Some(a) = d.apps.get_mut(&app) {
                    a.skill_groups.insert(id, group);
                }
                Ok(json!({"SkillGroupId": id}))
            }
            "DescribeSkillGroupInfoList" => {
                let a = d.apps.get(&app).unwrap_or(&empty);
                let id = opt_int(p, "SkillGroupId");
                let name = p.get("SkillGroupName").and_then(Value::as_str);
                let (total, list) = page(
                    a.skill_groups
                        .iter()
                        .filter(|(i, _)| id.is_none_or(|id| id == **i))
                        .filter(|(_, g)| name.is_none_or(|n| n == &*g.name))
                        .collect(),
                    int(p, "PageNumber"),
                    int(p, "PageSize"),
                );
                let list: Vec<Value> = list
                    .into_iter()
                    .map(|(id, g)| {
                        json!({
                            "SkillGroupId": id, "SkillGroupName": &*g.name, "Type": "TEL",
                            "SkillGroupType": g.skill_group_type, "MaxConcurrency": g.max_concurrency,
                            "LastModifyTimestamp": g.last_modified, "RoutePolicy": "", "UsingLastSeat": 0,
                            "Alias": "", "RingAll": false,
                        })
                    })
                    .collect();
                Ok(json!({"TotalCount": total, "SkillGroupList": list}))
            }
            "DeleteCCCSkillGroup" => {
                let id = int(p, "SkillGroupId");
                let Some(a) = d.apps.get_mut(&app) else {
                    return Some(Err(not_found("skill group", id)));
                };
                let Some(g) = a.skill_groups.remove(&id) else {
                    return Some(Err(not_found("skill group", id)));
                };
                a.bytes = a.bytes.saturating_sub(g.cost());
                for s in a.staff.values_mut() {
                    s.skill_groups.retain(|(g, _)| *g != id);
                }
                Ok(json!({}))
            }
            "BindStaffSkillGroupList" | "UnbindStaffSkillGroupList" => {
                let mail = text(p, "StaffEmail");
                let mut ids: Vec<(i64, i64)> = p
                    .get("StaffSkillGroupList")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|i| (int(i, "SkillGroupId"), opt_int(i, "Priority").unwrap_or(1)))
                    .collect();
                ids.extend(
                    p.get("SkillGroupList")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_i64)
                        .map(|i| (i, 1)),
                );
                let Some(a) = d.apps.get_mut(&app) else {
                    return Some(Err((
                        "InvalidParameterValue.InstanceNotExist",
                        format!("staff {mail} does not exist"),
                    )));
                };
                if let Some((id, _)) = ids.iter().find(|(id, _)| !a.skill_groups.contains_key(id)) {
                    return Some(Err(not_found("skill group", id)));
                }
                let Some(s) = a.staff.get_mut(&mail) else {
                    return Some(Err((
                        "InvalidParameterValue.InstanceNotExist",
                        format!("staff {mail} does not exist"),
                    )));
                };
                // Each group at most once, so the list never outgrows the skill groups.
                let before = s.cost();
                for (id, priority) in ids {
                    s.skill_groups.retain(|(g, _)| *g != id);
                    if action == "BindStaffSkillGroupList" {
                        s.skill_groups.push((id, priority));
                    }
                }
                a.bytes = (a.bytes + s.cost()).saturating_sub(before);
                Ok(json!({}))
            }
            "DescribeNumbers" => {
                let a = d.apps.get(&app).unwrap_or(&empty);
                let all: Vec<Value> = a
                    .numbers
                    .iter()
                    .enumerate()
                    .map(|(i, groups)| {
                        json!({"Number": number(i), "CallOutSkillGroupIds": groups, "State": 1, "CostType": 1})
                    })
                    .collect();
                let (total, numbers) = page(all, int(p, "PageNumber"), int(p, "PageSize"));
                Ok(json!({"TotalCount": total, "Numbers": numbers}))
            }
            "BindNumberCallOutSkillGroup" | "UnbindNumberCallOutSkillGroup" => {
                let wanted = text(p, "Number");
                let Some(index) = (0..NUMBERS).find(|i| number(*i) == *wanted) else {
                    return Some(Err(not_found("number", wanted)));
                };
                let mut ids: Vec<u64> = p
                    .get("SkillGroupIds")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_u64)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                let bind = action == "BindNumberCallOutSkillGroup";
                if !bind && !d.apps.contains_key(&app) {
                    return Some(Ok(json!({})));
                }
                let a = match d.app_mut(app, "LimitExceeded") {
                    Ok(a) => a,
                    Err(e) => return Some(Err(e)),
                };
                let Some(groups) = a.numbers.get_mut(index) else {
                    return Some(Err(not_found("number", wanted)));
                };
                let before = groups.len();
                let kept = groups
                    .iter()
                    .filter(|g| ids.binary_search(g).is_err())
                    .count();
                if bind && kept + ids.len() > MAX_ENTRIES {
                    return Some(Err((
                        "LimitExceeded",
                        format!("a number takes at most {MAX_ENTRIES} call-out skill groups"),
                    )));
                }
                groups.retain(|g| ids.binary_search(g).is_err());
                if bind {
                    groups.extend(&ids);
                }
                let after = groups.len();
                a.bytes =
                    (a.bytes + after * size_of::<u64>()).saturating_sub(before * size_of::<u64>());
                Ok(json!({}))
            }
            "DescribeTelCdr" => {
                let (from, to) = (int(p, "StartTimeStamp"), int(p, "EndTimeStamp"));
                let step = to.saturating_sub(from).max(25) / 25;
                let all: Vec<Value> = (0..25i64)
                    .map(|i| {
                        let start = from.saturating_add(i.saturating_mul(step));
                        json!({
                            "Caller": "008675500000001", "Callee": format!("0086139000000{i:02}"), "Time": start,
                            "Direction": i % 2, "Duration": 30 + i, "RecordURL": "", "SessionId": format!("session-{i}"),
                            "CallType": 1, "EndStatus": 1, "StartTimestamp": start,
                            "EndedTimestamp": start.saturating_add(30 + i),
                        })
                    })
                    .collect();
                let (total, items) = page(all, int(p, "PageNumber"), int(p, "PageSize"));
                Ok(json!({"TotalCount": total, "TelCdrs": items, "TelCdrList": items}))
            }
            _ => return None,
        })
    }
}
