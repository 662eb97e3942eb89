//! tccli's profile files, read and written the way tccli does, so that one
//! `tccli configure` (or `ccc configure`) serves both tools:
//! `~/.tccli/<profile>.credential` (JSON: `secretId`, `secretKey`, optional
//! `token`) and `~/.tccli/<profile>.configure` (JSON: `_sys_param` with
//! `region`, `output`, ...; one object per service, `ccc` holding `endpoint`).
//! Files are written with mode 0600: the credential file holds a secret.

use ccc_api::credentials::{CredentialsFuture, ProvideCredentials};
use ccc_api::{Credentials, CredentialsError};
use serde_json::{Map, Value};
use std::io::Read;
use std::path::PathBuf;

/// The profile when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Most bytes read of a profile file: they hold a few short strings.
const MAX_FILE: u64 = 1 << 20;

/// Keys of the credential file; every other key goes to the configure file.
const CREDENTIAL_KEYS: &[&str] = &["secretId", "secretKey", "token"];

/// Keys never printed in full (tccli masks the key id too).
const SECRET_KEYS: &[&str] = &["secretId", "secretKey", "token"];

/// `~/.tccli` (`HOME` honoured).
pub fn dir() -> Result<PathBuf, String> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".tccli"))
        .ok_or_else(|| "HOME is not set: cannot find ~/.tccli".to_owned())
}

/// Profile names are file names: refuse what could leave `~/.tccli`.
pub fn check_name(profile: &str) -> Result<(), String> {
    if profile.is_empty()
        || profile.len() > 128
        || !profile
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        || profile.starts_with('.')
    {
        return Err(format!(
            "profile `{profile}`: use letters, digits, `-`, `_` and `.` (not first)"
        ));
    }
    Ok(())
}

fn path(profile: &str, kind: &str) -> Result<PathBuf, String> {
    check_name(profile)?;
    Ok(dir()?.join(format!("{profile}.{kind}")))
}

/// The JSON object of a profile file; `Ok(None)` when there is none.
fn read(profile: &str, kind: &str) -> Result<Option<Map<String, Value>>, String> {
    let path = path(profile, kind)?;
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut text = String::new();
    file.take(MAX_FILE + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if text.len() as u64 > MAX_FILE {
        return Err(format!("{} is larger than 1 MiB", path.display()));
    }
    if text.trim().is_empty() {
        return Ok(Some(Map::new()));
    }
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        // The parser's message could quote the file, and the file holds a secret.
        _ => Err(format!("{} is not a JSON object", path.display())),
    }
}

/// Writes `map` to the profile file, mode 0600, through a temporary file so a
/// failure leaves the old one whole.
fn write(profile: &str, kind: &str, map: &Map<String, Value>) -> Result<(), String> {
    let path = path(profile, kind)?;
    let dir = path.parent().expect("a file in ~/.tccli");
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let text = serde_json::to_string_pretty(map).expect("a JSON object serialises");
    let tmp = dir.join(format!(".{profile}.{kind}.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options.open(&tmp).and_then(|mut f| {
        // `mode` applies only when the file is created.
        #[cfg(unix)]
        f.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        std::io::Write::write_all(&mut f, text.as_bytes())?;
        f.sync_all()
    });
    result
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write {}: {e}", path.display())
        })
}

/// Where a key lives: (file kind, section or `None` for the top, key).
fn place(key: &str) -> (&'static str, Option<&str>, &str) {
    if CREDENTIAL_KEYS.contains(&key) {
        return ("credential", None, key);
    }
    match key.split_once('.') {
        Some((service, k)) => ("configure", Some(service), k),
        None => ("configure", Some("_sys_param"), key),
    }
}

/// `ccc configure set KEY VALUE ...`.
pub fn set(profile: &str, pairs: &[(String, String)]) -> Result<(), String> {
    for kind in ["credential", "configure"] {
        let mine: Vec<_> = pairs.iter().filter(|(k, _)| place(k).0 == kind).collect();
        if mine.is_empty() {
            continue;
        }
        let mut map = read(profile, kind)?.unwrap_or_default();
        for (key, value) in mine {
            let (_, section, k) = place(key);
            let target = match section {
                None => &mut map,
                Some(s) => {
                    let entry = map
                        .entry(s.to_owned())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !entry.is_object() {
                        *entry = Value::Object(Map::new());
                    }
                    entry.as_object_mut().expect("made an object above")
                }
            };
            target.insert(k.to_owned(), Value::String(value.clone()));
        }
        write(profile, kind, &map)?;
    }
    Ok(())
}

/// The value of `key` in `profile`, as text (secrets unmasked: see [`masked`]).
pub fn get(profile: &str, key: &str) -> Result<Option<String>, String> {
    let (kind, section, k) = place(key);
    let Some(map) = read(profile, kind)? else {
        return Ok(None);
    };
    let holder = match section {
        None => Some(&map),
        Some(s) => map.get(s).and_then(Value::as_object),
    };
    Ok(holder.and_then(|h| h.get(k)).map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }))
}

/// A secret shown as tccli shows it: sixteen stars and its last four characters.
pub fn masked(key: &str, value: &str) -> String {
    let secret = SECRET_KEYS.iter().any(|s| key.ends_with(s));
    if !secret || value.is_empty() {
        return value.to_owned();
    }
    let tail: String = value
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}{tail}", "*".repeat(16))
}

/// Every key of `profile` with its value (secrets masked) as tccli lists them:
/// `credential:` and `configure:` sections of `key = value` lines.
pub fn list(profile: &str) -> Result<String, String> {
    let mut credential = Vec::new();
    if let Some(map) = read(profile, "credential")? {
        for (k, v) in &map {
            credential.push((k.clone(), masked(k, v.as_str().unwrap_or_default())));
        }
    }
    let mut out = Vec::new();
    if let Some(map) = read(profile, "configure")? {
        for (section, v) in &map {
            let Some(inner) = v.as_object() else { continue };
            for (k, v) in inner {
                let key = if section == "_sys_param" {
                    k.clone()
                } else {
                    format!("{section}.{k}")
                };
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out.push((key, text));
            }
        }
    }
    let lines = |pairs: Vec<(String, String)>| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k} = {v}\n"))
            .collect::<String>()
    };
    Ok(format!(
        "credential:\n{}configure:\n{}",
        lines(credential),
        lines(out)
    )
    .trim_end()
    .to_owned())
}

/// The names of the profiles in `~/.tccli`.
pub fn profiles() -> Result<Vec<String>, String> {
    let dir = dir()?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name
                .strip_suffix(".credential")
                .or_else(|| name.strip_suffix(".configure"))?;
            check_name(stem).ok()?;
            Some(stem.to_owned())
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Credentials from `~/.tccli/<profile>.credential`.
#[derive(Debug, Clone)]
pub struct TccliProfile {
    /// The profile.
    pub profile: String,
}

impl TccliProfile {
    fn load(&self) -> Result<Credentials, CredentialsError> {
        let fail = |reason: String| CredentialsError::new("tccli profile", reason);
        let shown = format!("~/.tccli/{}.credential", self.profile);
        let map = read(&self.profile, "credential")
            .map_err(fail)?
            .ok_or_else(|| fail(format!("no file {shown}")))?;
        let text = |k: &str| {
            map.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        match (text("secretId"), text("secretKey")) {
            (Some(id), Some(key)) => {
                let mut c = Credentials::new(id, key);
                if let Some(token) = text("token") {
                    c = c.with_token(token);
                }
                Ok(c)
            }
            _ => Err(fail(format!("{shown} lacks secretId or secretKey"))),
        }
    }
}

impl ProvideCredentials for TccliProfile {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.load() })
    }
}
