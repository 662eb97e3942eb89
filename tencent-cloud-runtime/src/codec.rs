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
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

/// A generated object type, read member by member from a map.
pub trait FromMembers: Sized {
    /// What the type is called in error messages (`struct TelCdrInfo`).
    const EXPECTING: &'static str;

    /// Reads the members of `map` into the type, counting in `filled` each
    /// promised member read as its default (see [`crate::deviation`]).
    fn from_members<'de, A: MapAccess<'de>>(map: A, filled: &Filled) -> Result<Self, A::Error>;
}

/// The number of promised members a decode read as their defaults, handed
/// down explicitly through [`Obj`] and the seeds around it.
#[derive(Debug, Default)]
pub struct Filled(Cell<u32>);

impl Filled {
    /// The default of `T`, counted as one member filled in.
    pub fn default_of<T: Default>(&self) -> T {
        self.0.set(self.0.get().saturating_add(1));
        T::default()
    }

    /// Members filled in so far.
    pub fn count(&self) -> u32 {
        self.0.get()
    }
}

/// The `Deserialize` impl of a [`FromMembers`] type: a JSON object. What it
/// fills in is not counted; read through [`Obj`] to count it.
pub fn object<'de, D: Deserializer<'de>, T: FromMembers>(deserializer: D) -> Result<T, D::Error> {
    Obj::<T>::new(&Filled::default()).deserialize(deserializer)
}

/// Reads an object type `T`, counting into the [`Filled`] it carries.
pub struct Obj<'f, T>(&'f Filled, PhantomData<fn() -> T>);

impl<'f, T> Obj<'f, T> {
    /// The seed of `T` counting into `filled`.
    pub fn new(filled: &'f Filled) -> Self {
        Obj(filled, PhantomData)
    }
}

impl<T> Clone for Obj<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Obj<'_, T> {}

impl<'de, T: FromMembers> DeserializeSeed<'de> for Obj<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: FromMembers> Visitor<'de> for Obj<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_members(map, self.0)
    }
}

/// Reads a list of what the seed `S` reads.
#[derive(Clone, Copy)]
pub struct List<S>(pub S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for List<S> {
    type Value = Vec<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for List<S> {
    type Value = Vec<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.0)? {
            items.push(item);
        }
        Ok(items)
    }
}

/// Reads what the seed `S` reads, or `null` as `None`.
#[derive(Clone, Copy)]
pub struct Opt<S>(pub S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Opt<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Opt<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// Reads what the seed `S` reads, into a `Box`.
#[derive(Clone, Copy)]
pub struct Boxed<S>(pub S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Boxed<S> {
    type Value = Box<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Box::new)
    }
}

/// Deserializes a request strictly: every member the spec requires, at any
/// depth (in shared types too, which read answers tolerantly, and lists), must
/// be there and not null, else the error names the first such member
/// (``missing required member `Staffs[0].StaffNumber` ``). The value's text is
/// captured whole first, so the check and its message do not depend on member
/// order; then the member loop reads it (a member of the type given twice in
/// one object is refused there). Requests are decoded by servers, replays and
/// tests, not on a client's path.
pub fn strict_request<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromMembers + deviation::Described,
{
    let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    let walk = deviation::Walk {
        members: T::members(),
        strict: true,
    };
    // A value of the wrong type somewhere is left to the decode below to
    // name.
    if let Some(first) = walk
        .deserialize(&mut serde_json::Deserializer::from_str(text))
        .ok()
        .and_then(|m| m.into_iter().next())
    {
        let what = match first.kind {
            deviation::DeviationKind::Null => "required member is null",
            _ => "missing required member",
        };
        return Err(de::Error::custom(format_args!("{what} `{}`", first.path)));
    }
    let read = object::<_, T>(&mut serde_json::Deserializer::from_str(text));
    read.map_err(|e| de::Error::custom(Unplaced(&e)))
}

/// A serde_json error without its position, which is in the captured text
/// rather than in the input the caller sees.
struct Unplaced<'e>(&'e serde_json::Error);

impl fmt::Display for Unplaced<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        let cut = text.rfind(" at line ").unwrap_or(text.len());
        f.write_str(&text[..cut])
    }
}

/// A type's member names, with a hash index over them built at compile time:
/// finding a key costs the same wherever it sits in the list, whatever the
/// order the members arrive in.
///
/// Measured with the decode bench (same build, the index switched off for a
/// search in order, interleaved runs on a quiet machine): the 1,000-record
/// `DescribeTelCdr` page, whose records list their members by name rather than
/// in the spec's order, decodes in 5.80 ms with it and 6.15 ms without (6 %
/// less). Answers in the spec's order hit the expected-next check of
/// [`Members`] first and gain nothing from it.
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

/// The slot hash of a member name: its first and last eight bytes (all of a
/// shorter one) and its length, multiplied once. A key read costs two loads
/// and a multiply instead of a multiply per byte; names of one type that
/// agree on all three only share a probe sequence, which the name check
/// behind every slot settles. Computed at compile time too, so it is a
/// `const fn`.
const fn hash(bytes: &[u8]) -> usize {
    let len = bytes.len();
    let (mut head, mut tail) = (0u64, 0u64);
    if len >= 8 {
        // Fixed-count byte loops: the optimiser makes each one load, and
        // compile-time evaluation runs them more cheaply than calls into
        // `first_chunk` and `from_le_bytes` (measured: 12.25 G against 12.39 G
        // instructions to compile the largest service crate).
        let mut i = 0;
        while i < 8 {
            head |= (bytes[i] as u64) << (8 * i);
            tail |= (bytes[len - 8 + i] as u64) << (8 * i);
            i += 1;
        }
    } else {
        let mut i = 0;
        while i < len {
            head |= (bytes[i] as u64) << (8 * i);
            i += 1;
        }
    }
    let h = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 40) as usize
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
        self.value_seed(map, slot, PhantomData)
    }

    /// Reads the value of the current key into `slot` with `seed`; a second
    /// value for the same member is an error.
    pub fn value_seed<'de, A, S>(
        &self,
        map: &mut A,
        slot: &mut Option<S::Value>,
        seed: S,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        S: DeserializeSeed<'de>,
    {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(self.keys.names[self.last]));
        }
        *slot = Some(map.next_value_seed(seed)?);
        Ok(())
    }

    /// Reads the value of a member the spec promises is never null: a `null`
    /// reads as the default and is counted in `filled`.
    pub fn filled<'de, A, T>(
        &self,
        map: &mut A,
        slot: &mut Option<T>,
        filled: &Filled,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Deserialize<'de> + Default,
    {
        self.filled_seed(map, slot, PhantomData::<T>, filled)
    }

    /// As [`Members::filled`], reading the value with `seed`.
    pub fn filled_seed<'de, A, S>(
        &self,
        map: &mut A,
        slot: &mut Option<S::Value>,
        seed: S,
        filled: &Filled,
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        S: DeserializeSeed<'de>,
        S::Value: Default,
    {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(self.keys.names[self.last]));
        }
        let value = map.next_value_seed(Opt(seed))?;
        *slot = Some(value.unwrap_or_else(|| filled.default_of()));
        Ok(())
    }

    /// Skips the value of a member the type does not have. It is read as a
    /// `serde_json::Value` and dropped, so the answer gets the verdict
    /// `Client::call` gives it: a member nested deeper than serde_json's limit
    /// (128) or holding a number no `f64` holds is an error for both, and the
    /// stack stays bounded. Conforming answers have no such members; a new one
    /// costs its parse.
    pub fn skip<'de, A: MapAccess<'de>>(&self, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<serde_json::Value>().map(drop)
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

    /// An index over `names` built at run time, `'static` as the generated
    /// ones are.
    fn leaked_keys(names: &[&'static str]) -> &'static Keys {
        Box::leak(Box::new(Keys::new(Box::leak(
            names.to_vec().into_boxed_slice(),
        ))))
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
            let keys = leaked_keys(&names);
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

    /// Names the slot hash cannot tell apart (the same first and last eight
    /// bytes and length) share one probe sequence and are still told apart,
    /// beside short names of every length under eight; so are keys that
    /// collide with them without being names.
    #[test]
    fn names_with_one_hash_are_told_apart() {
        let mut names: Vec<&'static str> = (0..40)
            .map(|i| &*Box::leak(format!("TimestampX{i:02}XStamp8ch").into_boxed_str()))
            .collect();
        names.extend(["", "A", "Ab", "Abc", "Abcd", "Abcde", "Abcdef", "Abcdefg"]);
        let colliding = names[..40].iter().map(|n| hash(n.as_bytes()) % SLOTS);
        assert_eq!(
            colliding.collect::<std::collections::BTreeSet<_>>().len(),
            1
        );
        let keys = leaked_keys(&names);
        for expected in [0, 17, names.len()] {
            let seed = KeySeed { keys, expected };
            for (i, name) in names.iter().enumerate() {
                assert_eq!(seed.index(name.as_bytes()), i, "{name}");
            }
            for other in [
                "TimestampX99XStamp8ch",
                "TimestampX0XStamp8ch",
                "Abcdefgh",
                "B",
            ] {
                assert_eq!(seed.index(other.as_bytes()), names.len(), "{other}");
            }
        }
    }
}
