//! The calls tasks and campaigns place, and what is computed from them:
//! `DescribeTelCdr`, `DescribeProtectedTelCdr` (call records),
//! `DescribeTelCallInfo` (minutes used) and `DescribeCallInMetrics` (inbound
//! statistics; the emulator places no inbound calls, so they are zero).

use super::{bad, built, App, Cx, Page, DAY};
use crate::sim::{Call, Dice, Owner};
use crate::validate::Refusal;
use ccc_api::operation::{
    describe_call_in_metrics::{DescribeCallInMetricsRequest, DescribeCallInMetricsResponse},
    describe_protected_tel_cdr::{DescribeProtectedTelCdrRequest, DescribeProtectedTelCdrResponse},
    describe_tel_call_info::{DescribeTelCallInfoRequest, DescribeTelCallInfoResponse},
    describe_tel_cdr::{DescribeTelCdrRequest, DescribeTelCdrResponse},
};
use ccc_api::types::{
    CallInMetrics, CallInNumberMetrics, CallInSkillGroupMetrics, TelCdrInfo, TelCdrInfoCallType,
    TelCdrInfoDirection, TelCdrInfoEndStatus, TelCdrInfoEndStatusString,
};

/// The id of the session of one call: `emulator-task-ID-CALLEE` for a first
/// attempt, `…-CALLEE-ATTEMPT` for a retry.
pub(super) fn session_id(owner: Owner, call: &Call) -> String {
    let (kind, id) = match owner {
        Owner::Task(id) => ("task", id),
        Owner::Campaign(id) => ("campaign", id),
    };
    match call.attempt {
        0 => format!("emulator-{kind}-{id}-{}", call.index),
        n => format!("emulator-{kind}-{id}-{}-{n}", call.index),
    }
}

/// The call a session id names, if the application placed it by `now`.
pub(super) fn find(app: &App, session: &str, now: i64, dice: &Dice) -> Option<Call> {
    let rest = session.strip_prefix("emulator-")?;
    let (kind, rest) = rest.split_once('-')?;
    let mut parts = rest.split('-').map(str::parse::<u64>);
    let id = parts.next()?.ok()?;
    let index = usize::try_from(parts.next()?.ok()?).ok()?;
    let attempt = parts.next().map_or(Some(0), Result::ok)?;
    let (dialer, dice, owner) = match kind {
        "task" => {
            let t = app.tasks.get(&id)?;
            (&t.dialer, t.dice(dice), Owner::Task(id))
        }
        "campaign" => (&app.campaigns.get(&id)?.dialer, *dice, Owner::Campaign(id)),
        _ => return None,
    };
    let call = dialer
        .attempts(index, now, &dice, owner)
        .find(|c| u64::from(c.attempt) == attempt)?;
    (session_id(owner, &call) == session).then_some(call)
}

/// One call of an application, with what its record shows.
struct Record<'a> {
    call: Call,
    owner: Owner,
    caller: &'a str,
    callee: &'a str,
    skill_group: Option<u64>,
}

/// Every call the application placed by `now`, ended or not, oldest first.
fn records<'a>(app: &'a App, now: i64, dice: &Dice) -> Vec<Record<'a>> {
    let mut out = Vec::new();
    for (id, t) in &app.tasks {
        let (owner, dice) = (Owner::Task(*id), t.dice(dice));
        for i in 0..t.dialer.dialed(now) {
            for call in t.dialer.attempts(i, now, &dice, owner) {
                out.push(Record {
                    call,
                    owner,
                    caller: t.callers.get(i % t.callers.len().max(1)),
                    callee: t.callees.get(i),
                    skill_group: None,
                });
            }
        }
    }
    for (id, c) in &app.campaigns {
        let owner = Owner::Campaign(*id);
        for i in 0..c.dialer.dialed(now) {
            for call in c.dialer.attempts(i, now, dice, owner) {
                out.push(Record {
                    call,
                    owner,
                    caller: c.callers.get(i % c.callers.len().max(1)),
                    callee: c.callees.get(i),
                    skill_group: Some(c.skill_group_id),
                });
            }
        }
    }
    out.sort_by_key(|r| r.call.dialed);
    out
}

fn cdr(app: &App, r: &Record) -> TelCdrInfo {
    let answered = r.call.answered.is_some();
    let (status, text) = if answered {
        (TelCdrInfoEndStatus::Ok, TelCdrInfoEndStatusString::Ok)
    } else {
        (
            TelCdrInfoEndStatus::NotAnswer,
            TelCdrInfoEndStatusString::NotAnswer,
        )
    };
    TelCdrInfo::builder()
        .caller(r.caller)
        .callee(r.callee)
        .time(r.call.dialed)
        .direction(TelCdrInfoDirection::Outbound)
        .call_type(match r.owner {
            Owner::Task(_) => TelCdrInfoCallType::Outbound,
            Owner::Campaign(_) => TelCdrInfoCallType::PredictiveDialing,
        })
        .duration(r.call.duration())
        .record_url("")
        .record_id("")
        .end_status(status)
        .end_status_string(text)
        .skill_group(
            r.skill_group
                .map_or("", |g| super::skill_groups::name(app, g)),
        )
        .skill_group_id(r.skill_group.unwrap_or(0))
        .caller_location("")
        .ivr_duration(0)
        .ring_timestamp(r.call.dialed)
        .accept_timestamp(r.call.answered.unwrap_or(0))
        .ended_timestamp(r.call.ended)
        .ivr_key_pressed(Vec::<String>::new())
        .ivr_key_pressed_ex(Vec::new())
        .serve_participants(Vec::new())
        .start_timestamp(r.call.dialed)
        .session_id(session_id(r.owner, &r.call))
        .build()
}

/// A page of the records of calls dialed in `[from, to]` that have ended,
/// filtered by phone numbers and session ids when given.
fn page_of_records(
    cx: &Cx,
    app: u64,
    (from, to): (i64, i64),
    page: Page,
    phones: &[String],
    sessions: &[String],
) -> (u64, Vec<TelCdrInfo>) {
    let app = cx.app(app);
    let all = records(app, cx.now, cx.dice);
    let matching = all.iter().filter(|r| {
        r.call.ended <= cx.now
            && (from..=to).contains(&r.call.dialed)
            && (phones.is_empty() || phones.iter().any(|n| n == r.caller || n == r.callee))
            && (sessions.is_empty() || sessions.contains(&session_id(r.owner, &r.call)))
    });
    let (total, items) = page.cut(matching);
    (total, items.into_iter().map(|r| cdr(app, r)).collect())
}

pub(super) fn tel_cdr(
    cx: &mut Cx,
    r: DescribeTelCdrRequest,
) -> Result<DescribeTelCdrResponse, Refusal> {
    let (from, to) = (r.start_time_stamp, r.end_time_stamp);
    // `StartTimeStamp`: "at most 180 days in the past".
    if from < cx.now.saturating_sub(180 * DAY) {
        return Err(bad(format!(
            "StartTimeStamp {from} is more than 180 days before now ({}); the docs allow at most 180 days in the past",
            cx.now
        )));
    }
    // `EndTimeStamp`: "must be less than 90 days after the start".
    if to < from {
        return Err(bad(format!(
            "EndTimeStamp {to} is before StartTimeStamp {from}; it must lie after the start"
        )));
    }
    if to.saturating_sub(from) >= 90 * DAY {
        return Err(bad(format!(
            "EndTimeStamp {to} is {} seconds after StartTimeStamp {from}; the docs require less than 90 days ({} seconds)",
            to.saturating_sub(from),
            90 * DAY
        )));
    }
    // `PageSize`: "up to 100".
    let page = Page::of(r.page_number, r.page_size, 100)?;
    let phones = r.phones.unwrap_or_default();
    let sessions = r.session_ids.unwrap_or_default();
    let (total, items) = page_of_records(cx, r.sdk_app_id, (from, to), page, &phones, &sessions);
    // `TelCdrs` is deprecated in favour of `TelCdrList`, but still promised
    // in every answer: both carry the records.
    #[allow(deprecated)]
    Ok(DescribeTelCdrResponse::builder()
        .total_count(total)
        .tel_cdrs(items.clone())
        .tel_cdr_list(items)
        .build())
}

pub(super) fn protected_tel_cdr(
    cx: &mut Cx,
    r: DescribeProtectedTelCdrRequest,
) -> Result<DescribeProtectedTelCdrResponse, Refusal> {
    // Its members document no window rule: a reversed window is merely empty.
    // `PageSize`: "at most 100".
    let page = Page::of(r.page_number, r.page_size, 100)?;
    let window = (r.start_time_stamp, r.end_time_stamp);
    let (total, items) = page_of_records(cx, r.sdk_app_id, window, page, &[], &[]);
    // `TelCdrs` is deprecated in favour of `TelCdrList`, but still promised
    // in every answer: both carry the records.
    #[allow(deprecated)]
    Ok(DescribeProtectedTelCdrResponse::builder()
        .total_count(total)
        .tel_cdrs(items.clone())
        .tel_cdr_list(items)
        .build())
}

pub(super) fn tel_call_info(
    cx: &mut Cx,
    r: DescribeTelCallInfoRequest,
) -> Result<DescribeTelCallInfoResponse, Refusal> {
    // `EndTimeStamp`: "the range may span at most 90 days".
    let (from, to) = (r.start_time_stamp, r.end_time_stamp);
    if to < from {
        return Err(bad(format!(
            "EndTimeStamp {to} is before StartTimeStamp {from}"
        )));
    }
    if to.saturating_sub(from) > 90 * DAY {
        return Err(bad(format!(
            "the range from StartTimeStamp {from} to EndTimeStamp {to} spans more than 90 days"
        )));
    }
    let (mut minutes, mut seats) = (0i64, 0usize);
    // "With several ids the values are summed."
    for id in r.sdk_app_id_list {
        let Some(app) = u64::try_from(id).ok().and_then(|id| cx.data.apps.get(&id)) else {
            continue;
        };
        seats += app.staff.len();
        minutes += records(app, cx.now, cx.dice)
            .iter()
            .filter(|r| r.call.ended <= cx.now && (from..=to).contains(&r.call.ended))
            .map(|r| (r.call.duration() + 59) / 60)
            .sum::<i64>();
    }
    Ok(DescribeTelCallInfoResponse::builder()
        .tel_call_out_count(minutes)
        .tel_call_in_count(0)
        .seat_used_count(seats as i64)
        .voip_call_in_count(0)
        .asr_offline_count(0)
        .asr_realtime_count(0)
        .build())
}

pub(super) fn call_in_metrics(
    cx: &mut Cx,
    r: DescribeCallInMetricsRequest,
) -> Result<DescribeCallInMetricsResponse, Refusal> {
    let zero = || {
        CallInMetrics::builder()
            .ivr_count(0)
            .queue_count(0)
            .ring_count(0)
            .accept_count(0)
            .transfer_outer_count(0)
            .max_queue_duration(0)
            .avg_queue_duration(0)
            .max_ring_duration(0)
            .avg_ring_duration(0)
            .max_accept_duration(0)
            .avg_accept_duration(0)
            .build()
    };
    let app = cx.app(r.sdk_app_id);
    // `GroupIdList`: "skill group ids to restrict the results to".
    let wanted = r.group_id_list.unwrap_or_default();
    let groups = app
        .skill_groups
        .iter()
        .filter(|(id, _)| {
            wanted.is_empty() || wanted.iter().any(|w| u64::try_from(*w).ok() == Some(**id))
        })
        .map(|(id, g)| {
            built(
                CallInSkillGroupMetrics::builder()
                    .skill_group_id(*id)
                    .name(&*g.name)
                    .metrics(zero())
                    .build(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    // `EnabledSkillGroup`: "defaults to `true`"; `EnabledNumber`: "defaults
    // to `false`".
    let numbers = r.enabled_number.unwrap_or(false).then(|| {
        app.numbers
            .iter()
            .map(|n| {
                CallInNumberMetrics::builder()
                    .number(&*n.number)
                    .metrics(zero())
                    .skill_group_metrics(groups.clone())
                    .build()
            })
            .collect::<Vec<_>>()
    });
    let groups = r.enabled_skill_group.unwrap_or(true).then_some(groups);
    Ok(DescribeCallInMetricsResponse::builder()
        .timestamp(cx.now)
        .total_metrics(zero())
        .set_number_metrics(numbers)
        .set_skill_group_metrics(groups)
        .build())
}
