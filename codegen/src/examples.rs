//! `cargo xtask import-examples`: turns the official examples (HTTP request text
//! and response text) into data in each action's spec entry.
//!
//! Upstream's text is not always valid: bodies miss commas, some requests are GET
//! query strings. Missing commas are inserted and query strings converted, and
//! the entry says so in `repaired`. An example that cannot be repaired this way is
//! reported and left out; an action that already has examples keeps them, so
//! repairs a person made by hand survive.

use crate::import::{named_types, read_types, NamedTypes};
use crate::spec::{ActionFile, Example, Member, TypeRef};
use serde_json::{Map, Value};
use std::path::Path;

/// What happened to each action's examples.
#[derive(Debug, Default)]
pub struct ExamplesReport {
    /// Actions that got examples, with what was repaired.
    pub imported: Vec<String>,
    /// Examples left out, with the reason.
    pub unusable: Vec<(String, String)>,
}

/// Imports `upstream` (`{"actions": {Name: [{title, input, output}]}}`).
pub fn import_examples(spec_dir: &Path, upstream: &Value) -> Result<ExamplesReport, String> {
    let mut report = ExamplesReport::default();
    let named = named_types(&read_types(spec_dir)?);
    let actions = upstream["actions"]
        .as_object()
        .ok_or("examples file has no `actions` object")?;
    for (name, list) in actions {
        // The entry in whichever format it is written (JSON or YAML).
        let path = crate::load::entry_path(&spec_dir.join("actions"), name);
        if !path.is_file() {
            report
                .unusable
                .push((name.clone(), "no such action in the spec".into()));
            continue;
        }
        let mut action: ActionFile = crate::load::parse_entry(&path)?;
        if !action.examples.is_empty() {
            continue;
        }
        for ex in list.as_array().into_iter().flatten() {
            match convert(&action.input, &named, ex) {
                Ok(example) => {
                    let note = example
                        .repaired
                        .clone()
                        .map(|r| format!(" (repaired: {r})"))
                        .unwrap_or_default();
                    report
                        .imported
                        .push(format!("{name}: {}{note}", example.title));
                    action.examples.push(example);
                }
                Err(reason) => report.unusable.push((name.clone(), reason)),
            }
        }
        if !action.examples.is_empty() {
            crate::import::write(&path, &action)?;
        }
    }
    Ok(report)
}

/// Every usable example of `list` (upstream's examples of one action), for
/// an import that computes its files in memory, and a line for each one left
/// out saying why (never silently): those the spec would refuse (no JSON
/// object of parameters, no `{"Response": {...}}` answer) and those that
/// cannot be repaired. With `clean_titles`, titles go through
/// [`crate::import::docs::clean`] (for specs with upstream docs).
pub(crate) fn convert_all(
    input_members: &[Member],
    named: &NamedTypes,
    list: &Value,
    clean_titles: bool,
) -> (Vec<Example>, Vec<String>) {
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for (i, ex) in list.as_array().into_iter().flatten().enumerate() {
        let mut example = match convert(input_members, named, ex) {
            Ok(example) => example,
            Err(reason) => {
                left_out.push(format!("example {i} left out: {reason}"));
                continue;
            }
        };
        if !example.input.is_object() {
            left_out.push(format!(
                "example {i} left out: its request is not a JSON object"
            ));
            continue;
        }
        if !example.output.get("Response").is_some_and(Value::is_object) {
            left_out.push(format!(
                "example {i} left out: its answer is not {{\"Response\": {{...}}}}"
            ));
            continue;
        }
        if clean_titles {
            let title = crate::import::docs::clean(&example.title);
            example.title = title.lines().collect::<Vec<_>>().join(" ");
            if example.title.is_empty() {
                example.title = "Example".into();
            }
        }
        out.push(example);
    }
    (out, left_out)
}

fn convert(input_members: &[Member], named: &NamedTypes, ex: &Value) -> Result<Example, String> {
    let title = ex["title"].as_str().unwrap_or_default().trim().to_owned();
    let request = ex["input"].as_str().ok_or("example has no input text")?;
    let mut repairs = Vec::new();
    let input = if request.trim_start().starts_with("https://")
        || request.trim_start().starts_with("GET")
    {
        repairs.push("the request was a GET query string, converted to the JSON body".to_owned());
        query_to_json(request, input_members, named)?
    } else {
        let body = request
            .split_once("\n\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        parse_repairing(body, "request", &mut repairs)?
    };
    let output = parse_repairing(
        ex["output"].as_str().unwrap_or_default(),
        "response",
        &mut repairs,
    )?;
    Ok(Example {
        title: if title.is_empty() {
            "Example".into()
        } else {
            title
        },
        input,
        output,
        repaired: (!repairs.is_empty()).then(|| repairs.join("; ")),
    })
}

/// Parses JSON, inserting commas where upstream's text lacks them.
fn parse_repairing(text: &str, what: &str, repairs: &mut Vec<String>) -> Result<Value, String> {
    let mut text = text.trim().to_owned();
    let mut inserted = 0;
    loop {
        match serde_json::from_str::<Value>(&text) {
            Ok(v) => {
                if inserted > 0 {
                    repairs.push(format!(
                        "inserted {inserted} missing comma(s) in the {what}"
                    ));
                }
                return Ok(v);
            }
            Err(e) if e.to_string().starts_with("expected `,`") && inserted < 20 => {
                let at = offset(&text, e.line(), e.column());
                let end = text[..at].trim_end().len();
                text.insert(end, ',');
                inserted += 1;
            }
            Err(e) => {
                return Err(format!(
                    "the {what} is not JSON and cannot be repaired by inserting commas: {e}"
                ))
            }
        }
    }
}

/// Byte offset of a 1-based line and column.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// `https://host/?Action=X&SdkAppId=1&Ids.0=5&Name="a"&<Common request parameters>`
/// → `{"SdkAppId": 1, "Ids": [5], "Name": "a"}`, typed by the spec's members.
fn query_to_json(request: &str, members: &[Member], named: &NamedTypes) -> Result<Value, String> {
    let flat: String = request.lines().map(str::trim).collect();
    let query = flat
        .split_once('?')
        .map(|(_, q)| q)
        .ok_or("GET example without a query string")?;
    let mut out = Map::new();
    for pair in query.split('&') {
        let Some((key, raw)) = pair.split_once('=') else {
            continue;
        };
        if key == "Action" || key == "Version" || key.starts_with('<') {
            continue;
        }
        let (name, index) = match key.split_once('.') {
            Some((n, i)) => (
                n,
                Some(
                    i.parse::<usize>()
                        .map_err(|_| format!("query key `{key}` is not `Name.N`"))?,
                ),
            ),
            None => (key, None),
        };
        let member = members
            .iter()
            .find(|m| m.name == name)
            .ok_or(format!("query parameter `{name}` is not a member"))?;
        let ty = TypeRef::parse(&member.ty).map_err(|e| e.to_string())?;
        let element = match (&ty, index) {
            (TypeRef::List(inner), Some(_)) => (**inner).clone(),
            (_, None) => ty.clone(),
            _ => {
                return Err(format!(
                    "query parameter `{key}` indexes a member that is not a list"
                ))
            }
        };
        let raw = raw.trim().trim_matches('"');
        // An enum or a scalar shape is written as the scalar it stands for.
        let element = match &element {
            TypeRef::Named(n) => named.get(n).map_or(element.clone(), |x| x.wire.clone()),
            _ => element,
        };
        let value = match element {
            TypeRef::Int64 | TypeRef::Uint64 | TypeRef::Float => serde_json::from_str::<Value>(raw)
                .map_err(|_| format!("`{key}={raw}` is not a number"))?,
            TypeRef::Bool => Value::Bool(raw == "true"),
            _ => Value::String(raw.to_owned()),
        };
        match index {
            Some(_) => {
                let list = out
                    .entry(name.to_owned())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    items.push(value);
                }
            }
            None => {
                out.insert(name.to_owned(), value);
            }
        }
    }
    Ok(Value::Object(out))
}
