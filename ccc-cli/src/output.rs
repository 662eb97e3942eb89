//! Printing: a response as JSON or as a table, and writing to stdout and stderr
//! without the panics of `println!` when the reader has gone away.

use serde_json::Value;
use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

/// Exit code once stdout's reader has gone (`ccc ... | head -c1`): what a shell
/// reports for a tool ended by SIGPIPE, and like such a tool, without a message.
pub const BROKEN_PIPE: u8 = 141;

/// Writes `text` and a newline to stdout. `Err` holds the exit code to end with:
/// quietly [`BROKEN_PIPE`] when the reader is gone, 1 after saying why otherwise.
pub fn print(text: impl Display) -> Result<(), ExitCode> {
    write_stdout(format!("{text}\n").as_bytes())
}

/// Writes `bytes` to stdout, as [`print`].
pub fn write_stdout(bytes: &[u8]) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::from(BROKEN_PIPE)),
        Err(e) => {
            eprint(format_args!("error: cannot write the output: {e}"));
            Err(ExitCode::FAILURE)
        }
    }
}

/// Writes `text` and a newline to stderr; if even that fails there is no one to tell.
pub fn eprint(text: impl Display) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

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
