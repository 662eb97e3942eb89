//! Loading a [`Seed`] into the state: each entity goes through the same checks
//! as the action that would create it, and any failure names the seed path.

use super::campaigns::{self, NewCampaign};
use super::skill_groups::{self, SkillGroup};
use super::staff::{self, Staff};
use super::tasks::{self, NewTask};
use super::{numbers, App, Data, MAX_APPS};
use crate::seed::{Seed, SeedApp};
use crate::sim::Hold;

/// Where in the seed, and what is wrong there.
type SeedFault = (String, String);

/// The state a seed describes, at the simulated time `now`.
pub(super) fn load(seed: &Seed, now: i64) -> Result<Data, SeedFault> {
    if seed.apps.len() > MAX_APPS {
        return Err((
            "apps".into(),
            format!("{} applications; at most {MAX_APPS}", seed.apps.len()),
        ));
    }
    let mut data = Data {
        // Fresh ids start above every id the seed names.
        next_id: seed
            .apps
            .iter()
            .flat_map(|a| {
                let tasks = a.tasks.iter().map(|t| t.id);
                let campaigns = a.campaigns.iter().map(|c| c.id);
                let groups = a.skill_groups.iter().map(|g| g.id);
                tasks.chain(campaigns).chain(groups)
            })
            .max()
            .unwrap_or(0),
        ..Data::default()
    };
    for (ai, a) in seed.apps.iter().enumerate() {
        let at = |what: &str| format!("apps[{ai}].{what}");
        if data.apps.contains_key(&a.sdk_app_id) {
            return Err((
                at("sdk_app_id"),
                format!("application {} appears twice", a.sdk_app_id),
            ));
        }
        let app = load_app(a, now, &data, &at)?;
        data.apps.insert(a.sdk_app_id, app);
    }
    Ok(data)
}

/// One application of the seed; `data` holds the ones before it (ids of tasks
/// and campaigns are unique across applications).
fn load_app(
    a: &SeedApp,
    now: i64,
    data: &Data,
    at: &dyn Fn(&str) -> String,
) -> Result<App, SeedFault> {
    let mut app = App::with_numbers(a.numbers.iter().map(|n| n.number.clone()));
    for (i, n) in a.numbers.iter().enumerate() {
        if a.numbers[..i].iter().any(|m| m.number == n.number) {
            return Err((
                at(&format!("numbers[{i}].number")),
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
        skill_groups::insert(&mut app, g.id, group)
            .map_err(|(_, m)| (at(&format!("skill_groups[{i}]")), m))?;
    }
    for (i, n) in a.numbers.iter().enumerate() {
        numbers::bind_groups(&mut app, &n.number, &n.call_out_skill_groups, true)
            .map_err(|(_, m)| (at(&format!("numbers[{i}].call_out_skill_groups")), m))?;
    }
    for (i, s) in a.staff.iter().enumerate() {
        if app.staff.contains_key(s.mail.as_str()) {
            return Err((
                at(&format!("staff[{i}].mail")),
                format!("staff {} appears twice", s.mail),
            ));
        }
        let member = Staff {
            name: s.name.as_str().into(),
            staff_number: s.staff_number.as_str().into(),
            phone: s.phone.as_str().into(),
            nick: s.nick.as_str().into(),
            skill_groups: Vec::new(),
            online: s.online,
            last_modified: now,
        };
        staff::insert(&mut app, &s.mail, member)
            .map_err(|(_, m)| (at(&format!("staff[{i}]")), m))?;
        let groups: Vec<(u64, i64)> = s.skill_groups.iter().map(|g| (*g, 1)).collect();
        staff::bind_groups(&mut app, &s.mail, &groups, true)
            .map_err(|(_, m)| (at(&format!("staff[{i}].skill_groups")), m))?;
    }
    for (i, t) in a.tasks.iter().enumerate() {
        let taken = data
            .apps
            .values()
            .chain([&app])
            .any(|a| a.tasks.contains_key(&t.id));
        fresh(t.id, taken, "task", at(&format!("tasks[{i}].id")))?;
        let new = NewTask {
            name: &t.name,
            description: "",
            not_before: now.saturating_add(t.starts_in),
            not_after: t.ends_in.map(|e| now.saturating_add(e)),
            callers: &t.callers,
            callees: &t.callees,
            ivr_id: t.ivr_id,
            ai_agent_id: t.ai_agent_id,
            max_ring_timeout: None,
            tries: t.tries,
            retry_interval: t.retry_interval,
        };
        tasks::insert(&mut app, t.id, new, now)
            .map_err(|(_, m)| (at(&format!("tasks[{i}]")), m))?;
        if t.paused {
            if let Some(task) = app.tasks.get_mut(&t.id) {
                task.dialer.hold(now, Hold::Paused);
            }
        }
    }
    for (i, c) in a.campaigns.iter().enumerate() {
        let taken = data
            .apps
            .values()
            .chain([&app])
            .any(|a| a.campaigns.contains_key(&c.id));
        fresh(c.id, taken, "campaign", at(&format!("campaigns[{i}].id")))?;
        let new = NewCampaign {
            name: &c.name,
            callees: &c.callees,
            callers: &c.callers,
            call_order: 1,
            skill_group_id: c.skill_group_id,
            priority: c.priority,
            expected_abandon_rate: c.expected_abandon_rate,
            retry_interval: 60,
            start_time: now.saturating_add(c.starts_in),
            end_time: now.saturating_add(c.ends_in),
            ivr_id: None,
            retry_times: None,
            variables: None,
            uui: None,
        };
        campaigns::insert(&mut app, c.id, new, now)
            .map_err(|(_, m)| (at(&format!("campaigns[{i}]")), m))?;
        if c.paused {
            if let Some(campaign) = app.campaigns.get_mut(&c.id) {
                campaign.dialer.hold(now, Hold::Paused);
            }
        }
    }
    for id in &a.sessions {
        let (freed, added) = app.sessions.add(id);
        app.recount(freed, added);
    }
    Ok(app)
}

/// Refuses a task or campaign id that is zero or `taken` in any application.
fn fresh(id: u64, taken: bool, what: &str, at: String) -> Result<(), SeedFault> {
    if id == 0 || taken {
        return Err((at, format!("{what} id {id} is zero or not unique")));
    }
    Ok(())
}
