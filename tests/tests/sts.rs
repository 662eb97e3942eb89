//! The STS credential sources through the generated STS client, against the
//! emulator on 127.0.0.1: it checks every signature (scope service `sts`, the
//! `Host` as received), the version and the body, so a provider that gets keys
//! sent what STS expects. Retries and the deadline use the emulator's fault
//! knobs, set so that every request is affected: nothing depends on chance or
//! on how fast the machine is.

use ccc_api::credentials::{AssumeRoleProvider, CachingProvider, OidcRoleProvider};
use ccc_api::{Client, Credentials, ProvideCredentials};
use ccc_emulator::{Config, Emulator, FaultSpec, Faults, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

const ROLE: &str = "qcs::cam::uin/100000000001:roleName/ccc-ops";

fn base() -> Credentials {
    Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY)
}

/// Every secret a set of issued keys carries.
fn secrets(c: &Credentials) -> Vec<String> {
    vec![
        c.secret_key().to_owned(),
        c.token().unwrap_or("").to_owned(),
    ]
}

#[tokio::test]
async fn assume_role_is_signed_for_sts_and_returns_keys() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let provider = AssumeRoleProvider::new(base(), ROLE, "nightly")
        .duration_seconds(900)
        .endpoint(emulator.url());
    let keys = provider.provide_credentials().await.unwrap();
    assert!(keys.secret_id().starts_with("AKIDEMULATORSTS"), "{keys:?}");
    assert!(keys.token().is_some_and(|t| !t.is_empty()));
    let expiry = keys.expires_at().unwrap();
    let left = expiry.duration_since(SystemTime::now()).unwrap();
    assert!(
        left > Duration::from_secs(800) && left <= Duration::from_secs(900),
        "{left:?}"
    );
    // Neither the provider, the cache nor the keys show a secret.
    let cache = CachingProvider::new(provider.clone());
    let cached = cache.provide_credentials().await.unwrap();
    let shown = format!("{provider:?} {cache:?} {keys:?} {cached:?}");
    for secret in secrets(&keys).iter().chain(&secrets(&cached)) {
        assert!(!shown.contains(secret.as_str()), "{shown}");
    }
    assert!(!shown.contains(TEST_SECRET_KEY), "{shown}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_request_signed_for_another_service_is_refused() {
    // The emulator checks the scope, so the previous test's success means the
    // provider signed for `sts`: a client built for STS's version but signing
    // as `ccc` is turned away.
    static WRONG: ccc_api::Service =
        ccc_api::Service::new("ccc", ccc_api::sts::VERSION, "ccc", &[], &[], &[]);
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = ccc_api::runtime::Client::builder()
        .service(&WRONG)
        .credentials(base())
        .endpoint_url(emulator.url())
        .build()
        .unwrap();
    let e = client
        .call("GetCallerIdentity", &serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(e.raw_code(), Some("AuthFailure.SignatureFailure"), "{e}");
    // Signed for `sts`, the same call passes.
    let sts = ccc_api::sts::Client::builder()
        .credentials(base())
        .endpoint_url(emulator.url())
        .build()
        .unwrap();
    assert_eq!(sts.core().service().name, "sts");
    let me = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(me.account_id.as_deref(), Some("100000000001"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_default_endpoint_comes_from_the_sts_spec() {
    let sts = ccc_api::sts::Client::builder()
        .credentials(base())
        .build()
        .unwrap();
    assert_eq!(sts.core().endpoint(), "https://sts.tencentcloudapi.com/");
    let sts = ccc_api::sts::Client::builder()
        .credentials(base())
        .site(ccc_api::Site::International)
        .build()
        .unwrap();
    assert_eq!(
        sts.core().endpoint(),
        "https://sts.intl.tencentcloudapi.com/"
    );
    // The CCC client is unchanged.
    let ccc = Client::builder().credentials(base()).build().unwrap();
    assert_eq!(ccc.endpoint(), "https://ccc.intl.tencentcloudapi.com/");
    assert_eq!(ccc.service().version, ccc_api::VERSION);
}

#[tokio::test]
async fn oidc_exchanges_the_token_unsigned() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("ccc-sts-oidc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "eyJ.identity-token-secret.sig\n").unwrap();
    let vars = HashMap::from([
        ("TKE_REGION", "ap-singapore".to_owned()),
        ("TKE_PROVIDER_ID", "OIDC".to_owned()),
        (
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        ("TKE_ROLE_ARN", ROLE.to_owned()),
    ]);
    let provider = OidcRoleProvider::from_lookup(|k| vars.get(k).cloned())
        .unwrap()
        .endpoint(emulator.url());
    let keys = provider.provide_credentials().await.unwrap();
    assert!(keys.secret_id().starts_with("AKIDEMULATORSTS"));
    // An empty token is refused by STS, and the error says so.
    std::fs::write(&token_file, " \n").unwrap();
    let e = provider.provide_credentials().await.unwrap_err();
    assert!(e.reason.contains("WebIdentityTokenError"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
    emulator.shutdown().await;
}

#[tokio::test]
async fn rate_limited_calls_are_retried_and_counted() {
    let refused = FaultSpec {
        rate_limited: 1.0,
        ..FaultSpec::default()
    };
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.set_faults(Faults::default().action("AssumeRole", refused));
    let provider = AssumeRoleProvider::new(base(), ROLE, "s").endpoint(emulator.url());
    let e = provider.provide_credentials().await.unwrap_err();
    // The runtime's default policy: three attempts, each refused.
    assert!(e.reason.contains("RequestLimitExceeded"), "{e}");
    assert!(e.reason.contains("after 3 attempts"), "{e}");
    // Once STS answers again, the same provider gets keys.
    emulator.set_faults(Faults::default());
    provider.provide_credentials().await.unwrap();
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_slow_sts_is_cut_off_by_the_providers_deadline() {
    let slow = FaultSpec {
        latency: Duration::from_secs(30),
        ..FaultSpec::default()
    };
    let emulator = Emulator::start(Config::default()).await.unwrap();
    emulator.set_faults(Faults::default().action("AssumeRole", slow));
    let provider = AssumeRoleProvider::new(base(), ROLE, "s")
        .endpoint(emulator.url())
        .timeouts(Duration::from_secs(5), Duration::from_millis(300));
    let started = Instant::now();
    let e = provider.provide_credentials().await.unwrap_err();
    // Generous: the deadline is 0.3 s, the answer would take 30 s.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert!(e.reason.contains("AssumeRole"), "{e}");
    emulator.shutdown().await;
}
