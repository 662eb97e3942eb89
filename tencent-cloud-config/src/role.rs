//! Temporary credentials from STS through the generated client (`tencent_cloud_sts`):
//! `AssumeRole`, signed with base credentials, and the TKE OIDC web-identity
//! flow `AssumeRoleWithWebIdentity`, sent unsigned (`Authorization: SKIP`) with
//! the pod's identity token. Signing, retries, the deadline, the size limit,
//! redaction and tracing are the runtime's, as for every other call.

use std::fmt::Display;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tencent_cloud_runtime::credentials::untrusted::{
    self, expiry_from_unix, quote, MAX_ANSWER_BYTES, MAX_TOKEN_FILE_BYTES,
};
use tencent_cloud_runtime::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use tencent_cloud_runtime::{CredentialsError, RequestOptions, SdkError};
use tencent_cloud_sts::types::Credentials as StsCredentials;

const DEFAULT_DURATION: u32 = 7200;

/// STS is a remote service: a few seconds to connect, ten for the whole call
/// (retries included). A call's own deadline (the client's) usually cuts in
/// first; these bound a refresh nobody waits for any more.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// How the providers reach STS: the endpoint (the spec's default unless set),
/// region and time limits. The client is built once, on first use, so that
/// connections are reused across refreshes.
#[derive(Debug, Clone)]
struct StsSettings {
    endpoint: Option<String>,
    region: String,
    connect: Duration,
    total: Duration,
    client: OnceLock<Result<tencent_cloud_sts::Client, String>>,
}

impl StsSettings {
    fn new(region: String) -> Self {
        StsSettings {
            endpoint: None,
            region,
            connect: CONNECT_TIMEOUT,
            total: TOTAL_TIMEOUT,
            client: OnceLock::new(),
        }
    }

    /// The STS client, signing with `base`, or unsigned without it.
    fn client(
        &self,
        base: Option<&Arc<dyn ProvideCredentials>>,
    ) -> Result<&tencent_cloud_sts::Client, String> {
        let built = self.client.get_or_init(|| {
            let mut b = tencent_cloud_sts::Client::builder()
                .region(self.region.clone())
                .connect_timeout(self.connect)
                .timeout(self.total)
                .max_response_size(MAX_ANSWER_BYTES)
                .rate_limit(tencent_cloud_runtime::RateLimit::Off);
            b = match base {
                Some(base) => b.credentials_provider(base.clone()),
                None => b.skip_signing(true),
            };
            if let Some(url) = &self.endpoint {
                b = b.endpoint_url(url.clone());
            }
            b.build().map_err(|e| e.to_string())
        });
        built.as_ref().map_err(Clone::clone)
    }
}

/// Repeating an exchange only issues other keys, so every failure the runtime
/// may retry is retried.
fn options() -> RequestOptions {
    RequestOptions::new().idempotent(true)
}

/// The runtime's error as a credentials error, with `secrets` (besides those
/// the runtime always hides) blanked: STS may echo what it was sent. Of an
/// undecodable answer only the verdict is kept, not the body: a hostile answer
/// may carry keys anywhere.
fn failed<C: Display>(
    source: &str,
    action: &str,
    e: SdkError<C>,
    secrets: &[&str],
) -> CredentialsError {
    let text = match &e {
        SdkError::Decode(d) => format!("{action}: HTTP {}, {:?}: {}", d.status, d.kind, d.detail),
        _ => format!("{action}: {e}"),
    };
    CredentialsError::new(source, quote(&text, secrets))
}

/// Keys from an STS answer, expiring at `expired_time` (Unix seconds). The
/// client reads answers leniently (a missing `Expiration` is no reason to
/// fail), so what the keys need is checked here: a member the answer left out
/// was read as empty or zero and is listed in its `deviations`.
fn temporary(
    source: &str,
    deviations: &[tencent_cloud_runtime::Deviation],
    keys: StsCredentials,
    expired_time: serde_json::Value,
) -> Result<Credentials, CredentialsError> {
    let fail = |why: String| CredentialsError::new(source, why);
    let missing: Vec<&str> = deviations
        .iter()
        .map(|d| d.path.as_str())
        .filter(|p| p.starts_with("Credentials") || *p == "ExpiredTime")
        .collect();
    if !missing.is_empty() {
        return Err(fail(format!("answer without {}", missing.join(", "))));
    }
    if keys.tmp_secret_id.is_empty() || keys.tmp_secret_key.is_empty() || keys.token.is_empty() {
        return Err(fail(
            "answer with an empty Credentials.TmpSecretId, TmpSecretKey or Token".into(),
        ));
    }
    let expiry = expiry_from_unix("ExpiredTime", Some(&expired_time)).map_err(fail)?;
    Ok(Credentials::new(keys.tmp_secret_id, keys.tmp_secret_key)
        .with_token(keys.token)
        .with_expiry(expiry))
}

/// Assumes a CAM role with base credentials (`AssumeRole`). Wrap it in a
/// [`CachingProvider`](tencent_cloud_runtime::credentials::CachingProvider) to reuse the keys until shortly before they expire.
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    base: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration_seconds: u32,
    sts: StsSettings,
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
            sts: StsSettings::new("ap-guangzhou".into()),
        }
    }

    /// Lifetime of the keys, 1 to 43200 seconds (7200 by default).
    pub fn duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = seconds.clamp(1, 43_200);
        self
    }

    /// Region sent to STS (`ap-guangzhou` by default).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.sts = StsSettings {
            region: region.into(),
            client: OnceLock::new(),
            ..self.sts
        };
        self
    }

    /// Another STS endpoint URL, for tests and proxies (the spec's default
    /// endpoint, `https://sts.tencentcloudapi.com/`, otherwise).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts = StsSettings {
            endpoint: Some(url.into()),
            client: OnceLock::new(),
            ..self.sts
        };
        self
    }

    /// Other limits for each STS call: `connect` to establish a connection,
    /// `total` for the whole call, retries included (3 s and 10 s by default).
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.sts = StsSettings {
            connect,
            total,
            client: OnceLock::new(),
            ..self.sts
        };
        self
    }

    /// Assumes the role now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "STS AssumeRole";
        let client = self
            .sts
            .client(Some(&self.base))
            .map_err(|e| CredentialsError::new(SOURCE, e))?;
        let answer = client
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .duration_seconds(u64::from(self.duration_seconds))
            .options(options())
            .send()
            .await
            .map_err(|e| failed(SOURCE, "AssumeRole", e, &[]))?;
        let deviations = answer.deviations().to_vec();
        temporary(
            SOURCE,
            &deviations,
            answer.credentials,
            answer.expired_time.into(),
        )
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
    provider_id: String,
    token_file: std::path::PathBuf,
    role_arn: String,
    session_name: String,
    duration_seconds: u32,
    sts: StsSettings,
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
            provider_id,
            token_file: token_file.into(),
            role_arn,
            session_name: format!("tencent-cloud-rust-{}", std::process::id()),
            duration_seconds: DEFAULT_DURATION,
            sts: StsSettings::new(region),
        })
    }

    /// Another STS endpoint URL, for tests and proxies (the spec's default
    /// endpoint, `https://sts.tencentcloudapi.com/`, otherwise).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts = StsSettings {
            endpoint: Some(url.into()),
            client: OnceLock::new(),
            ..self.sts
        };
        self
    }

    /// Other limits for each STS call: `connect` to establish a connection,
    /// `total` for the whole call, retries included (3 s and 10 s by default).
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.sts = StsSettings {
            connect,
            total,
            client: OnceLock::new(),
            ..self.sts
        };
        self
    }

    /// Session name recorded by STS.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// Exchanges the identity token now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "TKE OIDC";
        let token =
            untrusted::read_file_capped(&self.token_file, MAX_TOKEN_FILE_BYTES).map_err(|e| {
                CredentialsError::new(
                    SOURCE,
                    format!("cannot read {}: {e}", self.token_file.display()),
                )
            })?;
        let token = token.trim();
        let client = self
            .sts
            .client(None)
            .map_err(|e| CredentialsError::new(SOURCE, e))?;
        let answer = client
            .assume_role_with_web_identity()
            .provider_id(&self.provider_id)
            .web_identity_token(token)
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .duration_seconds(i64::from(self.duration_seconds))
            .options(options())
            .send()
            .await
            .map_err(|e| failed(SOURCE, "AssumeRoleWithWebIdentity", e, &[token]))?;
        let deviations = answer.deviations().to_vec();
        temporary(
            SOURCE,
            &deviations,
            answer.credentials,
            answer.expired_time.into(),
        )
    }
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
