//! The headers of an attempt as hooks and mocks show them: text in, text out,
//! names in any case, secrets hidden from `Debug`. The HTTP crate's own map
//! stays inside the runtime, so its next major version is not a breaking
//! change for users.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;

/// The headers of one attempt.
///
/// Every value the client sets, and every value [`Headers::insert`] accepts,
/// is visible ASCII, so each reads back as `&str` exactly.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers(pub(crate) HeaderMap);

impl Headers {
    /// The value of `name` (any case), if set; the first one if set twice.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether `name` (any case) is set.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Every header as (lower-case name, value), in no fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
    }

    /// How many values are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no header is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets `name` to `value`, replacing any value it had. A name that is not
    /// an HTTP token, or a value with a control character or a non-ASCII
    /// byte, is refused and nothing changes.
    pub fn insert(&mut self, name: &str, value: &str) -> Result<(), InvalidHeader> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| InvalidHeader {
            name: name.to_owned(),
            part: "name",
        })?;
        let parsed = HeaderValue::from_str(value)
            .ok()
            .filter(|v| v.to_str().is_ok())
            .ok_or_else(|| InvalidHeader {
                name: name.to_owned(),
                part: "value",
            })?;
        self.0.insert(header, parsed);
        Ok(())
    }

    /// Removes `name` (any case); its value if it was set.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.0
            .remove(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }
}

/// Shows every header, with the value of `Authorization` and `X-TC-Token`
/// (and any value marked sensitive) redacted.
impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.0 {
            let secret = value.is_sensitive()
                || name == reqwest::header::AUTHORIZATION
                || name.as_str() == "x-tc-token";
            if secret {
                map.entry(&name.as_str(), &"** redacted **");
            } else {
                map.entry(&name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
            }
        }
        map.finish()
    }
}

/// A header [`Headers::insert`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidHeader {
    name: String,
    part: &'static str,
}

impl fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The value is left out: it may be a secret.
        write!(
            f,
            "header {:?}: invalid {} (a name must be an HTTP token, a value visible ASCII)",
            self.name.escape_debug().to_string(),
            self.part
        )
    }
}

impl std::error::Error for InvalidHeader {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_text_out_and_refusals_change_nothing() {
        let mut h = Headers::default();
        h.insert("X-Trace-Id", "abc 1").unwrap();
        assert_eq!(h.get("x-trace-id"), Some("abc 1"));
        assert!(h.contains("X-TRACE-ID"));
        for (name, value, part) in [
            ("bad name", "v", "name"),
            ("", "v", "name"),
            ("x-ok", "line\nbreak", "value"),
            ("x-ok", "caf\u{e9}", "value"),
            ("x-ok", "\u{7f}", "value"),
        ] {
            let e = h.insert(name, value).unwrap_err();
            assert!(e.to_string().contains(part), "{e}");
            assert!(!e.to_string().contains(value) || value == "v", "{e}");
        }
        assert_eq!(h.len(), 1);
        assert_eq!(h.iter().collect::<Vec<_>>(), [("x-trace-id", "abc 1")]);
        assert_eq!(h.remove("X-Trace-Id").as_deref(), Some("abc 1"));
        assert!(h.is_empty());
    }

    #[test]
    fn debug_hides_secrets() {
        let mut h = Headers::default();
        h.insert(
            "Authorization",
            "TC3-HMAC-SHA256 Credential=AKID/x, Signature=s3cret",
        )
        .unwrap();
        h.insert("X-TC-Token", "tok3n").unwrap();
        h.insert("X-TC-Action", "DescribeX").unwrap();
        let shown = format!("{h:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("tok3n"),
            "{shown}"
        );
        assert!(shown.contains("DescribeX"), "{shown}");
    }
}
