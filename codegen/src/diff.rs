//! `cargo xtask spec-diff`: drift between the spec and an upstream description.
//!
//! Reports actions, types and members added or removed, type changes and
//! presence changes. Items marked `china_only` may be absent upstream; a member a
//! person narrowed to an enum of the same wire type is not a change.

use crate::import::{members_of, narrowed_to_enum, Side};
use crate::load::{Api, TypeDef};
use crate::spec::{Member, Repr};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every difference, one line each; empty when the spec matches.
pub fn spec_diff(api: &Api, upstream: &Value) -> Result<Vec<String>, String> {
    let actions = upstream["actions"]
        .as_object()
        .ok_or("upstream file has no `actions` object")?;
    let objects = upstream["objects"]
        .as_object()
        .ok_or("upstream file has no `objects` object")?;
    let enums: BTreeMap<String, Repr> = api
        .types
        .iter()
        .filter_map(|(n, t)| match &t.item {
            TypeDef::Enum(e) => Some((n.clone(), e.repr)),
            TypeDef::Object(_) => None,
        })
        .collect();
    let mut out = Vec::new();
    let mut upstream_types = BTreeSet::new();
    for (name, action) in actions {
        let input = members_of(
            objects,
            action["input"].as_str(),
            Side::Input,
            &mut upstream_types,
        )?;
        let output = members_of(
            objects,
            action["output"].as_str(),
            Side::Output,
            &mut upstream_types,
        )?;
        match api.actions.get(name) {
            None => out.push(format!("action {name}: upstream only")),
            Some(ours) => {
                compare(
                    &format!("{name} input"),
                    &ours.item.input,
                    &input,
                    &enums,
                    &mut out,
                );
                compare(
                    &format!("{name} output"),
                    &ours.item.output,
                    &output,
                    &enums,
                    &mut out,
                );
            }
        }
    }
    for (name, ours) in &api.actions {
        if !actions.contains_key(name) && !ours.item.china_only {
            out.push(format!("action {name}: in the spec only"));
        }
    }
    let mut queue: Vec<String> = upstream_types.into_iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) || enums.contains_key(&name) {
            continue;
        }
        let mut nested = BTreeSet::new();
        let theirs = members_of(objects, Some(&name), Side::Object, &mut nested)?;
        queue.extend(nested);
        match api.types.get(&name).map(|t| &t.item) {
            Some(TypeDef::Object(o)) => compare(&name, &o.members, &theirs, &enums, &mut out),
            _ => out.push(format!("type {name}: upstream only")),
        }
    }
    Ok(out)
}

fn compare(
    at: &str,
    ours: &[Member],
    theirs: &[Member],
    enums: &BTreeMap<String, Repr>,
    out: &mut Vec<String>,
) {
    let mine: BTreeMap<&str, &Member> = ours.iter().map(|m| (m.name.as_str(), m)).collect();
    let other: BTreeMap<&str, &Member> = theirs.iter().map(|m| (m.name.as_str(), m)).collect();
    for (name, t) in &other {
        let Some(m) = mine.get(name) else {
            out.push(format!("{at}: member {name}: upstream only"));
            continue;
        };
        if m.ty != t.ty && !narrowed_to_enum(&m.ty, &t.ty, enums) {
            out.push(format!(
                "{at}: member {name}: type {} upstream, {} in the spec",
                t.ty, m.ty
            ));
        }
        let flags = [
            ("required", m.required, t.required),
            ("optional", m.optional, t.optional),
            ("nullable", m.nullable, t.nullable),
        ];
        let differs = flags.iter().any(|(_, a, b)| a != b);
        match (&m.correction, differs) {
            (Some(_), true) => {}
            (Some(_), false) => out.push(format!(
                "{at}: member {name}: its correction no longer applies, upstream now agrees"
            )),
            (None, _) => {
                for (what, a, b) in flags {
                    if a != b {
                        out.push(format!(
                            "{at}: member {name}: {what} is {b} upstream, {a} in the spec"
                        ));
                    }
                }
            }
        }
    }
    for (name, m) in &mine {
        if !other.contains_key(name) && !m.china_only {
            out.push(format!("{at}: member {name}: in the spec only"));
        }
    }
}
