//! One call's set-up: the settings from flags and the profile, credentials
//! found as tccli and the SDKs find them, the client (with `--ca-file`'s
//! authority), `--debug`'s view of each exchange, and the call itself.

use crate::output::{self, Format};
use crate::{actions, flag, opt, profile, tls};
use ccc_api::credentials::{
    CachingProvider, CvmRoleProvider, EnvironmentProvider, OidcRoleProvider, ProfileFileProvider,
    ProvideCredentials,
};
use ccc_api::{Client, Language, SdkError};
use ccc_spec::ActionInfo;
use clap::ArgMatches;
use serde_json::Value;
use std::time::Duration;

/// Largest answer read: twice the library's default, so that an answer of
/// 16 MiB (the largest `--output` is made to print briskly) is read whole.
const MAX_ANSWER_BYTES: usize = 32 << 20;

/// The endpoint URL of `raw`: a URL as it is; tccli's scheme-less
/// `host[:port]` with `http://` for loopback hosts (an emulator on this
/// machine) and `https://` for every other host.
pub fn endpoint_url(raw: &str) -> String {
    let raw = raw.trim();
    if raw.contains("://") {
        return raw.to_owned();
    }
    let authority = raw.split('/').next().unwrap_or(raw);
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        match authority.rsplit_once(':') {
            Some((h, _)) if !h.contains(':') => h,
            _ => authority,
        }
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    format!("{}://{raw}", if loopback { "http" } else { "https" })
}

/// What a call needs from the command line and the profile.
pub struct Settings {
    pub profile: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub format: Format,
    pub debug: bool,
}

pub fn settings(root: &ArgMatches, sub: &ArgMatches) -> Result<Settings, String> {
    let profile = opt(sub, root, "profile")
        .cloned()
        .unwrap_or_else(|| profile::DEFAULT_PROFILE.to_owned());
    profile::check_name(&profile)?;
    let from_profile = |key: &str| profile::get(&profile, key).ok().flatten();
    let endpoint = opt(sub, root, "endpoint")
        .cloned()
        .or_else(|| from_profile("ccc.endpoint"))
        .map(|e| endpoint_url(&e));
    let region = opt(sub, root, "region")
        .cloned()
        .or_else(|| std::env::var("TENCENTCLOUD_REGION").ok())
        .or_else(|| from_profile("region"))
        .filter(|r| !r.is_empty());
    let format = match opt(sub, root, "output") {
        Some(f) => Format::parse(f).expect("clap checked the value"),
        None => from_profile("output")
            .and_then(|f| Format::parse(&f))
            .unwrap_or(Format::Json),
    };
    Ok(Settings {
        profile,
        endpoint,
        region,
        format,
        debug: flag(sub, root, "debug"),
    })
}

/// Sends `X-TC-*` debug events of the library to stderr: `RUST_LOG` chooses
/// (`tencent_cloud_runtime=debug`, `trace`, ...); `--debug` alone means
/// `tencent_cloud_runtime=debug`, the target of the client's events.
pub fn init_logging(debug: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let spec = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => spec,
        _ if debug => "tencent_cloud_runtime=debug".to_owned(),
        _ => return,
    };
    let targets: tracing_subscriber::filter::Targets = match spec.parse() {
        Ok(t) => t,
        Err(e) => {
            output::eprint(format_args!("warning: RUST_LOG ignored: {e}"));
            return;
        }
    };
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_target(true),
        )
        .with(targets)
        .try_init();
}

/// Finds credentials the way tccli and the SDKs do, asking each source once,
/// and says what each answered when none has any.
async fn credentials(
    s: &Settings,
    use_cvm_role: bool,
    builder: ccc_api::ClientBuilder,
) -> Result<ccc_api::ClientBuilder, String> {
    let mut tried: Vec<String> = Vec::new();
    fn note(
        tried: &mut Vec<String>,
        name: &str,
        r: Result<ccc_api::Credentials, ccc_api::CredentialsError>,
    ) -> Option<ccc_api::Credentials> {
        r.map_err(|e| tried.push(format!("  {name}: {}", e.reason)))
            .ok()
    }
    if let Some(c) = note(
        &mut tried,
        "environment",
        EnvironmentProvider.provide_credentials().await,
    ) {
        return Ok(builder.credentials(c));
    }
    let tccli = profile::TccliProfile {
        profile: s.profile.clone(),
    };
    if let Some(c) = note(
        &mut tried,
        &format!("tccli profile ~/.tccli/{}.credential", s.profile),
        tccli.provide_credentials().await,
    ) {
        return Ok(builder.credentials(c));
    }
    let file = ProfileFileProvider::new().profile(s.profile.clone());
    if let Some(c) = note(
        &mut tried,
        "SDK profile file",
        file.provide_credentials().await,
    ) {
        return Ok(builder.credentials(c));
    }
    if use_cvm_role {
        // Short bounds: off a CVM instance the metadata host does not answer.
        let cvm = CvmRoleProvider::new().timeouts(Duration::from_secs(1), Duration::from_secs(3));
        if note(
            &mut tried,
            "CVM instance role",
            cvm.provide_credentials().await,
        )
        .is_some()
        {
            return Ok(builder.credentials_provider(CachingProvider::new(cvm)));
        }
    } else {
        tried
            .push("  CVM instance role: not asked (on a CVM instance, pass --use-cvm-role)".into());
    }
    match OidcRoleProvider::from_env() {
        Ok(oidc) => {
            if note(&mut tried, "TKE OIDC", oidc.provide_credentials().await).is_some() {
                return Ok(builder.credentials_provider(CachingProvider::new(oidc)));
            }
        }
        Err(e) => tried.push(format!("  TKE OIDC: {}", e.reason)),
    }
    Err(format!(
        "no credentials found; tried, in order:\n{}\nto configure, either:\n  ccc configure set secretId AKID... secretKey ...{}   (tccli's file, mode 0600)\n  export TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=...",
        tried.join("\n"),
        if s.profile == profile::DEFAULT_PROFILE {
            String::new()
        } else {
            format!(" --profile {}", s.profile)
        }
    ))
}

/// `--debug`: every attempt's headers as they leave (the library adds
/// `Authorization` and `X-TC-Token` after hooks run, so no secret reaches
/// this), and its outcome.
struct DebugHook;

impl ccc_api::hooks::Hook for DebugHook {
    fn before_attempt(
        &self,
        attempt: &mut ccc_api::hooks::BeforeAttempt<'_>,
    ) -> Result<(), ccc_api::hooks::Refused> {
        let mut lines = format!(
            "debug: attempt {} of {}: headers",
            attempt.attempt(),
            attempt.action()
        );
        for (name, value) in attempt.headers().iter() {
            lines.push_str(&format!("\ndebug:   {name}: {value}"));
        }
        lines.push_str(
            "\ndebug:   authorization: TC3-HMAC-SHA256 Credential=... (signed when sent; redacted)",
        );
        output::eprint(lines);
        Ok(())
    }

    fn after_attempt(&self, attempt: &ccc_api::hooks::AfterAttempt<'_>) {
        let status = attempt
            .status()
            .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
        output::eprint(format_args!(
            "debug: attempt {} of {}: {status} in {} ms, request id {}, {}{}",
            attempt.attempt(),
            attempt.action(),
            attempt.latency().as_millis(),
            attempt.request_id().unwrap_or("-"),
            attempt
                .code()
                .unwrap_or(if attempt.is_ok() { "ok" } else { "failed" }),
            if attempt.will_retry() {
                ", retrying"
            } else {
                ""
            },
        ));
    }
}

pub async fn client(s: &Settings, root: &ArgMatches, sub: &ArgMatches) -> Result<Client, String> {
    let mut b = Client::builder();
    if s.debug {
        b = b.hook(DebugHook);
    }
    if let Some(url) = &s.endpoint {
        b = b.endpoint_url(url);
    }
    if let Some(region) = &s.region {
        b = b.region(region);
    }
    if let Some(language) = opt(sub, root, "language") {
        b = b.language(if language == "zh-CN" {
            Language::ZhCn
        } else {
            Language::EnUs
        });
    }
    if let Some(secs) = [sub, root]
        .iter()
        .find_map(|m| m.try_get_one::<u64>("timeout").ok().flatten())
    {
        b = b.timeout(Duration::from_secs(*secs));
    }
    b = b.max_response_size(MAX_ANSWER_BYTES);
    if let Some(path) = tls::ca_file(opt(sub, root, "ca-file")) {
        b = b.http_client(tls::http_client(&path)?);
    }
    b = credentials(s, flag(sub, root, "use-cvm-role"), b).await?;
    b.build().map_err(|e| e.to_string())
}

/// One call, shown on stderr with `--debug`.
pub async fn call(
    client: &Client,
    a: &ActionInfo,
    body: &Value,
    debug: bool,
) -> Result<Value, SdkError<String>> {
    if debug {
        output::eprint(format_args!(
            "debug: request: POST {}  X-TC-Action: {}  X-TC-Version: {}  Authorization: TC3-HMAC-SHA256 (redacted)\ndebug: request body: {}",
            client.endpoint(),
            a.name,
            ccc_api::VERSION,
            actions::redacted(a.input, body)
        ));
    }
    let result = client.call(a.name, body).await;
    if debug {
        match &result {
            Ok(v) => output::eprint(format_args!(
                "debug: response: {}",
                actions::redacted(a.output, v)
            )),
            Err(e) => output::eprint(format_args!("debug: failed: {e}")),
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_less_endpoints_get_http_on_loopback_only() {
        let cases = [
            ("127.0.0.1:8787", "http://127.0.0.1:8787"),
            ("127.1.2.3:80", "http://127.1.2.3:80"),
            ("localhost:8787", "http://localhost:8787"),
            ("LOCALHOST", "http://LOCALHOST"),
            ("[::1]:8787", "http://[::1]:8787"),
            ("::1", "http://::1"),
            ("ccc.tencentcloudapi.com", "https://ccc.tencentcloudapi.com"),
            (
                "ccc.ap-singapore.tencentcloudapi.com:443",
                "https://ccc.ap-singapore.tencentcloudapi.com:443",
            ),
            ("10.0.0.1:8080", "https://10.0.0.1:8080"),
            ("localhost.example.com", "https://localhost.example.com"),
            ("http://10.0.0.1:80", "http://10.0.0.1:80"),
            ("https://127.0.0.1:1", "https://127.0.0.1:1"),
            (" 127.0.0.1:1/ ", "http://127.0.0.1:1/"),
        ];
        for (raw, url) in cases {
            assert_eq!(endpoint_url(raw), url, "{raw}");
        }
    }
}
