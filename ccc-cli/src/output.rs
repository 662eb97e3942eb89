//! Printing: a response as JSON, JSON lines, text or tables, narrowed by a
//! JMESPath query, and writing to stdout and stderr without the panics of
//! `println!` when the reader has gone away.

mod table;
mod text;

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
    written_or_exit(out.write_all(bytes).and_then(|()| out.flush()))
}

/// The exit code of a failed write to stdout, as [`print()`] describes.
fn written_or_exit(written: std::io::Result<()>) -> Result<(), ExitCode> {
    match written {
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
    /// Tab-separated values laid out as tccli's `text` (see [`text`]).
    Text,
    /// Tables, columns aligned by display width, cells cut at a screen's width.
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

/// Writes `value` in `format` to stdout, buffered, as it is rendered: the
/// answer is held once (as `value`), its text never whole. `Err` holds the
/// exit code, as [`print()`].
pub fn show(value: &Value, format: Format) -> Result<(), ExitCode> {
    let mut out = std::io::BufWriter::with_capacity(64 << 10, std::io::stdout().lock());
    let written = write(value, format, &mut out).and_then(|()| out.flush());
    written_or_exit(written)
}

/// `value` in `format`, without the final newline (for the demo and tests).
pub fn render(value: &Value, format: Format) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if the allocator does, which aborts anyway.
    let _ = write(value, format, &mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.truncate(text.trim_end_matches('\n').len());
    text
}

/// Writes `value` in `format`, ending with a newline (nothing for an empty
/// list in `jsonl` and `text`). Every form takes time and memory linear in the
/// size of `value`: JSON is written straight from it, `text` line by line, and
/// `table` truncates each cell to the width of a screen (see [`table`]).
pub fn write(value: &Value, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            out.write_all(b"\n")
        }
        Format::Jsonl => match value {
            Value::Array(items) => items.iter().try_for_each(|item| {
                serde_json::to_writer(&mut *out, item)?;
                out.write_all(b"\n")
            }),
            other => {
                serde_json::to_writer(&mut *out, other)?;
                out.write_all(b"\n")
            }
        },
        Format::Text => text::write(value, out),
        Format::Table => table::write(value, table::screen_width(), out),
    }
}
