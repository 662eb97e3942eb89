//! Numbers of an application: `DescribeNumbers`, `BindNumberCallOutSkillGroup`,
//! `UnbindNumberCallOutSkillGroup`; and the rule that tasks and campaigns call
//! from the application's own numbers.

use super::{bad, App, Cost, Cx, Page};
use crate::validate::Refusal;
use ccc_api::operation::{
    bind_number_call_out_skill_group::{
        BindNumberCallOutSkillGroupRequest, BindNumberCallOutSkillGroupResponse,
    },
    describe_numbers::{DescribeNumbersRequest, DescribeNumbersResponse},
    unbind_number_call_out_skill_group::{
        UnbindNumberCallOutSkillGroupRequest, UnbindNumberCallOutSkillGroupResponse,
    },
};
use ccc_api::types::{NumberInfo, NumberInfoCostType, NumberInfoState};
use std::mem::size_of;

pub(crate) struct Number {
    pub(super) number: Box<str>,
    /// Call-out skill groups.
    groups: Vec<u64>,
}

impl Number {
    pub(super) fn new(number: String) -> Number {
        Number {
            number: number.into(),
            groups: Vec::new(),
        }
    }
}

impl Cost for Number {
    fn cost(&self) -> usize {
        self.number.len() + self.groups.len() * size_of::<u64>()
    }
}

/// Refuses callers that are not numbers of the application (`Callers` of
/// `CreateAutoCalloutTask` and the campaign actions: "caller numbers to use",
/// which an application has bought or brought).
pub(super) fn check_callers(app: &App, callers: &[String]) -> Result<(), Refusal> {
    match callers
        .iter()
        .find(|c| !app.numbers.iter().any(|n| *n.number == ***c))
    {
        Some(c) => Err(bad(format!(
            "caller {c} is not a number of the application"
        ))),
        None => Ok(()),
    }
}

/// Unbinds a deleted skill group from every number.
pub(super) fn forget_group(app: &mut App, id: u64) {
    let mut freed = 0;
    for n in &mut app.numbers {
        let before = n.groups.len();
        n.groups.retain(|g| *g != id);
        freed += (before - n.groups.len()) * size_of::<u64>();
    }
    app.recount(freed, 0);
}

pub(super) fn list(
    cx: &mut Cx,
    r: DescribeNumbersRequest,
) -> Result<DescribeNumbersResponse, Refusal> {
    // `PageSize`: "defaults to `20`" (its page size's maximum, as the spec's
    // paging facts give it).
    let page = Page::of(r.page_number.unwrap_or(0), r.page_size.unwrap_or(20), 9999)?;
    let (total, numbers) = page.cut(cx.app(r.sdk_app_id).numbers.iter());
    // `CostType` is a China-site member; the site filter removes it elsewhere.
    let numbers = numbers.into_iter().map(|n| {
        NumberInfo::builder()
            .number(&*n.number)
            .call_out_skill_group_ids(n.groups.iter().copied())
            .state(NumberInfoState::Normal)
            .cost_type(NumberInfoCostType::NotOwn)
            .build()
    });
    Ok(DescribeNumbersResponse::builder()
        .total_count(total)
        .numbers(numbers)
        .build())
}

/// Binds (or unbinds) call-out skill groups of a number of the application:
/// the groups must exist and the number must be the application's. The codes
/// are the ones each action documents (`UnbindNumberCallOutSkillGroup`:
/// `InvalidParameterValue.SkillGroupError`, `…InstanceNotExist`; the bind
/// action documents neither, so it answers `InvalidParameterValue`).
pub(super) fn bind_groups(
    app: &mut App,
    number: &str,
    ids: &[u64],
    bind: bool,
) -> Result<(), Refusal> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if let Some(id) = ids.iter().find(|id| !app.skill_groups.contains_key(id)) {
        let code = if bind {
            "InvalidParameterValue"
        } else {
            "InvalidParameterValue.SkillGroupError"
        };
        return Err((code, format!("skill group {id} does not exist")));
    }
    let Some(n) = app.numbers.iter_mut().find(|n| &*n.number == number) else {
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
    let before = n.cost();
    n.groups.retain(|g| ids.binary_search(g).is_err());
    if bind {
        n.groups.extend(&ids);
    }
    let after = n.cost();
    app.recount(before, after);
    Ok(())
}

pub(super) fn bind(
    cx: &mut Cx,
    r: BindNumberCallOutSkillGroupRequest,
) -> Result<BindNumberCallOutSkillGroupResponse, Refusal> {
    let app = cx.data.app_mut(r.sdk_app_id, "LimitExceeded")?;
    bind_groups(app, &r.number, &r.skill_group_ids, true)?;
    Ok(BindNumberCallOutSkillGroupResponse::builder().build())
}

pub(super) fn unbind(
    cx: &mut Cx,
    r: UnbindNumberCallOutSkillGroupRequest,
) -> Result<UnbindNumberCallOutSkillGroupResponse, Refusal> {
    let app = cx.data.app_mut(r.sdk_app_id, "LimitExceeded")?;
    bind_groups(app, &r.number, &r.skill_group_ids, false)?;
    Ok(UnbindNumberCallOutSkillGroupResponse::builder().build())
}
