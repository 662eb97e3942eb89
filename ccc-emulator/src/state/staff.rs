//! Staff (agents): `CreateStaff`, `DescribeStaffInfoList`, `DeleteStaff`,
//! `BindStaffSkillGroupList`, `UnbindStaffSkillGroupList`. Kept by mail; the
//! skill groups a member of staff is bound to are kept by id, their names
//! looked up when shown.

use super::{bad, built, Cost, Cx, Page};
use crate::validate::Refusal;
use ccc_api::operation::{
    bind_staff_skill_group_list::{
        BindStaffSkillGroupListRequest, BindStaffSkillGroupListResponse,
    },
    create_staff::{CreateStaffRequest, CreateStaffResponse},
    delete_staff::{DeleteStaffRequest, DeleteStaffResponse},
    describe_staff_info_list::{DescribeStaffInfoListRequest, DescribeStaffInfoListResponse},
    unbind_staff_skill_group_list::{
        UnbindStaffSkillGroupListRequest, UnbindStaffSkillGroupListResponse,
    },
};
use ccc_api::types::{ErrStaffItem, SkillGroupInfoItemType, SkillGroupItem, StaffInfo};
use std::mem::size_of;

/// `CreateStaff` `Staffs`: "agents to create, at most 10".
const MAX_CREATE: usize = 10;
/// `DeleteStaff` `StaffList`: "emails of the agents to delete, at most 200".
const MAX_DELETE: usize = 200;

pub(crate) struct Staff {
    pub(super) name: Box<str>,
    pub(super) staff_number: Box<str>,
    pub(super) phone: Box<str>,
    pub(super) nick: Box<str>,
    /// Bound skill groups: id and priority.
    pub(super) skill_groups: Vec<(u64, i64)>,
    /// Signed in: `DeleteStaff` leaves such staff in place.
    pub(super) online: bool,
    pub(super) last_modified: i64,
}

impl Cost for Staff {
    fn cost(&self) -> usize {
        size_of::<Self>()
            + self.name.len()
            + self.staff_number.len()
            + self.phone.len()
            + self.nick.len()
            + self.skill_groups.capacity() * size_of::<(u64, i64)>()
    }
}

/// Adds a member of staff under `mail` while there is room.
pub(super) fn insert(app: &mut super::App, mail: &str, staff: Staff) -> Result<(), Refusal> {
    let cost = staff.cost() + mail.len();
    app.room(app.staff.len(), cost, "LimitExceeded")?;
    app.bytes += cost;
    app.staff.insert(mail.into(), staff);
    Ok(())
}

pub(super) fn create(cx: &mut Cx, r: CreateStaffRequest) -> Result<CreateStaffResponse, Refusal> {
    if r.staffs.is_empty() || r.staffs.len() > MAX_CREATE {
        return Err(bad(format!(
            "{} staff given; Staffs takes 1 to {MAX_CREATE}",
            r.staffs.len()
        )));
    }
    let now = cx.now;
    let app = cx.data.app_mut(r.sdk_app_id, "LimitExceeded")?;
    let mut errors = Vec::new();
    for s in r.staffs {
        // "Accounts that could not be created are reported with the reason."
        if app.staff.contains_key(s.mail.as_str()) {
            errors.push(
                ErrStaffItem::builder()
                    .staff_email(&s.mail)
                    .code("FailedOperation.DuplicatedAccount")
                    .message("the account already exists")
                    .build(),
            );
            continue;
        }
        let staff = Staff {
            name: s.name.into(),
            staff_number: s.staff_number.into(),
            phone: s.phone.unwrap_or_default().into(),
            nick: s.nick.unwrap_or_default().into(),
            skill_groups: Vec::new(),
            online: false,
            last_modified: now,
        };
        insert(app, &s.mail, staff)?;
    }
    Ok(CreateStaffResponse::builder()
        .error_staff_list(errors)
        .build())
}

pub(super) fn list(
    cx: &mut Cx,
    r: DescribeStaffInfoListRequest,
) -> Result<DescribeStaffInfoListResponse, Refusal> {
    // `PageSize`: "at most 9999"; `StaffMail`: "account of a single agent";
    // `ModifiedTime`: "only agents modified at or after"; `SkillGroupId`:
    // "only agents in this skill group".
    let page = Page::of(r.page_number, r.page_size, 9999)?;
    let app = cx.app(r.sdk_app_id);
    let matching = app.staff.iter().filter(|(mail, s)| {
        r.staff_mail.as_deref().is_none_or(|m| m == &***mail)
            && r.modified_time.is_none_or(|t| s.last_modified >= t)
            && r.skill_group_id
                .is_none_or(|g| s.skill_groups.iter().any(|(id, _)| *id == g))
    });
    let (total, list) = page.cut(matching);
    let list = list
        .into_iter()
        .map(|(mail, s)| {
            let groups = s
                .skill_groups
                .iter()
                .map(|(id, priority)| {
                    built(
                        SkillGroupItem::builder()
                            .skill_group_id(*id)
                            .skill_group_name(super::skill_groups::name(app, *id))
                            .priority(*priority)
                            .r#type(SkillGroupInfoItemType::Tel)
                            .build(),
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(StaffInfo::builder()
                .name(&*s.name)
                .mail(&**mail)
                .staff_number(&*s.staff_number)
                .phone(&*s.phone)
                .nick(&*s.nick)
                .skill_group_list(groups)
                .last_modify_timestamp(s.last_modified)
                .build())
        })
        .collect::<Result<Vec<_>, Refusal>>()?;
    Ok(DescribeStaffInfoListResponse::builder()
        .total_count(total)
        .staff_list(list)
        .build())
}

pub(super) fn delete(cx: &mut Cx, r: DeleteStaffRequest) -> Result<DeleteStaffResponse, Refusal> {
    if r.staff_list.len() > MAX_DELETE {
        return Err(bad(format!(
            "{} staff given; StaffList takes at most {MAX_DELETE}",
            r.staff_list.len()
        )));
    }
    // All or nothing: a request naming an unknown member of staff deletes no one.
    let app = cx.data.apps.get_mut(&r.sdk_app_id);
    let known = |mail: &str| app.as_ref().is_some_and(|a| a.staff.contains_key(mail));
    if let Some(mail) = r.staff_list.iter().find(|m| !known(m)) {
        return Err((
            "InvalidParameterValue.InstanceNotExist",
            format!("staff {mail} does not exist; no one was deleted"),
        ));
    }
    // "Agents that are currently online cannot be deleted and are listed in
    // the response."
    let mut online = Vec::new();
    if let Some(app) = app {
        for mail in &r.staff_list {
            match app.staff.get(mail.as_str()) {
                Some(s) if s.online => online.push(mail.clone()),
                Some(_) => {
                    if let Some(s) = app.staff.remove(mail.as_str()) {
                        app.recount(s.cost() + mail.len(), 0);
                    }
                }
                None => {}
            }
        }
    }
    let info = (!online.is_empty())
        .then(|| "Members in OnlineStaffList are online and cannot be deleted".to_owned());
    Ok(DeleteStaffResponse::builder()
        .online_staff_list(online)
        .set_delete_status_info(info)
        .build())
}

/// Binds (or unbinds) skill groups of a member of staff: (id, priority).
pub(super) fn bind_groups(
    app: &mut super::App,
    mail: &str,
    groups: &[(u64, i64)],
    bind: bool,
) -> Result<(), Refusal> {
    if let Some((id, _)) = groups
        .iter()
        .find(|(id, _)| !app.skill_groups.contains_key(id))
    {
        return Err((
            "InvalidParameter",
            format!("skill group {id} does not exist"),
        ));
    }
    let Some(s) = app.staff.get_mut(mail) else {
        return Err((
            "InvalidParameterValue.InstanceNotExist",
            format!("staff {mail} does not exist"),
        ));
    };
    // Each group at most once, so the list never outgrows the skill groups.
    let before = s.cost();
    for (id, priority) in groups {
        s.skill_groups.retain(|(g, _)| g != id);
        if bind {
            s.skill_groups.push((*id, *priority));
        }
    }
    let after = s.cost();
    app.recount(before, after);
    Ok(())
}

/// The staff member's application for a change, or the refusal naming them.
fn app_of<'a>(cx: &'a mut Cx, app: u64, mail: &str) -> Result<&'a mut super::App, Refusal> {
    cx.data.apps.get_mut(&app).ok_or_else(|| {
        (
            "InvalidParameterValue.InstanceNotExist",
            format!("staff {mail} does not exist"),
        )
    })
}

pub(super) fn bind(
    cx: &mut Cx,
    r: BindStaffSkillGroupListRequest,
) -> Result<BindStaffSkillGroupListResponse, Refusal> {
    // `StaffSkillGroupList` with priorities, or the older `SkillGroupList`.
    let mut groups: Vec<(u64, i64)> = r
        .staff_skill_group_list
        .iter()
        .map(|g| (g.skill_group_id, g.priority.unwrap_or(1)))
        .collect();
    groups.extend(r.skill_group_list.iter().flatten().map(|id| (*id, 1)));
    bind_groups(
        app_of(cx, r.sdk_app_id, &r.staff_email)?,
        &r.staff_email,
        &groups,
        true,
    )?;
    Ok(BindStaffSkillGroupListResponse::builder().build())
}

pub(super) fn unbind(
    cx: &mut Cx,
    r: UnbindStaffSkillGroupListRequest,
) -> Result<UnbindStaffSkillGroupListResponse, Refusal> {
    let groups: Vec<(u64, i64)> = r.skill_group_list.iter().map(|id| (*id, 1)).collect();
    bind_groups(
        app_of(cx, r.sdk_app_id, &r.staff_email)?,
        &r.staff_email,
        &groups,
        false,
    )?;
    Ok(UnbindStaffSkillGroupListResponse::builder().build())
}
