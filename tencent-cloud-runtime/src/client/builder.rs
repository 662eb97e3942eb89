//! Configuring a client: [`ClientBuilder`] and its settings, the defaults of
//! those left unset, and the checks a configuration passes before a
//! [`Client`] is built from it (the settings read from the environment are
//! `env`'s).

use super::env::EnvLookup;
use super::sign;
use super::transport::{redact_url, Transport};
use super::{Client, Inner};
use crate::credentials::{Credentials, DefaultChain, ProvideCredentials};
use crate::error::ConfigError;
use crate::hooks::{Hook, Hooks};
#[cfg(feature = "test-util")]
use crate::mock::Mock;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::retry::RetryConfig;
use crate::service::{PublicSite, Service};
use crate::signing::PostSigner;
use reqwest::header::HeaderValue;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a client sends as `X-TC-RequestClient`, and as the `User-Agent` of
/// the HTTP client the builder makes (neither signed), when its service's
/// description names no crate ([`Service::client_name`]): this runtime and
/// its version, `tencent-cloud-runtime/<version>`. Generated service crates
/// name themselves (`tencent-cloud-sts/0.1.0`); [`Service::request_client`] gives the
/// value a client of a service sends.
pub const REQUEST_CLIENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// Deadline of a whole call, retries included, when none is set (as the official
/// SDKs' request timeout).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest answer read when no limit is set, in bytes after decompression: a
/// thousand call records (`DescribeTelCdr`) take about 2 MB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 16 * 1024 * 1024;

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

    /// The language whose header value is `tag`, in any case.
    pub(super) fn from_tag(tag: &str) -> Option<Language> {
        [Language::EnUs, Language::ZhCn]
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(tag))
    }
}

/// A client type of one service: the runtime's [`Client`] set to that
/// service, carrying its typed methods. Each generated service module
/// implements it for its `Client`, which [`ClientBuilder<C>`] then builds.
pub trait ServiceClient: From<Client> {
    /// The service a client of this type talks to, always; `None` for the
    /// runtime's own [`Client`], which is told with [`ClientBuilder::service`].
    fn default_service() -> Option<&'static Service>;

    /// Where a client of this type takes its credentials when the builder is
    /// given none: the runtime's [`DefaultChain`] (environment, profile file,
    /// CVM role). Service crates generated with `tencent-cloud-config` hand
    /// out its chain, which adds the sources that assume roles through STS;
    /// the runtime cannot, since STS is itself a service crate over it.
    fn default_credentials() -> Arc<dyn ProvideCredentials> {
        Arc::new(DefaultChain::new())
    }
}

impl ServiceClient for Client {
    fn default_service() -> Option<&'static Service> {
        None
    }
}

/// Configures a client: the runtime's [`Client`], or with `C` a service's own
/// (`tencent_cloud_sts::Client::builder()` gives a
/// `ClientBuilder<tencent_cloud_sts::Client>`).
pub struct ClientBuilder<C = Client> {
    /// What `build` returns; `fn() -> C` keeps the builder `Send + Sync`
    /// whatever `C` is.
    client: PhantomData<fn() -> C>,
    config: Config,
}

/// The settings of a [`ClientBuilder`], whatever client type it builds.
#[derive(Default)]
pub(super) struct Config {
    pub(super) service: Option<&'static Service>,
    pub(super) skip_signing: bool,
    pub(super) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(super) site: Option<&'static str>,
    pub(super) regional_endpoint: bool,
    pub(super) endpoint_url: Option<String>,
    pub(super) region: Option<String>,
    pub(super) language: Option<Language>,
    pub(super) timeout: Option<Duration>,
    pub(super) attempt_timeout: Option<Duration>,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) retry: Option<RetryConfig>,
    pub(super) retry_non_idempotent: bool,
    pub(super) max_response_size: Option<usize>,
    pub(super) strict_responses: bool,
    pub(super) rate_limit: RateLimit,
    pub(super) proxy: Option<String>,
    pub(super) http: Option<reqwest::Client>,
    pub(super) hooks: Vec<Arc<dyn Hook>>,
    #[cfg(feature = "http2")]
    pub(super) http2: Option<Http2>,
    #[cfg(feature = "test-util")]
    pub(super) mock: Option<Mock>,
    /// Where to read the settings left unset in code, for
    /// [`ClientBuilder::from_env`].
    pub(super) env: Option<EnvLookup>,
}

/// How the client may use HTTP/2 (feature `http2`); see
/// [`ClientBuilder::http2`]. Without it the client speaks HTTP/1.1 only, as
/// the official SDKs do.
#[cfg(feature = "http2")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Http2 {
    /// Offer `h2` besides `http/1.1` in the TLS handshake (ALPN) and use what
    /// the server picks; plain `http://` stays HTTP/1.1.
    Negotiate,
    /// Speak HTTP/2 from the first byte, without asking (also over plain
    /// `http://`, "h2c"): only for endpoints known to take it.
    PriorKnowledge,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            client: PhantomData,
            config: Config::default(),
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &self.config.service.map(|s| s.name))
            .field("skip_signing", &self.config.skip_signing)
            .field("credentials", &self.config.credentials)
            .field("site", &self.config.site)
            .field(
                "endpoint_url",
                &self.config.endpoint_url.as_deref().map(redact_url),
            )
            .field("region", &self.config.region)
            .field("regional_endpoint", &self.config.regional_endpoint)
            .field("language", &self.config.language)
            .field("timeout", &self.config.timeout)
            .field("attempt_timeout", &self.config.attempt_timeout)
            .field("connect_timeout", &self.config.connect_timeout)
            .field("retry", &self.config.retry)
            .field("retry_non_idempotent", &self.config.retry_non_idempotent)
            .field("max_response_size", &self.config.max_response_size)
            .field("strict_responses", &self.config.strict_responses)
            .field("rate_limit", &self.config.rate_limit)
            .field("proxy", &self.config.proxy.as_ref().map(|_| "** set **"))
            .field("hooks", &self.config.hooks.len())
            .field("from_env", &self.config.env.is_some())
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with the defaults (see [`Client::builder`]). It reads
    /// nothing from the environment but credentials (through the default
    /// chain, when given none) and the proxy variables; for the region,
    /// endpoint and language too, start from [`ClientBuilder::from_env`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that also takes from the environment, when it is built,
    /// the settings the code leaves unset — the code's settings win over
    /// the environment's, which win over the defaults:
    ///
    /// - `TENCENTCLOUD_REGION` (as tccli reads it): the region, which must be
    ///   a region name (`ap-guangzhou`: lower-case letters, digits, `-`);
    /// - `TENCENTCLOUD_ENDPOINT_URL_<SERVICE>` (`TENCENTCLOUD_ENDPOINT_URL_STS`,
    ///   the service's name in capitals), else `TENCENTCLOUD_ENDPOINT_URL`
    ///   (for every service): the endpoint URL, used only when the code sets
    ///   none of [`endpoint_url`](ClientBuilder::endpoint_url),
    ///   [`site`](ClientBuilder::site) and
    ///   [`regional_endpoint`](ClientBuilder::regional_endpoint);
    /// - `TENCENTCLOUD_LANGUAGE`: `en-US` or `zh-CN`, in any case.
    ///
    /// No official SDK or tool reads an endpoint or a language from the
    /// environment, so those two names are this crate's own. Empty values
    /// count as unset. A value that is wrong fails [`build`](ClientBuilder::build)
    /// with a [`ConfigError`] whose `variable` names it. Credentials come
    /// from the default chain as with [`ClientBuilder::new`] (its first
    /// source is the environment); the library reads no region or endpoint
    /// from profile files (a command line may read tccli's). A
    /// service's `Client::from_env()` is this builder, built.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`ClientBuilder::from_env`], with `lookup` in place of the process
    /// environment (tests, configuration layers); credentials still come
    /// from the default chain unless set.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        let mut builder = Self::default();
        builder.config.env = Some(Arc::new(lookup));
        builder
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(Arc::new(credentials));
        self
    }

    /// A source asked for credentials before every request (see
    /// [`crate::credentials`]); the default is [`DefaultChain`].
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// The site whose public endpoint is used (the service's default site
    /// otherwise, as its spec names it). Any service's `Site` names a site;
    /// the endpoint is the client's service's for that site, and a service
    /// without one is a configuration error.
    pub fn site(mut self, site: impl PublicSite) -> Self {
        self.config.site = Some(site.site_name());
        self
    }

    /// Send requests unsigned (`Authorization: SKIP`, no credentials asked
    /// for), as the few actions that carry their own proof of identity expect
    /// (STS `AssumeRoleWithWebIdentity`, `AssumeRoleWithSAML`). Off by default.
    /// Hidden: only `tencent-cloud-config`'s role providers need it.
    #[doc(hidden)]
    pub fn skip_signing(mut self, skip: bool) -> Self {
        self.config.skip_signing = skip;
        self
    }

    /// Any endpoint URL, for proxies, emulators and tests
    /// (`http://127.0.0.1:8080`); takes precedence over [`ClientBuilder::site`]. The
    /// `Host` header and the signature carry the port when the URL names one.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Region sent as `X-TC-Region` (`ap-singapore`); not every service requires one.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Call the site's endpoint in the client's [region](ClientBuilder::region)
    /// (`<service>.ap-guangzhou.tencentcloudapi.com`) instead of its nearest entry
    /// point, where the service's description lists regional hosts for the
    /// site. Building fails when there is no region, the region is not a
    /// region name, or the site has no regional hosts: a request never goes to
    /// a host the caller did not mean. Ignored with
    /// [`endpoint_url`](ClientBuilder::endpoint_url).
    pub fn regional_endpoint(mut self, regional: bool) -> Self {
        self.config.regional_endpoint = regional;
        self
    }

    /// Language of the service's messages.
    pub fn language(mut self, language: Language) -> Self {
        self.config.language = Some(language);
        self
    }

    /// Deadline of a whole call, retries and waits included (60 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// Time limit of each attempt (by default, what is left of the deadline).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.attempt_timeout = Some(timeout);
        self
    }

    /// Time limit for establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// Retry settings (3 attempts, 200 ms initial backoff, 20 s cap by default).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = Some(retry);
        self
    }

    /// Repeat calls of actions the spec does not mark idempotent after failures
    /// that may have reached the service (a timeout, a cut-off answer, an HTTP
    /// 5xx), as is done for idempotent ones. Off by default: such a call (say
    /// `CreateAutoCalloutTask`) could run twice. Rate-limit refusals and
    /// connections that were never made are retried for every action anyway.
    /// Per call: [`RequestOptions::idempotent`](crate::RequestOptions::idempotent).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.config.retry_non_idempotent = retry;
        self
    }

    /// Largest answer accepted, in bytes after decompression
    /// ([`DEFAULT_MAX_RESPONSE_SIZE`] by default). Reading stops once an answer
    /// grows past it, with [`TransportErrorKind::ResponseTooLarge`](crate::TransportErrorKind::ResponseTooLarge).
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.config.max_response_size = Some(bytes);
        self
    }

    /// Refuse answers that lack a member the spec promises (a decode error
    /// naming each), instead of reading it as its default and listing it in
    /// the response's `deviations()`. Off by default: the real service
    /// sometimes leaves members out. Tests against the emulator or recorded
    /// answers turn it on, so that a wrong spec fails them.
    pub fn strict_responses(mut self, strict: bool) -> Self {
        self.config.strict_responses = strict;
        self
    }

    /// Client-side rate limiting ([`RateLimit::Spec`] by default).
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.config.rate_limit = rate_limit;
        self
    }

    /// Send every request through this proxy (`http://proxy:3128`). Without it,
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from the environment apply.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.config.proxy = Some(url.into());
        self
    }

    /// Use this HTTP client (its proxy, TLS, pool and `User-Agent` settings)
    /// instead of a new one; [`ClientBuilder::connect_timeout`],
    /// [`ClientBuilder::proxy`] and the HTTP version settings then have no
    /// effect. Keep it on HTTP/1.1 (`http1_only()`) to speak as the official
    /// SDKs do.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.config.http = Some(http);
        self
    }

    /// Calls `hook` around every attempt of every call (see [`crate::hooks`]);
    /// hooks run in the order added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.config.hooks.push(Arc::new(hook));
        self
    }

    /// Allow HTTP/2 (feature `http2`); by default the client speaks HTTP/1.1
    /// only. Has no effect with [`ClientBuilder::http_client`].
    #[cfg(feature = "http2")]
    pub fn http2(mut self, mode: Http2) -> Self {
        self.config.http2 = Some(mode);
        self
    }

    /// Answer every call from `mock`'s scripted rules instead of the network
    /// (see [`crate::mock`]); takes precedence over [`ClientBuilder::http_client`].
    /// Signing, decoding, retries (with their waits) and rate limits work as
    /// configured; [`ClientBuilder::mocked`] sets test-friendly defaults.
    /// Without [`credentials`](ClientBuilder::credentials) or a
    /// [`credentials_provider`](ClientBuilder::credentials_provider), the
    /// client signs with [`mock::test_credentials`](crate::mock::test_credentials)
    /// and never asks the default chain; no HTTP client is made, so no
    /// endpoint or proxy is connected to.
    #[cfg(feature = "test-util")]
    pub fn mock(mut self, mock: Mock) -> Self {
        self.config.mock = Some(mock);
        self
    }

    /// The same settings, building another client type. A service's client
    /// always talks to its own service, whatever a builder of the runtime's
    /// [`Client`] was told. Hidden: the generated clients' plumbing.
    #[doc(hidden)]
    pub fn for_client<D>(self) -> ClientBuilder<D> {
        ClientBuilder {
            client: PhantomData,
            config: self.config,
        }
    }
}

impl ClientBuilder<Client> {
    /// The service the runtime's untyped [`Client`] talks to (its name and
    /// version on the wire, its signing scope and endpoints), to reach any
    /// service's actions with [`Client::call`]. Not offered on a service's
    /// own builder: its client always talks to its own service.
    ///
    /// ```
    /// let sts = tencent_cloud_runtime::Client::builder()
    ///     .service(&tencent_cloud_sts::SERVICE_DESCRIPTION)
    ///     .build();
    /// # let _ = sts;
    /// ```
    ///
    /// ```compile_fail
    /// // No `service` on a service client's builder.
    /// let _ = tencent_cloud_sts::Client::builder().service(&tencent_cloud_sts::SERVICE_DESCRIPTION);
    /// ```
    pub fn service(mut self, service: &'static Service) -> Self {
        self.config.service = Some(service);
        self
    }
}

impl<C: ServiceClient> ClientBuilder<C> {
    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        self.build_core().map(C::from)
    }

    /// A client answered by `mock`'s scripted rules, for unit tests: no
    /// network, fixed test credentials, no client-side rate limit, and retries
    /// as by default but without waiting between attempts. For other settings
    /// use [`ClientBuilder::mock`]. Fails only for a client type without a
    /// service of its own (the runtime's [`Client`]: give it one with
    /// [`ClientBuilder::service`] and [`ClientBuilder::mock`]).
    #[cfg(feature = "test-util")]
    pub fn mocked(mock: &Mock) -> Result<C, ConfigError> {
        Self::mocked_with(mock, |builder| builder)
    }

    /// A client answered by `mock`, starting from the settings of
    /// [`ClientBuilder::mocked`] (fixed test credentials, no client-side rate
    /// limit, retries without waits) and then `configure`'s: a region, a
    /// language, hooks, strict responses, other retries...
    ///
    /// ```
    /// use tencent_cloud_runtime::mock::Mock;
    /// use tencent_cloud_runtime::Language;
    ///
    /// let client = tencent_cloud_sts::ClientBuilder::mocked_with(&Mock::new(), |b| {
    ///     b.region("ap-guangzhou").language(Language::EnUs)
    /// })
    /// .unwrap();
    /// # let _ = client;
    /// ```
    #[cfg(feature = "test-util")]
    pub fn mocked_with(
        mock: &Mock,
        configure: impl FnOnce(Self) -> Self,
    ) -> Result<C, ConfigError> {
        let instant = RetryConfig {
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
            ..RetryConfig::default()
        };
        let builder = Self::new()
            .mock(mock.clone())
            .credentials(crate::mock::test_credentials())
            .rate_limit(RateLimit::Off)
            .retry(instant);
        configure(builder).build()
    }

    /// Where the client's credentials come from: those set in code; with a
    /// mock and none set, the fixed test credentials (a mocked client never
    /// reads the environment, files or the metadata host); else the client
    /// type's default chain.
    fn credentials_source(config: &Config) -> Arc<dyn ProvideCredentials> {
        if let Some(c) = &config.credentials {
            return c.clone();
        }
        #[cfg(feature = "test-util")]
        if config.mock.is_some() {
            return Arc::new(crate::mock::test_credentials());
        }
        C::default_credentials()
    }

    fn build_core(mut self) -> Result<Client, ConfigError> {
        // A service's client talks to its own service only.
        let Some(service) = C::default_service().or(self.config.service) else {
            return Err(ConfigError::new(
                "no service: name one with `ClientBuilder::service`, or build a \
                 service crate's own client (its `Client::builder()`)",
            ));
        };
        let endpoint_variable = match self.config.env.take() {
            Some(lookup) => self.config.apply_env(service, &*lookup)?,
            None => None,
        };
        let credentials = Self::credentials_source(&self.config);
        // An error in an endpoint URL read from the environment names the
        // variable.
        let url_error = |reason: String| match &endpoint_variable {
            Some(variable) => ConfigError::in_variable(variable, reason),
            None => ConfigError::new(reason),
        };
        let url_text = match (&self.config.endpoint_url, self.config.site) {
            (Some(url), _) => url.clone(),
            (None, site) => {
                let endpoint = match site {
                    Some(site) => service.endpoint(site),
                    None => service.default_endpoint(),
                };
                let Some(endpoint) = endpoint else {
                    return Err(ConfigError::new(format!(
                        "{} has no endpoint for the site {}",
                        service.name,
                        site.unwrap_or("(default)")
                    )));
                };
                if self.config.regional_endpoint {
                    let Some(region) = self.config.region.as_deref() else {
                        return Err(ConfigError::new(
                            "a regional endpoint needs a region (ClientBuilder::region)",
                        ));
                    };
                    let host = endpoint.host_in(region.trim()).map_err(|e| {
                        ConfigError::new(format!("{} regional endpoint: {e}", service.name))
                    })?;
                    format!("https://{host}/")
                } else {
                    format!("https://{}/", endpoint.host)
                }
            }
        };
        let shown = redact_url(&url_text);
        let url = reqwest::Url::parse(&url_text)
            .map_err(|e| url_error(format!("endpoint URL `{shown}`: {e}")))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(url_error(format!(
                "endpoint URL `{shown}`: scheme must be http or https"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // The request is signed with TC3 in `Authorization`; a user name or
            // password in the URL has no use and would only leak.
            return Err(url_error(format!(
                "endpoint URL `{shown}`: must not carry a user name or password"
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(url_error(format!("endpoint URL `{shown}` has no host")));
        };
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        self.config.rate_limit.check()?;
        if let Some(r) = &self.config.region {
            HeaderValue::from_str(r.trim()).map_err(|_| {
                ConfigError::new(format!("region `{r}` is not a valid header value"))
            })?;
        }
        // Data too: a crate name no header can carry is refused here.
        let request_client = service.request_client();
        let Some(request_client) = sign::static_header(request_client) else {
            return Err(ConfigError::new(format!(
                "{}: client name `{}` is not a valid header value",
                service.name,
                request_client.escape_debug()
            )));
        };
        let transport = Transport::for_config(&mut self.config, &request_client)?;
        // A service description is data a user may supply: checked, not trusted.
        let Some(version) = sign::static_header(service.version) else {
            return Err(ConfigError::new(format!(
                "{}: version `{}` is not a valid header value",
                service.name, service.version
            )));
        };
        Ok(Client {
            shared: Arc::new(Inner {
                service,
                version,
                request_client,
                skip_signing: self.config.skip_signing,
                transport,
                url,
                signer: PostSigner::new(sign::JSON, &host),
                region: self.config.region.map(|r| r.trim().to_owned()),
                language: self.config.language,
                timeout: self.config.timeout.unwrap_or(DEFAULT_TIMEOUT),
                attempt_timeout: self.config.attempt_timeout,
                retry: self.config.retry.unwrap_or_default(),
                retry_non_idempotent: self.config.retry_non_idempotent,
                max_response_size: self
                    .config
                    .max_response_size
                    .unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
                strict_responses: self.config.strict_responses,
                limiter: RateLimiter::new(self.config.rate_limit),
                credentials,
                hooks: Hooks(self.config.hooks.into()),
                signing_key: Mutex::new(None),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{builder, creds, Site, StsClient, STS, WIDGETS};
    use super::*;
    use crate::credentials::Credentials;

    #[cfg(feature = "test-util")]
    #[test]
    fn mocked_client_builds() {
        let c = ClientBuilder::<StsClient>::mocked(&Mock::new()).unwrap().0;
        // Without a service of its own, the runtime's client is refused, not
        // panicked on.
        let e = ClientBuilder::<Client>::mocked(&Mock::new()).unwrap_err();
        assert!(e.reason.contains("no service"), "{e}");
        assert_eq!(c.inner().retry.initial_backoff, Duration::ZERO);
        assert!(matches!(c.inner().transport, Transport::Mock(_)));
    }

    #[test]
    fn the_runtime_client_must_be_told_its_service() {
        let e = Client::builder().credentials(creds()).build().unwrap_err();
        assert!(e.reason.contains("no service"), "{e}");
        let c = Client::builder()
            .credentials(creds())
            .service(&STS)
            .build()
            .unwrap();
        assert_eq!(c.endpoint(), "https://sts.tencentcloudapi.com/");
        // A service's client names its own...
        let c = ClientBuilder::<StsClient>::new()
            .credentials(creds())
            .build()
            .unwrap()
            .0;
        assert_eq!(c.endpoint(), "https://sts.tencentcloudapi.com/");
        // ...even when a builder told another one changes the client type
        // it builds: the other settings stay, the service does not.
        let c = builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:9")
            .for_client::<StsClient>()
            .build()
            .unwrap()
            .0;
        assert_eq!(c.service().name, "sts");
        assert_eq!(c.endpoint(), "http://127.0.0.1:9/");
    }

    #[test]
    fn host_carries_an_explicit_port_only() {
        let c = builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:8080")
            .build()
            .unwrap();
        assert_eq!(c.inner().signer.host(), "127.0.0.1:8080");
        let c = builder()
            .credentials(creds())
            .endpoint_url("https://example.com:443/")
            .build()
            .unwrap();
        assert_eq!(c.inner().signer.host(), "example.com");
        let c = builder().credentials(creds()).build().unwrap();
        assert_eq!(c.inner().signer.host(), "widgets.intl.tencentcloudapi.com");
        assert_eq!(c.endpoint(), "https://widgets.intl.tencentcloudapi.com/");
        let c = builder()
            .credentials(creds())
            .site(Site::China)
            .build()
            .unwrap();
        assert_eq!(c.inner().signer.host(), "widgets.tencentcloudapi.com");
    }

    #[test]
    fn regional_endpoints_come_from_the_description_or_the_build_fails() {
        let regional = |site: Option<Site>, region: Option<&str>, service: &'static Service| {
            let mut b = builder()
                .credentials(creds())
                .service(service)
                .regional_endpoint(true);
            if let Some(site) = site {
                b = b.site(site);
            }
            if let Some(region) = region {
                b = b.region(region);
            }
            b.build().map(|c| c.endpoint().to_owned())
        };
        let sts = &STS;
        let widgets = &WIDGETS;
        assert_eq!(
            regional(Some(Site::China), Some("ap-guangzhou"), widgets).unwrap(),
            "https://widgets.ap-guangzhou.tencentcloudapi.com/"
        );
        // STS's default site is the China one.
        assert_eq!(
            regional(None, Some("ap-singapore"), sts).unwrap(),
            "https://sts.ap-singapore.tencentcloudapi.com/"
        );
        // No region; a site without regional hosts (the widgets service's international one,
        // its default); strings that would change what the host means.
        assert!(regional(Some(Site::China), None, widgets).is_err());
        assert!(regional(None, Some("ap-singapore"), widgets).is_err());
        for bad in [
            "",
            "AP-GUANGZHOU",
            "ap-guangzhou.evil.example",
            "ap/x",
            "ap:443",
            "-ap",
            "ap-",
            "ap guangzhou",
            "ap\u{0}",
            &"a".repeat(65),
        ] {
            let e = regional(Some(Site::China), Some(bad), widgets).unwrap_err();
            assert!(e.to_string().contains("not a region name"), "{bad:?}: {e}");
        }
        // Off by default: the region is only a header then.
        let c = builder()
            .credentials(creds())
            .site(Site::China)
            .region("ap-guangzhou")
            .build()
            .unwrap();
        assert_eq!(c.endpoint(), "https://widgets.tencentcloudapi.com/");
    }

    #[test]
    fn bad_configuration_is_a_typed_error() {
        let e = builder()
            .credentials(creds())
            .endpoint_url("not a url")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("not a url"), "{e}");
        let e = builder()
            .credentials(creds())
            .endpoint_url("ftp://x/")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("scheme"), "{e}");
        let e = builder()
            .credentials(creds())
            .region("ap-\nx")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("region"), "{e}");
        // A service description is data: a version no header can carry is
        // refused when the client is built, not panicked on or sent.
        static BROKEN: Service =
            Service::new("widgets", "2020-02-10\r\nX: y", "widgets", &[], &[], &[]);
        let e = builder()
            .service(&BROKEN)
            .endpoint_url("http://127.0.0.1:1")
            .credentials(Credentials::new("AKID", "k"))
            .build()
            .unwrap_err();
        assert!(e.reason.contains("not a valid header value"), "{e}");
    }

    #[cfg(feature = "test-util")]
    #[test]
    fn a_mock_without_credentials_signs_with_the_test_keys() {
        let config = |b: ClientBuilder<StsClient>| b.config;
        let mocked = config(ClientBuilder::new().mock(Mock::new()));
        let provider = ClientBuilder::<StsClient>::credentials_source(&mocked);
        let keys = provider.ready_credentials().expect("fixed keys");
        assert_eq!(keys.secret_id(), crate::mock::TEST_SECRET_ID);
        // Keys given in code stay, mock or not.
        let given = config(ClientBuilder::new().mock(Mock::new()).credentials(creds()));
        let provider = ClientBuilder::<StsClient>::credentials_source(&given);
        assert_eq!(
            provider.ready_credentials().unwrap().secret_id(),
            "AKIDtest"
        );
        // Without a mock: the default chain.
        let plain = config(ClientBuilder::new());
        let shown = format!(
            "{:?}",
            ClientBuilder::<StsClient>::credentials_source(&plain)
        );
        assert!(shown.contains("DefaultChain"), "{shown}");
    }

    #[test]
    fn debug_hides_secrets() {
        let c = builder().credentials(creds()).build().unwrap();
        let shown = format!("{c:?} {:?}", builder().credentials(creds()));
        assert!(
            !shown.contains("secretkey-xyz") && !shown.contains("token-abc"),
            "{shown}"
        );
    }
}
