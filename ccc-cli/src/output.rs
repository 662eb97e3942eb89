//! Printing a response as JSON or as a table.

use serde_json::Value;

/// How to print answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

/// The response (the `Response` object) in `format`.
pub fn render(response: &Value, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(response).unwrap_or_default(),
        Format::Table => table(response),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Scalars as `Key  value` lines; each list of objects as its own table.
fn table(response: &Value) -> String {
    let Some(object) = response.as_object() else {
        return scalar(response);
    };
    let mut out = String::new();
    let width = object.keys().map(String::len).max().unwrap_or(0);
    for (k, v) in object {
        if !matches!(v, Value::Array(items) if items.iter().any(Value::is_object)) {
            let shown = match v {
                Value::Array(_) | Value::Object(_) => v.to_string(),
                other => scalar(other),
            };
            out.push_str(&format!("{k:width$}  {shown}\n"));
        }
    }
    for (k, v) in object {
        let Value::Array(items) = v else { continue };
        if !items.iter().any(Value::is_object) {
            continue;
        }
        let mut columns: Vec<&String> = Vec::new();
        for item in items.iter().filter_map(Value::as_object) {
            for key in item.keys() {
                if !columns.contains(&key) {
                    columns.push(key);
                }
            }
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|item| {
                columns
                    .iter()
                    .map(|c| {
                        item.get(c.as_str())
                            .map(|v| match v {
                                Value::Array(_) | Value::Object(_) => v.to_string(),
                                other => scalar(other),
                            })
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                rows.iter()
                    .map(|r| r[i].chars().count())
                    .chain([c.len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        out.push_str(&format!("\n{k}:\n"));
        let line = |cells: Vec<String>| -> String {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
                + "\n"
        };
        out.push_str(&line(columns.iter().map(|c| c.to_string()).collect()));
        for row in rows {
            out.push_str(&line(row));
        }
    }
    out
}
