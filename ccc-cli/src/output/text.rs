//! `--output text`, laid out as tccli lays it out (its `text` formatter, the
//! one aws-cli has), so that scripts written against tccli read ours alike:
//!
//! - an object prints its scalar members' values on one line, tab-separated,
//!   in the order of their names; then each list or object member in turn,
//!   named by its member's name in capitals;
//! - a list of objects prints one line per object, `NAME<TAB>values...`,
//!   with the columns every object's scalar members have between them
//!   (sorted by name, empty where an object lacks one);
//! - a list of scalars under a name prints `NAME<TAB>value` a line; bare, its
//!   values on one line;
//! - values as Python prints them: `True`, `False`, `None` for JSON's
//!   `true`, `false` and `null`.
//!
//! It writes as it walks the answer: time and memory linear in its size.

use serde_json::{Map, Value};
use std::io::{Result, Write};

/// Writes `value` in tccli's text layout.
pub fn write(value: &Value, out: &mut dyn Write) -> Result<()> {
    item(value, None, None, out)
}

fn item(
    value: &Value,
    name: Option<&str>,
    columns: Option<&[&str]>,
    out: &mut dyn Write,
) -> Result<()> {
    match value {
        Value::Object(map) => object(map, name, columns, out),
        Value::Array(items) => list(items, name, out),
        scalar => {
            python_str(scalar, out)?;
            out.write_all(b"\n")
        }
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn list(items: &[Value], name: Option<&str>, out: &mut dyn Write) -> Result<()> {
    if items.iter().any(Value::is_object) {
        let mut columns: Vec<&str> = items
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|m| {
                m.iter()
                    .filter(|(_, v)| is_scalar(v))
                    .map(|(k, _)| k.as_str())
            })
            .collect();
        columns.sort_unstable();
        columns.dedup();
        for element in items {
            item(element, name, Some(&columns), out)?;
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            scalar_list(&scalars, name, out)?;
        }
        for nested in items.iter().filter(|v| !is_scalar(v)) {
            item(nested, name, None, out)?;
        }
    } else if !items.is_empty() {
        let scalars: Vec<&Value> = items.iter().collect();
        scalar_list(&scalars, name, out)?;
    }
    Ok(())
}

fn scalar_list(values: &[&Value], name: Option<&str>, out: &mut dyn Write) -> Result<()> {
    match name {
        Some(name) => {
            let name = name.to_uppercase();
            for v in values {
                write!(out, "{name}\t")?;
                python_str(v, out)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        None => {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\t")?;
                }
                python_str(v, out)?;
            }
            out.write_all(b"\n")
        }
    }
}

fn object(
    map: &Map<String, Value>,
    name: Option<&str>,
    columns: Option<&[&str]>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_unstable();
    // The scalar cells: the given columns (from a list's objects), else this
    // object's own scalar members; everything else is printed below, by name.
    let cells: Vec<Option<&Value>> = match columns {
        Some(columns) => columns.iter().map(|c| map.get(*c)).collect(),
        None => keys
            .iter()
            .map(|k| &map[k.as_str()])
            .filter(|v| is_scalar(v))
            .map(Some)
            .collect(),
    };
    let nested = keys.iter().filter(|k| match columns {
        Some(columns) => !columns.contains(&k.as_str()),
        None => !is_scalar(&map[k.as_str()]),
    });
    if !cells.is_empty() {
        if let Some(name) = name {
            write!(out, "{}\t", name.to_uppercase())?;
        }
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.write_all(b"\t")?;
            }
            if let Some(v) = cell {
                python_str(v, out)?;
            }
        }
        out.write_all(b"\n")?;
    }
    for key in nested {
        item(&map[key.as_str()], Some(key), None, out)?;
    }
    Ok(())
}

/// A value as tccli prints it (Python's `str`): strings bare, `True`,
/// `False`, `None`; a list or object where a scalar was expected as compact
/// JSON.
fn python_str(v: &Value, out: &mut dyn Write) -> Result<()> {
    match v {
        Value::String(s) => out.write_all(s.as_bytes()),
        Value::Bool(true) => out.write_all(b"True"),
        Value::Bool(false) => out.write_all(b"False"),
        Value::Null => out.write_all(b"None"),
        other => Ok(serde_json::to_writer(out, other)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(v: Value) -> String {
        let mut out = Vec::new();
        write(&v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The layout tccli 3.1 prints for these answers (run side by side).
    #[test]
    fn as_tccli_lays_it_out() {
        let answer = json!({
            "TotalCount": 2,
            "RequestId": "r-1",
            "Numbers": [
                {"Number": "0086", "CallOutSkillGroupIds": [1, 2], "State": null, "Ok": true},
                {"Number": "0087", "Extra": "x"}
            ],
            "Callers": ["a", "b"],
            "Info": {"Name": "n", "Age": 3}
        });
        assert_eq!(
            text(answer),
            "r-1\t2\n\
             CALLERS\ta\n\
             CALLERS\tb\n\
             INFO\t3\tn\n\
             NUMBERS\t\t0086\tTrue\tNone\n\
             CALLOUTSKILLGROUPIDS\t1\n\
             CALLOUTSKILLGROUPIDS\t2\n\
             NUMBERS\tx\t0087\t\t\n"
        );
        assert_eq!(text(json!(["a", 1, false])), "a\t1\tFalse\n");
        assert_eq!(text(json!([])), "");
        assert_eq!(text(json!("plain")), "plain\n");
        assert_eq!(text(json!([[1, 2], 3])), "3\n1\t2\n");
    }
}
