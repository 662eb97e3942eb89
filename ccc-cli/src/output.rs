//! Printing: a response as JSON, JSON lines, text or tables, narrowed by a
//! JMESPath query, and writing to stdout and stderr without the panics of
//! `println!` when the reader has gone away.

use comfy_table::{presets, Cell, ContentArrangement, Table};
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

/// Writes `bytes` to stdout, as [`print()`].
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
    /// Indented JSON.
    Json,
    /// One compact JSON value a line: the items of a list, else the whole value.
    Jsonl,
    /// Tab-separated values, one item a line (as aws-cli's `text`).
    Text,
    /// Tables, columns aligned by display width.
    Table,
}

impl Format {
    /// The format named `name` (`json`, `jsonl`, `text`, `table`).
    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "text" => Format::Text,
            "table" => Format::Table,
            _ => return None,
        })
    }

    /// Whether items can be printed as they arrive, one a line.
    pub fn streams(self) -> bool {
        matches!(self, Format::Jsonl | Format::Text)
    }
}

/// A compiled `--query`.
pub struct Query(jmespath::Expression<'static>);

impl Query {
    /// Compiles `expr`; the error is for the user.
    pub fn new(expr: &str) -> Result<Query, String> {
        jmespath::compile(expr)
            .map(Query)
            .map_err(|e| format!("--query: {e}"))
    }

    /// What the expression selects from `value`.
    pub fn apply(&self, value: &Value) -> Result<Value, String> {
        let data =
            jmespath::Variable::from_serializable(value).map_err(|e| format!("--query: {e}"))?;
        let found = self.0.search(data).map_err(|e| format!("--query: {e}"))?;
        serde_json::to_value(&*found).map_err(|e| format!("--query: {e}"))
    }
}

/// `value` in `format`.
pub fn render(value: &Value, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(value).unwrap_or_default(),
        Format::Jsonl => match value {
            Value::Array(items) => items
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            other => other.to_string(),
        },
        Format::Text => text(value),
        Format::Table => table(value),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A scalar as itself, anything else as compact JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::Array(_) | Value::Object(_) => v.to_string(),
        other => scalar(other),
    }
}

/// An item's values, tab-separated.
fn text_line(item: &Value) -> String {
    match item {
        Value::Object(map) => map.values().map(cell).collect::<Vec<_>>().join("\t"),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join("\t"),
        other => scalar(other),
    }
}

/// Scalars as `Key<TAB>value` lines, then the items of each list one a line.
fn text(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut out = Vec::new();
            for (k, v) in map {
                if !v.is_array() {
                    out.push(format!("{k}\t{}", cell(v)));
                }
            }
            for v in map.values() {
                if let Value::Array(items) = v {
                    out.extend(items.iter().map(text_line));
                }
            }
            out.join("\n")
        }
        Value::Array(items) => items.iter().map(text_line).collect::<Vec<_>>().join("\n"),
        other => scalar(other),
    }
}

fn new_table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    t
}

/// Scalars (and lists of scalars) as a two-column table; each list of objects
/// as its own table, one row an item.
fn table(value: &Value) -> String {
    let object = match value {
        Value::Object(map) => map,
        Value::Array(items) => return items_table(items),
        other => return scalar(other),
    };
    let mut out = String::new();
    let mut fields = new_table();
    fields.set_header(vec!["Field", "Value"]);
    let mut any = false;
    for (k, v) in object {
        if !is_object_list(v) {
            fields.add_row(vec![Cell::new(k), Cell::new(cell(v))]);
            any = true;
        }
    }
    if any {
        out.push_str(&fields.to_string());
        out.push('\n');
    }
    for (k, v) in object {
        if let Value::Array(items) = v {
            if is_object_list(v) {
                out.push_str(&format!("\n{k}:\n"));
                out.push_str(&items_table(items));
                out.push('\n');
            }
        }
    }
    out.trim_end().to_owned()
}

fn is_object_list(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().any(Value::is_object))
}

fn items_table(items: &[Value]) -> String {
    let mut columns: Vec<&String> = Vec::new();
    for item in items.iter().filter_map(Value::as_object) {
        for key in item.keys() {
            if !columns.contains(&key) {
                columns.push(key);
            }
        }
    }
    let mut t = new_table();
    if columns.is_empty() {
        t.set_header(vec!["Value"]);
        for item in items {
            t.add_row(vec![cell(item)]);
        }
        return t.to_string();
    }
    t.set_header(columns.iter().map(|c| c.as_str()).collect::<Vec<_>>());
    for item in items {
        t.add_row(
            columns
                .iter()
                .map(|c| item.get(c.as_str()).map(cell).unwrap_or_default())
                .collect::<Vec<_>>(),
        );
    }
    t.to_string()
}
