//! Answers that leave out what the spec promises.
//!
//! The real service sometimes omits a member the documentation says is always
//! there, or sends `null` for one it says is never null (one call record
//! without a `StaffNumber`, say). Failing the whole call for that would lose
//! the rest of the answer, so generated response types read such a member as
//! its type's default (`0`, `""`, an empty list, an object of defaults, an
//! enum's `Unknown` holding the wire type's zero value) — and the call says so:
//! the response's `deviations()` lists every member that was filled in, with
//! its path, and a `tracing` warning names them. A client built with
//! [`crate::ClientBuilder::strict_responses`] refuses such answers instead, as
//! the project's own tests do.
//!
//! Lists are the exception: servers leave empty lists out as a matter of
//! course, so an absent list reads as empty without a deviation (a `null` list
//! reads as empty too, and is reported).
//!
//! Filling is counted on the decoding thread while serde runs; only when the
//! count is not zero is the received answer walked, guided by the response
//! type's [`Member`] table, to name the members, so a conforming answer costs
//! nothing extra.

use serde_json::Value;
use std::cell::Cell;
use std::fmt;

/// At most this many deviations are listed per response; a page of records
/// that all lack one member would otherwise list each.
pub const MAX_LISTED: usize = 64;

thread_local! {
    static FILLED: Cell<u32> = const { Cell::new(0) };
}

/// A member that the spec promises but the answer did not carry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Deviation {
    /// Where, below `Response`: `TelCdrs[3].SeatUser.StaffNumber`.
    pub path: String,
    /// What the answer did.
    pub kind: DeviationKind,
}

/// How an answer deviated from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeviationKind {
    /// The member was left out.
    Missing,
    /// The member was `null`.
    Null,
    /// The answer held bytes that are not UTF-8, read as U+FFFD; the path is
    /// empty (the whole answer).
    NotUtf8,
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DeviationKind::Missing => "missing",
            DeviationKind::Null => "null",
            DeviationKind::NotUtf8 => {
                return f.write_str("bytes that are not UTF-8, read as U+FFFD")
            }
        };
        write!(f, "`{}` {what}", self.path)
    }
}

/// A generated response type: it can report the members its answer lacked.
pub trait ActionResponse: serde::de::DeserializeOwned + Described {
    /// The members the answer left out or sent as null although the spec
    /// promises them; empty for an answer that matches the spec.
    fn deviations(&self) -> &[Deviation];

    /// Records the deviations found while decoding.
    #[doc(hidden)]
    fn set_deviations(&mut self, deviations: Vec<Deviation>);
}

/// A generated type that may sit in an answer: its members, for naming what
/// an answer lacked.
#[doc(hidden)]
pub trait Described {
    /// The type's members, sorted by wire name.
    fn members() -> &'static [Member];
}

/// One member of a generated type that may sit in an answer: the data the
/// deviation walk needs, generated as a table rather than as code.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// Wire name.
    pub wire: &'static str,
    /// What the spec says of its presence.
    pub rule: Rule,
    /// The members of its object type (of the items, for a list), if it is one.
    pub nested: Option<fn() -> &'static [Member]>,
}

/// What the spec promises about a member's presence.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// May be absent or null: never a deviation itself.
    Optional,
    /// A list: absent reads as empty silently, `null` is a deviation.
    List,
    /// Promised present and not null.
    Promised,
}

/// Serde `default` of a member the spec promises: counts the filling.
#[doc(hidden)]
pub fn absent<T: Default>() -> T {
    note_filled();
    T::default()
}

/// Counts one member filled in. Not generic, so the thread-local access is
/// compiled once rather than once per member type.
fn note_filled() {
    FILLED.with(|n| n.set(n.get().saturating_add(1)));
}

/// Sets the count of members filled in on this thread, returning the old one.
fn swap_filled(count: u32) -> u32 {
    FILLED.with(|n| n.replace(count))
}

/// Runs `decode` (a serde decode of a generated type on this thread) and
/// returns its result with the number of promised members it filled in.
pub fn count_filled<T>(decode: impl FnOnce() -> T) -> (T, u32) {
    let before = swap_filled(0);
    let out = decode();
    let filled = swap_filled(before);
    (out, filled)
}

/// Names the members of `received` (the answer's `Response` object, which
/// decoded as a type with `members`) that were filled in: promised, but
/// absent or null. Within an object, members are listed by wire name.
pub(crate) fn find(members: &[Member], received: &Value) -> Vec<Deviation> {
    let mut found = Vec::new();
    walk(
        Some(members),
        received,
        &mut String::new(),
        false,
        &mut found,
    );
    found
}

/// What a request (`received`, decoded as a type with `members`) lacks:
/// every required member absent or null at any depth, required lists
/// included — a request is what a caller sends, so nothing is read in its
/// place.
pub(crate) fn missing_in_request(members: &[Member], received: &Value) -> Vec<Deviation> {
    let mut found = Vec::new();
    walk(
        Some(members),
        received,
        &mut String::new(),
        true,
        &mut found,
    );
    found
}

fn walk(
    members: Option<&[Member]>,
    received: &Value,
    path: &mut String,
    strict: bool,
    found: &mut Vec<Deviation>,
) {
    if found.len() >= MAX_LISTED {
        return;
    }
    match (members, received) {
        (Some(members), Value::Object(r)) => {
            for m in members {
                let nested = m.nested.map(|members| members());
                let len = path.len();
                push_name(path, m.wire);
                match (m.rule, r.get(m.wire)) {
                    (_, Some(Value::Null)) if m.rule != Rule::Optional => found.push(Deviation {
                        path: path.clone(),
                        kind: DeviationKind::Null,
                    }),
                    (Rule::Promised, None) => found.push(Deviation {
                        path: path.clone(),
                        kind: DeviationKind::Missing,
                    }),
                    (Rule::List, None) if strict => found.push(Deviation {
                        path: path.clone(),
                        kind: DeviationKind::Missing,
                    }),
                    (_, Some(rv)) => walk(nested, rv, path, strict, found),
                    (_, None) => {}
                }
                path.truncate(len);
                if found.len() >= MAX_LISTED {
                    return;
                }
            }
        }
        (_, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(members, item, path, strict, found);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn push_name(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const fn member(wire: &'static str, rule: Rule) -> Member {
        Member {
            wire,
            rule,
            nested: None,
        }
    }

    fn obj() -> &'static [Member] {
        const M: &[Member] = &[member("A", Rule::Promised), member("B", Rule::Promised)];
        M
    }

    fn user() -> &'static [Member] {
        const M: &[Member] = &[member("StaffNumber", Rule::Promised)];
        M
    }

    fn record() -> &'static [Member] {
        const M: &[Member] = &[Member {
            nested: Some(user),
            ..member("User", Rule::Promised)
        }];
        M
    }

    #[test]
    fn names_filled_members_at_any_depth() {
        let members = [
            member("Count", Rule::Promised),
            member("List", Rule::List),
            member("Name", Rule::Promised),
            member("Nulled", Rule::List),
            Member {
                nested: Some(obj),
                ..member("Obj", Rule::Promised)
            },
            Member {
                nested: Some(obj),
                ..member("Opt", Rule::Optional)
            },
            Member {
                nested: Some(record),
                ..member("Records", Rule::List)
            },
        ];
        let received = json!({
            "Count": null, "Obj": {"B": "b"}, "Nulled": null, "Opt": null,
            "Records": [{"User": {}}, {"User": {"StaffNumber": "7"}}]
        });
        let found: Vec<String> = find(&members, &received)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "`Count` null",
                "`Name` missing",
                "`Nulled` null",
                "`Obj.A` missing",
                "`Records[0].User.StaffNumber` missing"
            ]
        );
        // An optional object that is there is walked too.
        let received = json!({"Count": 1, "Name": "n", "Obj": {"A": 1, "B": 2}, "Opt": {"A": 1}});
        let found: Vec<String> = find(&members, &received)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, ["`Opt.B` missing"]);
    }

    #[test]
    fn the_list_is_bounded() {
        fn item() -> &'static [Member] {
            const M: &[Member] = &[member("A", Rule::Promised)];
            M
        }
        let members = [Member {
            nested: Some(item),
            ..member("R", Rule::List)
        }];
        let received = json!({"R": vec![json!({}); 1000]});
        assert_eq!(find(&members, &received).len(), MAX_LISTED);
    }

    #[test]
    fn counting_nests_and_restores() {
        let (_, outer) = count_filled(|| {
            let _: u8 = absent();
            let (_, inner) = count_filled(absent::<u8>);
            assert_eq!(inner, 1);
            let _: u8 = absent();
        });
        assert_eq!(outer, 2);
    }
}
