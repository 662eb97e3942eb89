//! `--cli-unfold-argument`, tccli's way to give nested members one value a
//! flag: `--Staffs.0.Mail a@b.c --Staffs.0.StaffNumber 7 --Staffs.1.Mail ...`.
//!
//! As in tccli: a path names members by their wire names, a number after a
//! list of objects is the index of an element, the indexes of a list run
//! from 0 with no gap, a leaf takes one value (a list of scalars takes every
//! value up to the next flag: `--Callees 0086... 0086...`), and the values
//! are typed by the spec (`true`, `t`, `1` for a bool). Unlike tccli, which
//! offers the first ten elements only (its `arrayCount`), any index is
//! taken, and a path the spec does not have is refused naming what it has.
//!
//! clap cannot declare flags whose names carry indexes, so these are taken
//! out of the command line before clap reads the rest.

use crate::actions::scalar;
use ccc_spec::{type_info, ActionInfo, MemberInfo, ACTIONS};
use serde_json::{Map, Value};
use std::ffi::OsString;

/// The flag that turns the mode on.
pub const FLAG: &str = "--cli-unfold-argument";

/// The command line without the unfolded flags, and the members they give.
pub struct Unfolded {
    pub args: Vec<OsString>,
    pub params: Map<String, Value>,
}

/// Takes the unfolded flags out of `args` when [`FLAG`] is among them (after
/// the action, where clap then reads it, or anywhere before).
pub fn extract(args: Vec<OsString>) -> Result<Unfolded, String> {
    let none = |args| Unfolded {
        args,
        params: Map::new(),
    };
    if !args.iter().any(|a| a == FLAG) {
        return Ok(none(args));
    }
    let Some((at, action)) = args
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, a)| action_named(a.to_str()?).map(|a| (i, a)))
    else {
        return Ok(none(args));
    };
    let mut kept: Vec<OsString> = Vec::with_capacity(args.len());
    kept.extend(args[..=at].iter().filter(|a| *a != FLAG).cloned());
    kept.push(FLAG.into());
    let mut leaves: Vec<(String, Vec<String>)> = Vec::new();
    let mut rest = args[at + 1..].iter().peekable();
    while let Some(arg) = rest.next() {
        if arg == FLAG {
            continue;
        }
        let name = arg.to_str().and_then(|a| a.strip_prefix("--"));
        let Some(name) = name.filter(|n| n.contains('.') || scalar_list(action, n).is_some())
        else {
            kept.push(arg.clone());
            continue;
        };
        let mut values = Vec::new();
        while let Some(v) = rest.next_if(|v| !v.to_string_lossy().starts_with("--")) {
            values.push(
                v.to_str()
                    .ok_or_else(|| format!("--{name}: the value is not UTF-8"))?
                    .to_owned(),
            );
        }
        leaves.push((name.to_owned(), values));
    }
    let mut tree = Map::new();
    for (path, values) in &leaves {
        insert(action, &mut tree, path, values)?;
    }
    let mut params = Map::new();
    for (k, v) in tree {
        let shown = format!("--{k}");
        params.insert(k, lists(v, &shown)?);
    }
    Ok(Unfolded { args: kept, params })
}

fn action_named(word: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.command == word || a.name == word)
}

/// The member named `name` (wire name or flag) if it is a list of scalars.
fn scalar_list(a: &ActionInfo, name: &str) -> Option<&'static MemberInfo> {
    a.input
        .iter()
        .find(|m| m.name == name || m.flag == name)
        .filter(|m| m.kind == "json" && m.object.is_none() && m.spec_type.starts_with("list<"))
}

/// Puts the value of the flag `--path` into `tree`, typed by the member the
/// path ends at; list indexes stay object keys until [`lists`].
fn insert(
    a: &ActionInfo,
    tree: &mut Map<String, Value>,
    path: &str,
    values: &[String],
) -> Result<(), String> {
    let flag = format!("--{path}");
    let mut segments = path.split('.');
    let first = segments.next().unwrap_or_default();
    let mut member = a
        .input
        .iter()
        .find(|m| m.name == first || m.flag == first)
        .ok_or_else(|| format!("{flag}: {} has no parameter {first}", a.name))?;
    let mut key = member.name.to_owned();
    let mut node = tree;
    let mut in_list = member.spec_type.starts_with("list<");
    for segment in segments {
        let slot = node
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(next) = slot else {
            return Err(format!("{flag}: {key} is given a value and members both"));
        };
        node = next;
        if in_list && member.object.is_some() {
            if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "{flag}: {} is a list: the next part is an index (0, 1, ...), not `{segment}`",
                    member.name
                ));
            }
            key = segment.trim_start_matches('0').to_owned();
            if key.is_empty() {
                key.push('0');
            }
            in_list = false;
            continue;
        }
        let object = member.object.and_then(type_info).ok_or_else(|| {
            format!(
                "{flag}: {} ({}) has no members",
                member.name, member.spec_type
            )
        })?;
        member = object
            .fields
            .iter()
            .find(|f| f.name == segment)
            .ok_or_else(|| {
                let names: Vec<&str> = object.fields.iter().map(|f| f.name).collect();
                format!(
                    "{flag}: {} has no member {segment} (it has: {})",
                    object.name,
                    names.join(", ")
                )
            })?;
        key = member.name.to_owned();
        in_list = member.spec_type.starts_with("list<");
    }
    if member.object.is_some() {
        return Err(format!(
            "{flag}: {} is a {}: give its members (--{path}{}.NAME)",
            member.name,
            member.spec_type,
            if in_list { ".0" } else { "" }
        ));
    }
    let value = if in_list {
        Value::Array(
            values
                .iter()
                .map(|v| scalar(member.element, v, &flag))
                .collect::<Result<_, _>>()?,
        )
    } else {
        match values {
            [one] => scalar(member.element, one, &flag)?,
            [] => return Err(format!("{flag}: a value is missing")),
            more => {
                return Err(format!(
                    "{flag} takes one value, not {} ({})",
                    more.len(),
                    more.join(" ")
                ))
            }
        }
    };
    match node.get(&key) {
        Some(Value::Object(_)) => {
            return Err(format!("{flag}: {key} is given a value and members both"))
        }
        // As a plain flag given twice is refused, not read as its last value.
        Some(_) => return Err(format!("{flag} is given more than once")),
        None => {}
    }
    node.insert(key, value);
    Ok(())
}

/// Objects keyed by indexes made lists, refusing indexes that do not run
/// from 0 with no gap (tccli's rule); `shown` names the flag for errors.
fn lists(v: Value, shown: &str) -> Result<Value, String> {
    let Value::Object(map) = v else {
        return Ok(v);
    };
    let indexed = map.keys().any(|k| k.bytes().all(|b| b.is_ascii_digit()));
    if !indexed {
        return map
            .into_iter()
            .map(|(k, v)| {
                let inner = format!("{shown}.{k}");
                lists(v, &inner).map(|v| (k, v))
            })
            .collect::<Result<Map<_, _>, _>>()
            .map(Value::Object);
    }
    let mut items: Vec<(usize, Value)> = Vec::with_capacity(map.len());
    for (k, v) in map {
        let i = k
            .parse::<usize>()
            .ok()
            .ok_or_else(|| format!("{shown}: `{k}` is not an index"))?;
        let inner = format!("{shown}.{k}");
        items.push((i, lists(v, &inner)?));
    }
    items.sort_by_key(|(i, _)| *i);
    if items.iter().enumerate().any(|(n, (i, _))| n != *i) {
        let given: Vec<String> = items.iter().map(|(i, _)| i.to_string()).collect();
        return Err(format!(
            "{shown}: the indexes of a list run from 0 with no gap; given: {}",
            given.join(", ")
        ));
    }
    Ok(Value::Array(items.into_iter().map(|(_, v)| v).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn unfold(args: &[&str]) -> Result<(Vec<String>, Value), String> {
        let argv = std::iter::once("ccc")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        extract(argv).map(|u| {
            (
                u.args
                    .iter()
                    .skip(1)
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect(),
                Value::Object(u.params),
            )
        })
    }

    #[test]
    fn dotted_paths_build_the_nested_members() {
        let (args, params) = unfold(&[
            "create-staff",
            "--cli-unfold-argument",
            "--SdkAppId",
            "1",
            "--Staffs.1.Mail",
            "b@x",
            "--Staffs.0.Mail",
            "a@x",
            "--Staffs.0.StaffNumber",
            "7",
            "--Staffs.1.Name",
            "B",
        ])
        .unwrap();
        assert_eq!(
            args,
            ["create-staff", "--cli-unfold-argument", "--SdkAppId", "1"]
        );
        assert_eq!(
            params,
            json!({"Staffs": [{"Mail": "a@x", "StaffNumber": "7"}, {"Mail": "b@x", "Name": "B"}]})
        );
        let (_, params) = unfold(&[
            "--cli-unfold-argument",
            "CreateAutoCalloutTask",
            "--Callees",
            "1",
            "2",
            "--SdkAppId",
            "1",
        ])
        .unwrap();
        assert_eq!(params, json!({"Callees": ["1", "2"]}));
    }

    #[test]
    fn wrong_paths_and_values_are_refused_saying_why() {
        let err = |args: &[&str]| unfold(args).unwrap_err();
        let e = err(&[
            "create-staff",
            "--cli-unfold-argument",
            "--Staffs.1.Mail",
            "b",
        ]);
        assert!(e.contains("from 0 with no gap"), "{e}");
        let e = err(&[
            "create-staff",
            "--cli-unfold-argument",
            "--Staffs.0.Mai",
            "b",
        ]);
        assert!(e.contains("no member Mai") && e.contains("Mail"), "{e}");
        let e = err(&[
            "create-staff",
            "--cli-unfold-argument",
            "--Staffs.x.Mail",
            "b",
        ]);
        assert!(e.contains("index"), "{e}");
        let e = err(&["create-staff", "--cli-unfold-argument", "--Staffs.0", "b"]);
        assert!(e.contains("give its members"), "{e}");
        let e = err(&[
            "create-staff",
            "--cli-unfold-argument",
            "--Staffs.0.Mail",
            "a",
            "b",
        ]);
        assert!(e.contains("one value"), "{e}");
        // A path given twice (`00` is index 0 again) is refused, as a plain
        // flag given twice is, not read as its last value.
        let e = err(&[
            "create-staff",
            "--cli-unfold-argument",
            "--Staffs.0.Mail",
            "a",
            "--Staffs.00.Mail",
            "b",
        ]);
        assert!(
            e.contains("--Staffs.00.Mail is given more than once"),
            "{e}"
        );
        let e = err(&[
            "create-auto-callout-task",
            "--cli-unfold-argument",
            "--Callees",
            "1",
            "--Callees",
            "2",
        ]);
        assert!(e.contains("--Callees is given more than once"), "{e}");
        // Without the flag nothing is taken out.
        let (args, params) = unfold(&["create-staff", "--Staffs.0.Mail", "a"]).unwrap();
        assert_eq!(args.len(), 3);
        assert_eq!(params, json!({}));
    }
}
