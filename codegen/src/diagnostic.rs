//! Problems found in the spec, each naming the file and where in it.

use std::fmt;

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as a path under the spec directory that was loaded.
    pub file: String,
    /// Where in the file: a JSON pointer (`/output/3/type`) or `line L, column C`.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.location, self.message)
        }
    }
}

/// Most characters of spec input a message quotes; a longer value is cut.
pub const QUOTE_LIMIT: usize = 100;

/// Most bytes of a file name, location or message; anything longer (a message
/// a parser built around a huge value, a pointer through a huge key) is cut.
pub const TEXT_LIMIT: usize = 400;

/// `value` for quoting in a message: at most `QUOTE_LIMIT` characters, cut on a
/// character boundary, with an ellipsis and the full length when cut, so a
/// megabyte-long bad value gives a one-line error.
pub fn excerpt(value: &str) -> String {
    match value.char_indices().nth(QUOTE_LIMIT) {
        None => value.to_owned(),
        Some((end, _)) => shortened(value, end),
    }
}

/// `text` cut to at most `TEXT_LIMIT` bytes on a character boundary.
fn bounded(text: &str) -> String {
    if text.len() <= TEXT_LIMIT {
        return text.to_owned();
    }
    let end = (0..=TEXT_LIMIT)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    shortened(text, end)
}

fn shortened(text: &str, end: usize) -> String {
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// Every problem found; loading reports them all, not just the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem. File, location and message are bounded to
    /// `TEXT_LIMIT` bytes whatever they quote.
    pub fn push(&mut self, file: &str, location: impl Into<String>, message: impl Into<String>) {
        self.0.push(Diagnostic {
            file: bounded(file),
            location: bounded(&location.into()),
            message: bounded(&message.into()),
        });
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the spec:",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.0 {
            writeln!(f, "  {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_cut_on_char_boundaries() {
        assert_eq!(excerpt("short"), "short");
        let exact = "x".repeat(QUOTE_LIMIT);
        assert_eq!(excerpt(&exact), exact);
        for filler in ["a", "é", "日", "🦀"] {
            let long = filler.repeat(5000);
            let shown = excerpt(&long);
            assert!(shown.starts_with(&filler.repeat(QUOTE_LIMIT)), "{shown}");
            assert!(shown.ends_with(&format!("… ({} bytes in all)", long.len())));
            assert!(shown.chars().count() <= QUOTE_LIMIT + 30, "{shown}");
        }
        let mut d = Diagnostics::default();
        d.push("f", "/".repeat(10_000), "m".repeat(1_000_000));
        d.push("f", "é".repeat(10_000), "🦀".repeat(1_000_000));
        for shown in d.0.iter().map(|d| d.to_string()) {
            assert!(shown.len() < 2 * (TEXT_LIMIT + 40), "{shown}");
        }
    }
}
