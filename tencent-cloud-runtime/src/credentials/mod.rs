//! Credentials and where they come from.
//!
//! A [`Credentials`] value never shows its secret key or session token: not in
//! `Debug`, not in errors. Sources implement [`ProvideCredentials`], asked before
//! every request so that temporary credentials can be refreshed behind it:
//! [`EnvironmentProvider`], [`ProfileFileProvider`], [`CvmRoleProvider`], and
//! [`DefaultChain`], which tries them in the official order. The sources that
//! assume a role through STS (`AssumeRoleProvider`, `OidcRoleProvider`) live in
//! `tencent-cloud-config`, over the generated STS crate. Temporary credentials are cached by
//! [`CachingProvider`] and refreshed before they expire; a failing refresh does
//! not stop requests while the cached keys still work.
//!
//! What sources read is treated as hostile: HTTP sources have their own connect
//! and total timeouts, answers are read up to 64 KiB, identity token files up to
//! 64 KiB and profile files up to 1 MiB, expiry values are checked, and error
//! texts quote nothing a server could have filled with a secret.

mod cache;
mod chain;
mod cvm;
mod env;
mod profile;
#[doc(hidden)]
pub mod untrusted;

pub use cache::CachingProvider;
pub use chain::{DefaultChain, Unavailable};
pub use cvm::{CvmRoleProvider, CVM_METADATA_URL};
pub use env::EnvironmentProvider;
pub use profile::ProfileFileProvider;

use crate::error::CredentialsError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// Environment variable holding the SecretId.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Environment variable holding the SecretKey.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Environment variable holding the session token of temporary credentials.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Also accepted for the session token, as one official tool reads it.
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";

/// A key pair, with a session token when the keys are temporary.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    // Shared, so that handing credentials to every request costs no copies.
    secret_id: Arc<str>,
    secret_key: Arc<str>,
    token: Option<Arc<str>>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Permanent keys.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            secret_id: secret_id.into().into(),
            secret_key: secret_key.into().into(),
            token: None,
            expires_at: None,
        }
    }

    /// When temporary credentials stop being valid.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// When these credentials expire; `None` for permanent keys.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Temporary keys with their session token (sent as `X-TC-Token`).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into().into());
        self
    }

    /// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional
    /// `TENCENTCLOUD_SESSION_TOKEN` (or `TENCENTCLOUD_TOKEN`).
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Credentials::from_env`], with `lookup` in place of the process
    /// environment (tests, configuration layers).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let id = get(ENV_SECRET_ID);
        let key = get(ENV_SECRET_KEY);
        match (id, key) {
            (Some(id), Some(key)) => {
                let mut creds = Credentials::new(id.trim(), key.trim());
                creds.token = get(ENV_SESSION_TOKEN)
                    .or_else(|| get(ENV_TOKEN))
                    .map(|t| t.trim().into());
                Ok(creds)
            }
            (None, None) => Err(CredentialsError::new(
                "environment",
                format!("{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
            )),
            (None, Some(_)) => Err(CredentialsError::new(
                "environment",
                format!("{ENV_SECRET_KEY} is set but {ENV_SECRET_ID} is not"),
            )),
            (Some(_), None) => Err(CredentialsError::new(
                "environment",
                format!("{ENV_SECRET_ID} is set but {ENV_SECRET_KEY} is not"),
            )),
        }
    }

    /// The SecretId (an identifier, sent in clear in `Authorization`).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey. Handle with care: this is the secret.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// Whether `other` has the same SecretKey (cheap when both share it).
    pub(crate) fn same_key(&self, other: &Credentials) -> bool {
        Arc::ptr_eq(&self.secret_key, &other.secret_key) || self.secret_key == other.secret_key
    }

    /// The session token of temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &MaskedId(&self.secret_id))
            .field("secret_key", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Shows only the last four characters of an id.
struct MaskedId<'a>(&'a str);

impl fmt::Debug for MaskedId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars: Vec<char> = self.0.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
        write!(f, "\"****{tail}\"")
    }
}

/// The future a credentials source returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked before every request.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Credentials valid for a request sent now.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;

    /// The credentials [`provide_credentials`](Self::provide_credentials)
    /// would give at once, when the source holds them without any work
    /// (fixed keys, a fresh cache); `None` sends the caller to the
    /// asynchronous path. It spares every request a boxed future; a source
    /// need not implement it.
    fn ready_credentials(&self) -> Option<Credentials> {
        None
    }
}

/// A shared source is a source: providers that wrap another one (say
/// `AssumeRoleProvider` around its base keys) hand it on without a copy.
impl ProvideCredentials for Arc<dyn ProvideCredentials> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }

    fn ready_credentials(&self) -> Option<Credentials> {
        (**self).ready_credentials()
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }

    fn ready_credentials(&self) -> Option<Credentials> {
        Some(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn reads_the_environment() {
        let c = Credentials::from_lookup(env(&[
            (ENV_SECRET_ID, "AKIDexample1234"),
            (ENV_SECRET_KEY, "topsecretkey"),
            (ENV_SESSION_TOKEN, "tok-abc"),
        ]))
        .unwrap();
        assert_eq!(c.secret_id(), "AKIDexample1234");
        assert_eq!(c.secret_key(), "topsecretkey");
        assert_eq!(c.token(), Some("tok-abc"));
        let c = Credentials::from_lookup(env(&[
            (ENV_SECRET_ID, "id"),
            (ENV_SECRET_KEY, "key"),
            (ENV_TOKEN, "tok-2"),
        ]))
        .unwrap();
        assert_eq!(c.token(), Some("tok-2"));
    }

    #[test]
    fn says_which_variable_is_missing() {
        let e = Credentials::from_lookup(env(&[(ENV_SECRET_ID, "AKID")])).unwrap_err();
        assert_eq!(e.source, "environment");
        assert!(e.reason.contains("TENCENTCLOUD_SECRET_KEY is not"), "{e}");
        let e = Credentials::from_lookup(env(&[])).unwrap_err();
        assert!(e
            .to_string()
            .contains("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY"));
        let e = Credentials::from_lookup(env(&[(ENV_SECRET_ID, " "), (ENV_SECRET_KEY, "k")]))
            .unwrap_err();
        assert!(e.reason.contains("TENCENTCLOUD_SECRET_ID is not"), "{e}");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::new("AKIDexample1234", "topsecretkey").with_token("tok-abc");
        let shown = format!("{c:?} {c:#?}");
        assert!(!shown.contains("topsecretkey"), "{shown}");
        assert!(!shown.contains("tok-abc"), "{shown}");
        assert!(!shown.contains("AKIDexample"), "{shown}");
        assert!(shown.contains("1234"), "{shown}");
    }
}
