//! Automatic outbound call tasks: `CreateAutoCalloutTask`, `DescribeAutoCalloutTask(s)`,
//! `Pause`/`Resume`/`StopAutoCalloutTask`. A task dials its callees over
//! simulated time ([`crate::sim::Dialer`]), retrying unanswered ones as its
//! `Tries` and `RetryInterval` say.

use super::calls::session_id;
use super::texts::Texts;
use super::{bad, bad_state, built, in_range, not_found, App, Cost, Cx, Page, DAY};
use crate::sim::{Change, Dialer, Dice, Hold, Owner, Progress, Refused, Retry};
use crate::validate::Refusal;
use ccc_api::enums::WireEnum;
use ccc_api::operation::{
    create_auto_callout_task::{CreateAutoCalloutTaskRequest, CreateAutoCalloutTaskResponse},
    describe_auto_callout_task::{DescribeAutoCalloutTaskRequest, DescribeAutoCalloutTaskResponse},
    describe_auto_callout_tasks::{
        DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse,
    },
    pause_auto_callout_task::{PauseAutoCalloutTaskRequest, PauseAutoCalloutTaskResponse},
    resume_auto_callout_task::{ResumeAutoCalloutTaskRequest, ResumeAutoCalloutTaskResponse},
    stop_auto_callout_task::{StopAutoCalloutTaskRequest, StopAutoCalloutTaskResponse},
};
use ccc_api::types::{
    AutoCalloutTaskCalleeInfo, AutoCalloutTaskCalleeState, AutoCalloutTaskInfo,
    AutoCalloutTaskInfoState, AutoCalloutTaskState,
};
use std::mem::size_of;

/// `CreateAutoCalloutTask` `RetryInterval`: "Interval between retries of
/// failed calls, in seconds, 600-86400"; the least when not given.
const RETRY_INTERVAL: (i64, i64) = (600, DAY);
/// `CreateAutoCalloutTask` `Tries`: "Maximum number of attempts per number,
/// 1-3"; one attempt when not given.
const TRIES: (u64, u64) = (1, 3);

pub(crate) struct Task {
    name: Box<str>,
    description: Box<str>,
    not_before: i64,
    not_after: Option<i64>,
    pub(super) callers: Texts,
    pub(super) callees: Texts,
    ivr_id: Option<u64>,
    pub(super) max_ring_timeout: Option<i64>,
    pub(super) dialer: Dialer,
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

impl Task {
    /// The dice of this task's calls: its ring timeout, if it sets one.
    pub(super) fn dice(&self, dice: &Dice) -> Dice {
        Dice {
            ring_timeout: self.max_ring_timeout,
            ..*dice
        }
    }

    /// The task's state at `now`, as `AutoCalloutTaskState` documents it.
    fn state(&self, id: u64, now: i64, dice: &Dice) -> AutoCalloutTaskState {
        let dice = self.dice(dice);
        match self.dialer.hold {
            Hold::Stopped => AutoCalloutTaskState::Terminated,
            Hold::Paused => AutoCalloutTaskState::Suspended,
            Hold::None if now < self.dialer.start() => AutoCalloutTaskState::Initial,
            Hold::None if self.dialer.done(now, &dice, Owner::Task(id)) => {
                if self.dialer.dialed(now) < self.dialer.count {
                    // Its NotAfter came before every callee was dialed.
                    AutoCalloutTaskState::Terminated
                } else {
                    AutoCalloutTaskState::Completed
                }
            }
            Hold::None => AutoCalloutTaskState::Running,
        }
    }
}

/// What a new task holds, from a request or a seed.
pub(super) struct NewTask<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub not_before: i64,
    pub not_after: Option<i64>,
    pub callers: &'a [String],
    pub callees: &'a [String],
    pub ivr_id: Option<u64>,
    pub ai_agent_id: Option<u64>,
    pub max_ring_timeout: Option<i64>,
    pub tries: Option<u64>,
    pub retry_interval: Option<i64>,
}

/// Checks a new task as `CreateAutoCalloutTask` documents it and stores it
/// under `id`.
pub(super) fn insert(app: &mut App, id: u64, t: NewTask, now: i64) -> Result<(), Refusal> {
    // `IvrId`: "required if `AIAgentId` is not set" (and the other way round).
    if t.ivr_id.is_none() && t.ai_agent_id.is_none() {
        return Err(bad("a task needs IvrId or AIAgentId".into()));
    }
    in_range("Tries", t.tries, TRIES.0, TRIES.1)?;
    in_range(
        "RetryInterval",
        t.retry_interval,
        RETRY_INTERVAL.0,
        RETRY_INTERVAL.1,
    )?;
    // `MaxRingTimeoutSecond`: "maximum ringing time in seconds".
    if let Some(ring) = t.max_ring_timeout.filter(|r| *r < 1) {
        return Err(bad(format!(
            "MaxRingTimeoutSecond is {ring}; a ringing time is at least 1 second"
        )));
    }
    // `Callees`: "numbers to call"; `Callers`: "caller numbers to use", which
    // must be numbers of the application.
    if t.callees.is_empty() {
        return Err(bad("Callees is empty".into()));
    }
    if t.callers.is_empty() {
        return Err(bad("Callers is empty".into()));
    }
    super::numbers::check_callers(app, t.callers)?;
    // `NotAfter`: "when the task stops", so after it starts (`NotBefore`).
    if let Some(after) = t.not_after.filter(|after| *after <= t.not_before) {
        return Err(bad(format!(
            "NotAfter {after} is not after NotBefore {}",
            t.not_before
        )));
    }
    let retry = Retry {
        tries: u32::try_from(t.tries.unwrap_or(TRIES.0)).unwrap_or(1),
        interval: t.retry_interval.unwrap_or(RETRY_INTERVAL.0),
    };
    let task = Task {
        dialer: Dialer::new(t.callees.len(), t.not_before.max(now), t.not_after, retry),
        name: t.name.into(),
        description: t.description.into(),
        not_before: t.not_before,
        not_after: t.not_after,
        callers: Texts::of(t.callers),
        callees: Texts::of(t.callees),
        ivr_id: t.ivr_id,
        max_ring_timeout: t.max_ring_timeout,
    };
    let cost = task.cost();
    app.room(app.tasks.len(), cost, "LimitExceeded")?;
    app.bytes += cost;
    app.tasks.insert(id, task);
    Ok(())
}

pub(super) fn create(
    cx: &mut Cx,
    r: CreateAutoCalloutTaskRequest,
) -> Result<CreateAutoCalloutTaskResponse, Refusal> {
    let new = NewTask {
        name: r.name.as_deref().unwrap_or_default(),
        description: r.description.as_deref().unwrap_or_default(),
        not_before: r.not_before,
        not_after: r.not_after,
        callers: &r.callers,
        callees: &r.callees,
        ivr_id: r.ivr_id,
        ai_agent_id: r.ai_agent_id,
        max_ring_timeout: r.max_ring_timeout_second,
        tries: r.tries,
        retry_interval: r.retry_interval,
    };
    let id = cx.data.next_id.saturating_add(1);
    insert(
        cx.data.app_mut(r.sdk_app_id, "LimitExceeded")?,
        id,
        new,
        cx.now,
    )?;
    cx.data.next_id();
    Ok(CreateAutoCalloutTaskResponse::builder().task_id(id).build())
}

pub(super) fn describe(
    cx: &mut Cx,
    r: DescribeAutoCalloutTaskRequest,
) -> Result<DescribeAutoCalloutTaskResponse, Refusal> {
    let id = r.task_id;
    let t = cx
        .app(r.sdk_app_id)
        .tasks
        .get(&id)
        .ok_or_else(|| not_found("task", id))?;
    let (now, owner) = (cx.now, Owner::Task(id));
    let dice = t.dice(cx.dice);
    let callees = t
        .callees
        .iter()
        .enumerate()
        .map(|(i, callee)| {
            let state = match t.dialer.progress(i, now, &dice, owner) {
                Progress::Waiting => AutoCalloutTaskCalleeState::Initial,
                Progress::Calling => AutoCalloutTaskCalleeState::Calling,
                Progress::Answered => AutoCalloutTaskCalleeState::Answered,
                Progress::PendingRetry => AutoCalloutTaskCalleeState::PendingRetry,
                Progress::Unanswered => AutoCalloutTaskCalleeState::Unanswered,
            };
            let sessions = t
                .dialer
                .attempts(i, now, &dice, owner)
                .map(|call| session_id(owner, &call));
            built(
                AutoCalloutTaskCalleeInfo::builder()
                    .callee(callee)
                    .state(state)
                    .sessions(sessions)
                    .build(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DescribeAutoCalloutTaskResponse::builder()
        .name(&*t.name)
        .description(&*t.description)
        .not_before(t.not_before)
        .set_not_after(t.not_after)
        .callers(t.callers.iter())
        .callees(callees)
        .ivr_id(t.ivr_id.unwrap_or(0))
        .state(t.state(id, now, cx.dice))
        .set_max_ring_timeout_second(t.max_ring_timeout)
        .build())
}

pub(super) fn list(
    cx: &mut Cx,
    r: DescribeAutoCalloutTasksRequest,
) -> Result<DescribeAutoCalloutTasksResponse, Refusal> {
    // `PageSize`: "up to 100".
    let page = Page::of(r.page_number, r.page_size, 100)?;
    let (now, dice) = (cx.now, cx.dice);
    let (total, tasks) = page.cut(cx.app(r.sdk_app_id).tasks.iter());
    let tasks = tasks.into_iter().map(|(id, t)| {
        AutoCalloutTaskInfo::builder()
            .task_id(*id)
            .name(&*t.name)
            .callee_count(t.callees.len() as u64)
            .callers(t.callers.iter())
            .not_before(t.not_before)
            .set_not_after(t.not_after)
            .ivr_id(t.ivr_id.unwrap_or(0))
            .state(AutoCalloutTaskInfoState::from_raw(
                t.state(*id, now, dice).value(),
            ))
            .set_max_ring_timeout_second(t.max_ring_timeout)
            .build()
    });
    Ok(DescribeAutoCalloutTasksResponse::builder()
        .total_count(total)
        .tasks(tasks)
        .build())
}

/// Pauses, resumes or stops a task ([`Dialer::apply`]).
fn change(cx: &mut Cx, app: u64, id: u64, change: Change) -> Result<(), Refusal> {
    let (now, dice) = (cx.now, cx.dice);
    let t = cx
        .data
        .apps
        .get_mut(&app)
        .and_then(|a| a.tasks.get_mut(&id))
        .ok_or_else(|| not_found("task", id))?;
    let state = t.state(id, now, dice);
    let dice = t.dice(dice);
    match t.dialer.apply(change, now, &dice, Owner::Task(id)) {
        Ok(()) => Ok(()),
        Err(Refused::Settled) => Err(bad_state("task", id, state, change.done())),
        Err(Refused::TooManyResumes) => Err((
            "LimitExceeded",
            format!("task {id} has been resumed too often"),
        )),
    }
}

pub(super) fn pause(
    cx: &mut Cx,
    r: PauseAutoCalloutTaskRequest,
) -> Result<PauseAutoCalloutTaskResponse, Refusal> {
    change(cx, r.sdk_app_id, r.task_id, Change::Pause)?;
    Ok(PauseAutoCalloutTaskResponse::builder().build())
}

pub(super) fn resume(
    cx: &mut Cx,
    r: ResumeAutoCalloutTaskRequest,
) -> Result<ResumeAutoCalloutTaskResponse, Refusal> {
    change(cx, r.sdk_app_id, r.task_id, Change::Resume)?;
    Ok(ResumeAutoCalloutTaskResponse::builder().build())
}

pub(super) fn stop(
    cx: &mut Cx,
    r: StopAutoCalloutTaskRequest,
) -> Result<StopAutoCalloutTaskResponse, Refusal> {
    change(cx, r.sdk_app_id, r.task_id, Change::Stop)?;
    Ok(StopAutoCalloutTaskResponse::builder().build())
}
