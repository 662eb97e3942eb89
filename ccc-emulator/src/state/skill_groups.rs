//! Skill groups: `CreateCCCSkillGroup`, `DescribeSkillGroupInfoList`,
//! `DeleteCCCSkillGroup`. Deleting a group unbinds it from staff and numbers;
//! a group serving a campaign cannot be deleted.

use super::{bad, not_found, App, Cost, Cx, Page};
use crate::validate::Refusal;
use ccc_api::enums::WireEnum;
use ccc_api::operation::{
    create_ccc_skill_group::{CreateCCCSkillGroupRequest, CreateCCCSkillGroupResponse},
    delete_ccc_skill_group::{DeleteCCCSkillGroupRequest, DeleteCCCSkillGroupResponse},
    describe_skill_group_info_list::{
        DescribeSkillGroupInfoListRequest, DescribeSkillGroupInfoListResponse,
    },
};
use ccc_api::types::{SkillGroupInfoItem, SkillGroupInfoItemSkillGroupType};
use std::mem::size_of;

pub(crate) struct SkillGroup {
    pub(super) name: Box<str>,
    /// `SkillGroupType`: "`0` phone, `1` online, `3` audio, `4` video".
    pub(super) skill_group_type: i64,
    pub(super) max_concurrency: u64,
    pub(super) last_modified: i64,
}

impl Cost for SkillGroup {
    fn cost(&self) -> usize {
        size_of::<Self>() + self.name.len()
    }
}

/// The name of skill group `id`, or `""`.
pub(super) fn name(app: &App, id: u64) -> &str {
    app.skill_groups.get(&id).map_or("", |g| &g.name)
}

/// Stores a new group under `id`; names are unique in an application
/// (`CreateCCCSkillGroup` documents `InvalidParameterValue.SkillGroupExist`).
pub(super) fn insert(app: &mut App, id: u64, group: SkillGroup) -> Result<(), Refusal> {
    if app.skill_groups.values().any(|g| g.name == group.name) {
        return Err((
            "InvalidParameterValue.SkillGroupExist",
            format!("a skill group named {} already exists", group.name),
        ));
    }
    if id == 0 || app.skill_groups.contains_key(&id) {
        return Err(bad(format!("skill group id {id} is zero or not unique")));
    }
    let cost = group.cost();
    app.room(app.skill_groups.len(), cost, "LimitExceeded")?;
    app.bytes += cost;
    app.skill_groups.insert(id, group);
    Ok(())
}

pub(super) fn create(
    cx: &mut Cx,
    r: CreateCCCSkillGroupRequest,
) -> Result<CreateCCCSkillGroupResponse, Refusal> {
    // `MaxConcurrency`: "default `1`".
    let group = SkillGroup {
        name: r.skill_group_name.into(),
        skill_group_type: r.skill_group_type.value(),
        max_concurrency: r.max_concurrency.unwrap_or(1),
        last_modified: cx.now,
    };
    let id = cx.data.next_id.saturating_add(1);
    insert(cx.data.app_mut(r.sdk_app_id, "LimitExceeded")?, id, group)?;
    cx.data.next_id();
    Ok(CreateCCCSkillGroupResponse::builder()
        .skill_group_id(id)
        .build())
}

pub(super) fn list(
    cx: &mut Cx,
    r: DescribeSkillGroupInfoListRequest,
) -> Result<DescribeSkillGroupInfoListResponse, Refusal> {
    // `PageSize`: "at most 100"; `SkillGroupId`, `SkillGroupName`: only that
    // one; `ModifiedTime`: "only skill groups modified at or after".
    let page = Page::of(r.page_number, r.page_size, 100)?;
    let matching = cx.app(r.sdk_app_id).skill_groups.iter().filter(|(id, g)| {
        r.skill_group_id.is_none_or(|want| want == **id)
            && r.skill_group_name.as_deref().is_none_or(|n| n == &*g.name)
            && r.modified_time.is_none_or(|t| g.last_modified >= t)
    });
    let (total, list) = page.cut(matching);
    let list = list.into_iter().map(|(id, g)| {
        SkillGroupInfoItem::builder()
            .skill_group_id(*id)
            .skill_group_name(&*g.name)
            .skill_group_type(SkillGroupInfoItemSkillGroupType::from_raw(
                g.skill_group_type,
            ))
            .max_concurrency(g.max_concurrency)
            .last_modify_timestamp(g.last_modified)
            .route_policy("")
            .using_last_seat(0)
            .alias("")
            .ring_all(false)
            .build()
    });
    Ok(DescribeSkillGroupInfoListResponse::builder()
        .total_count(total)
        .skill_group_list(list)
        .build())
}

pub(super) fn delete(
    cx: &mut Cx,
    r: DeleteCCCSkillGroupRequest,
) -> Result<DeleteCCCSkillGroupResponse, Refusal> {
    let id = r.skill_group_id;
    let app = cx
        .data
        .apps
        .get_mut(&r.sdk_app_id)
        .filter(|a| a.skill_groups.contains_key(&id))
        .ok_or_else(|| not_found("skill group", id))?;
    // No doc sentence covers a group that still serves a campaign; the
    // emulator keeps its records whole and answers the common
    // `ResourceUnavailable`.
    if let Some((c, _)) = app.campaigns.iter().find(|(_, c)| c.skill_group_id == id) {
        return Err((
            "ResourceUnavailable",
            format!("skill group {id} serves campaign {c}; delete the campaign first"),
        ));
    }
    if let Some(g) = app.skill_groups.remove(&id) {
        app.recount(g.cost(), 0);
    }
    // Staff costs count the capacity of their lists, which this keeps.
    for s in app.staff.values_mut() {
        s.skill_groups.retain(|(g, _)| *g != id);
    }
    super::numbers::forget_group(app, id);
    Ok(DeleteCCCSkillGroupResponse::builder().build())
}
