//! Temporary credentials of the CAM role bound to a CVM instance, from the
//! instance metadata service: first the role name, then that role's keys.

use super::untrusted::{self, expiry_from_unix, quote, str_member};
use super::{Credentials, CredentialsFuture, ProvideCredentials};
use crate::error::CredentialsError;
use serde_json::Value;
use std::time::Duration;

/// Where CVM instances reach their role credentials.
pub const CVM_METADATA_URL: &str =
    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

const SOURCE: &str = "CVM instance role";

/// The metadata service is on the instance's own network: it answers at once or
/// not at all (off a CVM nothing listens there).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(3);

/// Asks the instance metadata service for the role's temporary keys. Wrap it in a
/// [`super::CachingProvider`] (the default chain does) so that keys are fetched
/// once and refreshed before they expire.
#[derive(Debug, Clone)]
pub struct CvmRoleProvider {
    base_url: String,
    role: Option<String>,
    http: Result<reqwest::Client, String>,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl CvmRoleProvider {
    /// The metadata service at its usual address; the role name is discovered.
    /// Each request gives up after 1 s connecting and 3 s in all.
    pub fn new() -> Self {
        CvmRoleProvider {
            base_url: CVM_METADATA_URL.into(),
            role: None,
            http: untrusted::http_client(CONNECT_TIMEOUT, TOTAL_TIMEOUT, false),
        }
    }

    /// Another base URL (ending in `/security-credentials/`), for tests.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let mut url = url.into();
        if !url.ends_with('/') {
            url.push('/');
        }
        self.base_url = url;
        self
    }

    /// A known role name instead of asking for it.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Other limits for each request to the metadata service: `connect` to
    /// establish the connection, `total` for the whole exchange.
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.http = untrusted::http_client(connect, total, false);
        self
    }

    async fn get(&self, url: &str) -> Result<String, CredentialsError> {
        let fail =
            |why: String| CredentialsError::new(SOURCE, format!("{}: {why}", quote(url, &[])));
        let http = self.http.as_ref().map_err(|e| fail(e.clone()))?;
        let resp = http
            .get(url)
            .send()
            .await
            .map_err(|e| fail(e.to_string()))?;
        let status = resp.status();
        let body = untrusted::read_capped(resp).await.map_err(fail)?;
        if !status.is_success() {
            return Err(fail(format!("HTTP {status}")));
        }
        String::from_utf8(body).map_err(|_| fail("answer is not UTF-8 text".into()))
    }

    /// Fetches the role's keys now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let role = match &self.role {
            Some(role) => role.clone(),
            None => {
                let listing = self.get(&self.base_url).await?;
                listing
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        CredentialsError::new(SOURCE, "no role is bound to this instance")
                    })?
            }
        };
        let text = self.get(&format!("{}{role}", self.base_url)).await?;
        let role = quote(&role, &[]);
        parse(&text).map_err(|why| CredentialsError::new(SOURCE, format!("role {role}: {why}")))
    }
}

/// The role's keys from the metadata answer
/// (`{"Code":"Success","TmpSecretId":..,"TmpSecretKey":..,"Token":..,"ExpiredTime":..}`).
/// Reasons never quote the answer's secrets, wherever the server put them.
fn parse(text: &str) -> Result<Credentials, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("not a credentials document: {e}"))?;
    let key = str_member(&v, "TmpSecretKey").unwrap_or_default();
    let token = str_member(&v, "Token").unwrap_or_default();
    let code = str_member(&v, "Code").unwrap_or_default();
    if code != "Success" {
        return Err(format!(
            "metadata answered code {:?}",
            quote(code, &[key, token])
        ));
    }
    let id = str_member(&v, "TmpSecretId").unwrap_or_default();
    if id.is_empty() || key.is_empty() {
        return Err("answer without TmpSecretId and TmpSecretKey".into());
    }
    let expiry = expiry_from_unix("ExpiredTime", v.get("ExpiredTime"))?;
    let creds = Credentials::new(id, key).with_expiry(expiry);
    Ok(if token.is_empty() {
        creds
    } else {
        creds.with_token(token)
    })
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
