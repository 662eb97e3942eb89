//! In-memory state for the actions where state matters: automatic outbound call
//! tasks, predictive dialing campaigns, staff and skill groups with their
//! bindings, numbers and their call-out skill groups, and call records; each kept
//! per `SdkAppId`.

use crate::validate::Refusal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

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

#[derive(Default)]
struct Data {
    next_id: i64,
    tasks: BTreeMap<(i64, i64), Value>,
    campaigns: BTreeMap<(i64, i64), Value>,
    staff: BTreeMap<(i64, String), Value>,
    skill_groups: BTreeMap<(i64, i64), Value>,
    numbers: BTreeMap<(i64, String), Value>,
}

impl Data {
    /// The numbers of `app`, seeded with twelve on first use.
    fn numbers(&mut self, app: i64) -> Vec<&mut Value> {
        if !self.numbers.keys().any(|(a, _)| *a == app) {
            for i in 0..12 {
                let number = format!("0086755000000{i:02}");
                let info = json!({"Number": number, "CallOutSkillGroupIds": [], "State": 1, "CostType": 1});
                self.numbers.insert((app, number), info);
            }
        }
        self.numbers
            .iter_mut()
            .filter(|((a, _), _)| *a == app)
            .map(|(_, v)| v)
            .collect()
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
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn int(p: &Value, k: &str) -> i64 {
    p.get(k).and_then(Value::as_i64).unwrap_or(0)
}

fn text(p: &Value, k: &str) -> String {
    p.get(k)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn strings(p: &Value, k: &str) -> Vec<String> {
    p.get(k)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
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

/// One page of `items` for 0-based `page` of `size` (size 0: 10).
fn page(items: Vec<Value>, page: i64, size: i64) -> Vec<Value> {
    let size = if size <= 0 { 10 } else { size } as usize;
    items
        .into_iter()
        .skip(page.max(0) as usize * size)
        .take(size)
        .collect()
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
        Some(match action {
            "CreateAutoCalloutTask" => {
                d.next_id += 1;
                let id = d.next_id;
                let not_before = int(p, "NotBefore");
                let state = if not_before <= now() {
                    TASK_RUNNING
                } else {
                    TASK_INITIAL
                };
                let callees: Vec<Value> = strings(p, "Callees")
                    .into_iter()
                    .map(|c| json!({"Callee": c, "State": 0, "Sessions": []}))
                    .collect();
                let mut task = json!({
                    "TaskId": id, "Name": text(p, "Name"), "Description": text(p, "Description"),
                    "NotBefore": not_before, "NotAfter": p.get("NotAfter").cloned().unwrap_or(Value::Null),
                    "Callers": strings(p, "Callers"), "Callees": callees, "IvrId": int(p, "IvrId"), "State": state,
                });
                if let Some(v) = p.get("MaxRingTimeoutSecond") {
                    task["MaxRingTimeoutSecond"] = v.clone();
                }
                d.tasks.insert((app, id), task);
                Ok(json!({"TaskId": id}))
            }
            "DescribeAutoCalloutTask" => {
                let id = int(p, "TaskId");
                match d.tasks.get(&(app, id)) {
                    Some(t) => {
                        let mut out = t.clone();
                        if let Some(o) = out.as_object_mut() {
                            o.remove("TaskId");
                        }
                        Ok(out)
                    }
                    None => Err(not_found("task", id)),
                }
            }
            "DescribeAutoCalloutTasks" => {
                let all: Vec<Value> = d
                    .tasks
                    .range((app, i64::MIN)..=(app, i64::MAX))
                    .map(|(_, t)| {
                        json!({
                            "TaskId": t["TaskId"], "Name": t["Name"], "CalleeCount": t["Callees"].as_array().map_or(0, Vec::len),
                            "Callers": t["Callers"], "NotBefore": t["NotBefore"], "NotAfter": t["NotAfter"],
                            "IvrId": t["IvrId"], "State": t["State"],
                        })
                    })
                    .collect();
                let total = all.len();
                Ok(
                    json!({"TotalCount": total, "Tasks": page(all, int(p, "PageNumber"), int(p, "PageSize"))}),
                )
            }
            "PauseAutoCalloutTask" | "ResumeAutoCalloutTask" | "StopAutoCalloutTask" => {
                let id = int(p, "TaskId");
                let Some(t) = d.tasks.get_mut(&(app, id)) else {
                    return Some(Err(not_found("task", id)));
                };
                let state = int(t, "State");
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
                if !allowed.contains(&state) {
                    return Some(Err(bad_state("task", id, state, verb)));
                }
                t["State"] = json!(next);
                Ok(json!({}))
            }
            "CreatePredictiveDialingCampaign" => {
                d.next_id += 1;
                let id = d.next_id;
                let start = int(p, "StartTime");
                let status = if start <= now() {
                    CAMPAIGN_RUNNING
                } else {
                    CAMPAIGN_NOT_STARTED
                };
                let mut c = p.clone();
                if let Some(o) = c.as_object_mut() {
                    o.remove("SdkAppId");
                    o.insert("CampaignId".into(), json!(id));
                    o.insert("Status".into(), json!(status));
                    o.insert("StatusReason".into(), json!(0));
                }
                d.campaigns.insert((app, id), c);
                Ok(json!({"CampaignId": id}))
            }
            "DescribePredictiveDialingCampaign" => {
                let id = int(p, "CampaignId");
                match d.campaigns.get(&(app, id)) {
                    Some(c) => {
                        let mut out = c.clone();
                        if let Some(o) = out.as_object_mut() {
                            o.remove("Callees");
                            o.remove("Callers");
                        }
                        Ok(out)
                    }
                    None => Err(not_found("campaign", id)),
                }
            }
            "DescribePredictiveDialingCampaigns" => {
                let all: Vec<Value> = d
                    .campaigns
                    .range((app, i64::MIN)..=(app, i64::MAX))
                    .map(|(_, c)| c)
                    .filter(|c| p.get("CampaignId").is_none_or(|id| c["CampaignId"] == *id))
                    .filter(|c| p.get("Name").is_none_or(|n| c["Name"] == *n))
                    .map(|c| {
                        json!({
                            "CampaignId": c["CampaignId"], "Name": c["Name"], "Status": c["Status"],
                            "StatusReason": c["StatusReason"], "CalleeCount": c["Callees"].as_array().map_or(0, Vec::len),
                            "FinishedCalleeCount": 0, "Priority": c["Priority"], "SkillGroupId": c["SkillGroupId"],
                        })
                    })
                    .collect();
                let total = all.len();
                Ok(
                    json!({"TotalCount": total, "CampaignList": page(all, int(p, "PageNumber"), int(p, "PageSize"))}),
                )
            }
            "PausePredictiveDialingCampaign"
            | "ResumePredictiveDialingCampaign"
            | "AbortPredictiveDialingCampaign" => {
                let id = int(p, "CampaignId");
                let Some(c) = d.campaigns.get_mut(&(app, id)) else {
                    return Some(Err(not_found("campaign", id)));
                };
                let status = int(c, "Status");
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
                if !allowed.contains(&status) {
                    return Some(Err(bad_state("campaign", id, status, verb)));
                }
                c["Status"] = json!(next);
                Ok(json!({}))
            }
            "DeletePredictiveDialingCampaign" => {
                let id = int(p, "CampaignId");
                match d.campaigns.remove(&(app, id)) {
                    Some(_) => Ok(json!({})),
                    None => Err(not_found("campaign", id)),
                }
            }
            "CreateStaff" => {
                let mut errors = Vec::new();
                for s in p
                    .get("Staffs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let mail = text(s, "Mail");
                    if d.staff.contains_key(&(app, mail.clone())) {
                        errors.push(json!({"StaffEmail": mail, "Code": "FailedOperation.DuplicatedAccount", "Message": "the account already exists"}));
                        continue;
                    }
                    let staff = json!({
                        "Name": s["Name"], "Mail": mail, "StaffNumber": s["StaffNumber"],
                        "Phone": s.get("Phone").cloned().unwrap_or(json!("")), "Nick": s.get("Nick").cloned().unwrap_or(json!("")),
                        "SkillGroupList": [], "LastModifyTimestamp": now(),
                    });
                    d.staff.insert((app, mail), staff);
                }
                Ok(json!({"ErrorStaffList": errors}))
            }
            "DescribeStaffInfoList" => {
                let group = p.get("SkillGroupId").and_then(Value::as_i64);
                let all: Vec<Value> = d
                    .staff
                    .range((app, String::new())..)
                    .take_while(|((a, _), _)| *a == app)
                    .map(|(_, s)| s)
                    .filter(|s| p.get("StaffMail").is_none_or(|m| s["Mail"] == *m))
                    .filter(|s| {
                        group.is_none_or(|g| {
                            s["SkillGroupList"]
                                .as_array()
                                .is_some_and(|l| l.iter().any(|i| i["SkillGroupId"] == g))
                        })
                    })
                    .cloned()
                    .collect();
                let total = all.len();
                Ok(
                    json!({"TotalCount": total, "StaffList": page(all, int(p, "PageNumber"), int(p, "PageSize"))}),
                )
            }
            "DeleteStaff" => {
                for mail in strings(p, "StaffList") {
                    if d.staff.remove(&(app, mail.clone())).is_none() {
                        return Some(Err(not_found("staff", mail)));
                    }
                }
                Ok(json!({"OnlineStaffList": []}))
            }
            "CreateCCCSkillGroup" => {
                d.next_id += 1;
                let id = d.next_id;
                let group = json!({
                    "SkillGroupId": id, "SkillGroupName": text(p, "SkillGroupName"), "Type": "TEL",
                    "SkillGroupType": int(p, "SkillGroupType"), "MaxConcurrency": int(p, "MaxConcurrency"),
                    "LastModifyTimestamp": now(), "RoutePolicy": "", "UsingLastSeat": 0, "Alias": "", "RingAll": false,
                });
                d.skill_groups.insert((app, id), group);
                Ok(json!({"SkillGroupId": id}))
            }
            "DescribeSkillGroupInfoList" => {
                let all: Vec<Value> = d
                    .skill_groups
                    .range((app, i64::MIN)..=(app, i64::MAX))
                    .map(|(_, g)| g)
                    .filter(|g| {
                        p.get("SkillGroupId")
                            .is_none_or(|id| g["SkillGroupId"] == *id)
                    })
                    .filter(|g| {
                        p.get("SkillGroupName")
                            .is_none_or(|n| g["SkillGroupName"] == *n)
                    })
                    .cloned()
                    .collect();
                let total = all.len();
                Ok(
                    json!({"TotalCount": total, "SkillGroupList": page(all, int(p, "PageNumber"), int(p, "PageSize"))}),
                )
            }
            "DeleteCCCSkillGroup" => {
                let id = int(p, "SkillGroupId");
                if d.skill_groups.remove(&(app, id)).is_none() {
                    return Some(Err(not_found("skill group", id)));
                }
                for ((a, _), s) in d.staff.iter_mut() {
                    if *a == app {
                        if let Some(list) = s["SkillGroupList"].as_array_mut() {
                            list.retain(|i| i["SkillGroupId"] != id);
                        }
                    }
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
                    .map(|i| {
                        (
                            int(i, "SkillGroupId"),
                            i.get("Priority").and_then(Value::as_i64).unwrap_or(1),
                        )
                    })
                    .collect();
                ids.extend(
                    p.get("SkillGroupList")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_i64)
                        .map(|i| (i, 1)),
                );
                for (id, _) in &ids {
                    if !d.skill_groups.contains_key(&(app, *id)) {
                        return Some(Err(not_found("skill group", id)));
                    }
                }
                let names: BTreeMap<i64, Value> = ids
                    .iter()
                    .map(|(id, _)| (*id, d.skill_groups[&(app, *id)]["SkillGroupName"].clone()))
                    .collect();
                let Some(s) = d.staff.get_mut(&(app, mail.clone())) else {
                    return Some(Err((
                        "InvalidParameterValue.InstanceNotExist",
                        format!("staff {mail} does not exist"),
                    )));
                };
                let Some(list) = s["SkillGroupList"].as_array_mut() else {
                    return Some(Ok(json!({})));
                };
                for (id, priority) in ids {
                    list.retain(|i| i["SkillGroupId"] != id);
                    if action == "BindStaffSkillGroupList" {
                        list.push(json!({"SkillGroupId": id, "SkillGroupName": names[&id], "Priority": priority, "Type": "TEL"}));
                    }
                }
                Ok(json!({}))
            }
            "DescribeNumbers" => {
                let all: Vec<Value> = d.numbers(app).into_iter().map(|n| n.clone()).collect();
                Ok(
                    json!({"TotalCount": all.len(), "Numbers": page(all, int(p, "PageNumber"), int(p, "PageSize"))}),
                )
            }
            "BindNumberCallOutSkillGroup" | "UnbindNumberCallOutSkillGroup" => {
                let number = text(p, "Number");
                let ids: Vec<u64> = p
                    .get("SkillGroupIds")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_u64)
                    .collect();
                let bind = action == "BindNumberCallOutSkillGroup";
                let Some(n) = d
                    .numbers(app)
                    .into_iter()
                    .find(|n| n["Number"] == number.as_str())
                else {
                    return Some(Err(not_found("number", number)));
                };
                if let Some(list) = n["CallOutSkillGroupIds"].as_array_mut() {
                    list.retain(|v| !ids.contains(&v.as_u64().unwrap_or(0)));
                    if bind {
                        list.extend(ids.iter().map(|i| json!(i)));
                    }
                }
                Ok(json!({}))
            }
            "DescribeTelCdr" => {
                let (from, to) = (int(p, "StartTimeStamp"), int(p, "EndTimeStamp"));
                let all: Vec<Value> = (0..25i64)
                    .map(|i| {
                        let start = from + i * ((to - from).max(25) / 25);
                        json!({
                            "Caller": "008675500000001", "Callee": format!("0086139000000{i:02}"), "Time": start,
                            "Direction": i % 2, "Duration": 30 + i, "RecordURL": "", "SessionId": format!("session-{i}"),
                            "CallType": 1, "EndStatus": 1, "StartTimestamp": start, "EndedTimestamp": start + 30 + i,
                        })
                    })
                    .collect();
                let total = all.len();
                let items = page(all, int(p, "PageNumber"), int(p, "PageSize"));
                Ok(json!({"TotalCount": total, "TelCdrs": items, "TelCdrList": items}))
            }
            _ => return None,
        })
    }
}
