//! Temporary credentials from STS (`sts`, version `2018-08-13`): `AssumeRole`,
//! signed with base credentials by this crate's signer, and the TKE OIDC
//! web-identity flow `AssumeRoleWithWebIdentity`, which is sent unsigned
//! (`Authorization: SKIP`) with the pod's identity token.

use super::untrusted::{self, expiry_from_unix, quote, str_member, MAX_TOKEN_FILE_BYTES};
use super::{Credentials, CredentialsFuture, ProvideCredentials};
use crate::error::CredentialsError;
use crate::signing::{sign, SigningInput};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The STS endpoint.
pub const STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com/";
const STS_VERSION: &str = "2018-08-13";
const DEFAULT_DURATION: u32 = 7200;

/// STS is a remote service: a few seconds to connect, ten for the whole call. A
/// call's own deadline (the client's) usually cuts in first; these bound a
/// refresh nobody waits for any more.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// Posts an STS action and reads the temporary credentials from its answer.
/// `secrets` (besides the signer's key and token, always hidden) must never
/// appear in an error, even when STS echoes them.
#[allow(clippy::too_many_arguments)]
async fn call_sts(
    http: &Result<reqwest::Client, String>,
    endpoint: &str,
    source: &str,
    action: &'static str,
    region: &str,
    body: Vec<u8>,
    signer: Option<&Credentials>,
    secrets: &[&str],
) -> Result<Credentials, CredentialsError> {
    let fail = |why: String| CredentialsError::new(source, why);
    let http = http.as_ref().map_err(|e| fail(e.clone()))?;
    let url = reqwest::Url::parse(endpoint)
        .map_err(|e| fail(format!("endpoint {}: {e}", quote(endpoint, &[]))))?;
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        (None, _) => return Err(fail(format!("endpoint {url} has no host"))),
    };
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let authorization = match signer {
        Some(c) => {
            let input = SigningInput {
                service: "sts",
                timestamp,
                method: "POST",
                path: "/",
                query: "",
                headers: &[("content-type", "application/json"), ("host", &host)],
                payload: &body,
            };
            sign(c.secret_id(), c.secret_key(), &input).authorization
        }
        None => "SKIP".to_owned(),
    };
    let mut req = http
        .post(url)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .header("Host", host)
        .header("X-TC-Action", action)
        .header("X-TC-Timestamp", timestamp.to_string())
        .header("X-TC-Version", STS_VERSION)
        .header("X-TC-Region", region)
        .header("X-TC-RequestClient", crate::REQUEST_CLIENT);
    if let Some(token) = signer.and_then(Credentials::token) {
        req = req.header("X-TC-Token", token);
    }
    let resp = req
        .body(body)
        .send()
        .await
        .map_err(|e| fail(format!("{action}: {e}")))?;
    let status = resp.status().as_u16();
    let bytes = untrusted::read_capped(resp)
        .await
        .map_err(|e| fail(format!("{action}: {e}")))?;
    let mut hidden: Vec<&str> = secrets.to_vec();
    if let Some(c) = signer {
        hidden.push(c.secret_key());
        hidden.extend(c.token());
    }
    parse_answer(&bytes, action, status, &hidden).map_err(fail)
}

/// The credentials in an STS answer, or why there are none. Built from a JSON
/// tree member by member, so that a reason never quotes a value: a malformed
/// answer may carry the new keys in unexpected places. Text STS sends back (code,
/// message, request id) is quoted with `hidden` and the answer's own secrets
/// blanked.
fn parse_answer(
    bytes: &[u8],
    action: &str,
    status: u16,
    hidden: &[&str],
) -> Result<Credentials, String> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("{action}: HTTP {status}, not an STS answer: {e}"))?;
    let Some(response) = v.get("Response").filter(|r| r.is_object()) else {
        return Err(format!("{action}: HTTP {status}, answer without Response"));
    };
    let creds = response.get("Credentials").unwrap_or(&Value::Null);
    let key = str_member(creds, "TmpSecretKey").unwrap_or_default();
    let token = str_member(creds, "Token").unwrap_or_default();
    let mut hidden = hidden.to_vec();
    hidden.extend([key, token]);
    let request_id = quote(
        str_member(response, "RequestId").unwrap_or_default(),
        &hidden,
    );
    if let Some(e) = response.get("Error") {
        let code = quote(str_member(e, "Code").unwrap_or_default(), &hidden);
        let message = quote(str_member(e, "Message").unwrap_or_default(), &hidden);
        return Err(format!(
            "{action} failed: {code}: {message} (request id {request_id})"
        ));
    }
    let id = str_member(creds, "TmpSecretId").unwrap_or_default();
    if id.is_empty() || key.is_empty() || token.is_empty() {
        return Err(format!(
            "{action}: answer without Credentials.TmpSecretId, TmpSecretKey and Token (request id {request_id})"
        ));
    }
    let expiry = expiry_from_unix("ExpiredTime", response.get("ExpiredTime"))
        .map_err(|why| format!("{action}: {why} (request id {request_id})"))?;
    Ok(Credentials::new(id, key)
        .with_token(token)
        .with_expiry(expiry))
}

fn default_http() -> Result<reqwest::Client, String> {
    untrusted::http_client(CONNECT_TIMEOUT, TOTAL_TIMEOUT, true)
}

/// Assumes a CAM role with base credentials (`AssumeRole`). Wrap it in a
/// [`super::CachingProvider`] to reuse the keys until shortly before they expire.
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    base: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration_seconds: u32,
    region: String,
    endpoint: String,
    http: Result<reqwest::Client, String>,
}

impl AssumeRoleProvider {
    /// Assume `role_arn` (`qcs::cam::uin/...:roleName/...`) as `session_name`,
    /// signing with `base`.
    pub fn new(
        base: impl ProvideCredentials + 'static,
        role_arn: impl Into<String>,
        session_name: impl Into<String>,
    ) -> Self {
        AssumeRoleProvider {
            base: Arc::new(base),
            role_arn: role_arn.into(),
            session_name: session_name.into(),
            duration_seconds: DEFAULT_DURATION,
            region: "ap-guangzhou".into(),
            endpoint: STS_ENDPOINT.into(),
            http: default_http(),
        }
    }

    /// Lifetime of the keys, 1 to 43200 seconds (7200 by default).
    pub fn duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = seconds.clamp(1, 43_200);
        self
    }

    /// Region sent to STS (`ap-guangzhou` by default).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Another STS endpoint URL, for tests and proxies.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Other limits for each STS request: `connect` to establish the connection,
    /// `total` for the whole exchange (3 s and 10 s by default).
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.http = untrusted::http_client(connect, total, true);
        self
    }

    /// Assumes the role now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let base = self.base.provide_credentials().await.map_err(|e| {
            CredentialsError::new("STS AssumeRole", format!("base credentials: {e}"))
        })?;
        let body = json!({
            "RoleArn": self.role_arn,
            "RoleSessionName": self.session_name,
            "DurationSeconds": self.duration_seconds,
        })
        .to_string()
        .into_bytes();
        call_sts(
            &self.http,
            &self.endpoint,
            "STS AssumeRole",
            "AssumeRole",
            &self.region,
            body,
            Some(&base),
            &[],
        )
        .await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// Environment variables of the TKE OIDC flow.
pub const TKE_ENV: [&str; 4] = [
    "TKE_REGION",
    "TKE_PROVIDER_ID",
    "TKE_WEB_IDENTITY_TOKEN_FILE",
    "TKE_ROLE_ARN",
];

/// The TKE OIDC web-identity flow: exchanges the pod's identity token (re-read
/// from its file each time) for role credentials.
#[derive(Debug, Clone)]
pub struct OidcRoleProvider {
    region: String,
    provider_id: String,
    token_file: std::path::PathBuf,
    role_arn: String,
    session_name: String,
    duration_seconds: u32,
    endpoint: String,
    http: Result<reqwest::Client, String>,
}

impl OidcRoleProvider {
    /// From `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and
    /// `TKE_ROLE_ARN`; says which are missing.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// As [`OidcRoleProvider::from_env`] with another variable source.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        let values: Vec<Option<String>> = TKE_ENV
            .iter()
            .map(|k| lookup(k).filter(|v| !v.trim().is_empty()))
            .collect();
        let missing: Vec<&str> = TKE_ENV
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| *k)
            .collect();
        if !missing.is_empty() {
            return Err(CredentialsError::new(
                "TKE OIDC",
                format!("{} not set", missing.join(", ")),
            ));
        }
        let mut v = values.into_iter().flatten();
        let (region, provider_id, token_file, role_arn) = (
            v.next().unwrap_or_default(),
            v.next().unwrap_or_default(),
            v.next().unwrap_or_default(),
            v.next().unwrap_or_default(),
        );
        Ok(OidcRoleProvider {
            region,
            provider_id,
            token_file: token_file.into(),
            role_arn,
            session_name: format!("ccc-api-rust-{}", std::process::id()),
            duration_seconds: DEFAULT_DURATION,
            endpoint: STS_ENDPOINT.into(),
            http: default_http(),
        })
    }

    /// Another STS endpoint URL, for tests and proxies.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Other limits for each STS request: `connect` to establish the connection,
    /// `total` for the whole exchange (3 s and 10 s by default).
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.http = untrusted::http_client(connect, total, true);
        self
    }

    /// Session name recorded by STS.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// Exchanges the identity token now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let token =
            untrusted::read_file_capped(&self.token_file, MAX_TOKEN_FILE_BYTES).map_err(|e| {
                CredentialsError::new(
                    "TKE OIDC",
                    format!("cannot read {}: {e}", self.token_file.display()),
                )
            })?;
        let body = json!({
            "ProviderId": self.provider_id,
            "WebIdentityToken": token.trim(),
            "RoleArn": self.role_arn,
            "RoleSessionName": self.session_name,
            "DurationSeconds": self.duration_seconds,
        })
        .to_string()
        .into_bytes();
        call_sts(
            &self.http,
            &self.endpoint,
            "TKE OIDC",
            "AssumeRoleWithWebIdentity",
            &self.region,
            body,
            None,
            &[token.trim()],
        )
        .await
    }
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
