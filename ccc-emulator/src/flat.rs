//! Flattened parameters (`Callees.0=...&Variables.1.Name=...`, as the official
//! SDKs send a `GET` or a form-encoded request) turned back into the JSON body
//! the action takes.
//!
//! Every value arrives as text; which ones are numbers or booleans comes from
//! the action's request type: the pairs are built into a tree, and the
//! generated request type is deserialized from it with a deserializer that
//! converts a text leaf to whatever type the request type asks for at that
//! place, writing the converted value into the JSON. Leaves the type does not
//! know (an unknown member) and text that does not convert stay strings, so
//! that the body check afterwards refuses them with the usual error codes.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Flattened pairs as a tree.
#[derive(Debug)]
enum Node {
    Leaf(String),
    Map(BTreeMap<String, Node>),
    List(Vec<Node>),
}

/// Why pairs do not make a tree.
pub type Conflict = String;

/// The JSON body of `action` for these pairs.
pub fn to_json(action: &str, pairs: &[(String, String)]) -> Result<Value, Conflict> {
    let mut root = BTreeMap::new();
    for (key, value) in pairs {
        insert(&mut root, key, value)?;
    }
    let root = lists(Node::Map(root));
    let mut out = plain(&root);
    struct Probe<'a>(&'a Node, &'a mut Value);
    impl ccc_api::ActionVisitor for Probe<'_> {
        type Output = ();
        fn visit<A: ccc_api::RoundTripAction>(self) {
            // The outcome is not needed: what could be converted is in the
            // JSON. Read member by member, without the strict check (which
            // reads the whole value first and so would see only text).
            let _ = ccc_api::runtime::codec::object::<_, A>(Leaves {
                node: self.0,
                out: self.1,
            });
        }
    }
    ccc_api::operation::visit(action, Probe(&root, &mut out));
    Ok(out)
}

fn insert(map: &mut BTreeMap<String, Node>, key: &str, value: &str) -> Result<(), Conflict> {
    let conflict = || format!("parameter `{key}` is given both as a value and as a structure");
    match key.split_once('.') {
        None => match map.insert(key.to_owned(), Node::Leaf(value.to_owned())) {
            Some(Node::Map(_)) => Err(conflict()),
            _ => Ok(()),
        },
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_owned())
                .or_insert_with(|| Node::Map(BTreeMap::new()));
            match entry {
                Node::Map(inner) => insert(inner, rest, value),
                _ => Err(conflict()),
            }
        }
    }
}

/// Maps whose keys are all indexes become lists, in index order.
fn lists(node: Node) -> Node {
    match node {
        Node::Map(map) => {
            let indexed = !map.is_empty()
                && map
                    .keys()
                    .all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
            if indexed {
                let mut items: Vec<(u128, Node)> = map
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap_or(u128::MAX), lists(v)))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Node::List(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Node::Map(map.into_iter().map(|(k, v)| (k, lists(v))).collect())
            }
        }
        other => other,
    }
}

/// The tree as JSON with every leaf a string.
fn plain(node: &Node) -> Value {
    match node {
        Node::Leaf(s) => Value::String(s.clone()),
        Node::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), plain(v))).collect()),
        Node::List(l) => Value::Array(l.iter().map(plain).collect()),
    }
}

/// Deserializes from a tree node, converting text leaves to the types asked
/// for and recording the converted values in `out` (the node's JSON).
struct Leaves<'a> {
    node: &'a Node,
    out: &'a mut Value,
}

type Error = de::value::Error;

impl Leaves<'_> {
    /// The leaf text, parsed as `T`; a text that does not parse stays text and
    /// the visitor gets `fallback`, so that the walk goes on.
    fn number<'de, T, V>(
        self,
        visitor: V,
        to_json: impl Fn(T) -> Value,
        fallback: T,
        visit: impl FnOnce(V, T) -> Result<V::Value, Error>,
    ) -> Result<V::Value, Error>
    where
        T: std::str::FromStr + Copy,
        V: Visitor<'de>,
    {
        match self.node {
            Node::Leaf(s) => match s.trim().parse::<T>() {
                Ok(n) => {
                    *self.out = to_json(n);
                    visit(visitor, n)
                }
                Err(_) => visit(visitor, fallback),
            },
            _ => self.any(visitor),
        }
    }

    fn any<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Leaf(s) => visitor.visit_str(s),
            Node::Map(m) => {
                let out = match self.out {
                    Value::Object(o) => o,
                    _ => return visitor.visit_unit(),
                };
                visitor.visit_map(Entries {
                    entries: m.iter(),
                    out,
                    pending: None,
                })
            }
            Node::List(l) => {
                let out = match self.out {
                    Value::Array(a) => a,
                    _ => return visitor.visit_unit(),
                };
                visitor.visit_seq(Items {
                    items: l.iter().zip(out.iter_mut()),
                })
            }
        }
    }
}

macro_rules! numbers {
    ($($method:ident $visit:ident $t:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.number(visitor, |n: $t| Value::from(n), <$t>::default(), |v, n| v.$visit(n))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Leaves<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.any(visitor)
    }

    numbers! {
        deserialize_i8 visit_i8 i8;
        deserialize_i16 visit_i16 i16;
        deserialize_i32 visit_i32 i32;
        deserialize_i64 visit_i64 i64;
        deserialize_u8 visit_u8 u8;
        deserialize_u16 visit_u16 u16;
        deserialize_u32 visit_u32 u32;
        deserialize_u64 visit_u64 u64;
        deserialize_f32 visit_f32 f32;
        deserialize_f64 visit_f64 f64;
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Python sends `True`/`False`, others `true`/`false`.
        let parsed = match self.node {
            Node::Leaf(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Node::Leaf(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        match parsed {
            Some(b) => {
                *self.out = Value::Bool(b);
                visitor.visit_bool(b)
            }
            None => visitor.visit_bool(false),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct enum identifier i128 u128
    }
}

/// The entries of a map node, each with its place in the JSON.
struct Entries<'a> {
    entries: std::collections::btree_map::Iter<'a, String, Node>,
    out: &'a mut Map<String, Value>,
    pending: Option<(&'a String, &'a Node)>,
}

impl<'de> de::MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((k, v)) => {
                self.pending = Some((k, v));
                seed.deserialize(k.as_str().into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, node)) = self.pending.take() else {
            return Err(de::Error::custom("value without a key"));
        };
        match self.out.get_mut(key) {
            Some(out) => seed.deserialize(Leaves { node, out }),
            None => Err(de::Error::custom("value without a place")),
        }
    }
}

/// The items of a list node, each with its place in the JSON.
struct Items<'a, I: Iterator<Item = (&'a Node, &'a mut Value)>> {
    items: I,
}

impl<'a, 'de, I: Iterator<Item = (&'a Node, &'a mut Value)>> de::SeqAccess<'de> for Items<'a, I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some((node, out)) => seed.deserialize(Leaves { node, out }).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn flattened_pairs_become_the_typed_body() {
        let body = to_json(
            "CreateAutoCalloutTask",
            &pairs(&[
                ("SdkAppId", "1400000000"),
                ("NotBefore", "1700000000"),
                ("Callees.1", "0086139000002"),
                ("Callees.0", "0086139000001"),
                ("Callers.0", "008675500000001"),
                ("IvrId", "3"),
                ("Name", "12"),
                ("Variables.0.Key", "k"),
                ("Variables.0.Value", "7"),
                ("Unknown", "5"),
                ("Tries", "many"),
            ]),
        )
        .unwrap();
        assert_eq!(
            body,
            json!({
                "SdkAppId": 1400000000u64, "NotBefore": 1700000000, "IvrId": 3, "Name": "12",
                "Callees": ["0086139000001", "0086139000002"], "Callers": ["008675500000001"],
                "Variables": [{"Key": "k", "Value": "7"}], "Unknown": "5", "Tries": "many",
            })
        );
    }

    #[test]
    fn conflicting_pairs_are_refused() {
        for list in [
            &[("A", "1"), ("A.0", "2")][..],
            &[("A.0", "2"), ("A", "1")][..],
        ] {
            assert!(
                to_json("DescribeNumbers", &pairs(list)).is_err(),
                "{list:?}"
            );
        }
        // An unknown action: every leaf stays text.
        assert_eq!(
            to_json("NoSuchAction", &pairs(&[("A.1", "x"), ("B", "2")])).unwrap(),
            json!({"A": ["x"], "B": "2"})
        );
    }
}
