//! Validating the `waiters` of `service.json` (see [`WaiterDef`]) against the
//! actions and types they name, and resolving them for the emitters.

use crate::diagnostic::{excerpt, Diagnostics};
use crate::model::{Action, Enum, Field, Object, VariantValue, Waiter};
use crate::spec::{DocSource, TypeRef, WaiterDef};
use serde_json::Value;
use std::collections::BTreeSet;

/// What the state member holds, as far as values go.
enum StateKind<'a> {
    Signed,
    Unsigned,
    Text,
    Enum(&'a Enum),
}

/// Checks every waiter of `defs` (from `file`), reporting problems as
/// `/waiters/<i>/...`; the waiters that passed, resolved.
pub(crate) fn check(
    defs: &[WaiterDef],
    file: &str,
    docs: DocSource,
    actions: &[Action],
    objects: &[Object],
    enums: &[Enum],
    diags: &mut Diagnostics,
) -> Vec<Waiter> {
    let mut names = BTreeSet::new();
    let mut out = Vec::new();
    for (i, w) in defs.iter().enumerate() {
        let at = format!("/waiters/{i}");
        let before = diags.0.len();
        if !is_kebab(&w.name) {
            diags.push(
                file,
                format!("{at}/name"),
                format!(
                    "waiter name `{}` is not kebab-case (lower-case words joined by `-`, starting with a letter)",
                    excerpt(&w.name)
                ),
            );
        } else if !names.insert(w.name.clone()) {
            diags.push(
                file,
                format!("{at}/name"),
                format!("duplicate waiter `{}`", excerpt(&w.name)),
            );
        }
        if docs == DocSource::Ours && w.doc.trim().is_empty() {
            diags.push(
                file,
                format!("{at}/doc"),
                format!("waiter `{}` needs a one-line doc", excerpt(&w.name)),
            );
        }
        let Some(action) = actions.iter().find(|a| a.name == w.action) else {
            diags.push(
                file,
                format!("{at}/action"),
                format!(
                    "waiter `{}`: unknown action `{}`: it must be defined under actions/",
                    excerpt(&w.name),
                    excerpt(&w.action)
                ),
            );
            continue;
        };
        let Some(path) = resolve_path(w, action, objects, file, &at, diags) else {
            continue;
        };
        let state = path.last().expect("a path has at least one member");
        let kind = match &state.ty {
            TypeRef::Int64 => Some(StateKind::Signed),
            TypeRef::Uint64 => Some(StateKind::Unsigned),
            TypeRef::String | TypeRef::Text(_) => Some(StateKind::Text),
            TypeRef::Named(n) => enums.iter().find(|e| &e.name == n).map(StateKind::Enum),
            _ => None,
        };
        let Some(kind) = kind else {
            diags.push(
                file,
                format!("{at}/state"),
                format!(
                    "waiter `{}`: the state `{}` of `{}` is a `{}`; a waiter reads an integer, a string or an enum",
                    excerpt(&w.name),
                    excerpt(&w.state),
                    action.name,
                    type_text(&state.ty)
                ),
            );
            continue;
        };
        if w.success.is_empty() {
            diags.push(
                file,
                format!("{at}/success"),
                format!(
                    "waiter `{}` needs at least one success value",
                    excerpt(&w.name)
                ),
            );
        }
        let mut listed: Vec<(VariantValue, &str)> = Vec::new();
        let mut lists = Vec::new();
        for (key, values) in [
            ("success", &w.success),
            ("failure", &w.failure),
            ("retry", &w.retry),
        ] {
            let mut resolved = Vec::new();
            for (j, v) in values.iter().enumerate() {
                let pointer = format!("{at}/{key}/{j}");
                let Some(value) = value_of(v, &kind) else {
                    diags.push(
                        file,
                        pointer,
                        format!(
                            "waiter `{}`: `{}` is not {}",
                            excerpt(&w.name),
                            excerpt(&v.to_string()),
                            expected(&kind, &state.wire)
                        ),
                    );
                    continue;
                };
                if let Some((_, first)) = listed.iter().find(|(x, _)| *x == value.0) {
                    let message = if *first == key {
                        format!(
                            "waiter `{}`: `{v}` is listed twice as a {key} value",
                            excerpt(&w.name)
                        )
                    } else {
                        format!(
                            "waiter `{}`: `{v}` is both a {first} and a {key} value",
                            excerpt(&w.name)
                        )
                    };
                    diags.push(file, pointer, message);
                    continue;
                }
                listed.push((value.0.clone(), key));
                resolved.push(value);
            }
            lists.push(resolved);
        }
        if diags.0.len() != before {
            continue;
        }
        let retry = lists.pop().unwrap_or_default();
        let failure = lists.pop().unwrap_or_default();
        let success = lists.pop().unwrap_or_default();
        out.push(Waiter {
            name: w.name.clone(),
            snake: w.name.replace('-', "_"),
            action: action.name.clone(),
            state_enum: match kind {
                StateKind::Enum(e) => Some(e.name.clone()),
                _ => None,
            },
            path,
            success,
            failure,
            retry,
            doc: w.doc.trim().to_owned(),
        });
    }
    out
}

fn is_kebab(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The members from `action`'s answer down to the state member.
fn resolve_path(
    w: &WaiterDef,
    action: &Action,
    objects: &[Object],
    file: &str,
    at: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<Field>> {
    let pointer = format!("{at}/state");
    let mut members: &[Field] = &action.output;
    let mut within = format!("the answer of `{}`", action.name);
    let mut path = Vec::new();
    let segments: Vec<&str> = w.state.split('.').collect();
    for (n, segment) in segments.iter().enumerate() {
        let Some(field) = members.iter().find(|f| f.wire == *segment) else {
            let known: Vec<&str> = members.iter().map(|f| f.wire.as_str()).collect();
            diags.push(
                file,
                pointer,
                format!(
                    "waiter `{}`: unknown member `{}` in {within} (it has {})",
                    excerpt(&w.name),
                    excerpt(segment),
                    excerpt(&known.join(", "))
                ),
            );
            return None;
        };
        path.push(field.clone());
        if n + 1 == segments.len() {
            break;
        }
        let object = match &field.ty {
            TypeRef::Named(name) => objects.iter().find(|o| &o.name == name),
            _ => None,
        };
        let Some(object) = object else {
            diags.push(
                file,
                pointer,
                format!(
                    "waiter `{}`: `{}` is a `{}`, not an object: the path `{}` cannot go through it",
                    excerpt(&w.name),
                    field.wire,
                    type_text(&field.ty),
                    excerpt(&w.state)
                ),
            );
            return None;
        };
        members = &object.fields;
        within = format!("object `{}`", object.name);
    }
    Some(path)
}

/// `v` as a value of the state, with the enum variant it names.
fn value_of(v: &Value, kind: &StateKind<'_>) -> Option<(VariantValue, Option<String>)> {
    match kind {
        StateKind::Signed => v.as_i64().map(|n| (VariantValue::Signed(n), None)),
        StateKind::Unsigned => v.as_u64().map(|n| (VariantValue::Unsigned(n), None)),
        StateKind::Text => v.as_str().map(|t| (VariantValue::Text(t.to_owned()), None)),
        StateKind::Enum(e) => e
            .variants
            .iter()
            .find(|variant| match &variant.value {
                VariantValue::Unsigned(n) => v.as_u64() == Some(*n),
                VariantValue::Signed(n) => v.as_i64() == Some(*n),
                VariantValue::Text(t) => v.as_str() == Some(t.as_str()),
            })
            .map(|variant| (variant.value.clone(), Some(variant.name.clone()))),
    }
}

fn expected(kind: &StateKind<'_>, member: &str) -> String {
    match kind {
        StateKind::Signed => format!("an int64, the type of `{member}`"),
        StateKind::Unsigned => format!("a uint64, the type of `{member}`"),
        StateKind::Text => format!("a string, the type of `{member}`"),
        StateKind::Enum(e) => {
            let values: Vec<String> = e
                .variants
                .iter()
                .map(|v| match &v.value {
                    VariantValue::Unsigned(n) => n.to_string(),
                    VariantValue::Signed(n) => n.to_string(),
                    VariantValue::Text(t) => format!("{t:?}"),
                })
                .collect();
            format!(
                "a value of enum `{}`, the type of `{member}` ({})",
                e.name,
                values.join(", ")
            )
        }
    }
}

fn type_text(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "string".into(),
        TypeRef::Int64 => "int64".into(),
        TypeRef::Uint64 => "uint64".into(),
        TypeRef::Float => "float".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Text(f) => f.name().into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::List(inner) => format!("list<{}>", type_text(inner)),
    }
}
