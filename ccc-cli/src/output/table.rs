//! `--output table`: scalars as a Field/Value table, each list of objects as a
//! table of its own, one row an item.
//!
//! Every table is fitted to the screen's width: a column narrower than its
//! share keeps its width, the others are cut, ending in `…`; control
//! characters are shown escaped (`\n`), so that a row is one line.
//! That keeps the work linear: the table crate splits and measures a cell in
//! steps that grow with its length, and a cell of megabytes (a long string, a
//! large nested list) made a large answer take minutes. A cut cell costs its
//! width, whatever the value's size: nested values are serialised only as far
//! as the cell shows.

use comfy_table::{presets, Cell, ContentArrangement, Table};
use serde_json::Value;
use std::io::{Result, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The cell width when the output is not a terminal and `COLUMNS` is unset.
pub const DEFAULT_WIDTH: usize = 120;

/// The narrowest a column is cut to: below this a cut value says too little.
const MIN_WIDTH: usize = 8;

/// Marks a cut cell.
pub const MARKER: char = '…';

/// The width of the screen: `COLUMNS` if set, else the width of the terminal
/// stdout is, else [`DEFAULT_WIDTH`].
pub fn screen_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
        })
        .unwrap_or(DEFAULT_WIDTH)
}

/// Writes `value` as tables, each fitted to `screen` columns where its
/// columns allow (at least [`MIN_WIDTH`] each).
pub fn write(value: &Value, screen: usize, out: &mut dyn Write) -> Result<()> {
    let object = match value {
        Value::Object(map) => map,
        Value::Array(items) => return writeln!(out, "{}", items_table(items, screen)),
        other => return writeln!(out, "{}", cell(other, screen)),
    };
    let rows: Vec<Vec<String>> = object
        .iter()
        .filter(|(_, v)| !is_object_list(v))
        .map(|(k, v)| vec![clip(k, screen), cell(v, screen)])
        .collect();
    if !rows.is_empty() {
        writeln!(
            out,
            "{}",
            grid(vec!["Field".into(), "Value".into()], rows, screen)
        )?;
    }
    for (k, v) in object {
        if let Value::Array(items) = v {
            if is_object_list(v) {
                writeln!(out, "\n{}:", clip(k, screen))?;
                writeln!(out, "{}", items_table(items, screen))?;
            }
        }
    }
    Ok(())
}

fn is_object_list(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().any(Value::is_object))
}

fn items_table(items: &[Value], screen: usize) -> Table {
    let mut columns: Vec<&String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|item| item.keys())
        .collect();
    // Sorted and deduplicated in one pass, not a search per key: an answer
    // of many items must not cost items × columns².
    columns.sort_unstable();
    columns.dedup();
    if columns.is_empty() {
        let rows = items.iter().map(|item| vec![cell(item, screen)]).collect();
        return grid(vec!["Value".into()], rows, screen);
    }
    let header = columns.iter().map(|c| clip(c, screen)).collect();
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| {
                    item.get(c.as_str())
                        .map(|v| cell(v, screen))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    grid(header, rows, screen)
}

/// A table of `rows` (cells already cut to the screen), each column cut
/// further to its share of `screen` (see [`fit`]).
fn grid(header: Vec<String>, mut rows: Vec<Vec<String>>, screen: usize) -> Table {
    let mut natural: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (n, c) in natural.iter_mut().zip(row) {
            *n = (*n).max(c.width());
        }
    }
    // Each column takes ` │ ` (three columns), and the table one more.
    let widths = fit(&natural, screen.saturating_sub(3 * natural.len() + 1));
    for row in &mut rows {
        for (c, w) in row.iter_mut().zip(&widths) {
            if c.width() > *w {
                *c = clip(c, *w);
            }
        }
    }
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(
            header
                .iter()
                .zip(&widths)
                .map(|(h, w)| Cell::new(clip(h, *w)))
                .collect::<Vec<_>>(),
        );
    for row in rows {
        t.add_row(row);
    }
    t
}

/// Column widths summing to at most `budget`: a column narrower than an even
/// share keeps its width, the others share what is left evenly; none below
/// [`MIN_WIDTH`] (so many columns may overflow a narrow screen).
fn fit(natural: &[usize], budget: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    if natural.iter().sum::<usize>() <= budget {
        return widths;
    }
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = budget;
    while !open.is_empty() {
        let share = left / open.len();
        let (narrow, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| natural[i] <= share);
        if narrow.is_empty() {
            for i in wide {
                widths[i] = share.max(MIN_WIDTH).min(natural[i]);
            }
            break;
        }
        left -= narrow.iter().map(|&i| natural[i]).sum::<usize>();
        open = wide;
    }
    widths
}

/// A value as a cell: scalars as themselves, lists and objects as compact
/// JSON; at most `width` columns.
fn cell(v: &Value, width: usize) -> String {
    match v {
        Value::String(s) => clip(s, width),
        Value::Null => String::new(),
        other => {
            // Enough bytes for `width` columns of any text, and one more
            // column to tell that it goes on.
            let mut json = Capped::new(4 * (width + 1));
            let _ = serde_json::to_writer(&mut json, other);
            let mut shown = clip(&String::from_utf8_lossy(&json.bytes), width);
            if json.full && !shown.ends_with(MARKER) {
                shown.pop();
                shown.push(MARKER);
            }
            shown
        }
    }
}

/// `text` on one line of at most `width` columns: control characters
/// escaped, and cut with [`MARKER`] if longer. Looks at no more of `text`
/// than it shows.
pub fn clip(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    // The longest prefix of `out` leaving a column for the marker.
    let mut cut = 0;
    for c in text.chars() {
        let before = out.len();
        let w = if c.is_control() {
            out.extend(c.escape_default());
            out.len() - before
        } else {
            out.push(c);
            c.width().unwrap_or(0)
        };
        if used + w > width {
            out.truncate(cut);
            out.push(MARKER);
            return out;
        }
        used += w;
        if used < width {
            cut = out.len();
        }
    }
    out
}

/// A writer keeping the first `limit` bytes, then refusing more: it stops
/// serialisation of a large value once a cell has what it can show.
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
    full: bool,
}

impl Capped {
    fn new(limit: usize) -> Self {
        Capped {
            bytes: Vec::new(),
            limit,
            full: false,
        }
    }
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> Result<usize> {
        let room = self.limit - self.bytes.len();
        if buf.len() > room {
            self.bytes.extend_from_slice(&buf[..room]);
            self.full = true;
            return Err(std::io::Error::other("cell full"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(v: &Value, width: usize) -> String {
        let mut out = Vec::new();
        write(v, width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cells_are_cut_at_the_width_with_a_marker() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("exactly-10", 10), "exactly-10");
        assert_eq!(clip("eleven-long", 10), "eleven-lo…");
        assert_eq!(clip("a\nb\tc", 10), "a\\nb\\tc");
        // Wide characters count two columns; the cut never splits one.
        let cut = clip("号码号码号码号码", 9);
        assert_eq!(cut, "号码号码…");
        assert!(cut.width() <= 9);
        assert_eq!(cell(&json!([1, 2, 3]), 20), "[1,2,3]");
        assert_eq!(cell(&json!({"A": "x".repeat(100)}), 20).width(), 20);
        assert!(cell(&json!({"A": "x".repeat(100)}), 20).ends_with(MARKER));
    }

    /// The guard of linear work: a table's size does not grow with the
    /// length of its cells, and grows in proportion with its rows.
    #[test]
    fn table_size_is_bounded_by_cells_and_linear_in_rows() {
        let one_cell =
            |bytes: usize| json!({"Name": "x".repeat(bytes), "List": [{"A": "y".repeat(bytes)}]});
        let small = table(&one_cell(1 << 20), 80);
        let large = table(&one_cell(4 << 20), 80);
        assert_eq!(small, large);
        assert!(small.len() < 2_000, "{}", small.len());
        assert!(small.contains(MARKER));
        for line in small.lines() {
            assert!(line.width() <= 80, "{line}");
        }
        let rows = |n: usize| json!({"Items": (0..n).map(|i| json!({"Id": 1_000_000 + i, "Note": "z".repeat(500)})).collect::<Vec<_>>()});
        let [r1, r2, r4] = [1000, 2000, 4000].map(|n| table(&rows(n), 80).len());
        // Each row adds the same: one cut line.
        assert_eq!(r4 - r2, 2 * (r2 - r1), "{r1} {r2} {r4}");
        // At most a line of the width a row (borders are three bytes each).
        assert!(r2 - r1 <= 1000 * (80 + 30), "{r1} {r2}");
    }
}

#[cfg(test)]
mod fit_tests {
    use super::fit;

    #[test]
    fn narrow_columns_keep_their_width_wide_ones_share_the_rest() {
        assert_eq!(fit(&[5, 10], 80), [5, 10]);
        assert_eq!(fit(&[5, 200], 80), [5, 75]);
        assert_eq!(fit(&[100, 200, 4], 80), [38, 38, 4]);
        // Too many columns for the screen: each keeps the minimum.
        assert_eq!(fit(&[50, 50, 50], 12), [8, 8, 8]);
    }
}
