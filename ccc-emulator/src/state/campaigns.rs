//! Predictive dialing campaigns: `Create`/`Update`/`Describe`/`Pause`/`Resume`/
//! `Abort`/`DeletePredictiveDialingCampaign`, `DescribePredictiveDialingCampaigns`
//! and `DescribePredictiveDialingSessions`. A campaign dials its callees over
//! simulated time between its `StartTime` and `EndTime`, retrying unanswered
//! ones `RetryTimes` times, `RetryInterval` seconds apart.

use super::calls::session_id;
use super::texts::Texts;
use super::{bad, bad_state, built, in_range, not_found, App, Cost, Cx, Page, DAY};
use crate::sim::{Change, Dialer, Dice, Hold, Owner, Progress, Refused, Retry};
use crate::validate::Refusal;
use ccc_api::enums::WireEnum;
use ccc_api::operation::{
    abort_predictive_dialing_campaign::{
        AbortPredictiveDialingCampaignRequest, AbortPredictiveDialingCampaignResponse,
    },
    create_predictive_dialing_campaign::{
        CreatePredictiveDialingCampaignRequest, CreatePredictiveDialingCampaignResponse,
    },
    delete_predictive_dialing_campaign::{
        DeletePredictiveDialingCampaignRequest, DeletePredictiveDialingCampaignResponse,
    },
    describe_predictive_dialing_campaign::{
        DescribePredictiveDialingCampaignRequest, DescribePredictiveDialingCampaignResponse,
    },
    describe_predictive_dialing_campaigns::{
        DescribePredictiveDialingCampaignsRequest, DescribePredictiveDialingCampaignsResponse,
    },
    describe_predictive_dialing_sessions::{
        DescribePredictiveDialingSessionsRequest, DescribePredictiveDialingSessionsResponse,
    },
    pause_predictive_dialing_campaign::{
        PausePredictiveDialingCampaignRequest, PausePredictiveDialingCampaignResponse,
    },
    resume_predictive_dialing_campaign::{
        ResumePredictiveDialingCampaignRequest, ResumePredictiveDialingCampaignResponse,
    },
    update_predictive_dialing_campaign::{
        UpdatePredictiveDialingCampaignRequest, UpdatePredictiveDialingCampaignResponse,
    },
};
use ccc_api::types::{
    DescribePredictiveDialingCampaignCallOrder as CallOrder,
    DescribePredictiveDialingCampaignStatus as Status,
    DescribePredictiveDialingCampaignStatusReason as StatusReason,
    DescribePredictiveDialingCampaignsElement as Element,
    DescribePredictiveDialingCampaignsElementStatus as ElementStatus,
    DescribePredictiveDialingCampaignsElementStatusReason as ElementStatusReason, Variable,
};
use std::mem::size_of;

pub(crate) struct Campaign {
    name: Box<str>,
    call_order: i64,
    pub(super) skill_group_id: u64,
    ivr_id: Option<u64>,
    priority: i64,
    expected_abandon_rate: i64,
    retry_times: Option<i64>,
    retry_interval: i64,
    start_time: i64,
    end_time: i64,
    /// `Variables` as pairs, shown again by the describe action.
    variables: Option<Vec<(Box<str>, Box<str>)>>,
    uui: Option<Box<str>>,
    pub(super) callers: Texts,
    pub(super) callees: Texts,
    pub(super) dialer: Dialer,
}

impl Cost for Campaign {
    fn cost(&self) -> usize {
        size_of::<Self>()
            + self.name.len()
            + self
                .variables
                .iter()
                .flatten()
                .map(|(k, v)| k.len() + v.len() + size_of::<(Box<str>, Box<str>)>())
                .sum::<usize>()
            + self.uui.as_ref().map_or(0, |v| v.len())
            + self.callers.heap_bytes()
            + self.callees.heap_bytes()
            + self.dialer.heap_bytes()
    }
}

impl Campaign {
    /// The status at `now`, as `DescribePredictiveDialingCampaign` `Status`
    /// documents it.
    fn status(&self, id: u64, now: i64, dice: &Dice) -> Status {
        match self.dialer.hold {
            Hold::Stopped => Status::Stopped,
            Hold::Paused => Status::Paused,
            Hold::None if now < self.dialer.start() => Status::NotStarted,
            Hold::None if self.dialer.done(now, dice, Owner::Campaign(id)) => Status::Completed,
            Hold::None => Status::Running,
        }
    }

    /// `StatusReason`: ended by hand (aborted), by its `EndTime`, or normal.
    fn status_reason(&self, now: i64) -> StatusReason {
        if self.dialer.hold == Hold::Stopped {
            StatusReason::EndedManually
        } else if now >= self.end_time {
            StatusReason::EndedByTimeout
        } else {
            StatusReason::Normal
        }
    }

    /// Callees settled (answered, or out of attempts) by `now`.
    fn finished(&self, id: u64, now: i64, dice: &Dice) -> usize {
        (0..self.dialer.dialed(now))
            .filter(|i| {
                matches!(
                    self.dialer.progress(*i, now, dice, Owner::Campaign(id)),
                    Progress::Answered | Progress::Unanswered
                )
            })
            .count()
    }
}

/// The members a campaign is created or updated with (the two actions
/// document the same ones).
pub(super) struct NewCampaign<'a> {
    pub name: &'a str,
    pub callees: &'a [String],
    pub callers: &'a [String],
    pub call_order: i64,
    pub skill_group_id: u64,
    pub priority: i64,
    pub expected_abandon_rate: i64,
    pub retry_interval: i64,
    pub start_time: i64,
    pub end_time: i64,
    pub ivr_id: Option<u64>,
    pub retry_times: Option<i64>,
    pub variables: Option<&'a [Variable]>,
    pub uui: Option<&'a str>,
}

/// The [`NewCampaign`] of a create or an update request, whose types differ
/// but whose members are the same.
macro_rules! new_campaign {
    ($r:expr) => {
        NewCampaign {
            name: &$r.name,
            callees: &$r.callees,
            callers: &$r.callers,
            call_order: $r.call_order.value(),
            skill_group_id: $r.skill_group_id,
            priority: $r.priority,
            expected_abandon_rate: $r.expected_abandon_rate,
            retry_interval: $r.retry_interval,
            start_time: $r.start_time,
            end_time: $r.end_time,
            ivr_id: $r.ivr_id,
            retry_times: $r.retry_times,
            variables: $r.variables.as_deref(),
            uui: $r.uui.as_deref(),
        }
    };
}

/// Checks a campaign as `CreatePredictiveDialingCampaign` and
/// `UpdatePredictiveDialingCampaign` document its members.
fn check(app: &App, c: NewCampaign, now: i64) -> Result<Campaign, Refusal> {
    // `Callees`: "numbers to call"; `Callers`: "caller numbers to use", the
    // application's own.
    if c.callees.is_empty() {
        return Err(bad("Callees is empty".into()));
    }
    if c.callers.is_empty() {
        return Err(bad("Callers is empty".into()));
    }
    super::numbers::check_callers(app, c.callers)?;
    // `SkillGroupId`: "the skill group whose agents handle the answered calls".
    if !app.skill_groups.contains_key(&c.skill_group_id) {
        return Err(not_found("skill group", c.skill_group_id));
    }
    // `Priority`: "`1` (highest) to `5` (lowest)"; `ExpectedAbandonRate`:
    // "0-50"; `RetryInterval`: "60-86400"; `RetryTimes`: "0-2".
    in_range("Priority", Some(c.priority), 1, 5)?;
    in_range("ExpectedAbandonRate", Some(c.expected_abandon_rate), 0, 50)?;
    in_range("RetryInterval", Some(c.retry_interval), 60, DAY)?;
    in_range("RetryTimes", c.retry_times, 0, 2)?;
    // `EndTime`: "after which the task stops", so after `StartTime`.
    if c.end_time <= c.start_time {
        return Err(bad(format!(
            "EndTime {} is not after StartTime {}",
            c.end_time, c.start_time
        )));
    }
    let retry = Retry {
        tries: u32::try_from(c.retry_times.unwrap_or(0)).unwrap_or(0) + 1,
        interval: c.retry_interval,
    };
    Ok(Campaign {
        name: c.name.into(),
        call_order: c.call_order,
        skill_group_id: c.skill_group_id,
        ivr_id: c.ivr_id,
        priority: c.priority,
        expected_abandon_rate: c.expected_abandon_rate,
        retry_times: c.retry_times,
        retry_interval: c.retry_interval,
        start_time: c.start_time,
        end_time: c.end_time,
        variables: c.variables.map(|vs| {
            vs.iter()
                .map(|v| (v.key.as_str().into(), v.value.as_str().into()))
                .collect()
        }),
        uui: c.uui.map(Into::into),
        dialer: Dialer::new(
            c.callees.len(),
            c.start_time.max(now),
            Some(c.end_time),
            retry,
        ),
        callers: Texts::of(c.callers),
        callees: Texts::of(c.callees),
    })
}

/// Checks and stores a campaign under `id`, replacing any it had.
pub(super) fn insert(app: &mut App, id: u64, c: NewCampaign, now: i64) -> Result<(), Refusal> {
    let campaign = check(app, c, now)?;
    let old = app.campaigns.get(&id).map_or(0, Cost::cost);
    let count = app.campaigns.len() - usize::from(old > 0);
    let cost = campaign.cost();
    app.room(
        count,
        cost.saturating_sub(old),
        "LimitExceeded.OutOfCountLimit",
    )?;
    app.recount(old, cost);
    app.campaigns.insert(id, campaign);
    Ok(())
}

pub(super) fn create(
    cx: &mut Cx,
    r: CreatePredictiveDialingCampaignRequest,
) -> Result<CreatePredictiveDialingCampaignResponse, Refusal> {
    let new = new_campaign!(r);
    let id = cx.data.next_id.saturating_add(1);
    let app = cx
        .data
        .app_mut(r.sdk_app_id, "LimitExceeded.OutOfCountLimit")?;
    insert(app, id, new, cx.now)?;
    cx.data.next_id();
    Ok(CreatePredictiveDialingCampaignResponse::builder()
        .campaign_id(id)
        .build())
}

pub(super) fn update(
    cx: &mut Cx,
    r: UpdatePredictiveDialingCampaignRequest,
) -> Result<UpdatePredictiveDialingCampaignResponse, Refusal> {
    let id = r.campaign_id;
    let (now, dice) = (cx.now, cx.dice);
    let app = cx
        .data
        .apps
        .get_mut(&r.sdk_app_id)
        .ok_or_else(|| not_found("campaign", id))?;
    let old = app
        .campaigns
        .get(&id)
        .ok_or_else(|| not_found("campaign", id))?;
    // Only a campaign that is not dialing can be changed.
    let status = old.status(id, now, dice);
    if !matches!(status, Status::NotStarted | Status::Paused) {
        return Err(bad_state("campaign", id, status, "updated"));
    }
    let new = new_campaign!(r);
    insert(app, id, new, now)?;
    Ok(UpdatePredictiveDialingCampaignResponse::builder().build())
}

pub(super) fn describe(
    cx: &mut Cx,
    r: DescribePredictiveDialingCampaignRequest,
) -> Result<DescribePredictiveDialingCampaignResponse, Refusal> {
    let id = r.campaign_id;
    let c = cx
        .app(r.sdk_app_id)
        .campaigns
        .get(&id)
        .ok_or_else(|| not_found("campaign", id))?;
    let variables = match &c.variables {
        Some(vs) => Some(
            vs.iter()
                .map(|(k, v)| built(Variable::builder().key(&**k).value(&**v).build()))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    Ok(DescribePredictiveDialingCampaignResponse::builder()
        .campaign_id(id)
        .name(&*c.name)
        .call_order(CallOrder::from_raw(c.call_order))
        .skill_group_id(c.skill_group_id)
        .set_ivr_id(c.ivr_id)
        .priority(c.priority)
        .expected_abandon_rate(c.expected_abandon_rate)
        .set_retry_times(c.retry_times)
        .retry_interval(c.retry_interval)
        .start_time(c.start_time)
        .end_time(c.end_time)
        .set_variables(variables)
        .set_uui(c.uui.as_deref().map(str::to_owned))
        .status(c.status(id, cx.now, cx.dice))
        .status_reason(c.status_reason(cx.now))
        .build())
}

pub(super) fn list(
    cx: &mut Cx,
    r: DescribePredictiveDialingCampaignsRequest,
) -> Result<DescribePredictiveDialingCampaignsResponse, Refusal> {
    // `PageSize`: "at most 100"; `Name`: "keyword matched against task names";
    // `SkillGroupId`, `CampaignId`: only those.
    let page = Page::of(r.page_number, r.page_size, 100)?;
    let (now, dice) = (cx.now, cx.dice);
    let matching = cx.app(r.sdk_app_id).campaigns.iter().filter(|(id, c)| {
        r.campaign_id.is_none_or(|want| want == **id)
            && r.name.as_deref().is_none_or(|n| c.name.contains(n))
            && r.skill_group_id.is_none_or(|g| g == c.skill_group_id)
    });
    let (total, list) = page.cut(matching);
    let list = list.into_iter().map(|(id, c)| {
        Element::builder()
            .campaign_id(*id)
            .name(&*c.name)
            .status(ElementStatus::from_raw(c.status(*id, now, dice).value()))
            .status_reason(ElementStatusReason::from_raw(c.status_reason(now).value()))
            .callee_count(c.callees.len() as u64)
            .finished_callee_count(c.finished(*id, now, dice) as i64)
            .priority(c.priority)
            .skill_group_id(c.skill_group_id)
            .build()
    });
    Ok(DescribePredictiveDialingCampaignsResponse::builder()
        .total_count(total)
        .campaign_list(list)
        .build())
}

pub(super) fn sessions(
    cx: &mut Cx,
    r: DescribePredictiveDialingSessionsRequest,
) -> Result<DescribePredictiveDialingSessionsResponse, Refusal> {
    // `PageSize`: "at most 1000".
    let page = Page::of(r.page_number, r.page_size, 1000)?;
    let id = r.campaign_id;
    let c = cx
        .app(r.sdk_app_id)
        .campaigns
        .get(&id)
        .ok_or_else(|| not_found("campaign", id))?;
    let (now, dice, owner) = (cx.now, *cx.dice, Owner::Campaign(id));
    let calls = (0..c.dialer.dialed(now))
        .flat_map(|i| c.dialer.attempts(i, now, &dice, owner))
        .map(|call| session_id(owner, &call));
    let (total, list) = page.cut(calls);
    Ok(DescribePredictiveDialingSessionsResponse::builder()
        .total_count(total)
        .session_list(list)
        .build())
}

/// Pauses, resumes or aborts a campaign ([`Dialer::apply`]).
fn change(cx: &mut Cx, app: u64, id: u64, change: Change) -> Result<(), Refusal> {
    let (now, dice) = (cx.now, cx.dice);
    let c = cx
        .data
        .apps
        .get_mut(&app)
        .and_then(|a| a.campaigns.get_mut(&id))
        .ok_or_else(|| not_found("campaign", id))?;
    let status = c.status(id, now, dice);
    match c.dialer.apply(change, now, dice, Owner::Campaign(id)) {
        Ok(()) => Ok(()),
        Err(Refused::Settled) => Err(bad_state("campaign", id, status, change.done())),
        Err(Refused::TooManyResumes) => {
            Err(bad(format!("campaign {id} has been resumed too often")))
        }
    }
}

pub(super) fn pause(
    cx: &mut Cx,
    r: PausePredictiveDialingCampaignRequest,
) -> Result<PausePredictiveDialingCampaignResponse, Refusal> {
    change(cx, r.sdk_app_id, r.campaign_id, Change::Pause)?;
    Ok(PausePredictiveDialingCampaignResponse::builder().build())
}

pub(super) fn resume(
    cx: &mut Cx,
    r: ResumePredictiveDialingCampaignRequest,
) -> Result<ResumePredictiveDialingCampaignResponse, Refusal> {
    change(cx, r.sdk_app_id, r.campaign_id, Change::Resume)?;
    Ok(ResumePredictiveDialingCampaignResponse::builder().build())
}

pub(super) fn abort(
    cx: &mut Cx,
    r: AbortPredictiveDialingCampaignRequest,
) -> Result<AbortPredictiveDialingCampaignResponse, Refusal> {
    change(cx, r.sdk_app_id, r.campaign_id, Change::Stop)?;
    Ok(AbortPredictiveDialingCampaignResponse::builder().build())
}

pub(super) fn delete(
    cx: &mut Cx,
    r: DeletePredictiveDialingCampaignRequest,
) -> Result<DeletePredictiveDialingCampaignResponse, Refusal> {
    let id = r.campaign_id;
    let app = cx
        .data
        .apps
        .get_mut(&r.sdk_app_id)
        .ok_or_else(|| not_found("campaign", id))?;
    let c = app
        .campaigns
        .remove(&id)
        .ok_or_else(|| not_found("campaign", id))?;
    app.recount(c.cost(), 0);
    Ok(DeletePredictiveDialingCampaignResponse::builder().build())
}
