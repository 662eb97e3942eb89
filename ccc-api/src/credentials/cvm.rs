//! Temporary credentials of the CAM role bound to a CVM instance, from the
//! instance metadata service: first the role name, then that role's keys.

use super::{Credentials, CredentialsFuture, ProvideCredentials};
use crate::error::CredentialsError;
use serde::Deserialize;
use std::time::{Duration, UNIX_EPOCH};

/// Where CVM instances reach their role credentials.
pub const CVM_METADATA_URL: &str =
    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

const SOURCE: &str = "CVM instance role";

/// Asks the instance metadata service for the role's temporary keys. Wrap it in a
/// [`super::CachingProvider`] (the default chain does) so that keys are fetched
/// once and refreshed before they expire.
#[derive(Debug, Clone)]
pub struct CvmRoleProvider {
    base_url: String,
    role: Option<String>,
    http: reqwest::Client,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleCredentials {
    #[serde(default)]
    code: String,
    #[serde(default)]
    tmp_secret_id: String,
    #[serde(default)]
    tmp_secret_key: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    expired_time: u64,
}

impl CvmRoleProvider {
    /// The metadata service at its usual address; the role name is discovered.
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(3))
            .no_proxy()
            .build()
            .unwrap_or_default();
        CvmRoleProvider {
            base_url: CVM_METADATA_URL.into(),
            role: None,
            http,
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

    async fn get(&self, url: &str) -> Result<String, CredentialsError> {
        let fail = |why: String| CredentialsError::new(SOURCE, why);
        let resp = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| fail(format!("{url}: {e}")))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| fail(format!("{url}: {e}")))?;
        if !status.is_success() {
            return Err(fail(format!("{url}: HTTP {status}")));
        }
        Ok(text)
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
        let c: RoleCredentials = serde_json::from_str(&text).map_err(|e| {
            CredentialsError::new(
                SOURCE,
                format!("role {role}: not a credentials document: {e}"),
            )
        })?;
        if c.code != "Success" || c.tmp_secret_id.is_empty() || c.tmp_secret_key.is_empty() {
            return Err(CredentialsError::new(
                SOURCE,
                format!("role {role}: metadata answered code {:?}", c.code),
            ));
        }
        let expiry = UNIX_EPOCH + Duration::from_secs(c.expired_time);
        Ok(Credentials::new(c.tmp_secret_id, c.tmp_secret_key)
            .with_token(c.token)
            .with_expiry(expiry))
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
