//! Credentials from the profile file shared with Tencent Cloud's command-line tools.
//!
//! ```ini
//! [default]
//! secret_id = AKID...
//! secret_key = ...
//! token = ...        ; optional, for temporary keys
//! ```
//! Looked up at `TENCENTCLOUD_CREDENTIALS_FILE` if set, else
//! `~/.tencentcloud/credentials`, then `/etc/tencentcloud/credentials`. A file
//! larger than 1 MiB is refused rather than read.

use super::untrusted::{read_file_capped, MAX_PROFILE_FILE_BYTES};
use super::{Credentials, CredentialsFuture, ProvideCredentials};
use crate::error::CredentialsError;
use std::path::PathBuf;

/// Environment variable naming the profile file.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";

const SOURCE: &str = "profile file";

/// Reads one profile of the credentials file when asked.
#[derive(Debug, Clone)]
pub struct ProfileFileProvider {
    paths: Option<Vec<PathBuf>>,
    profile: String,
}

impl Default for ProfileFileProvider {
    fn default() -> Self {
        ProfileFileProvider {
            paths: None,
            profile: "default".into(),
        }
    }
}

impl ProfileFileProvider {
    /// The `[default]` profile of the usual file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Use this profile instead of `default`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = name.into();
        self
    }

    /// Read this file instead of the usual ones.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.paths = Some(vec![path.into()]);
        self
    }

    fn candidates(&self) -> Vec<PathBuf> {
        if let Some(paths) = &self.paths {
            return paths.clone();
        }
        if let Some(path) = std::env::var_os(ENV_CREDENTIALS_FILE).filter(|p| !p.is_empty()) {
            return vec![PathBuf::from(path)];
        }
        let mut out = Vec::new();
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            out.push(PathBuf::from(home).join(".tencentcloud/credentials"));
        }
        out.push(PathBuf::from("/etc/tencentcloud/credentials"));
        out
    }

    /// Loads the profile now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let candidates = self.candidates();
        for path in &candidates {
            let text = match read_file_capped(path, MAX_PROFILE_FILE_BYTES) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(CredentialsError::new(
                        SOURCE,
                        format!("cannot read {}: {e}", path.display()),
                    ))
                }
            };
            return parse(&text, &self.profile).map_err(|reason| {
                CredentialsError::new(SOURCE, format!("{}: {reason}", path.display()))
            });
        }
        let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        Err(CredentialsError::new(
            SOURCE,
            format!("no file at {}", tried.join(" or ")),
        ))
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.load() })
    }
}

/// The credentials of `[profile]` in INI `text`.
fn parse(text: &str, profile: &str) -> Result<Credentials, String> {
    let mut in_profile = false;
    let mut found = false;
    let (mut id, mut key, mut token) = (None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_profile = name.trim() == profile;
            found |= in_profile;
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim().to_owned();
            match k.trim() {
                "secret_id" => id = Some(v),
                "secret_key" => key = Some(v),
                "token" => token = Some(v),
                _ => {}
            }
        }
    }
    if !found {
        return Err(format!("no [{profile}] profile"));
    }
    match (id.filter(|v| !v.is_empty()), key.filter(|v| !v.is_empty())) {
        (Some(id), Some(key)) => {
            let creds = Credentials::new(id, key);
            Ok(match token.filter(|t| !t.is_empty()) {
                Some(t) => creds.with_token(t),
                None => creds,
            })
        }
        _ => Err(format!(
            "profile [{profile}] needs both secret_id and secret_key"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# comment\n[default]\nsecret_id = AKID1\nsecret_key = key1\n\n[prod]\nsecret_id=AKID2\nsecret_key=key2\ntoken = tok2\n";

    #[test]
    fn reads_profiles() {
        let c = parse(FILE, "default").unwrap();
        assert_eq!(
            (c.secret_id(), c.secret_key(), c.token()),
            ("AKID1", "key1", None)
        );
        let c = parse(FILE, "prod").unwrap();
        assert_eq!(
            (c.secret_id(), c.secret_key(), c.token()),
            ("AKID2", "key2", Some("tok2"))
        );
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(parse(FILE, "staging").unwrap_err(), "no [staging] profile");
        assert_eq!(
            parse("[default]\nsecret_id = a\n", "default").unwrap_err(),
            "profile [default] needs both secret_id and secret_key"
        );
    }

    #[test]
    fn missing_file_lists_the_paths_tried() {
        let p = ProfileFileProvider::new().path("/nonexistent/ccc-credentials");
        let e = p.load().unwrap_err();
        assert_eq!(e.source, "profile file");
        assert!(e.reason.contains("/nonexistent/ccc-credentials"), "{e}");
    }
}
