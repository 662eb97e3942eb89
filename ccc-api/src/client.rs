//! The client: configuration, and the one generic call path every action uses.
//!
//! Per-action code is thin: a generated request type implements
//! [`Action`](crate::Action) and [`Client::execute`] serialises it, hands the
//! bytes to the non-generic [`Client::send_raw`] (signing, headers, HTTP, envelope)
//! and decodes the typed response. Only the first and last steps are instantiated
//! per action.

use crate::action::Action;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::error::{BuildError, ConfigError, SdkError, TransportError, TransportErrorKind};
use crate::response::decode_response;
use crate::signing::{sign, SigningInput};
use crate::{Site, SERVICE, VERSION};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The content type the official SDKs send and sign, without a charset.
const JSON: &str = "application/json";
/// Sent as `X-TC-RequestClient`: this crate and its version.
pub const REQUEST_CLIENT: &str = concat!("ccc-api-rust/", env!("CARGO_PKG_VERSION"));
/// Timeout of a whole request when none is set, as in the official SDKs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

static X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
static X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
static X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
static X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
static X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
static X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
static X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");

/// Language of the service's messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// English, `en-US`.
    EnUs,
    /// Simplified Chinese, `zh-CN`.
    ZhCn,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::EnUs => "en-US",
            Language::ZhCn => "zh-CN",
        }
    }
}

/// A client of the CCC API. Cheap to clone (one `Arc`), `Send + Sync`; clones share
/// connections and configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    url: reqwest::Url,
    /// `Host` as sent and signed: the host, plus the port when the URL names one.
    host: String,
    region: Option<HeaderValue>,
    language: Option<Language>,
    timeout: Duration,
    credentials: Arc<dyn ProvideCredentials>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("url", &i.url.as_str())
            .field("region", &i.region)
            .field("language", &i.language)
            .field("timeout", &i.timeout)
            .field("credentials", &i.credentials)
            .finish()
    }
}

impl Client {
    /// A builder with the defaults: international site, credentials from the
    /// environment, no region, 60 s timeout.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with every default; fails when the environment has no credentials.
    pub fn from_env() -> Result<Client, ConfigError> {
        Client::builder().build()
    }

    /// The URL requests are posted to.
    pub fn endpoint(&self) -> &str {
        self.inner.url.as_str()
    }

    /// Sends one typed request and decodes its typed response.
    pub async fn execute<O: Action>(
        &self,
        request: &O,
    ) -> Result<O::Response, SdkError<O::ErrorCode>> {
        let body = serde_json::to_vec(request).map_err(|e| BuildError::Encode(e.to_string()))?;
        let (status, body) = self
            .send_raw(O::ACTION, body)
            .await
            .map_err(SdkError::map_code)?;
        decode_response::<O>(status, body)
    }

    /// Signs and posts `body` as `action`; the status and body of the answer. Not
    /// generic, so it is compiled once for all actions.
    async fn send_raw(
        &self,
        action: &'static str,
        body: Vec<u8>,
    ) -> Result<(u16, Vec<u8>), SdkError<String>> {
        let inner = &*self.inner;
        let credentials = inner.credentials.provide_credentials().await?;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let headers = inner.headers(action, timestamp, &credentials, &body)?;
        let response = inner
            .http
            .post(inner.url.clone())
            .headers(headers)
            .body(body)
            .timeout(inner.timeout)
            .send()
            .await
            .map_err(|e| {
                SdkError::Transport(TransportError::new(TransportErrorKind::Request, e))
            })?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| SdkError::Transport(TransportError::new(TransportErrorKind::Body, e)))?;
        Ok((status, bytes.into()))
    }
}

impl Inner {
    /// The full header set, in the order the official SDKs send it.
    fn headers(
        &self,
        action: &'static str,
        timestamp: u64,
        credentials: &Credentials,
        body: &[u8],
    ) -> Result<HeaderMap, SdkError<String>> {
        let signature = sign(
            credentials.secret_id(),
            credentials.secret_key(),
            &SigningInput {
                service: SERVICE,
                timestamp,
                method: "POST",
                path: "/",
                query: "",
                headers: &[("content-type", JSON), ("host", &self.host)],
                payload: body,
            },
        );
        let invalid = |what: &str| {
            SdkError::Build(BuildError::Encode(format!(
                "{what} is not a valid HTTP header value"
            )))
        };
        let mut headers = HeaderMap::with_capacity(10);
        let authorization =
            HeaderValue::from_str(&signature.authorization).map_err(|_| invalid("the SecretId"))?;
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        let host = HeaderValue::from_str(&self.host).map_err(|_| invalid("the host"))?;
        headers.insert(HOST, host);
        headers.insert(X_TC_ACTION.clone(), HeaderValue::from_static(action));
        headers.insert(X_TC_TIMESTAMP.clone(), HeaderValue::from(timestamp));
        headers.insert(X_TC_VERSION.clone(), HeaderValue::from_static(VERSION));
        if let Some(region) = &self.region {
            headers.insert(X_TC_REGION.clone(), region.clone());
        }
        if let Some(token) = credentials.token() {
            let mut token =
                HeaderValue::from_str(token).map_err(|_| invalid("the session token"))?;
            token.set_sensitive(true);
            headers.insert(X_TC_TOKEN.clone(), token);
        }
        if let Some(language) = self.language {
            headers.insert(
                X_TC_LANGUAGE.clone(),
                HeaderValue::from_static(language.as_str()),
            );
        }
        headers.insert(
            X_TC_REQUEST_CLIENT.clone(),
            HeaderValue::from_static(REQUEST_CLIENT),
        );
        if let Some(value) = headers.get_mut(AUTHORIZATION) {
            value.set_sensitive(true);
        }
        Ok(headers)
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    credentials: Option<Arc<dyn ProvideCredentials>>,
    site: Option<Site>,
    endpoint_url: Option<String>,
    region: Option<String>,
    language: Option<Language>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("site", &self.site)
            .field("endpoint_url", &self.endpoint_url)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A source asked for credentials before every request.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The site whose public endpoint is used (international by default).
    pub fn site(mut self, site: Site) -> Self {
        self.site = Some(site);
        self
    }

    /// Any endpoint URL, for proxies, emulators and tests
    /// (`http://127.0.0.1:8080`); takes precedence over [`ClientBuilder::site`]. The
    /// `Host` header and the signature carry the port when the URL names one.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Region sent as `X-TC-Region` (`ap-singapore`); CCC does not require one.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Language of the service's messages.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Time limit for a whole request, connection to last body byte (60 s default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit for establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Use this HTTP client (its proxy, TLS and pool settings) instead of a new one;
    /// [`ClientBuilder::connect_timeout`] then has no effect.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and builds the client. Without explicit
    /// credentials it reads them from the environment now, so a missing key fails
    /// here rather than on the first call.
    pub fn build(self) -> Result<Client, ConfigError> {
        let credentials = match self.credentials {
            Some(c) => c,
            None => Arc::new(Credentials::from_env()?),
        };
        let url_text = match &self.endpoint_url {
            Some(url) => url.clone(),
            None => format!("https://{}/", self.site.unwrap_or_default().host()),
        };
        let url = reqwest::Url::parse(&url_text)
            .map_err(|e| ConfigError::new(format!("endpoint URL `{url_text}`: {e}")))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(ConfigError::new(format!(
                "endpoint URL `{url_text}`: scheme must be http or https"
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(ConfigError::new(format!(
                "endpoint URL `{url_text}` has no host"
            )));
        };
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let region = match self.region {
            Some(r) => Some(HeaderValue::from_str(r.trim()).map_err(|_| {
                ConfigError::new(format!("region `{r}` is not a valid header value"))
            })?),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut b = reqwest::Client::builder();
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()
                    .map_err(|e| ConfigError::new(format!("HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                url,
                host,
                region,
                language: self.language,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                credentials,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("AKIDtest", "secretkey-xyz").with_token("token-abc")
    }

    #[test]
    fn client_is_cheap_clone_send_sync() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<Client>();
    }

    #[test]
    fn host_carries_an_explicit_port_only() {
        let c = Client::builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:8080")
            .build()
            .unwrap();
        assert_eq!(c.inner.host, "127.0.0.1:8080");
        let c = Client::builder()
            .credentials(creds())
            .endpoint_url("https://example.com:443/")
            .build()
            .unwrap();
        assert_eq!(c.inner.host, "example.com");
        let c = Client::builder().credentials(creds()).build().unwrap();
        assert_eq!(c.inner.host, "ccc.intl.tencentcloudapi.com");
        assert_eq!(c.endpoint(), "https://ccc.intl.tencentcloudapi.com/");
        let c = Client::builder()
            .credentials(creds())
            .site(Site::China)
            .build()
            .unwrap();
        assert_eq!(c.inner.host, "ccc.tencentcloudapi.com");
    }

    #[test]
    fn bad_configuration_is_a_typed_error() {
        let e = Client::builder()
            .credentials(creds())
            .endpoint_url("not a url")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("not a url"), "{e}");
        let e = Client::builder()
            .credentials(creds())
            .endpoint_url("ftp://x/")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("scheme"), "{e}");
        let e = Client::builder()
            .credentials(creds())
            .region("ap-\nx")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("region"), "{e}");
    }

    #[test]
    fn header_set_matches_the_official_sdks() {
        let c = Client::builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:9000")
            .region("ap-singapore")
            .language(Language::EnUs)
            .build()
            .unwrap();
        let h = c
            .inner
            .headers("DescribeAutoCalloutTask", 1_700_000_000, &creds(), b"{}")
            .unwrap();
        let names: Vec<&str> = h.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "authorization",
                "content-type",
                "host",
                "x-tc-action",
                "x-tc-timestamp",
                "x-tc-version",
                "x-tc-region",
                "x-tc-token",
                "x-tc-language",
                "x-tc-requestclient"
            ]
        );
        assert_eq!(h["content-type"], "application/json");
        assert_eq!(h["host"], "127.0.0.1:9000");
        assert_eq!(h["x-tc-version"], "2020-02-10");
        assert_eq!(h["x-tc-timestamp"], "1700000000");
        assert_eq!(h["x-tc-language"], "en-US");
        let auth = h["authorization"].to_str().unwrap();
        assert!(auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDtest/2023-11-14/ccc/tc3_request, SignedHeaders=content-type;host, Signature="), "{auth}");
        // The headers' Debug output hides the secrets.
        let shown = format!("{h:?}");
        assert!(
            !shown.contains("token-abc") && !shown.contains("Signature="),
            "{shown}"
        );
    }

    #[test]
    fn optional_headers_are_absent_when_unset() {
        let c = Client::builder()
            .credentials(Credentials::new("id", "key"))
            .build()
            .unwrap();
        let h = c
            .inner
            .headers(
                "DescribeAutoCalloutTask",
                1,
                &Credentials::new("id", "key"),
                b"{}",
            )
            .unwrap();
        for name in ["x-tc-region", "x-tc-token", "x-tc-language"] {
            assert!(!h.contains_key(name), "{name}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Client::builder().credentials(creds()).build().unwrap();
        let shown = format!("{c:?} {:?}", Client::builder().credentials(creds()));
        assert!(
            !shown.contains("secretkey-xyz") && !shown.contains("token-abc"),
            "{shown}"
        );
    }
}
