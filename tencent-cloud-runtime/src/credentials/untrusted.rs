//! Reading what credential sources get from outside the process: HTTP answers of
//! STS and the metadata service, profile and token files. All of it is treated as
//! hostile: reads are capped, expiry values are checked instead of added blindly,
//! and text that ends up in an error is stripped of secrets and shortened, because
//! error texts reach logs.
//!
//! Public but hidden: the role sources of `tencent-cloud-config` read STS
//! answers and token files with the same caps and checks.

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Largest STS or metadata answer read; real ones are well under 4 KiB.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Largest identity token file read (a JWT is a few KiB).
pub const MAX_TOKEN_FILE_BYTES: u64 = 64 * 1024;

/// Largest profile file read; generous for many profiles, still bounded.
pub(crate) const MAX_PROFILE_FILE_BYTES: u64 = 1024 * 1024;

/// Longest server-supplied text (error code, message, request id, role name)
/// quoted in an error.
const MAX_QUOTED_CHARS: usize = 200;

/// An HTTP client for a credential source, with its own connect and total
/// timeouts so that a hung server cannot hold a refresh for longer.
pub(crate) fn http_client(
    connect: Duration,
    total: Duration,
    use_proxy: bool,
) -> Result<reqwest::Client, String> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(total);
    let builder = if use_proxy {
        builder
    } else {
        builder.no_proxy()
    };
    builder
        .build()
        .map_err(|e| format!("cannot set up HTTP: {e}"))
}

/// The body of `resp`, at most [`MAX_ANSWER_BYTES`]; a longer (or endless) body
/// fails as soon as it passes the cap, having buffered no more than that.
pub(crate) async fn read_capped(mut resp: reqwest::Response) -> Result<Vec<u8>, String> {
    let too_long = || format!("answer longer than {} KiB", MAX_ANSWER_BYTES / 1024);
    if resp
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
    {
        return Err(too_long());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
        if body.len().saturating_add(chunk.len()) > MAX_ANSWER_BYTES {
            return Err(too_long());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The text of the file at `path`, at most `limit` bytes. Errors keep the
/// `io::ErrorKind` (callers tell a missing file apart); one longer than `limit`
/// (or endless, like `/dev/zero`) is `InvalidData`.
pub fn read_file_capped(path: &Path, limit: u64) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {} KiB", limit / 1024),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// An expiry sent as whole seconds since 1970 (`ExpiredTime`). Anything else, a
/// negative number, a fraction, a string, or a value past what `SystemTime`
/// holds, is refused with a reason naming `field` (strings are never quoted:
/// a hostile server may put a secret there).
pub fn expiry_from_unix(field: &str, value: Option<&Value>) -> Result<SystemTime, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Err(format!("answer without {field}"));
    };
    let Value::Number(n) = value else {
        return Err(format!("{field} is not a number"));
    };
    let Some(secs) = n.as_u64() else {
        return Err(format!(
            "{field} {n} is not a time (whole seconds since 1970)"
        ));
    };
    UNIX_EPOCH
        .checked_add(Duration::from_secs(secs))
        .ok_or_else(|| format!("{field} {n} is too far in the future"))
}

/// The string member `name` of `object`, if it is one.
pub(crate) fn str_member<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    object.get(name).and_then(Value::as_str)
}

/// Server-supplied `text` made fit for an error: every non-empty string of
/// `secrets` replaced, control characters blanked, and cut to a few hundred
/// characters.
pub fn quote(text: &str, secrets: &[&str]) -> String {
    let mut text = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret, "***");
    }
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_QUOTED_CHARS)
        .collect();
    if text.chars().nth(MAX_QUOTED_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expiry_values_never_panic_and_say_what_is_wrong() {
        let cases: &[(&str, Result<u64, &str>)] = &[
            ("1700000000", Ok(1_700_000_000)),
            ("0", Ok(0)),
            ("18446744073709551615", Err("too far in the future")),
            ("-1", Err("is not a time")),
            ("-9223372036854775808", Err("is not a time")),
            ("18446744073709551616", Err("is not a time")),
            ("1.5", Err("is not a time")),
            ("1e300", Err("is not a time")),
            ("\"SECRET-IN-STRING\"", Err("is not a number")),
            ("[1]", Err("is not a number")),
            ("null", Err("answer without ExpiredTime")),
        ];
        for (text, want) in cases {
            let value: Value = serde_json::from_str(text).unwrap();
            let got = expiry_from_unix("ExpiredTime", Some(&value));
            match (want, got) {
                (Ok(secs), Ok(at)) => assert_eq!(at, UNIX_EPOCH + Duration::from_secs(*secs)),
                (Err(part), Err(why)) => {
                    assert!(why.contains(part), "{text}: {why}");
                    assert!(!why.contains("SECRET"), "{text}: {why}");
                }
                (want, got) => panic!("{text}: wanted {want:?}, got {got:?}"),
            }
        }
        assert!(expiry_from_unix("ExpiredTime", None).is_err());
        // The largest value SystemTime holds on this platform is accepted as is;
        // the cache decides how long it trusts it.
        let far = json!(i64::MAX);
        let _ = expiry_from_unix("ExpiredTime", Some(&far));
    }

    #[test]
    fn quoted_text_loses_secrets_control_characters_and_length() {
        assert_eq!(
            quote("key=abc token=xyz", &["abc", "xyz", ""]),
            "key=*** token=***"
        );
        assert_eq!(quote("a\nb\u{7}c", &[]), "a b c");
        let long = "é".repeat(1000);
        let q = quote(&long, &[]);
        assert_eq!(q.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(q.ends_with('…'));
        // Redaction happens before the cut, so no prefix of a secret survives.
        let secret = "S".repeat(300);
        assert!(!quote(&format!("x{secret}"), &[&secret]).contains('S'));
    }

    #[test]
    fn files_are_read_up_to_their_cap() {
        let dir = std::env::temp_dir();
        let path = dir.join(format!("tc-runtime-capped-{}", std::process::id()));
        std::fs::write(&path, "x".repeat(2048)).unwrap();
        assert_eq!(read_file_capped(&path, 2048).unwrap().len(), 2048);
        let e = read_file_capped(&path, 1024).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("larger than 1 KiB"), "{e}");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(read_file_capped(&path, 1024).is_err());
        let _ = std::fs::remove_file(&path);
        if Path::new("/dev/zero").exists() {
            let e = read_file_capped(Path::new("/dev/zero"), 1024).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        }
        let e = read_file_capped(&dir.join("tc-runtime-no-such-file"), 1024).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    }
}
