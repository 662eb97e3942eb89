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

/// The member names of one type, read key by key: each key is given as its
/// index in `names` (`names.len()` for a member the type does not have).
///
/// Answers list their members in the spec's order, so the search starts just
/// after the previous match and usually succeeds at its first comparison.
pub struct Members {
    names: &'static [&'static str],
    next: usize,
    last: usize,
}

impl Members {
    /// Keys of a type whose members are `names`, in the spec's order.
    pub fn new(names: &'static [&'static str]) -> Self {
        Members {
            names,
            next: 0,
            last: 0,
        }
    }

    /// The index of the next key of `map`, or `None` at the end of the map.
    pub fn next_key<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<Option<usize>, A::Error> {
        let index = map.next_key_seed(KeySeed {
            names: self.names,
            from: self.next,
        })?;
        if let Some(i) = index {
            self.last = i;
            if i < self.names.len() {
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
            return Err(de::Error::duplicate_field(self.names[self.last]));
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
            return Err(de::Error::duplicate_field(self.names[self.last]));
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
        slot.ok_or_else(|| E::missing_field(self.names[index]))
    }
}

/// Finds a key's index, starting at `from` and wrapping around.
struct KeySeed {
    names: &'static [&'static str],
    from: usize,
}

impl KeySeed {
    fn index(&self, key: &[u8]) -> usize {
        let from = self.from.min(self.names.len());
        let (head, tail) = self.names.split_at(from);
        tail.iter()
            .position(|n| n.as_bytes() == key)
            .map(|i| i + from)
            .or_else(|| head.iter().position(|n| n.as_bytes() == key))
            .unwrap_or(self.names.len())
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

    #[test]
    fn keys_are_found_from_any_start() {
        let names = &["A", "B", "C"];
        for from in 0..=4 {
            let seed = |from| KeySeed { names, from };
            assert_eq!(seed(from).index(b"A"), 0);
            assert_eq!(seed(from).index(b"B"), 1);
            assert_eq!(seed(from).index(b"C"), 2);
            assert_eq!(seed(from).index(b"D"), 3);
            assert_eq!(seed(from).index(b""), 3);
        }
        assert_eq!(KeySeed { names: &[], from: 0 }.index(b"A"), 0);
    }
}
