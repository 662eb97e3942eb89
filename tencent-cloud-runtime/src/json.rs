//! The body of [`Client::call`](crate::Client::call): the caller's JSON with
//! `null` members left out, in the caller's order.
//!
//! The parameters are serialised once, read back into [`Tree`] (which keeps
//! members in the order they came, unlike `serde_json::Value` without its
//! `preserve_order` feature, a feature that would change map order for every
//! crate in a user's build), and written again without the null members.
//! Floats survive the trip bit for bit thanks to serde_json's
//! `float_roundtrip` parser (see `Cargo.toml`).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// `params` as JSON bytes, without `null` members at any depth.
pub(crate) fn without_nulls<P: Serialize + ?Sized>(params: &P) -> Result<Vec<u8>, String> {
    let bytes = serde_json::to_vec(params).map_err(|e| e.to_string())?;
    let tree: Tree = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    serde_json::to_vec(&tree).map_err(|e| e.to_string())
}

/// A JSON value whose objects keep their members in order.
enum Tree {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => s.serialize_unit(),
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::Number(n) => n.serialize(s),
            Tree::String(text) => s.serialize_str(text),
            Tree::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Object(members) => {
                let mut map = s.serialize_map(None)?;
                for (name, value) in members {
                    if !matches!(value, Tree::Null) {
                        map.serialize_entry(name, value)?;
                    }
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }

    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Tree, E> {
        Ok(Tree::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Tree, E> {
        Ok(Tree::Number(n.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Tree, E> {
        serde_json::Number::from_f64(n)
            .map(Tree::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }

    fn visit_str<E>(self, text: &str) -> Result<Tree, E> {
        Ok(Tree::String(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Tree, E> {
        Ok(Tree::String(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut members = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, Tree>()? {
            members.push((name, value));
        }
        Ok(Tree::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::without_nulls;
    use serde::Serialize;

    fn text<P: Serialize + ?Sized>(p: &P) -> String {
        String::from_utf8(without_nulls(p).unwrap()).unwrap()
    }

    #[test]
    fn drops_null_members_at_every_depth_and_keeps_order() {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Inner {
            zeta: Option<u8>,
            alpha: u8,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Params {
            sdk_app_id: u64,
            name: Option<String>,
            callees: Vec<Option<String>>,
            inner: Inner,
            list: Vec<Inner>,
            empty: Option<Inner>,
        }
        let p = Params {
            sdk_app_id: 1,
            name: None,
            callees: vec![Some("a".into()), None],
            inner: Inner {
                zeta: None,
                alpha: 2,
            },
            list: vec![Inner {
                zeta: Some(3),
                alpha: 4,
            }],
            empty: None,
        };
        assert_eq!(
            text(&p),
            r#"{"SdkAppId":1,"Callees":["a",null],"Inner":{"Alpha":2},"List":[{"Zeta":3,"Alpha":4}]}"#
        );
    }

    #[test]
    fn a_table_of_values() {
        let cases = [
            (serde_json::json!(null), "null"),
            (serde_json::json!({"A": null}), "{}"),
            (
                serde_json::json!({"A": {"B": {"C": null, "D": 1.5}}}),
                r#"{"A":{"B":{"D":1.5}}}"#,
            ),
            (serde_json::json!([{"A": null}, [null]]), r#"[{}, [null]]"#),
            (
                serde_json::json!({"N": -9223372036854775808i64, "U": 18446744073709551615u64}),
                r#"{"N":-9223372036854775808,"U":18446744073709551615}"#,
            ),
            (
                serde_json::json!({"S": "é\"\\\u{1}", "T": true, "F": false}),
                r#"{"F":false,"S":"é\"\\\u0001","T":true}"#,
            ),
        ];
        for (value, want) in cases {
            let want: serde_json::Value = serde_json::from_str(want).unwrap();
            let got: serde_json::Value =
                serde_json::from_slice(&without_nulls(&value).unwrap()).unwrap();
            assert_eq!(got, want, "{value}");
        }
    }

    /// A bounded fuzz loop over random nested values: the result is the input
    /// without its null members, at every depth, and nothing else changes.
    #[test]
    fn random_values_lose_exactly_their_null_members() {
        fn strip(v: &serde_json::Value) -> serde_json::Value {
            match v {
                serde_json::Value::Object(m) => m
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
                serde_json::Value::Array(a) => a.iter().map(strip).collect(),
                other => other.clone(),
            }
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        fn random(next: &mut dyn FnMut() -> u64, depth: u32) -> serde_json::Value {
            let leaf = depth >= 4;
            match next() % if leaf { 5 } else { 7 } {
                0 => serde_json::Value::Null,
                1 => (next() % 2 == 0).into(),
                2 => (next() as i64).into(),
                3 => (next() as f64 / 7.0).into(),
                4 => format!("s{}", next() % 100).into(),
                5 => (0..next() % 4).map(|_| random(next, depth + 1)).collect(),
                _ => (0..next() % 5)
                    .map(|i| (format!("K{i}"), random(next, depth + 1)))
                    .collect(),
            }
        }
        for _ in 0..2000 {
            let value = random(&mut next, 0);
            let got: serde_json::Value =
                serde_json::from_slice(&without_nulls(&value).unwrap()).unwrap();
            assert_eq!(got, strip(&value), "{value}");
        }
    }

    #[test]
    fn a_map_keeps_its_insertion_order() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("B", Some(1));
        map.insert("A", None);
        assert_eq!(text(&map), r#"{"B":1}"#);
        let pairs: Vec<(&str, Option<u8>)> = vec![("Z", Some(1)), ("Y", None), ("X", Some(2))];
        struct Ordered<'a>(&'a [(&'a str, Option<u8>)]);
        impl Serialize for Ordered<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        assert_eq!(text(&Ordered(&pairs)), r#"{"Z":1,"X":2}"#);
    }
}
