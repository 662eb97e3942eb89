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
//! The decode counts what it fills in, in a `codec::Filled` it is handed; only
//! when the count is not zero is the text walked again along the type's
//! [`Member`] table to name them (skipping other members, whatever they hold),
//! so a conforming answer costs nothing extra.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// At most this many deviations are listed per response; a page of records
/// that all lack one member would otherwise list each.
pub const MAX_LISTED: usize = 64;

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
pub trait ActionResponse:
    serde::de::DeserializeOwned + Described + crate::codec::FromMembers
{
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

impl Member {
    /// A member promised present and not null.
    pub const fn promised(wire: &'static str) -> Member {
        Member {
            wire,
            rule: Rule::Promised,
            nested: None,
        }
    }

    /// A member that may be absent or null.
    pub const fn optional(wire: &'static str) -> Member {
        Member {
            wire,
            rule: Rule::Optional,
            nested: None,
        }
    }

    /// A promised list.
    pub const fn list(wire: &'static str) -> Member {
        Member {
            wire,
            rule: Rule::List,
            nested: None,
        }
    }

    /// This member, holding values (or lists of values) of the object type `T`.
    pub const fn of<T: Described>(self) -> Member {
        Member {
            nested: Some(T::members),
            ..self
        }
    }
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

/// The walk naming what an answer or a request lacks, as a seed over its
/// JSON, which decoded (or, for a request, is about to decode) as a type with
/// `members`: each promised member absent or null, at any depth; each
/// object's absent members follow the members it holds. It fails only where
/// the typed decode fails too.
pub(crate) struct Walk {
    pub members: &'static [Member],
    /// Whether an absent list counts too: for a request, what a caller sends,
    /// nothing is read in place of what it lacks.
    pub strict: bool,
}

impl<'de> DeserializeSeed<'de> for Walk {
    type Value = Vec<Deviation>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Deviation>, D::Error> {
        let mut state = State {
            path: String::new(),
            strict: self.strict,
            found: Vec::new(),
        };
        Value {
            members: Some(self.members),
            rule: Rule::Optional,
            state: &mut state,
        }
        .deserialize(d)?;
        Ok(state.found)
    }
}

/// What the walk carries from value to value.
struct State {
    /// Where the walk is, below `Response`.
    path: String,
    /// Whether an absent list counts too (requests).
    strict: bool,
    found: Vec<Deviation>,
}

impl State {
    fn note(&mut self, kind: DeviationKind) {
        if self.found.len() < MAX_LISTED {
            self.found.push(Deviation {
                path: self.path.clone(),
                kind,
            });
        }
    }
}

/// One value in the walk: of a member with `rule`, of a type with `members`
/// when it is an object type (of its items, for a list).
struct Value<'s> {
    members: Option<&'static [Member]>,
    rule: Rule,
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for Value<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.members.is_some() {
            // An object, a list of them, or null: the typed decode read it
            // as one.
            d.deserialize_any(self)
        } else {
            // A value with nothing inside to name: only `null` matters, and
            // whatever else is there is skipped without being built.
            d.deserialize_option(self)
        }
    }
}

impl<'de> Visitor<'de> for Value<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, a list or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        if self.rule != Rule::Optional {
            self.state.note(DeviationKind::Null);
        }
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_ignored_any(IgnoredAny).map(|_| ())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let len = self.state.path.len();
            self.state.path.push_str(&format!("[{i}]"));
            let item = Value {
                members: self.members,
                rule: Rule::Optional,
                state: &mut *self.state,
            };
            let more = seq.next_element_seed(item)?.is_some();
            self.state.path.truncate(len);
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let members = self.members.unwrap_or(&[]);
        let mut seen = vec![false; members.len()];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            // Tables are sorted by wire name.
            let Ok(i) = members.binary_search_by(|m| m.wire.cmp(&key)) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let m = &members[i];
            seen[i] = true;
            let len = self.state.path.len();
            push_name(&mut self.state.path, m.wire);
            map.next_value_seed(Value {
                members: m.nested.map(|nested| nested()),
                rule: m.rule,
                state: &mut *self.state,
            })?;
            self.state.path.truncate(len);
        }
        for (m, _) in members.iter().zip(seen).filter(|(_, seen)| !seen) {
            if m.rule == Rule::Promised || (m.rule == Rule::List && self.state.strict) {
                let len = self.state.path.len();
                push_name(&mut self.state.path, m.wire);
                self.state.note(DeviationKind::Missing);
                self.state.path.truncate(len);
            }
        }
        Ok(())
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
        let members: &'static [Member] = Box::leak(Box::new(members));
        let text = r#"{
            "Count": null, "Obj": {"B": "b"}, "Nulled": null, "Opt": null,
            "Records": [{"User": {}}, {"User": {"StaffNumber": "7"}}]
        }"#;
        let found = |text: &str| -> Vec<String> {
            let mut de = serde_json::Deserializer::from_str(text);
            Walk {
                members,
                strict: false,
            }
            .deserialize(&mut de)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect()
        };
        assert_eq!(
            found(text),
            [
                "`Count` null",
                "`Obj.A` missing",
                "`Nulled` null",
                "`Records[0].User.StaffNumber` missing",
                "`Name` missing",
            ]
        );
        // An optional object that is there is walked too.
        let text = r#"{"Count": 1, "Name": "n", "Obj": {"A": 1, "B": 2}, "Opt": {"A": 1}}"#;
        assert_eq!(found(text), ["`Opt.B` missing"]);
        // Unknown members are skipped whatever they hold: numbers no float
        // holds, nesting far deeper than serde_json builds values to.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let text = format!(r#"{{"X": {deep}, "Y": 1e400, "Count": 1, "Obj": {{"Z": {deep}}}}}"#);
        assert_eq!(
            found(&text),
            ["`Obj.A` missing", "`Obj.B` missing", "`Name` missing"]
        );
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
        let members: &'static [Member] = Box::leak(Box::new(members));
        let received = json!({"R": vec![json!({}); 1000]});
        let found = Walk {
            members,
            strict: false,
        }
        .deserialize(&received)
        .unwrap();
        assert_eq!(found.len(), MAX_LISTED);
    }
}
