//! `cargo xtask spec-diff`: drift between the spec and an upstream description.
//!
//! Reports actions, types and members added or removed, type changes and
//! presence changes. Items marked `china_only` may be absent upstream; a member a
//! person narrowed to an enum or a scalar shape of the same wire type is not a
//! change, nor is one whose shape's `correction` explains an integer type that
//! differs from upstream's.
//!
//! One difference is not drift: a member of an answer (a response, or a type
//! upstream uses in answers only) that the spec reads as `optional` where
//! upstream promises it. Reading more leniently than promised loses nothing
//! (a present value is read the same), so such members are counted in one
//! closing line starting with [`NOTE`], which `cargo xtask spec-diff` prints
//! without failing.

use crate::import::{fit, members_of, named_types, Fit, NamedTypes, Side};
use crate::load::{Api, TypeDef};
use crate::spec::{Member, Presence, TypeRef};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The start of a line of [`spec_diff`] that is information, not drift.
pub const NOTE: &str = "note: ";

/// Every difference, one line each; empty when the spec matches.
pub fn spec_diff(api: &Api, upstream: &Value) -> Result<Vec<String>, String> {
    let actions = upstream["actions"]
        .as_object()
        .ok_or("upstream file has no `actions` object")?;
    let objects = upstream["objects"]
        .as_object()
        .ok_or("upstream file has no `objects` object")?;
    let named = named_types(
        &api.types
            .iter()
            .map(|(n, t)| (n.clone(), t.item.clone()))
            .collect(),
    );
    let mut corrected = Corrected::default();
    let mut lenient = 0;
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
                    &named,
                    &mut corrected,
                    &mut out,
                    None,
                );
                compare(
                    &format!("{name} output"),
                    &ours.item.output,
                    &output,
                    &named,
                    &mut corrected,
                    &mut out,
                    Some(&mut lenient),
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
        if !seen.insert(name.clone()) || named.contains_key(&name) {
            continue;
        }
        let mut nested = BTreeSet::new();
        let theirs = members_of(objects, Some(&name), Side::Object, &mut nested)?;
        queue.extend(nested);
        match api.types.get(&name).map(|t| &t.item) {
            Some(TypeDef::Object(o)) => {
                let answers_only = objects
                    .get(&name)
                    .is_some_and(|o| o["usage"].as_str() == Some("out"));
                compare(
                    &name,
                    &o.members,
                    &theirs,
                    &named,
                    &mut corrected,
                    &mut out,
                    answers_only.then_some(&mut lenient),
                )
            }
            _ => out.push(format!("type {name}: upstream only")),
        }
    }
    // A correction is stale only when upstream describes every use of its shape
    // and agrees with each: a China-only use may still need it.
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    let members = api
        .actions
        .values()
        .flat_map(|a| a.item.input.iter().chain(&a.item.output))
        .chain(api.types.values().flat_map(|t| match &t.item {
            TypeDef::Object(o) => o.members.as_slice(),
            _ => &[],
        }));
    for m in members {
        if let Some(shape) = corrected_shape(&m.ty, &named) {
            *uses.entry(shape).or_default() += 1;
        }
    }
    for (name, t) in &api.types {
        if let TypeDef::Scalar(s) = &t.item {
            let all_compared = corrected.compared.get(name) == uses.get(name);
            if s.correction.is_some() && all_compared && !corrected.differing.contains(name) {
                out.push(format!(
                    "shape {name}: its correction no longer applies, upstream now agrees"
                ));
            }
        }
    }
    if lenient > 0 {
        out.push(format!(
            "{NOTE}{lenient} member(s) of answers are optional in the spec where upstream promises them (read leniently; not drift)"
        ));
    }
    Ok(out)
}

/// How the uses of shapes that carry a correction compared with upstream.
#[derive(Default)]
struct Corrected {
    /// Uses that upstream describes, per shape.
    compared: BTreeMap<String, usize>,
    /// Shapes with a use whose type upstream gives differently.
    differing: BTreeSet<String>,
}

/// The shape with a correction that `ty` names, if any.
fn corrected_shape(ty: &str, named: &NamedTypes) -> Option<String> {
    let ty = TypeRef::parse(ty).ok()?;
    let name = ty.named()?;
    named
        .get(name)
        .is_some_and(|n| n.corrected)
        .then(|| name.to_owned())
}

/// Compares the members of one request, response or type. `lenient` counts,
/// for members only ever read from answers, those the spec reads as optional
/// where upstream promises them (`None` where members are also sent).
#[allow(clippy::too_many_arguments)]
fn compare(
    at: &str,
    ours: &[Member],
    theirs: &[Member],
    named: &NamedTypes,
    corrected: &mut Corrected,
    out: &mut Vec<String>,
    mut lenient: Option<&mut usize>,
) {
    let mine: BTreeMap<&str, &Member> = ours.iter().map(|m| (m.name.as_str(), m)).collect();
    let other: BTreeMap<&str, &Member> = theirs.iter().map(|m| (m.name.as_str(), m)).collect();
    for (name, t) in &other {
        let Some(m) = mine.get(name) else {
            out.push(format!("{at}: member {name}: upstream only"));
            continue;
        };
        if let Some(shape) = corrected_shape(&m.ty, named) {
            *corrected.compared.entry(shape).or_default() += 1;
        }
        match fit(&m.ty, &t.ty, named) {
            Fit::Same => {}
            Fit::Corrected(shape) => {
                corrected.differing.insert(shape);
            }
            Fit::Differs => out.push(format!(
                "{at}: member {name}: type {} upstream, {} in the spec",
                t.ty, m.ty
            )),
        }
        let differs = m.presence != t.presence;
        match (&m.correction, differs) {
            (Some(_), true) => {}
            (Some(_), false) => out.push(format!(
                "{at}: member {name}: its correction no longer applies, upstream now agrees"
            )),
            (None, false) => {}
            (None, true) if m.presence == Presence::Optional && lenient.is_some() => {
                if let Some(count) = lenient.as_deref_mut() {
                    *count += 1;
                }
            }
            (None, true) => out.push(format!(
                "{at}: member {name}: presence is {} upstream, {} in the spec",
                t.presence.as_str(),
                m.presence.as_str()
            )),
        }
    }
    for (name, m) in &mine {
        if !other.contains_key(name) && !m.china_only {
            out.push(format!("{at}: member {name}: in the spec only"));
        }
    }
}
