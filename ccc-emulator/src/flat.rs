//! Flattened parameters (`Callees.0=...&Variables.1.Name=...`, as the official
//! SDKs send a `GET` or a form-encoded request) turned back into the JSON body
//! the action takes.
//!
//! Every value arrives as text and stays text here: the pairs only give the
//! body its shape (objects, and lists in index order). Which texts are
//! numbers or booleans is decided by the body check, which reads a text that
//! spells a value of the member's documented type as that value
//! ([`crate::validate::check_body`]), the same rule for a JSON body as for
//! these pairs; a text that does not spell one is refused there in the docs'
//! terms, as an unknown member is.

use serde_json::Value;
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

/// The JSON body for these pairs, every value a string.
pub fn to_json(pairs: &[(String, String)]) -> Result<Value, Conflict> {
    let mut root = BTreeMap::new();
    for (key, value) in pairs {
        insert(&mut root, key, value)?;
    }
    Ok(plain(&lists(Node::Map(root))))
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
        let body = to_json(&pairs(&[
            ("SdkAppId", "1400000000"),
            ("NotBefore", "1700000000"),
            ("Callees.1", "0086139000002"),
            ("Callees.0", "0086139000001"),
            ("Callers.0", "008675500000001"),
            ("IvrId", "3"),
            ("Name", "12"),
            ("Variables.0.Key", "k"),
            ("Variables.0.Value", "7"),
        ]))
        .unwrap();
        // The body check reads the texts as the documented types.
        let action = crate::spec_table::action("CreateAutoCalloutTask").unwrap();
        let text = body.to_string();
        let checked = crate::validate::check_body(action, text.as_bytes()).unwrap();
        let typed: Value = serde_json::from_slice(&checked).unwrap();
        assert_eq!(
            typed,
            json!({
                "SdkAppId": 1400000000u64, "NotBefore": 1700000000, "IvrId": 3, "Name": "12",
                "Callees": ["0086139000001", "0086139000002"], "Callers": ["008675500000001"],
                "Variables": [{"Key": "k", "Value": "7"}],
            })
        );
        let many = to_json(&pairs(&[("SdkAppId", "1"), ("Tries", "many")])).unwrap();
        let (code, text) =
            crate::validate::check_body(action, many.to_string().as_bytes()).unwrap_err();
        assert_eq!(code, "InvalidParameterValue");
        assert_eq!(
            text,
            r#"`Tries` must be an Integer (uint64); it is the String "many""#
        );
    }

    #[test]
    fn conflicting_pairs_are_refused() {
        for list in [
            &[("A", "1"), ("A.0", "2")][..],
            &[("A.0", "2"), ("A", "1")][..],
        ] {
            assert!(to_json(&pairs(list)).is_err(), "{list:?}");
        }
        assert_eq!(
            to_json(&pairs(&[("A.1", "x"), ("B", "2")])).unwrap(),
            json!({"A": ["x"], "B": "2"})
        );
    }
}
