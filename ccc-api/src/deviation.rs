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
//! count is not zero is the answer compared with the decoded value to name the
//! members, so a conforming answer costs nothing extra.

use serde::{Deserialize, Deserializer, Serialize};
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
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DeviationKind::Missing => "missing",
            DeviationKind::Null => "null",
        };
        write!(f, "`{}` {what}", self.path)
    }
}

/// A generated response type: it can report the members its answer lacked.
pub trait ActionResponse: Serialize + serde::de::DeserializeOwned {
    /// The members the answer left out or sent as null although the spec
    /// promises them; empty for an answer that matches the spec.
    fn deviations(&self) -> &[Deviation];

    /// Records the deviations found while decoding.
    #[doc(hidden)]
    fn set_deviations(&mut self, deviations: Vec<Deviation>);
}

/// Serde `default` of a member the spec promises: counts the filling.
#[doc(hidden)]
pub fn absent<T: Default>() -> T {
    FILLED.with(|n| n.set(n.get().saturating_add(1)));
    T::default()
}

/// Serde `deserialize_with` of a member the spec promises is never null: a
/// `null` reads as the default, and is counted.
#[doc(hidden)]
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(value),
        None => Ok(absent()),
    }
}

/// Serde `deserialize_with` of a list: `null` reads as empty and is counted
/// (an absent list reads as empty through `default`, uncounted: servers leave
/// empty lists out).
#[doc(hidden)]
pub fn null_as_empty<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(list) => Ok(list),
        None => Ok(absent()),
    }
}

/// Runs `decode` (a serde decode of a generated type on this thread) and
/// returns its result with the number of promised members it filled in.
pub fn count_filled<T>(decode: impl FnOnce() -> T) -> (T, u32) {
    let before = FILLED.with(|n| n.replace(0));
    let out = decode();
    let filled = FILLED.with(|n| n.replace(before));
    (out, filled)
}

/// Names the members of `received` (the answer's `Response` object) that were
/// filled in to make `decoded` (the same answer, decoded and serialized
/// again): present in `decoded` with a value, but absent or null in
/// `received`. Lists and `null`s in `decoded` are never deviations.
pub(crate) fn find(decoded: &Value, received: &Value) -> Vec<Deviation> {
    let mut found = Vec::new();
    walk(decoded, received, &mut String::new(), &mut found);
    found
}

fn walk(decoded: &Value, received: &Value, path: &mut String, found: &mut Vec<Deviation>) {
    if found.len() >= MAX_LISTED {
        return;
    }
    match (decoded, received) {
        (Value::Object(d), Value::Object(r)) => {
            for (name, value) in d {
                if value.is_null() || value.is_array() {
                    if let (Value::Array(_), Some(rv)) = (value, r.get(name)) {
                        let len = path.len();
                        push_name(path, name);
                        if rv.is_null() {
                            found.push(Deviation {
                                path: path.clone(),
                                kind: DeviationKind::Null,
                            });
                        } else {
                            walk(value, rv, path, found);
                        }
                        path.truncate(len);
                    }
                    continue;
                }
                let len = path.len();
                push_name(path, name);
                match r.get(name) {
                    None => found.push(Deviation {
                        path: path.clone(),
                        kind: DeviationKind::Missing,
                    }),
                    Some(Value::Null) => found.push(Deviation {
                        path: path.clone(),
                        kind: DeviationKind::Null,
                    }),
                    Some(rv) => walk(value, rv, path, found),
                }
                path.truncate(len);
                if found.len() >= MAX_LISTED {
                    return;
                }
            }
        }
        (Value::Array(d), Value::Array(r)) => {
            for (i, (dv, rv)) in d.iter().zip(r).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(dv, rv, path, found);
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

    #[test]
    fn names_filled_members_at_any_depth() {
        let decoded = json!({
            "Name": "", "Count": 0, "Opt": null, "List": [], "Obj": {"A": 0, "B": "b"},
            "Records": [{"User": {"StaffNumber": ""}}, {"User": {"StaffNumber": "7"}}],
            "Nulled": []
        });
        let received = json!({
            "Count": null, "Obj": {"B": "b"}, "Nulled": null,
            "Records": [{"User": {}}, {"User": {"StaffNumber": "7"}}]
        });
        let found: Vec<String> = find(&decoded, &received)
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
    }

    #[test]
    fn the_list_is_bounded() {
        let decoded = json!({"R": vec![json!({"A": 1}); 1000]});
        let received = json!({"R": vec![json!({}); 1000]});
        assert_eq!(find(&decoded, &received).len(), MAX_LISTED);
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
