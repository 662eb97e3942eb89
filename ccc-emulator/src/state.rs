//! In-memory state for the actions where state matters: automatic outbound call
//! tasks, predictive dialing campaigns, staff and skill groups with their
//! bindings, numbers and their call-out skill groups, and the calls tasks and
//! campaigns place (see [`crate::sim`]), from which call records and statistics
//! are computed; each kept per `SdkAppId`.
//!
//! Requests are checked as the documentation describes each parameter (ranges,
//! maxima, defaults, filters) and against what exists: callers must be numbers of
//! the application, skill groups must exist, deleting a skill group unbinds it.
//! Every refusal carries a code the action documents or a common one
//! ([`crate::validate::documented`]).
//!
//! Kept compactly, because the requests are large and repetitive (one 371 KiB
//! `CreateAutoCalloutTask` once cost 14.7 MB as JSON values): typed records
//! holding only what a later answer shows, lists of strings packed into one
//! allocation, calls computed rather than stored, answers built on demand. And
//! capped, so that no sequence of requests grows it without bound: at most
//! [`MAX_APPS`] applications with state, each holding at most [`MAX_ENTRIES`]
//! records of a kind and about [`MAX_APP_BYTES`] bytes, refused with the
//! service's own limit codes. Reads never create state.

use crate::clock::Clock;
use crate::seed::Seed;
use crate::sim::{Call, Dialer, Dice, Hold, Owner};
use crate::validate::Refusal;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::mem::size_of;
use std::sync::{Arc, Mutex};

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
/// Numbers an application the seed does not name has.
const NUMBERS: usize = 12;
const DAY: i64 = 86_400;

/// Task states, as `AutoCalloutTaskState` documents them.
const TASK_INITIAL: i64 = 0;
const TASK_RUNNING: i64 = 1;
const TASK_COMPLETED: i64 = 2;
const TASK_TERMINATED: i64 = 4;
const TASK_SUSPENDED: i64 = 5;
/// Campaign states, as `DescribePredictiveDialingCampaignStatus` documents them.
const CAMPAIGN_NOT_STARTED: i64 = 0;
const CAMPAIGN_RUNNING: i64 = 1;
const CAMPAIGN_PAUSED: i64 = 2;
const CAMPAIGN_STOPPED: i64 = 3;
const CAMPAIGN_COMPLETED: i64 = 4;
/// Callee states, as `AutoCalloutTaskCalleeState` documents them.
const CALLEE_INITIAL: i64 = 0;
const CALLEE_ANSWERED: i64 = 1;
const CALLEE_UNANSWERED: i64 = 2;
const CALLEE_CALLING: i64 = 3;

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

impl Texts {
    fn from_strs<'a>(items: impl Iterator<Item = &'a str> + Clone) -> Texts {
        let mut text = String::with_capacity(items.clone().map(str::len).sum());
        let mut ends = Vec::with_capacity(items.clone().count());
        for s in items {
            text.push_str(s);
            ends.push(text.len());
        }
        Texts {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or_default()
    }
}

struct Task {
    name: Box<str>,
    description: Box<str>,
    not_before: i64,
    not_after: Option<i64>,
    callers: Texts,
    callees: Texts,
    ivr_id: Option<u64>,
    max_ring_timeout: Option<i64>,
    dialer: Dialer,
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
    callers: Texts,
    callees: Texts,
    dialer: Dialer,
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

struct Number {
    number: Box<str>,
    /// Call-out skill groups.
    groups: Vec<u64>,
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
            + self.dialer.heap_bytes()
    }
}

impl Cost for Campaign {
    fn cost(&self) -> usize {
        size_of::<Self>()
            + self.name.len()
            + self.variables.as_ref().map_or(0, |v| v.len())
            + self.uui.as_ref().map_or(0, |v| v.len())
            + self.callers.heap_bytes()
            + self.callees.heap_bytes()
            + self.dialer.heap_bytes()
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
struct App {
    tasks: BTreeMap<i64, Task>,
    campaigns: BTreeMap<i64, Campaign>,
    /// By mail.
    staff: BTreeMap<Box<str>, Staff>,
    skill_groups: BTreeMap<i64, SkillGroup>,
    numbers: Vec<Number>,
    /// The sum of the costs of everything above.
    bytes: usize,
}

/// One call of an application, with what its record shows.
struct CallRecord<'a> {
    call: Call,
    owner: Owner,
    caller: &'a str,
    callee: &'a str,
    skill_group: Option<i64>,
}

impl CallRecord<'_> {
    fn session_id(&self) -> String {
        session_id(self.owner, self.call.index)
    }
}

fn session_id(owner: Owner, index: usize) -> String {
    match owner {
        Owner::Task(id) => format!("emulator-task-{id}-{index}"),
        Owner::Campaign(id) => format!("emulator-campaign-{id}-{index}"),
    }
}

impl App {
    /// An application the seed does not name: no records, [`NUMBERS`] numbers.
    fn implicit() -> App {
        App::with_numbers((0..NUMBERS).map(|i| Number {
            number: format!("0086755000000{i:02}").into(),
            groups: Vec::new(),
        }))
    }

    fn with_numbers(numbers: impl Iterator<Item = Number>) -> App {
        let numbers: Vec<Number> = numbers.collect();
        App {
            bytes: numbers.iter().map(|n| n.number.len()).sum(),
            numbers,
            tasks: BTreeMap::new(),
            campaigns: BTreeMap::new(),
            staff: BTreeMap::new(),
            skill_groups: BTreeMap::new(),
        }
    }

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

    /// The first caller the application does not own.
    fn foreign_caller<'a>(&self, callers: &'a Texts) -> Option<&'a str> {
        callers
            .iter()
            .find(|c| !self.numbers.iter().any(|n| &*n.number == *c))
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

    /// Every call placed by `now`, ended or not, oldest first.
    fn calls(&self, now: i64, dice: &Dice) -> Vec<CallRecord<'_>> {
        let mut out = Vec::new();
        for (id, t) in &self.tasks {
            let owner = Owner::Task(*id);
            let dice = Dice {
                ring_timeout: t.max_ring_timeout,
                ..*dice
            };
            for i in 0..t.dialer.dialed(now) {
                out.push(CallRecord {
                    call: t.dialer.call(i, &dice, owner),
                    owner,
                    caller: t.callers.get(i % t.callers.len().max(1)),
                    callee: t.callees.get(i),
                    skill_group: None,
                });
            }
        }
        for (id, c) in &self.campaigns {
            let owner = Owner::Campaign(*id);
            for i in 0..c.dialer.dialed(now) {
                out.push(CallRecord {
                    call: c.dialer.call(i, dice, owner),
                    owner,
                    caller: c.callers.get(i % c.callers.len().max(1)),
                    callee: c.callees.get(i),
                    skill_group: Some(c.skill_group_id),
                });
            }
        }
        out.sort_by_key(|r| r.call.dialed);
        out
    }

    fn cdr_json(&self, r: &CallRecord) -> Value {
        let answered = r.call.answered.is_some();
        json!({
            "Caller": r.caller, "Callee": r.callee, "Time": r.call.dialed, "Direction": 1,
            "CallType": if matches!(r.owner, Owner::Task(_)) { 1 } else { 5 },
            "Duration": r.call.duration(), "RecordURL": "", "RecordId": "",
            "EndStatus": if answered { 1 } else { 202 },
            "EndStatusString": if answered { "ok" } else { "notAnswer" },
            "SkillGroup": r.skill_group.map_or("", |g| self.skill_group_name(g)),
            "SkillGroupId": r.skill_group.unwrap_or(0),
            "CallerLocation": "", "IVRDuration": 0, "RingTimestamp": r.call.dialed,
            "AcceptTimestamp": r.call.answered.unwrap_or(0), "EndedTimestamp": r.call.ended,
            "IVRKeyPressed": [], "IVRKeyPressedEx": [], "ServeParticipants": [],
            "StartTimestamp": r.call.dialed, "SessionId": r.session_id(),
        })
    }
}

fn task_state(t: &Task, id: i64, now: i64, dice: &Dice) -> i64 {
    let dice = Dice {
        ring_timeout: t.max_ring_timeout,
        ..*dice
    };
    match t.dialer.hold {
        Hold::Stopped => TASK_TERMINATED,
        Hold::Paused => TASK_SUSPENDED,
        Hold::None if now < t.dialer.start() => TASK_INITIAL,
        Hold::None if t.dialer.done(now, &dice, Owner::Task(id)) => {
            if t.dialer.dialed(now) < t.dialer.count {
                TASK_TERMINATED
            } else {
                TASK_COMPLETED
            }
        }
        Hold::None => TASK_RUNNING,
    }
}

fn campaign_status(c: &Campaign, id: i64, now: i64, dice: &Dice) -> i64 {
    match c.dialer.hold {
        Hold::Stopped => CAMPAIGN_STOPPED,
        Hold::Paused => CAMPAIGN_PAUSED,
        Hold::None if now < c.dialer.start() => CAMPAIGN_NOT_STARTED,
        Hold::None if c.dialer.done(now, dice, Owner::Campaign(id)) => CAMPAIGN_COMPLETED,
        Hold::None => CAMPAIGN_RUNNING,
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
        Ok(self.apps.entry(app).or_insert_with(App::implicit))
    }

    fn next_id(&mut self) -> i64 {
        self.next_id = self.next_id.saturating_add(1);
        self.next_id
    }
}

/// The emulator's state.
pub struct State {
    data: Mutex<Data>,
    clock: Arc<Clock>,
    dice: Dice,
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

fn bad(message: String) -> Refusal {
    ("InvalidParameterValue", message)
}

fn not_found(what: &str, id: impl std::fmt::Display) -> Refusal {
    bad(format!("{what} {id} does not exist"))
}

fn bad_state(what: &str, id: i64, state: i64, verb: &str) -> Refusal {
    (
        "UnsupportedOperation",
        format!("{what} {id} is in state {state} and cannot be {verb}"),
    )
}

/// `value` of member `name` in `lo..=hi` when present.
fn in_range(p: &Value, name: &str, lo: i64, hi: i64) -> Result<(), Refusal> {
    match opt_int(p, name) {
        Some(v) if !(lo..=hi).contains(&v) => Err(bad(format!(
            "{name} is {v}; it must lie between {lo} and {hi}"
        ))),
        _ => Ok(()),
    }
}

/// A 0-based page number and size from `PageNumber` and `PageSize`, with the
/// action's documented default and maximum size.
fn paging(p: &Value, default: i64, max: i64) -> Result<(usize, usize), Refusal> {
    let size = opt_int(p, "PageSize").unwrap_or(default);
    if !(1..=max).contains(&size) {
        return Err(bad(format!(
            "PageSize is {size}; it must lie between 1 and {max}"
        )));
    }
    let number = int(p, "PageNumber");
    if number < 0 {
        return Err(bad(format!("PageNumber is {number}; pages start at 0")));
    }
    Ok((
        usize::try_from(number).unwrap_or(usize::MAX),
        usize::try_from(size).unwrap_or(1),
    ))
}

/// `TotalCount` and one page of `items`.
fn page<T>(items: Vec<T>, (number, size): (usize, usize)) -> (usize, Vec<T>) {
    let total = items.len();
    (
        total,
        items
            .into_iter()
            .skip(number.saturating_mul(size))
            .take(size)
            .collect(),
    )
}

/// A query window `[start, end]` from two members: end not before start, at most
/// `span` seconds long.
fn window(p: &Value, start: &str, end: &str, span: Option<i64>) -> Result<(i64, i64), Refusal> {
    let (from, to) = (int(p, start), int(p, end));
    if to < from {
        return Err(bad(format!("{end} {to} is before {start} {from}")));
    }
    if let Some(span) = span.filter(|s| to - from > *s) {
        return Err(bad(format!(
            "the window from {start} to {end} spans more than {} days",
            span / DAY
        )));
    }
    Ok((from, to))
}

/// What a new task holds, from a request or a seed.
struct NewTask {
    name: Box<str>,
    description: Box<str>,
    not_before: i64,
    not_after: Option<i64>,
    callers: Texts,
    callees: Texts,
    ivr_id: Option<u64>,
    ai_agent_id: Option<u64>,
    max_ring_timeout: Option<i64>,
}

/// What a new campaign holds, from a request or a seed.
struct NewCampaign {
    campaign: Campaign,
}

impl State {
    /// A state holding `seed`, with its calls decided by `dice_seed`; or the path
    /// in the seed and what is wrong there.
    pub fn new(seed: &Seed, clock: Arc<Clock>, dice_seed: u64) -> Result<State, (String, String)> {
        let rate = seed.answer_rate;
        if !(0.0..=1.0).contains(&rate) {
            return Err((
                "answer_rate".into(),
                format!("{rate} is not a share between 0 and 1"),
            ));
        }
        if seed.apps.len() > MAX_APPS {
            return Err((
                "apps".into(),
                format!("{} applications; at most {MAX_APPS}", seed.apps.len()),
            ));
        }
        let state = State {
            data: Mutex::new(Data::default()),
            clock,
            dice: Dice {
                seed: dice_seed,
                // In 0..=10_000 as checked above.
                answer_per_10k: (rate * 10_000.0).round() as u64,
                ring_timeout: None,
            },
        };
        let now = state.clock.now();
        let mut d = state.lock();
        let max_id = seed
            .apps
            .iter()
            .flat_map(|a| {
                let tasks = a.tasks.iter().map(|t| t.id);
                let campaigns = a.campaigns.iter().map(|c| c.id);
                let groups = a.skill_groups.iter().map(|g| g.id);
                tasks.chain(campaigns).chain(groups)
            })
            .max()
            .unwrap_or(0);
        d.next_id = max_id;
        for (ai, a) in seed.apps.iter().enumerate() {
            let at = |what: String| format!("apps[{ai}].{what}");
            if d.apps.contains_key(&a.sdk_app_id) {
                return Err((
                    at("sdk_app_id".into()),
                    format!("application {} appears twice", a.sdk_app_id),
                ));
            }
            let mut app = App::with_numbers(a.numbers.iter().map(|n| Number {
                number: n.number.as_str().into(),
                groups: Vec::new(),
            }));
            for (i, n) in a.numbers.iter().enumerate() {
                if a.numbers[..i].iter().any(|m| m.number == n.number) {
                    return Err((
                        at(format!("numbers[{i}].number")),
                        format!("number {} appears twice", n.number),
                    ));
                }
            }
            for (i, g) in a.skill_groups.iter().enumerate() {
                let group = SkillGroup {
                    name: g.name.as_str().into(),
                    skill_group_type: g.skill_group_type,
                    max_concurrency: g.max_concurrency,
                    last_modified: now,
                };
                insert_skill_group(&mut app, g.id, group)
                    .map_err(|(_, m)| (at(format!("skill_groups[{i}]")), m))?;
            }
            for (i, n) in a.numbers.iter().enumerate() {
                let ids: Vec<u64> = n.call_out_skill_groups.clone();
                bind_number(&mut app, &n.number, &ids, true)
                    .map_err(|(_, m)| (at(format!("numbers[{i}].call_out_skill_groups")), m))?;
            }
            for (i, s) in a.staff.iter().enumerate() {
                let staff = Staff {
                    name: s.name.as_str().into(),
                    staff_number: s.staff_number.as_str().into(),
                    phone: s.phone.as_str().into(),
                    nick: s.nick.as_str().into(),
                    skill_groups: Vec::new(),
                    last_modified: now,
                };
                if app.staff.contains_key(s.mail.as_str()) {
                    return Err((
                        at(format!("staff[{i}].mail")),
                        format!("staff {} appears twice", s.mail),
                    ));
                }
                let cost = staff.cost() + s.mail.len();
                app.room(app.staff.len(), cost, "LimitExceeded")
                    .map_err(|(_, m)| (at(format!("staff[{i}]")), m))?;
                app.bytes += cost;
                app.staff.insert(s.mail.as_str().into(), staff);
                let groups: Vec<(i64, i64)> = s.skill_groups.iter().map(|g| (*g, 1)).collect();
                bind_staff(&mut app, &s.mail, &groups, true)
                    .map_err(|(_, m)| (at(format!("staff[{i}].skill_groups")), m))?;
            }
            for (i, t) in a.tasks.iter().enumerate() {
                let new = NewTask {
                    name: t.name.as_str().into(),
                    description: "".into(),
                    not_before: now.saturating_add(t.starts_in),
                    not_after: t.ends_in.map(|e| now.saturating_add(e)),
                    callers: Texts::from_strs(t.callers.iter().map(String::as_str)),
                    callees: Texts::from_strs(t.callees.iter().map(String::as_str)),
                    ivr_id: t.ivr_id,
                    ai_agent_id: t.ai_agent_id,
                    max_ring_timeout: None,
                };
                if t.id <= 0
                    || d.apps
                        .values()
                        .chain([&app])
                        .any(|a| a.tasks.contains_key(&t.id))
                {
                    return Err((
                        at(format!("tasks[{i}].id")),
                        format!("task id {} is not positive or not unique", t.id),
                    ));
                }
                insert_task(&mut app, t.id, new, now)
                    .map_err(|(_, m)| (at(format!("tasks[{i}]")), m))?;
                if t.paused {
                    if let Some(task) = app.tasks.get_mut(&t.id) {
                        task.dialer.hold(now, Hold::Paused);
                    }
                }
            }
            for (i, c) in a.campaigns.iter().enumerate() {
                let start = now.saturating_add(c.starts_in);
                let end = now.saturating_add(c.ends_in);
                let params = json!({
                    "Name": c.name, "Callees": c.callees, "Callers": c.callers, "CallOrder": 1,
                    "SkillGroupId": c.skill_group_id, "Priority": c.priority,
                    "ExpectedAbandonRate": c.expected_abandon_rate, "RetryInterval": 60,
                    "StartTime": start, "EndTime": end,
                });
                if c.id <= 0
                    || d.apps
                        .values()
                        .chain([&app])
                        .any(|a| a.campaigns.contains_key(&c.id))
                {
                    return Err((
                        at(format!("campaigns[{i}].id")),
                        format!("campaign id {} is not positive or not unique", c.id),
                    ));
                }
                let new = new_campaign(&app, &params, now)
                    .map_err(|(_, m)| (at(format!("campaigns[{i}]")), m))?;
                insert_campaign(&mut app, c.id, new)
                    .map_err(|(_, m)| (at(format!("campaigns[{i}]")), m))?;
                if c.paused {
                    if let Some(campaign) = app.campaigns.get_mut(&c.id) {
                        campaign.dialer.hold(now, Hold::Paused);
                    }
                }
            }
            d.apps.insert(a.sdk_app_id, app);
        }
        drop(d);
        Ok(state)
    }

    /// The simulated clock.
    pub fn clock(&self) -> &Arc<Clock> {
        &self.clock
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Data> {
        match self.data.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

fn insert_skill_group(a: &mut App, id: i64, group: SkillGroup) -> Result<(), Refusal> {
    if a.skill_groups.values().any(|g| g.name == group.name) {
        return Err((
            "InvalidParameterValue.SkillGroupExist",
            format!("a skill group named {} already exists", group.name),
        ));
    }
    if id <= 0 || a.skill_groups.contains_key(&id) {
        return Err(bad(format!(
            "skill group id {id} is not positive or not unique"
        )));
    }
    let cost = group.cost();
    a.room(a.skill_groups.len(), cost, "LimitExceeded")?;
    a.bytes += cost;
    a.skill_groups.insert(id, group);
    Ok(())
}

/// Binds (or unbinds) call-out skill groups of a number of the application.
fn bind_number(a: &mut App, number: &str, ids: &[u64], bind: bool) -> Result<(), Refusal> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if let Some(id) = ids
        .iter()
        .find(|id| i64::try_from(**id).map_or(true, |id| !a.skill_groups.contains_key(&id)))
    {
        let code = if bind {
            "InvalidParameterValue"
        } else {
            "InvalidParameterValue.SkillGroupError"
        };
        return Err((code, format!("skill group {id} does not exist")));
    }
    let Some(n) = a.numbers.iter_mut().find(|n| &*n.number == number) else {
        let code = if bind {
            "InvalidParameterValue"
        } else {
            "InvalidParameterValue.InstanceNotExist"
        };
        return Err((
            code,
            format!("number {number} does not belong to the application"),
        ));
    };
    let before = n.groups.len();
    n.groups.retain(|g| ids.binary_search(g).is_err());
    if bind {
        n.groups.extend(&ids);
    }
    let after = n.groups.len();
    a.bytes = (a.bytes + after * size_of::<u64>()).saturating_sub(before * size_of::<u64>());
    Ok(())
}

/// Binds (or unbinds) skill groups of a staff member: (id, priority).
fn bind_staff(a: &mut App, mail: &str, ids: &[(i64, i64)], bind: bool) -> Result<(), Refusal> {
    if let Some((id, _)) = ids.iter().find(|(id, _)| !a.skill_groups.contains_key(id)) {
        return Err((
            "InvalidParameter",
            format!("skill group {id} does not exist"),
        ));
    }
    let Some(s) = a.staff.get_mut(mail) else {
        return Err((
            "InvalidParameterValue.InstanceNotExist",
            format!("staff {mail} does not exist"),
        ));
    };
    // Each group at most once, so the list never outgrows the skill groups.
    let before = s.cost();
    for (id, priority) in ids {
        s.skill_groups.retain(|(g, _)| g != id);
        if bind {
            s.skill_groups.push((*id, *priority));
        }
    }
    a.bytes = (a.bytes + s.cost()).saturating_sub(before);
    Ok(())
}

/// Checks a new task as `CreateAutoCalloutTask` documents it and stores it.
fn insert_task(a: &mut App, id: i64, t: NewTask, now: i64) -> Result<(), Refusal> {
    if t.ivr_id.is_none() && t.ai_agent_id.is_none() {
        return Err(bad("a task needs IvrId or AIAgentId".into()));
    }
    if t.callees.len() == 0 {
        return Err(bad("Callees is empty".into()));
    }
    if t.callers.len() == 0 {
        return Err(bad("Callers is empty".into()));
    }
    if let Some(c) = a.foreign_caller(&t.callers) {
        return Err(bad(format!(
            "caller {c} is not a number of the application"
        )));
    }
    if let Some(after) = t.not_after.filter(|after| *after <= t.not_before) {
        return Err(bad(format!(
            "NotAfter {after} is not after NotBefore {}",
            t.not_before
        )));
    }
    let task = Task {
        dialer: Dialer::new(t.callees.len(), t.not_before.max(now), t.not_after),
        name: t.name,
        description: t.description,
        not_before: t.not_before,
        not_after: t.not_after,
        callers: t.callers,
        callees: t.callees,
        ivr_id: t.ivr_id,
        max_ring_timeout: t.max_ring_timeout,
    };
    let cost = task.cost();
    a.room(a.tasks.len(), cost, "LimitExceeded")?;
    a.bytes += cost;
    a.tasks.insert(id, task);
    Ok(())
}

/// Checks a campaign's parameters as `CreatePredictiveDialingCampaign` and
/// `UpdatePredictiveDialingCampaign` document them.
fn new_campaign(a: &App, p: &Value, now: i64) -> Result<NewCampaign, Refusal> {
    let callers = Texts::of(p, "Callers");
    let callees = Texts::of(p, "Callees");
    if callees.len() == 0 {
        return Err(bad("Callees is empty".into()));
    }
    if callers.len() == 0 {
        return Err(bad("Callers is empty".into()));
    }
    if let Some(c) = a.foreign_caller(&callers) {
        return Err(bad(format!(
            "caller {c} is not a number of the application"
        )));
    }
    let group = int(p, "SkillGroupId");
    if !a.skill_groups.contains_key(&group) {
        return Err(not_found("skill group", group));
    }
    in_range(p, "Priority", 1, 5)?;
    in_range(p, "ExpectedAbandonRate", 0, 50)?;
    in_range(p, "RetryInterval", 60, DAY)?;
    in_range(p, "RetryTimes", 0, 2)?;
    let (start, end) = (int(p, "StartTime"), int(p, "EndTime"));
    if end <= start {
        return Err(bad(format!("EndTime {end} is not after StartTime {start}")));
    }
    Ok(NewCampaign {
        campaign: Campaign {
            name: text(p, "Name"),
            call_order: int(p, "CallOrder"),
            skill_group_id: group,
            ivr_id: opt_int(p, "IVRId"),
            priority: int(p, "Priority"),
            expected_abandon_rate: int(p, "ExpectedAbandonRate"),
            retry_times: opt_int(p, "RetryTimes"),
            retry_interval: int(p, "RetryInterval"),
            start_time: start,
            end_time: end,
            variables: p.get("Variables").map(|v| v.to_string().into()),
            uui: p.get("UUI").and_then(Value::as_str).map(Into::into),
            dialer: Dialer::new(callees.len(), start.max(now), Some(end)),
            callers,
            callees,
        },
    })
}

fn insert_campaign(a: &mut App, id: i64, new: NewCampaign) -> Result<(), Refusal> {
    let cost = new.campaign.cost();
    a.room(a.campaigns.len(), cost, "LimitExceeded.OutOfCountLimit")?;
    a.bytes += cost;
    a.campaigns.insert(id, new.campaign);
    Ok(())
}

/// The application's state for reading; `implicit` when it has none.
fn read<'a>(d: &'a Data, app: i64, implicit: &'a App) -> &'a App {
    d.apps.get(&app).unwrap_or(implicit)
}

impl State {
    /// Answers a stateful action; `None` for actions without state.
    pub fn handle(&self, action: &str, p: &Value) -> Option<Result<Value, Refusal>> {
        let now = self.clock.now();
        let dice = &self.dice;
        let mut guard = self.lock();
        let d = &mut *guard;
        let app = int(p, "SdkAppId");
        let implicit = App::implicit();
        // Each arm evaluates to the answer; `?` inside the closure ends the arm.
        let answer = (|| -> Option<Result<Value, Refusal>> {
            Some(match action {
                "CreateAutoCalloutTask" => (|| {
                    for (name, lo, hi) in [("Tries", 1, 3), ("RetryInterval", 600, DAY)] {
                        in_range(p, name, lo, hi)?;
                    }
                    if let Some(ring) = opt_int(p, "MaxRingTimeoutSecond").filter(|r| *r < 1) {
                        return Err(bad(format!(
                            "MaxRingTimeoutSecond is {ring}; it must be positive"
                        )));
                    }
                    let new = NewTask {
                        name: text(p, "Name"),
                        description: text(p, "Description"),
                        not_before: int(p, "NotBefore"),
                        not_after: opt_int(p, "NotAfter"),
                        callers: Texts::of(p, "Callers"),
                        callees: Texts::of(p, "Callees"),
                        ivr_id: p.get("IvrId").and_then(Value::as_u64),
                        ai_agent_id: p.get("AIAgentId").and_then(Value::as_u64),
                        max_ring_timeout: opt_int(p, "MaxRingTimeoutSecond"),
                    };
                    let id = d.next_id.saturating_add(1);
                    insert_task(d.app_mut(app, "LimitExceeded")?, id, new, now)?;
                    d.next_id();
                    Ok(json!({"TaskId": id}))
                })(),
                "DescribeAutoCalloutTask" => {
                    let id = int(p, "TaskId");
                    match read(d, app, &implicit).tasks.get(&id) {
                        Some(t) => {
                            let tdice = Dice {
                                ring_timeout: t.max_ring_timeout,
                                ..*dice
                            };
                            let dialed = t.dialer.dialed(now);
                            let callees: Vec<Value> = t
                            .callees
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                if i >= dialed {
                                    return json!({"Callee": c, "State": CALLEE_INITIAL, "Sessions": []});
                                }
                                let call = t.dialer.call(i, &tdice, Owner::Task(id));
                                let state = match call.answered {
                                    _ if call.ended > now => CALLEE_CALLING,
                                    Some(_) => CALLEE_ANSWERED,
                                    None => CALLEE_UNANSWERED,
                                };
                                json!({"Callee": c, "State": state, "Sessions": [session_id(Owner::Task(id), i)]})
                            })
                            .collect();
                            let mut out = json!({
                                "Name": &*t.name, "Description": &*t.description, "NotBefore": t.not_before,
                                "NotAfter": t.not_after, "Callers": t.callers.to_json(), "Callees": callees,
                                "IvrId": t.ivr_id.unwrap_or(0), "State": task_state(t, id, now, dice),
                            });
                            if let Some(v) = t.max_ring_timeout {
                                out["MaxRingTimeoutSecond"] = json!(v);
                            }
                            Ok(out)
                        }
                        None => Err(not_found("task", id)),
                    }
                }
                "DescribeAutoCalloutTasks" => (|| {
                    let a = read(d, app, &implicit);
                    let (total, tasks) = page(a.tasks.iter().collect(), paging(p, 10, 100)?);
                    let tasks: Vec<Value> = tasks
                    .into_iter()
                    .map(|(id, t)| {
                        json!({
                            "TaskId": id, "Name": &*t.name, "CalleeCount": t.callees.len(),
                            "Callers": t.callers.to_json(), "NotBefore": t.not_before, "NotAfter": t.not_after,
                            "IvrId": t.ivr_id.unwrap_or(0), "State": task_state(t, *id, now, dice),
                        })
                    })
                    .collect();
                    Ok(json!({"TotalCount": total, "Tasks": tasks}))
                })(),
                "PauseAutoCalloutTask" | "ResumeAutoCalloutTask" | "StopAutoCalloutTask" => {
                    let id = int(p, "TaskId");
                    let Some(t) = d.apps.get_mut(&app).and_then(|a| a.tasks.get_mut(&id)) else {
                        return Some(Err(not_found("task", id)));
                    };
                    let state = task_state(t, id, now, dice);
                    // Asking for the state a task is already in changes nothing.
                    let (allowed, verb): (&[i64], &str) = match action {
                        "PauseAutoCalloutTask" => {
                            (&[TASK_INITIAL, TASK_RUNNING, TASK_SUSPENDED], "paused")
                        }
                        "ResumeAutoCalloutTask" => {
                            (&[TASK_INITIAL, TASK_RUNNING, TASK_SUSPENDED], "resumed")
                        }
                        _ => (
                            &[TASK_INITIAL, TASK_RUNNING, TASK_SUSPENDED, TASK_TERMINATED],
                            "stopped",
                        ),
                    };
                    if !allowed.contains(&state) {
                        return Some(Err(bad_state("task", id, state, verb)));
                    }
                    match action {
                        "PauseAutoCalloutTask" if state != TASK_SUSPENDED => {
                            t.dialer.hold(now, Hold::Paused)
                        }
                        // The guard resumes; the arm answers only a refused resume.
                        "ResumeAutoCalloutTask"
                            if state == TASK_SUSPENDED && !t.dialer.resume(now) =>
                        {
                            return Some(Err((
                                "LimitExceeded",
                                format!("task {id} has been resumed too often"),
                            )));
                        }
                        "StopAutoCalloutTask" if state != TASK_TERMINATED => {
                            t.dialer.hold(now, Hold::Stopped)
                        }
                        _ => {}
                    }
                    Ok(json!({}))
                }
                "CreatePredictiveDialingCampaign" => (|| {
                    let code = "LimitExceeded.OutOfCountLimit";
                    let a = d.app_mut(app, code)?;
                    let new = new_campaign(a, p, now)?;
                    let id = d.next_id.saturating_add(1);
                    insert_campaign(d.app_mut(app, code)?, id, new)?;
                    d.next_id();
                    Ok(json!({"CampaignId": id}))
                })(),
                "UpdatePredictiveDialingCampaign" => (|| {
                    let id = int(p, "CampaignId");
                    let a = d
                        .apps
                        .get_mut(&app)
                        .ok_or_else(|| not_found("campaign", id))?;
                    let old = a
                        .campaigns
                        .get(&id)
                        .ok_or_else(|| not_found("campaign", id))?;
                    let status = campaign_status(old, id, now, dice);
                    if ![CAMPAIGN_NOT_STARTED, CAMPAIGN_PAUSED].contains(&status) {
                        return Err(bad_state("campaign", id, status, "updated"));
                    }
                    let new = new_campaign(a, p, now)?;
                    if let Some(old) = a.campaigns.remove(&id) {
                        a.bytes = a.bytes.saturating_sub(old.cost());
                    }
                    insert_campaign(a, id, new)?;
                    Ok(json!({}))
                })(),
                "DescribePredictiveDialingCampaign" => {
                    let id = int(p, "CampaignId");
                    match read(d, app, &implicit).campaigns.get(&id) {
                        Some(c) => {
                            let mut out = json!({
                                "CampaignId": id, "Name": &*c.name, "CallOrder": c.call_order,
                                "SkillGroupId": c.skill_group_id, "Priority": c.priority,
                                "ExpectedAbandonRate": c.expected_abandon_rate, "RetryInterval": c.retry_interval,
                                "StartTime": c.start_time, "EndTime": c.end_time,
                                "Status": campaign_status(c, id, now, dice), "StatusReason": 0,
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
                "DescribePredictiveDialingCampaigns" => (|| {
                    let a = read(d, app, &implicit);
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
                        paging(p, 10, 100)?,
                    );
                    let list: Vec<Value> = list
                    .into_iter()
                    .map(|(id, c)| {
                        let owner = Owner::Campaign(*id);
                        let finished = (0..c.dialer.dialed(now))
                            .filter(|i| c.dialer.call(*i, dice, owner).ended <= now)
                            .count();
                        json!({
                            "CampaignId": id, "Name": &*c.name, "Status": campaign_status(c, *id, now, dice),
                            "StatusReason": 0, "CalleeCount": c.callees.len(),
                            "FinishedCalleeCount": finished, "Priority": c.priority, "SkillGroupId": c.skill_group_id,
                        })
                    })
                    .collect();
                    Ok(json!({"TotalCount": total, "CampaignList": list}))
                })(),
                "DescribePredictiveDialingSessions" => (|| {
                    let id = int(p, "CampaignId");
                    let c = read(d, app, &implicit)
                        .campaigns
                        .get(&id)
                        .ok_or_else(|| not_found("campaign", id))?;
                    let sessions: Vec<String> = (0..c.dialer.dialed(now))
                        .map(|i| session_id(Owner::Campaign(id), i))
                        .collect();
                    let (total, list) = page(sessions, paging(p, 10, 1000)?);
                    Ok(json!({"TotalCount": total, "SessionList": list}))
                })(),
                "PausePredictiveDialingCampaign"
                | "ResumePredictiveDialingCampaign"
                | "AbortPredictiveDialingCampaign" => {
                    let id = int(p, "CampaignId");
                    let Some(c) = d.apps.get_mut(&app).and_then(|a| a.campaigns.get_mut(&id))
                    else {
                        return Some(Err(not_found("campaign", id)));
                    };
                    let status = campaign_status(c, id, now, dice);
                    let live = [CAMPAIGN_NOT_STARTED, CAMPAIGN_RUNNING, CAMPAIGN_PAUSED];
                    let (allowed, verb): (&[i64], &str) = match action {
                        "PausePredictiveDialingCampaign" => (&live, "paused"),
                        "ResumePredictiveDialingCampaign" => (&live, "resumed"),
                        _ => (
                            &[
                                CAMPAIGN_NOT_STARTED,
                                CAMPAIGN_RUNNING,
                                CAMPAIGN_PAUSED,
                                CAMPAIGN_STOPPED,
                            ],
                            "aborted",
                        ),
                    };
                    if !allowed.contains(&status) {
                        return Some(Err(bad_state("campaign", id, status, verb)));
                    }
                    match action {
                        "PausePredictiveDialingCampaign" if status != CAMPAIGN_PAUSED => {
                            c.dialer.hold(now, Hold::Paused)
                        }
                        // The guard resumes; the arm answers only a refused resume.
                        "ResumePredictiveDialingCampaign"
                            if status == CAMPAIGN_PAUSED && !c.dialer.resume(now) =>
                        {
                            return Some(Err(bad(format!(
                                "campaign {id} has been resumed too often"
                            ))));
                        }
                        "AbortPredictiveDialingCampaign" if status != CAMPAIGN_STOPPED => {
                            c.dialer.hold(now, Hold::Stopped)
                        }
                        _ => {}
                    }
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
                "CreateStaff" => (|| {
                    let staffs: &[Value] = p
                        .get("Staffs")
                        .and_then(Value::as_array)
                        .map_or(&[], Vec::as_slice);
                    if staffs.is_empty() || staffs.len() > MAX_STAFF_PER_REQUEST {
                        return Err(bad(format!(
                            "{} staff given; 1 to {MAX_STAFF_PER_REQUEST} per request",
                            staffs.len()
                        )));
                    }
                    let a = d.app_mut(app, "LimitExceeded")?;
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
                            last_modified: now,
                        };
                        let cost = staff.cost() + mail.len();
                        a.room(a.staff.len(), cost, "LimitExceeded")?;
                        a.bytes += cost;
                        a.staff.insert(mail, staff);
                    }
                    Ok(json!({"ErrorStaffList": errors}))
                })(),
                "DescribeStaffInfoList" => (|| {
                    let a = read(d, app, &implicit);
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
                        paging(p, 10, 9999)?,
                    );
                    let list: Vec<Value> =
                        list.into_iter().map(|(m, s)| a.staff_json(m, s)).collect();
                    Ok(json!({"TotalCount": total, "StaffList": list}))
                })(),
                "DeleteStaff" => (|| {
                    let mails = strings(p, "StaffList");
                    if mails.len() > MAX_DELETE_PER_REQUEST {
                        return Err(bad(format!(
                            "{} staff given; at most {MAX_DELETE_PER_REQUEST} per request",
                            mails.len()
                        )));
                    }
                    // All or nothing: a request naming an unknown staff member deletes no one.
                    let a = d.apps.get_mut(&app);
                    let missing = mails
                        .iter()
                        .find(|m| a.as_ref().is_none_or(|a| !a.staff.contains_key(m.as_str())));
                    if let Some(mail) = missing {
                        return Err((
                            "InvalidParameterValue.InstanceNotExist",
                            format!("staff {mail} does not exist; no one was deleted"),
                        ));
                    }
                    if let Some(a) = a {
                        for mail in &mails {
                            if let Some(s) = a.staff.remove(mail.as_str()) {
                                a.bytes = a.bytes.saturating_sub(s.cost() + mail.len());
                            }
                        }
                    }
                    Ok(json!({"OnlineStaffList": []}))
                })(),
                "CreateCCCSkillGroup" => (|| {
                    let group = SkillGroup {
                        name: text(p, "SkillGroupName"),
                        skill_group_type: int(p, "SkillGroupType"),
                        max_concurrency: opt_int(p, "MaxConcurrency").unwrap_or(1),
                        last_modified: now,
                    };
                    let id = d.next_id.saturating_add(1);
                    insert_skill_group(d.app_mut(app, "LimitExceeded")?, id, group)?;
                    d.next_id();
                    Ok(json!({"SkillGroupId": id}))
                })(),
                "DescribeSkillGroupInfoList" => (|| {
                    let a = read(d, app, &implicit);
                    let id = opt_int(p, "SkillGroupId");
                    let name = p.get("SkillGroupName").and_then(Value::as_str);
                    let (total, list) = page(
                        a.skill_groups
                            .iter()
                            .filter(|(i, _)| id.is_none_or(|id| id == **i))
                            .filter(|(_, g)| name.is_none_or(|n| n == &*g.name))
                            .collect(),
                        paging(p, 10, 9999)?,
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
                })(),
                "DeleteCCCSkillGroup" => (|| {
                    let id = int(p, "SkillGroupId");
                    let a = d
                        .apps
                        .get_mut(&app)
                        .ok_or_else(|| not_found("skill group", id))?;
                    if !a.skill_groups.contains_key(&id) {
                        return Err(not_found("skill group", id));
                    }
                    if let Some((c, _)) = a.campaigns.iter().find(|(_, c)| c.skill_group_id == id) {
                        return Err((
                            "ResourceUnavailable",
                            format!(
                                "skill group {id} serves campaign {c}; delete the campaign first"
                            ),
                        ));
                    }
                    if let Some(g) = a.skill_groups.remove(&id) {
                        a.bytes = a.bytes.saturating_sub(g.cost());
                    }
                    for s in a.staff.values_mut() {
                        s.skill_groups.retain(|(g, _)| *g != id);
                    }
                    let unsigned = u64::try_from(id).unwrap_or(0);
                    for n in &mut a.numbers {
                        let before = n.groups.len();
                        n.groups.retain(|g| *g != unsigned);
                        a.bytes = a
                            .bytes
                            .saturating_sub((before - n.groups.len()) * size_of::<u64>());
                    }
                    Ok(json!({}))
                })(),
                "BindStaffSkillGroupList" | "UnbindStaffSkillGroupList" => (|| {
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
                    let a = d.apps.get_mut(&app).ok_or_else(|| {
                        (
                            "InvalidParameterValue.InstanceNotExist",
                            format!("staff {mail} does not exist"),
                        )
                    })?;
                    bind_staff(a, &mail, &ids, action == "BindStaffSkillGroupList")?;
                    Ok(json!({}))
                })(),
                "DescribeNumbers" => (|| {
                    let a = read(d, app, &implicit);
                    let all: Vec<Value> = a
                    .numbers
                    .iter()
                    .map(|n| {
                        json!({"Number": &*n.number, "CallOutSkillGroupIds": n.groups, "State": 1, "CostType": 1})
                    })
                    .collect();
                    let (total, numbers) = page(all, paging(p, 20, 9999)?);
                    Ok(json!({"TotalCount": total, "Numbers": numbers}))
                })(),
                "BindNumberCallOutSkillGroup" | "UnbindNumberCallOutSkillGroup" => (|| {
                    let ids: Vec<u64> = p
                        .get("SkillGroupIds")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_u64)
                        .collect();
                    let a = d.app_mut(app, "LimitExceeded")?;
                    bind_number(
                        a,
                        &text(p, "Number"),
                        &ids,
                        action == "BindNumberCallOutSkillGroup",
                    )?;
                    Ok(json!({}))
                })(
                ),
                "DescribeTelCdr" | "DescribeProtectedTelCdr" => (|| {
                    // `DescribeTelCdr` documents its window (an end within 90 days
                    // after the start, a start at most 180 days back);
                    // `DescribeProtectedTelCdr` documents none: a reversed window
                    // there is merely empty.
                    let tel_cdr = action == "DescribeTelCdr";
                    let (from, to) = if tel_cdr {
                        window(p, "StartTimeStamp", "EndTimeStamp", Some(90 * DAY))?
                    } else {
                        (int(p, "StartTimeStamp"), int(p, "EndTimeStamp"))
                    };
                    if tel_cdr && from < now - 180 * DAY {
                        return Err(bad(format!(
                            "StartTimeStamp {from} is more than 180 days in the past"
                        )));
                    }
                    let paging = paging(p, 10, 100)?;
                    let phones = strings(p, "Phones");
                    let sessions = strings(p, "SessionIds");
                    let a = read(d, app, &implicit);
                    let calls = a.calls(now, dice);
                    let records: Vec<&CallRecord> = calls
                        .iter()
                        .filter(|r| r.call.ended <= now && (from..=to).contains(&r.call.dialed))
                        .filter(|r| {
                            phones.is_empty()
                                || phones.iter().any(|n| n == r.caller || n == r.callee)
                        })
                        .filter(|r| sessions.is_empty() || sessions.contains(&r.session_id()))
                        .collect();
                    let (total, items) = page(records, paging);
                    let items: Vec<Value> = items.into_iter().map(|r| a.cdr_json(r)).collect();
                    Ok(json!({"TotalCount": total, "TelCdrs": items, "TelCdrList": items}))
                })(),
                "DescribeTelCallInfo" => (|| {
                    let (from, to) = window(p, "StartTimeStamp", "EndTimeStamp", Some(90 * DAY))?;
                    let apps: Vec<i64> = p
                        .get("SdkAppIdList")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_i64)
                        .collect();
                    let (mut minutes, mut seats) = (0i64, 0usize);
                    for id in apps {
                        let Some(a) = d.apps.get(&id) else { continue };
                        seats += a.staff.len();
                        minutes += a
                            .calls(now, dice)
                            .iter()
                            .filter(|r| r.call.ended <= now && (from..=to).contains(&r.call.ended))
                            .map(|r| (r.call.duration() + 59) / 60)
                            .sum::<i64>();
                    }
                    Ok(json!({
                        "TelCallOutCount": minutes, "TelCallInCount": 0, "SeatUsedCount": seats,
                        "VoipCallInCount": 0, "VOIPCallInCount": 0, "AsrOfflineCount": 0, "AsrRealtimeCount": 0,
                    }))
                })(),
                "DescribeCallInMetrics" => {
                    // The emulator places no inbound calls: every count is zero.
                    let a = read(d, app, &implicit);
                    let zero = json!({
                        "IvrCount": 0, "QueueCount": 0, "RingCount": 0, "AcceptCount": 0,
                        "TransferOuterCount": 0, "MaxQueueDuration": 0, "AvgQueueDuration": 0,
                        "MaxRingDuration": 0, "AvgRingDuration": 0, "MaxAcceptDuration": 0,
                        "AvgAcceptDuration": 0,
                    });
                    let wanted: Vec<i64> = p
                        .get("GroupIdList")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_i64)
                        .collect();
                    let groups: Vec<Value> = a
                    .skill_groups
                    .iter()
                    .filter(|(id, _)| wanted.is_empty() || wanted.contains(id))
                    .map(|(id, g)| json!({"SkillGroupId": id, "Name": &*g.name, "Metrics": zero}))
                    .collect();
                    let flag = |k: &str, default: bool| {
                        p.get(k).and_then(Value::as_bool).unwrap_or(default)
                    };
                    let mut out = json!({"Timestamp": now, "TotalMetrics": zero});
                    if flag("EnabledSkillGroup", true) {
                        out["SkillGroupMetrics"] = json!(groups);
                    }
                    if flag("EnabledNumber", false) {
                        let numbers: Vec<Value> = a
                        .numbers
                        .iter()
                        .map(|n| json!({"Number": &*n.number, "Metrics": zero, "SkillGroupMetrics": groups}))
                        .collect();
                        out["NumberMetrics"] = json!(numbers);
                    }
                    Ok(out)
                }
                _ => return None,
            })
        })();
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_table::ACTIONS;
    use crate::validate::{check_body, documented};

    /// The first official example's parameters, or the required members with
    /// zero values.
    fn request_of(action: &crate::spec_table::ActionInfo) -> Value {
        let text = action.example_request.unwrap_or(action.minimal_request);
        serde_json::from_str(text).unwrap()
    }

    /// Every action driven with bad inputs (an unknown member; each member in turn: removed, null,
    /// zero, negative, huge, empty, of the wrong type, an id or name that does
    /// not exist), through the body check and the state as a request would go,
    /// answers only codes the action documents or common ones; and the
    /// documented ones that matter do come up.
    #[test]
    fn every_answered_error_code_is_documented() {
        let bad_values = [
            Value::Null,
            json!(0),
            json!(-1),
            json!(i64::MAX),
            json!(""),
            json!("nonexistent"),
            json!([]),
            json!([-1]),
            json!({}),
            json!(true),
        ];
        let state = State::new(&Seed::default(), Arc::new(Clock::stopped()), 1).unwrap();
        let (mut sent, mut codes, mut undocumented) =
            (0, std::collections::BTreeSet::new(), Vec::new());
        for action in ACTIONS {
            let base = request_of(action);
            let mut unknown = base.clone();
            unknown["NoSuchMember"] = json!(1);
            let mut variants = vec![base.clone(), unknown];
            for m in action.input {
                let mut removed = base.clone();
                removed.as_object_mut().unwrap().remove(m.name);
                variants.push(removed);
                for v in &bad_values {
                    let mut changed = base.clone();
                    changed[m.name] = v.clone();
                    variants.push(changed);
                }
            }
            for params in variants {
                sent += 1;
                let body = params.to_string();
                let answer = check_body(action, body.as_bytes())
                    .and_then(|p| state.handle(action.name, &p).unwrap_or(Ok(Value::Null)));
                let mut seen = Vec::new();
                match answer {
                    Ok(v) => {
                        // Per-item codes inside an answer (CreateStaff's ErrorStaffList).
                        for item in v
                            .get("ErrorStaffList")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                        {
                            seen.push(item["Code"].as_str().unwrap_or_default().to_owned());
                        }
                    }
                    Err((code, _)) => seen.push(code.to_owned()),
                }
                for code in seen {
                    if !documented(action.name, &code) {
                        undocumented.push(format!("{}: {code} for {params}", action.name));
                    }
                    codes.insert(code);
                }
            }
        }
        assert!(undocumented.is_empty(), "{}", undocumented.join("\n"));
        assert!(sent > 4000, "{sent} requests");
        for expected in [
            "MissingParameter",
            "InvalidParameterValue",
            "InvalidParameterValue.InstanceNotExist",
            "UnknownParameter",
        ] {
            assert!(codes.contains(expected), "{expected} not among {codes:?}");
        }
    }

    #[test]
    fn documented_checks_codes_per_action() {
        assert!(documented("PauseAutoCalloutTask", "UnsupportedOperation"));
        assert!(documented(
            "CreateCCCSkillGroup",
            "InvalidParameterValue.SkillGroupExist"
        ));
        assert!(documented("DescribeNumbers", "MissingParameter"));
        assert!(!documented(
            "BindNumberCallOutSkillGroup",
            "InvalidParameterValue.SkillGroupError"
        ));
        assert!(!documented(
            "DescribeNumbers",
            "FailedOperation.DuplicatedAccount"
        ));
        assert!(!documented(
            "NoSuchAction",
            "InvalidParameterValue.SkillGroupExist"
        ));
    }
}
