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
//!
//! The provider is asked before every attempt, so it keeps what it read: the
//! file is read and parsed again only when the path found, its size or its
//! modification time changes (one `stat` per attempt otherwise). A rewrite
//! that keeps both size and modification time — within the file system's
//! time resolution — is not seen until one of them changes.

use super::untrusted::{read_file_capped, MAX_PROFILE_FILE_BYTES};
use super::{Credentials, CredentialsFuture, ProvideCredentials};
use crate::error::CredentialsError;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Environment variable naming the profile file.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";

const SOURCE: &str = "profile file";

/// Reads one profile of the credentials file when asked, again only when the
/// file changed (clones share what was read).
#[derive(Debug, Clone)]
pub struct ProfileFileProvider {
    paths: Option<Vec<PathBuf>>,
    profile: String,
    cache: Arc<Cache>,
}

/// What was read last, and from which version of which file.
#[derive(Debug, Default)]
struct Cache {
    last: Mutex<Option<Read>>,
    /// Times the file was read and parsed, for tests.
    reads: AtomicUsize,
}

#[derive(Debug)]
struct Read {
    path: PathBuf,
    version: (u64, Option<SystemTime>),
    result: Result<Credentials, CredentialsError>,
}

impl Default for ProfileFileProvider {
    fn default() -> Self {
        ProfileFileProvider {
            paths: None,
            profile: "default".into(),
            cache: Arc::default(),
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
        self.cache = Arc::default();
        self
    }

    /// Read this file instead of the usual ones.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.paths = Some(vec![path.into()]);
        self.cache = Arc::default();
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

    /// The profile: as read last time if the file is unchanged, else read now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let candidates = self.candidates();
        for path in &candidates {
            let version = match std::fs::metadata(path) {
                Ok(m) => (m.len(), m.modified().ok()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(cannot_read(path, e)),
            };
            let mut last = self.cache.last.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(read) = last.as_ref() {
                // Without a modification time (a rare file system) nothing
                // tells a change: read again.
                if read.path == *path && read.version == version && version.1.is_some() {
                    return read.result.clone();
                }
            }
            let result = self.read(path);
            *last = Some(Read {
                path: path.clone(),
                version,
                result: result.clone(),
            });
            return result;
        }
        let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        Err(CredentialsError::new(
            SOURCE,
            format!("no file at {}", tried.join(" or ")),
        ))
    }
}

impl ProfileFileProvider {
    fn read(&self, path: &Path) -> Result<Credentials, CredentialsError> {
        self.cache.reads.fetch_add(1, Ordering::Relaxed);
        let text = match read_file_capped(path, MAX_PROFILE_FILE_BYTES) {
            Ok(text) => text,
            Err(e) => return Err(cannot_read(path, e)),
        };
        parse(&text, &self.profile).map_err(|reason| {
            CredentialsError::new(SOURCE, format!("{}: {reason}", path.display()))
        })
    }
}

fn cannot_read(path: &Path, e: std::io::Error) -> CredentialsError {
    CredentialsError::new(SOURCE, format!("cannot read {}: {e}", path.display()))
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

    /// A fresh file in the system's temporary directory.
    fn temp_file(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tc-runtime-profile-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("credentials")
    }

    /// Writes `text` and sets the modification time, so the test does not
    /// depend on the clock's resolution.
    fn write(path: &Path, text: &str, modified_secs: u64) {
        std::fs::write(path, text).unwrap();
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(modified_secs);
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(at)
            .unwrap();
    }

    #[test]
    fn the_file_is_read_again_only_when_it_changes() {
        let path = temp_file("cache");
        let p = ProfileFileProvider::new().path(&path);
        let reads = || p.cache.reads.load(Ordering::Relaxed);
        write(
            &path,
            "[default]\nsecret_id = AKID1\nsecret_key = key1\n",
            1_000,
        );
        for _ in 0..100 {
            assert_eq!(p.load().unwrap().secret_id(), "AKID1");
        }
        assert_eq!(reads(), 1);
        // Clones share the cache.
        assert_eq!(p.clone().load().unwrap().secret_id(), "AKID1");
        assert_eq!(reads(), 1);
        // Each kind of change is seen: same size with a new time, a new size
        // with the same time, a broken file (its error is cached too), a
        // repaired one, and a file that went away.
        let cases: [(&str, u64, Result<&str, &str>); 4] = [
            (
                "[default]\nsecret_id = AKID2\nsecret_key = key1\n",
                2_000,
                Ok("AKID2"),
            ),
            (
                "[default]\nsecret_id = AKID33\nsecret_key = key1\n",
                2_000,
                Ok("AKID33"),
            ),
            (
                "[other]\nsecret_id = AKID4\nsecret_key = key4\n",
                3_000,
                Err("no [default] profile"),
            ),
            (
                "[default]\nsecret_id = AKID5\nsecret_key = key5\n",
                4_000,
                Ok("AKID5"),
            ),
        ];
        for (i, (text, modified, expected)) in cases.into_iter().enumerate() {
            write(&path, text, modified);
            for _ in 0..3 {
                match (p.load(), expected) {
                    (Ok(c), Ok(id)) => assert_eq!(c.secret_id(), id, "case {i}"),
                    (Err(e), Err(reason)) => assert!(e.reason.contains(reason), "case {i}: {e}"),
                    (got, _) => panic!("case {i}: {got:?}"),
                }
            }
            assert_eq!(reads(), i + 2, "case {i}");
        }
        std::fs::remove_file(&path).unwrap();
        assert!(p.load().unwrap_err().reason.contains("no file at"));
        let _ = std::fs::remove_dir(path.parent().unwrap());
    }

    #[test]
    fn missing_file_lists_the_paths_tried() {
        let p = ProfileFileProvider::new().path("/nonexistent/tc-runtime-credentials");
        let e = p.load().unwrap_err();
        assert_eq!(e.source, "profile file");
        assert!(
            e.reason.contains("/nonexistent/tc-runtime-credentials"),
            "{e}"
        );
    }
}
