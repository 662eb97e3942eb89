//! Every official example in the spec, through the generated types: the example
//! parameters build the typed request and serialise back to the same JSON values;
//! the example answer decodes strictly (every member the spec promises is there)
//! through the client's decoding path and re-encodes to the same JSON values, up
//! to members the spec says may be absent.

use ccc_api::ActionVisitor;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Actions whose official example is not in the spec, with the reason. The test
/// fails if another one goes missing.
const WITHOUT_EXAMPLE: &[(&str, &str)] = &[];

fn spec_actions() -> BTreeMap<String, Value> {
    actions_of("spec/ccc/2020-02-10")
}

/// The action entries of the spec directory `spec` (relative to the
/// repository root), by name.
fn actions_of(spec: &str) -> BTreeMap<String, Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(spec)
        .join("actions");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let value: Value = codegen::load::parse_entry(&path).unwrap();
        out.insert(value["action"].as_str().unwrap().to_owned(), value);
    }
    out
}

struct Check<'a> {
    input: &'a Value,
    output: &'a Value,
}

impl ActionVisitor for Check<'_> {
    type Output = Result<(), String>;

    fn visit<A: ccc_api::RoundTripAction>(self) -> Result<(), String> {
        // A request decodes strictly: one lacking a member the spec requires,
        // at any depth, does not decode.
        let request = serde_json::from_value::<A>(self.input.clone())
            .map_err(|e| format!("request does not decode: {e}"))?;
        let encoded = serde_json::to_value(&request).map_err(|e| e.to_string())?;
        same("request", self.input, &encoded, false)?;

        let body = serde_json::to_vec(self.output).map_err(|e| e.to_string())?;
        let response = ccc_api::decode_response_strict::<A>(200, body)
            .map_err(|e| format!("response does not decode: {e}"))?;
        let encoded = serde_json::to_value(&response).map_err(|e| e.to_string())?;
        same("response", &self.output["Response"], &encoded, true)
    }
}

/// Equal as JSON values; numbers compare by value (`5` and `5.0`). Where
/// `lenient`, a member absent on one side may be `null` (or, for ours, `[]`) on
/// the other: the spec marks it optional or nullable, or a list the server may
/// leave out.
fn same(at: &str, expected: &Value, actual: &Value, lenient: bool) -> Result<(), String> {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => same(&format!("{at}.{k}"), v, w, lenient)?,
                    None if lenient && v.is_null() => {}
                    None => return Err(format!("{at}.{k}: {v} was lost")),
                }
            }
            for (k, w) in b {
                if !a.contains_key(k) {
                    let absent_ok = w.is_null() || w.as_array().is_some_and(|l| l.is_empty());
                    if !(lenient && absent_ok) {
                        return Err(format!("{at}.{k}: {w} appeared"));
                    }
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (v, w))| same(&format!("{at}[{i}]"), v, w, lenient)),
        _ if expected == actual => Ok(()),
        _ => Err(format!("{at}: expected {expected}, got {actual}")),
    }
}

#[test]
fn every_example_round_trips() {
    check_examples("spec/ccc/2020-02-10", |name, check| {
        ccc_api::operation::visit(name, check)
    });
}

/// The same check for STS, generated into its own crate
/// (`tencent-cloud-sts`, re-exported as `ccc_api::sts`).
#[test]
fn every_sts_example_round_trips() {
    check_examples("spec/sts/2018-08-13", |name, check| {
        ccc_api::sts::operation::visit(name, check)
    });
}

/// Runs [`Check`] over every example of the spec at `spec` through `visit`,
/// the generated crate's `operation::visit`.
fn check_examples(spec: &str, visit: impl Fn(&str, Check<'_>) -> Option<Result<(), String>>) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, action) in actions_of(spec) {
        for example in action["examples"].as_array().into_iter().flatten() {
            let check = Check {
                input: &example["input"],
                output: &example["output"],
            };
            match visit(&name, check) {
                Some(Ok(())) => checked += 1,
                Some(Err(e)) => failures.push(format!("{name} ({}): {e}", example["title"])),
                None => failures.push(format!("{name}: not an action of the generated client")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 1);
}

#[test]
fn only_the_listed_actions_lack_an_example() {
    let missing: Vec<String> = spec_actions()
        .into_iter()
        .filter(|(_, a)| !a["china_only"].as_bool().unwrap_or(false))
        .filter(|(_, a)| a["examples"].as_array().is_none_or(|e| e.is_empty()))
        .map(|(name, _)| name)
        .collect();
    let listed: Vec<String> = WITHOUT_EXAMPLE.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        missing, listed,
        "international actions without an official example"
    );
    assert_eq!(ccc_api::operation::ACTIONS.len(), spec_actions().len());
}
