//! What the generated `Deserialize` impls of objects call.
//!
//! serde's derive expands, per struct, to a field-identifier enum with its own
//! visitor, a sequence visitor beside the map one, and a wrapper type with its
//! own `Deserialize` impl for every member read through `deserialize_with`.
//! Over a few hundred generated types that was most of the crate's compile
//! time. Here the per-type part is only the member loop (one `match` on the
//! member's index); finding the index, duplicate and missing checks, and the
//! tolerant reading of promised members are generic and shared by all types.
//!
//! The semantics are the derive's for JSON objects: a repeated member is an
//! error, unknown members are ignored, a missing required member is an error
//! naming it. Only objects are accepted (the derive also took arrays, by
//! position, which no JSON API sends).

use crate::deviation;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// A generated object type, read member by member from a map.
pub trait FromMembers: Sized {
    /// What the type is called in error messages (`struct TelCdrInfo`).
    const EXPECTING: &'static str;

    /// Reads the members of `map` into the type.
    fn from_members<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The `Deserialize` impl of a [`FromMembers`] type: a JSON object.
pub fn object<'de, D: Deserializer<'de>, T: FromMembers>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromMembers> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_members(map)
    }
}

/// A type's member names, with a hash index over them built at compile time:
/// finding a key costs the same wherever it sits in the list, whatever the
/// order the members arrive in.
pub struct Keys {
    names: &'static [&'static str],
    /// Open addressing by [`hash`]: `0` is empty, else the name's index + 1.
    slots: [u8; SLOTS],
}

/// Slots of a [`Keys`] index; types with more than half as many members are
/// searched in order instead (none in the spec comes close).
const SLOTS: usize = 128;

impl Keys {
    /// The index over `names` (in the spec's order).
    pub const fn new(names: &'static [&'static str]) -> Keys {
        let mut slots = [0u8; SLOTS];
        if names.len() <= SLOTS / 2 {
            let mut i = 0;
            while i < names.len() {
                let mut at = hash(names[i].as_bytes()) % SLOTS;
                while slots[at] != 0 {
                    at = (at + 1) % SLOTS;
                }
                // At most SLOTS / 2 names: the index fits.
                slots[at] = (i + 1) as u8;
                i += 1;
            }
        }
        Keys { names, slots }
    }

    /// The index of `key` among the names, or `names.len()` for another key.
    fn index(&self, key: &[u8]) -> usize {
        let missing = self.names.len();
        if self.names.len() > SLOTS / 2 {
            return self
                .names
                .iter()
                .position(|n| n.as_bytes() == key)
                .unwrap_or(missing);
        }
        // At least half the slots are empty, so the probe ends.
        let mut at = hash(key) % SLOTS;
        loop {
            match self.slots[at] {
                0 => return missing,
                slot => {
                    let i = usize::from(slot) - 1;
                    if self.names[i].as_bytes() == key {
                        return i;
                    }
                }
            }
            at = (at + 1) % SLOTS;
        }
    }
}

/// FNV-1a: short keys, computed at compile time and per key read.
const fn hash(bytes: &[u8]) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    (h ^ (h >> 32)) as usize
}

/// The member names of one type, read key by key: each key is given as its
/// index in the names (`names.len()` for a member the type does not have).
///
/// Answers list their members in the spec's order, so the key expected next
/// is compared first; any other is found through the index.
pub struct Members {
    keys: &'static Keys,
    next: usize,
    last: usize,
}

impl Members {
    /// Keys of a type.
    pub fn new(keys: &'static Keys) -> Self {
        Members {
            keys,
            next: 0,
            last: 0,
        }
    }

    /// The index of the next key of `map`, or `None` at the end of the map.
    pub fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<usize>, A::Error> {
        let index = map.next_key_seed(KeySeed {
            keys: self.keys,
            expected: self.next,
        })?;
        if let Some(i) = index {
            self.last = i;
            if i < self.keys.names.len() {
                self.next = i + 1;
            }
        }
        Ok(index)
    }

    /// Reads the value of the current key into `slot`; a second value for
    /// the same member is an error.
    pub fn value<'de, A, T>(&self, map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Deserialize<'de>,
    {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(self.keys.names[self.last]));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }

    /// Reads the value of a member the spec promises is never null: a `null`
    /// reads as the default and is counted (see [`crate::deviation`]).
    pub fn filled<'de, A, T>(&self, map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Deserialize<'de> + Default,
    {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(self.keys.names[self.last]));
        }
        let value: Option<T> = map.next_value()?;
        *slot = Some(value.unwrap_or_else(deviation::absent));
        Ok(())
    }

    /// Skips the value of a member the type does not have.
    pub fn skip<'de, A: MapAccess<'de>>(&self, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(|_| ())
    }

    /// A required member's value; missing, it is an error naming it.
    pub fn required<T, E: de::Error>(&self, slot: Option<T>, index: usize) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(self.keys.names[index]))
    }
}

/// Finds a key's index: the one expected next first, then by the index.
struct KeySeed {
    keys: &'static Keys,
    expected: usize,
}

impl KeySeed {
    fn index(&self, key: &[u8]) -> usize {
        match self.keys.names.get(self.expected) {
            Some(name) if name.as_bytes() == key => self.expected,
            _ => self.keys.index(key),
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.index(key.as_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self.index(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deviation::{absent, count_filled};
    use crate::operation::create_auto_callout_task::CreateAutoCalloutTaskRequest;
    use crate::types::{AICallExtractConfigElement, AICallExtractConfigElementInfoType};
    use crate::CompactString;

    /// What serde's derive made of a request before (strict: a missing
    /// required member is an error, a missing list is empty).
    #[derive(serde::Deserialize, Debug)]
    struct DerivedRequest {
        #[serde(rename = "SdkAppId")]
        sdk_app_id: u64,
        #[serde(rename = "NotBefore")]
        not_before: i64,
        #[serde(rename = "Callees", default)]
        callees: Vec<CompactString>,
        #[serde(rename = "Callers", default)]
        callers: Vec<CompactString>,
        #[serde(rename = "Name", default)]
        name: Option<CompactString>,
        #[serde(rename = "Tries", default)]
        tries: Option<u64>,
    }

    fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
        d: D,
    ) -> Result<T, D::Error> {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_else(absent))
    }

    /// What serde's derive made of a type that may sit in an answer before
    /// (tolerant: promised members missing or null read as defaults, counted).
    #[derive(serde::Deserialize, Debug)]
    struct DerivedShared {
        #[serde(
            rename = "InfoType",
            default = "absent",
            deserialize_with = "null_as_default"
        )]
        info_type: AICallExtractConfigElementInfoType,
        #[serde(
            rename = "InfoName",
            default = "absent",
            deserialize_with = "null_as_default"
        )]
        info_name: CompactString,
        #[serde(rename = "InfoContent", default)]
        info_content: Option<CompactString>,
        #[serde(rename = "Examples", default)]
        examples: Option<Vec<CompactString>>,
    }

    /// Random objects over the members above (and others, duplicated,
    /// escaped, of every JSON type), reproducible from the seed.
    fn objects(keys: &[&str], count: usize) -> Vec<String> {
        let values = [
            "null",
            "0",
            "7",
            "-1",
            "1.5",
            "\"s\"",
            "\"\"",
            "[]",
            "[\"a\"]",
            "[1]",
            "{}",
            "true",
            "\"Small\"",
            "{\"A\":[null]}",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        (0..count)
            .map(|_| {
                let members: Vec<String> = (0..next(8))
                    .map(|_| {
                        format!(
                            "\"{}\":{}",
                            keys[next(keys.len())],
                            values[next(values.len())]
                        )
                    })
                    .collect();
                format!("{{{}}}", members.join(","))
            })
            .collect()
    }

    #[test]
    fn requests_decode_as_the_derive_did() {
        let keys = [
            "SdkAppId",
            "NotBefore",
            "Callees",
            "Callers",
            "Name",
            "Tries",
            "Other",
            "sdkappid",
            "\\u0053dkAppId",
            "\\u004eame",
        ];
        // Half the objects start with both required members, so that both
        // outcomes are frequent.
        let cases: Vec<String> = objects(&keys, 4000)
            .into_iter()
            .enumerate()
            .map(|(i, c)| match (i % 2, c.as_str()) {
                (0, "{}") => r#"{"SdkAppId":1,"NotBefore":2}"#.to_owned(),
                (0, _) => format!(r#"{{"SdkAppId":1,"NotBefore":2,{}"#, &c[1..]),
                _ => c,
            })
            .collect();
        let mut decoded = 0;
        for text in &cases {
            let ours = serde_json::from_str::<CreateAutoCalloutTaskRequest>(text);
            let theirs = serde_json::from_str::<DerivedRequest>(text);
            match (ours, theirs) {
                (Ok(o), Ok(t)) => {
                    decoded += 1;
                    assert_eq!(
                        (
                            o.sdk_app_id,
                            o.not_before,
                            &o.callees,
                            &o.callers,
                            &o.name,
                            o.tries
                        ),
                        (
                            t.sdk_app_id,
                            t.not_before,
                            &t.callees,
                            &t.callers,
                            &t.name,
                            t.tries
                        ),
                        "{text}"
                    );
                }
                (Err(o), Err(t)) => assert_eq!(o.to_string(), t.to_string(), "{text}"),
                (o, t) => panic!("{text}: ours {o:?}, the derive's {t:?}"),
            }
        }
        // The table reaches both outcomes.
        assert!(decoded > 20 && decoded < cases.len() - 20, "{decoded}");
    }

    #[test]
    fn shared_types_decode_and_count_as_the_derive_did() {
        let keys = [
            "InfoType",
            "InfoName",
            "InfoContent",
            "Examples",
            "Other",
            "\\u0049nfoName",
        ];
        let cases = objects(&keys, 4000);
        let mut filled_cases = 0;
        for text in &cases {
            let (ours, ours_filled) =
                count_filled(|| serde_json::from_str::<AICallExtractConfigElement>(text));
            let (theirs, theirs_filled) =
                count_filled(|| serde_json::from_str::<DerivedShared>(text));
            match (ours, theirs) {
                (Ok(o), Ok(t)) => {
                    assert_eq!(ours_filled, theirs_filled, "{text}");
                    filled_cases += usize::from(ours_filled > 0);
                    assert_eq!(
                        (&o.info_type, &o.info_name, &o.info_content, &o.examples),
                        (&t.info_type, &t.info_name, &t.info_content, &t.examples),
                        "{text}"
                    );
                }
                (Err(o), Err(t)) => assert_eq!(o.to_string(), t.to_string(), "{text}"),
                (o, t) => panic!("{text}: ours {o:?}, the derive's {t:?}"),
            }
        }
        assert!(filled_cases > 20, "{filled_cases}");
    }

    #[test]
    fn only_objects_are_read() {
        let e = serde_json::from_str::<AICallExtractConfigElement>(r#"["Small", "n"]"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("expected struct AICallExtractConfigElement"),
            "{e}"
        );
    }

    /// Every name is found from every expected position, in sets from empty
    /// to past the size the index serves (searched in order there), with
    /// names that share prefixes and lengths; other keys are not found.
    #[test]
    fn keys_are_found_from_any_start() {
        for size in [0usize, 1, 2, 3, 10, 45, 63, 64, 65, 90] {
            let names: Vec<&'static str> = (0..size)
                .map(|i| {
                    &*Box::leak(format!("Member{}{}", i % 7, "x".repeat(i / 7)).into_boxed_str())
                })
                .collect();
            let keys: &'static Keys = Box::leak(Box::new(Keys::new(Box::leak(
                names.clone().into_boxed_slice(),
            ))));
            for expected in 0..=size + 1 {
                let seed = KeySeed { keys, expected };
                for (i, name) in names.iter().enumerate() {
                    assert_eq!(seed.index(name.as_bytes()), i, "{name} in {size}");
                }
                for other in [
                    "",
                    "Member",
                    "member0",
                    "Member0xx_",
                    "Member7",
                    "RequestId",
                ] {
                    let found = names.iter().position(|n| *n == other).unwrap_or(size);
                    assert_eq!(seed.index(other.as_bytes()), found, "{other} in {size}");
                }
            }
        }
    }
}
