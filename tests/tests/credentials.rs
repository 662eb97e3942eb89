//! Credential sources over HTTP on 127.0.0.1: the profile file, the CVM
//! metadata service, STS AssumeRole (signed by our signer, checked by the server),
//! TKE OIDC, caching with one refresh for many waiters, and the chain's errors;
//! then how they fail: shared failing refreshes, valid keys outliving a failed
//! refresh, short-lived keys, a hung STS, hostile expiry values, endless answers
//! and files, and secrets echoed back by a hostile server.

use ccc_api::credentials::{
    AssumeRoleProvider, CachingProvider, CredentialsFuture, CvmRoleProvider, DefaultChain,
    EnvironmentProvider, OidcRoleProvider, ProfileFileProvider,
};
use ccc_api::{Client, Credentials, ProvideCredentials, SdkError};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("ccc-cred-{name}-{}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn profile_file_default_and_named_profiles() {
    let path = temp_file("profile", "[default]\nsecret_id = AKIDfile\nsecret_key = keyfile\n[ops]\nsecret_id=AKIDops\nsecret_key=keyops\ntoken=tok\n");
    let c = ProfileFileProvider::new()
        .path(&path)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.secret_id(), c.secret_key(), c.token()),
        ("AKIDfile", "keyfile", None)
    );
    let c = ProfileFileProvider::new()
        .path(&path)
        .profile("ops")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!((c.secret_id(), c.token()), ("AKIDops", Some("tok")));
    let e = ProfileFileProvider::new()
        .path(&path)
        .profile("nope")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("no [nope] profile"), "{e}");
    let _ = std::fs::remove_file(path);
}

fn metadata_server_reply(
    expires_in: u64,
) -> impl Fn(&ccc_tests::server::Received) -> Reply + Send + Sync {
    move |req| match req.path.as_str() {
        "/meta-data/cam/security-credentials/" => Reply::Body {
            status: 200,
            content_type: "text/plain",
            body: b"ccc-role\n".to_vec(),
        },
        "/meta-data/cam/security-credentials/ccc-role" => Reply::json(
            json!({
                "TmpSecretId": "AKIDtmp", "TmpSecretKey": "tmpkey", "Token": "tmptoken",
                "ExpiredTime": unix_now() + expires_in, "Expiration": "later", "Code": "Success"
            })
            .to_string(),
        ),
        _ => Reply::Body {
            status: 404,
            content_type: "text/plain",
            body: b"not found".to_vec(),
        },
    }
}

#[tokio::test]
async fn cvm_role_discovers_the_role_and_reports_expiry() {
    let server = TestServer::start_unsigned(metadata_server_reply(3600)).await;
    let provider = CvmRoleProvider::new().base_url(format!(
        "{}/meta-data/cam/security-credentials/",
        server.url()
    ));
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(
        (c.secret_id(), c.secret_key(), c.token()),
        ("AKIDtmp", "tmpkey", Some("tmptoken"))
    );
    let left = c
        .expires_at()
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(left > Duration::from_secs(3500));
    let paths: Vec<String> = server
        .received()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        paths,
        [
            "GET /meta-data/cam/security-credentials/",
            "GET /meta-data/cam/security-credentials/ccc-role"
        ]
    );

    // Not on a CVM (nothing listening): a clear error naming the source.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = CvmRoleProvider::new()
        .base_url(format!("http://127.0.0.1:{port}/x/"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.source, "CVM instance role");
}

#[tokio::test]
async fn temporary_credentials_sign_calls_with_their_token() {
    let metadata = TestServer::start_unsigned(metadata_server_reply(3600)).await;
    let api = TestServer::start_with_keys(
        HashMap::from([("AKIDtmp".to_owned(), "tmpkey".to_owned())]),
        |_| Reply::json(r#"{"Response":{"Anything":1,"RequestId":"r"}}"#),
    )
    .await;
    let provider = CachingProvider::new(CvmRoleProvider::new().base_url(format!(
        "{}/meta-data/cam/security-credentials/",
        metadata.url()
    )));
    let client = Client::builder()
        .credentials_provider(provider)
        .endpoint_url(api.url())
        .build()
        .unwrap();
    for _ in 0..3 {
        client.call("DescribeSomething", &json!({})).await.unwrap();
    }
    assert!(api
        .received()
        .iter()
        .all(|r| r.signature.is_ok() && r.header("x-tc-token") == Some("tmptoken")));
    // Cached: the role was fetched once.
    assert_eq!(metadata.received().len(), 2);
}

/// Counts calls; answers after a delay with keys valid for `valid_for`.
#[derive(Debug)]
struct Slow {
    calls: Arc<AtomicUsize>,
    valid_for: Duration,
}

impl ProvideCredentials for Slow {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            Ok(Credentials::new(format!("AKID{n}"), "k")
                .with_token("t")
                .with_expiry(SystemTime::now() + self.valid_for))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_serves_every_waiter_and_expiry_triggers_the_next() {
    let calls = Arc::new(AtomicUsize::new(0));
    let cache = Arc::new(CachingProvider::new(Slow {
        calls: calls.clone(),
        valid_for: Duration::from_secs(3600),
    }));
    let waiters: Vec<_> = (0..50)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await.unwrap() })
        })
        .collect();
    for w in waiters {
        assert_eq!(w.await.unwrap().secret_id(), "AKID0");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(cache.cached_expiry().is_some());

    // Keys that live less than twice the refresh margin are still reused (for half
    // their life), whatever the margin.
    for margin in [Duration::from_secs(300), Duration::from_secs(10)] {
        let calls = Arc::new(AtomicUsize::new(0));
        let cache = CachingProvider::new(Slow {
            calls: calls.clone(),
            valid_for: Duration::from_secs(60),
        })
        .refresh_before(margin);
        for _ in 0..3 {
            assert_eq!(
                cache.provide_credentials().await.unwrap().secret_id(),
                "AKID0"
            );
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "margin {margin:?}");
    }
}

fn sts_reply(expires_in: u64) -> Reply {
    Reply::json(
        json!({"Response": {
            "Credentials": {"Token": "ststoken", "TmpSecretId": "AKIDsts", "TmpSecretKey": "stskey"},
            "ExpiredTime": unix_now() + expires_in, "Expiration": "later", "RequestId": "sts-1"
        }})
        .to_string(),
    )
}

#[tokio::test]
async fn assume_role_is_signed_by_our_signer() {
    let sts = TestServer::start(|_| sts_reply(7200)).await;
    let provider = AssumeRoleProvider::new(
        Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY),
        "qcs::cam::uin/100000000001:roleName/ccc-ops",
        "nightly-job",
    )
    .duration_seconds(900)
    .region("ap-singapore")
    .endpoint(sts.url());
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(
        (c.secret_id(), c.secret_key(), c.token()),
        ("AKIDsts", "stskey", Some("ststoken"))
    );
    assert!(c.expires_at().is_some());
    let r = &sts.received()[0];
    assert_eq!(
        r.signature,
        Ok(()),
        "the server checks the TC3 signature with service sts"
    );
    assert!(r
        .header("authorization")
        .unwrap()
        .contains("/sts/tc3_request"));
    assert_eq!(r.header("x-tc-action"), Some("AssumeRole"));
    assert_eq!(r.header("x-tc-version"), Some("2018-08-13"));
    assert_eq!(r.header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(
        r.json(),
        json!({"RoleArn": "qcs::cam::uin/100000000001:roleName/ccc-ops", "RoleSessionName": "nightly-job", "DurationSeconds": 900})
    );

    let denied = TestServer::start(|_| {
        Reply::service_error("AuthFailure.UnauthorizedOperation", "not allowed", "sts-9")
    })
    .await;
    let e = AssumeRoleProvider::new(
        Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY),
        "arn",
        "s",
    )
    .endpoint(denied.url())
    .provide_credentials()
    .await
    .unwrap_err();
    assert_eq!(e.source, "STS AssumeRole");
    assert!(
        e.reason.contains("AuthFailure.UnauthorizedOperation") && e.reason.contains("sts-9"),
        "{e}"
    );
    assert!(!e.to_string().contains(TEST_SECRET_KEY));
}

#[tokio::test]
async fn tke_oidc_exchanges_the_token_file() {
    let sts = TestServer::start_unsigned(|_| sts_reply(3600)).await;
    let token = temp_file("oidc", "eyJhbGciOi.identity.token\n");
    let vars = HashMap::from([
        ("TKE_REGION", "ap-guangzhou".to_owned()),
        ("TKE_PROVIDER_ID", "cls-abc".to_owned()),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
        ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/pod".to_owned()),
    ]);
    let provider = OidcRoleProvider::from_lookup(|k| vars.get(k).cloned())
        .unwrap()
        .endpoint(sts.url())
        .session_name("pod-1");
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.secret_id(), "AKIDsts");
    let r = &sts.received()[0];
    assert_eq!(r.header("authorization"), Some("SKIP"));
    assert_eq!(r.header("x-tc-action"), Some("AssumeRoleWithWebIdentity"));
    assert_eq!(r.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(r.json()["WebIdentityToken"], "eyJhbGciOi.identity.token");
    assert_eq!(r.json()["ProviderId"], "cls-abc");
    assert_eq!(r.json()["RoleSessionName"], "pod-1");
    let _ = std::fs::remove_file(token);

    let e =
        OidcRoleProvider::from_lookup(|k| (k == "TKE_REGION").then(|| "x".to_owned())).unwrap_err();
    assert_eq!(
        e.reason,
        "TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set"
    );
}

#[derive(Debug)]
struct Failing(&'static str);

impl ProvideCredentials for Failing {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let why = self.0;
        Box::pin(async move { Err(ccc_api::CredentialsError::new("test", why)) })
    }
}

#[tokio::test]
async fn the_chain_takes_the_first_source_that_answers_and_lists_what_it_tried() {
    let path = temp_file(
        "chain",
        "[default]\nsecret_id = AKIDchain\nsecret_key = k\n",
    );
    let chain = DefaultChain::empty()
        .with("first", Failing("nothing here"))
        .with("profile file", ProfileFileProvider::new().path(&path))
        .with("never asked", Failing("should not be reached"));
    assert_eq!(
        chain.provide_credentials().await.unwrap().secret_id(),
        "AKIDchain"
    );
    let _ = std::fs::remove_file(path);

    let chain = DefaultChain::empty()
        .with(
            "environment",
            Failing("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set"),
        )
        .with(
            "profile file",
            ProfileFileProvider::new().path("/nonexistent/creds"),
        )
        .with(
            "CVM instance role",
            Failing("metadata.tencentyun.com did not answer"),
        );
    let e = chain.provide_credentials().await.unwrap_err();
    assert_eq!(e.source, "default chain");
    assert!(
        e.reason.contains("environment: TENCENTCLOUD_SECRET_ID"),
        "{e}"
    );
    assert!(
        e.reason
            .contains("profile file: no file at /nonexistent/creds"),
        "{e}"
    );
    assert!(e.reason.contains("CVM instance role: metadata"), "{e}");

    // A call with no usable credentials fails before sending, naming the sources.
    let server = TestServer::start(|_| Reply::json("{}")).await;
    let client = Client::builder()
        .credentials_provider(chain)
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let err = client.call("DescribeX", &json!({})).await.unwrap_err();
    assert!(matches!(err, SdkError::Credentials(_)));
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn no_provider_shows_a_secret_in_debug() {
    let base = Credentials::new("AKIDvisible", "super-secret-key").with_token("secret-token");
    let providers: Vec<String> = vec![
        format!("{:?}", CachingProvider::new(base.clone())),
        format!("{:?}", AssumeRoleProvider::new(base.clone(), "arn", "s")),
        format!("{:?}", DefaultChain::empty().with("static", base.clone())),
        format!("{:?}", EnvironmentProvider),
        format!(
            "{:?}",
            Client::builder().credentials(base.clone()).build().unwrap()
        ),
    ];
    for shown in providers {
        assert!(
            !shown.contains("super-secret-key") && !shown.contains("secret-token"),
            "{shown}"
        );
    }
}

// ---- Failing gracefully ----

const BASE_TOKEN: &str = "BASE-SESSION-TOKEN-SECRET";

fn base_credentials() -> Credentials {
    Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY)
}

fn assume_role(sts_url: String) -> AssumeRoleProvider {
    AssumeRoleProvider::new(base_credentials(), "qcs::cam::uin/1:roleName/r", "s").endpoint(sts_url)
}

/// An STS answer with keys numbered `n`, valid for `expires_in` seconds.
fn sts_keys(n: usize, expires_in: u64) -> Reply {
    Reply::json(
        json!({"Response": {
            "Credentials": {"Token": format!("ststoken{n}"), "TmpSecretId": format!("AKIDsts{n}"), "TmpSecretKey": format!("stskey{n}")},
            "ExpiredTime": unix_now() + expires_in, "RequestId": format!("sts-{n}")
        }})
        .to_string(),
    )
}

/// Log lines written while the guard lives, at every level, on this thread.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn start() -> (Captured, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Sleeps until `at` (wall clock) has passed.
async fn sleep_until(at: SystemTime) {
    if let Ok(left) = at.duration_since(SystemTime::now()) {
        tokio::time::sleep(left).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_refresh_is_one_sts_call_shared_by_every_waiter() {
    let sts = TestServer::start(|_| {
        Reply::Delayed(
            Duration::from_millis(300),
            Box::new(Reply::service_error(
                "InternalError",
                "STS is down",
                "sts-down",
            )),
        )
    })
    .await;
    let cache = Arc::new(CachingProvider::new(assume_role(sts.url())));
    for round in 1..=3 {
        let started = std::time::Instant::now();
        let waiters: Vec<_> = (0..10)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await })
            })
            .collect();
        let mut errors = Vec::new();
        for w in waiters {
            errors.push(w.await.unwrap().unwrap_err());
        }
        assert!(
            errors.iter().all(|e| *e == errors[0]),
            "every waiter gets the round's error: {errors:?}"
        );
        assert!(
            errors[0].reason.contains("InternalError: STS is down"),
            "{}",
            errors[0]
        );
        assert_eq!(sts.received().len(), round, "one STS call per round");
        // One 300 ms answer, not ten in a row (generous bound for a loaded machine).
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    // The same through the client: ten calls, one STS call, nothing sent.
    let api = TestServer::start(|_| Reply::json("{}")).await;
    let client = Client::builder()
        .credentials_provider(CachingProvider::new(assume_role(sts.url())))
        .endpoint_url(api.url())
        .build()
        .unwrap();
    let before = sts.received().len();
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call("DescribeX", &json!({})).await })
        })
        .collect();
    for c in calls {
        assert!(matches!(c.await.unwrap(), Err(SdkError::Credentials(_))));
    }
    assert_eq!(sts.received().len(), before + 1);
    assert!(api.received().is_empty());
}

#[tokio::test]
async fn valid_keys_in_the_refresh_margin_outlive_a_failed_refresh() {
    let (logs, _guard) = Captured::start();
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = failing.clone();
    let n = Arc::new(AtomicUsize::new(0));
    let sts = TestServer::start(move |r| {
        let echoed = r.header("x-tc-token").unwrap_or_default().to_owned();
        if flag.load(Ordering::SeqCst) {
            // A hostile STS even echoes the caller's token.
            Reply::service_error("InternalError", &format!("down ({echoed})"), "sts-down")
        } else {
            sts_keys(n.fetch_add(1, Ordering::SeqCst), 6)
        }
    })
    .await;
    let provider = AssumeRoleProvider::new(
        base_credentials().with_token(BASE_TOKEN),
        "qcs::cam::uin/1:roleName/r",
        "s",
    )
    .endpoint(sts.url());
    let cache = CachingProvider::new(provider);
    let received = SystemTime::now();
    assert_eq!(
        cache.provide_credentials().await.unwrap().secret_id(),
        "AKIDsts0"
    );
    let expires = cache.cached_expiry().unwrap();
    // Refreshed half-way through their (under 6 s) life.
    let half = expires.duration_since(received).unwrap() / 2;
    sleep_until(received + half + Duration::from_millis(200)).await;
    failing.store(true, Ordering::SeqCst);
    for _ in 0..5 {
        let c = cache.provide_credentials().await.unwrap();
        assert_eq!((c.secret_id(), c.token()), ("AKIDsts0", Some("ststoken0")));
    }
    // One failed refresh, then a back-off: not one call per request.
    assert_eq!(sts.received().len(), 2);
    let log = logs.text();
    assert!(
        log.contains("WARN") && log.contains("still using the cached keys"),
        "{log}"
    );
    assert!(log.contains("InternalError"), "{log}");
    for secret in [BASE_TOKEN, TEST_SECRET_KEY, "stskey0", "ststoken0"] {
        assert!(!log.contains(secret), "{secret} in {log}");
    }
    // Once they expire, the refresh's error comes through.
    sleep_until(expires + Duration::from_millis(100)).await;
    let e = cache.provide_credentials().await.unwrap_err();
    assert!(e.reason.contains("InternalError"), "{e}");
    assert!(!e.to_string().contains(BASE_TOKEN), "{e}");
    assert_eq!(sts.received().len(), 3);
}

#[tokio::test]
async fn short_lived_keys_are_cached_for_half_their_life() {
    let n = Arc::new(AtomicUsize::new(0));
    let counter = n.clone();
    // 4 s keys against the default 5 minute margin.
    let sts = TestServer::start(move |_| sts_keys(counter.fetch_add(1, Ordering::SeqCst), 4)).await;
    let cache = CachingProvider::new(assume_role(sts.url()));
    let received = SystemTime::now();
    for _ in 0..5 {
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKIDsts0"
        );
    }
    assert_eq!(sts.received().len(), 1);
    let half = cache
        .cached_expiry()
        .unwrap()
        .duration_since(received)
        .unwrap()
        / 2;
    sleep_until(received + half + Duration::from_millis(100)).await;
    for _ in 0..5 {
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKIDsts1"
        );
    }
    assert_eq!(sts.received().len(), 2);
}

/// A server on 127.0.0.1 that accepts connections and never answers; counts them.
async fn hung_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_hung_sts_and_a_dropped_waiter_do_not_hang_later_callers() {
    let (url, accepted) = hung_server().await;
    let provider = assume_role(url).timeouts(Duration::from_secs(1), Duration::from_secs(1));
    let cache = CachingProvider::new(provider);
    // This caller's deadline passes first; its refresh stays in flight.
    let gone = tokio::time::timeout(Duration::from_millis(200), cache.provide_credentials()).await;
    assert!(gone.is_err());
    // The next caller carries on the same STS call (no second connection) and
    // gets its time-out, within the provider's 1 s limit.
    let started = std::time::Instant::now();
    let e = cache.provide_credentials().await.unwrap_err();
    assert_eq!(e.source, "STS AssumeRole");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    // A later caller starts a new round.
    cache.provide_credentials().await.unwrap_err();
    assert_eq!(accepted.load(Ordering::SeqCst), 2);

    // The CVM provider has limits of its own too.
    let (url, _) = hung_server().await;
    let started = std::time::Instant::now();
    let e = CvmRoleProvider::new()
        .base_url(url)
        .role("r")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.source, "CVM instance role");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// What a source makes of an `ExpiredTime`.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Keys cached: a second request makes no new call.
    Cached,
    /// Keys handed out but not cached (expired on arrival).
    UsedOnce,
    /// Refused with a reason containing the first text from the metadata
    /// service, the second from STS (whose answers the typed client decodes:
    /// a value of the wrong JSON type fails there, naming the type expected).
    Refused(&'static str, &'static str),
    /// Either cached or refused as too far, depending on the platform's
    /// `SystemTime` range.
    CachedOrTooFar,
}

#[tokio::test]
async fn hostile_expiry_values_are_refused_or_used_never_a_panic() {
    let in_an_hour = (unix_now() + 3600).to_string();
    let cases: Vec<(&str, Expect)> = vec![
        (&in_an_hour, Expect::Cached),
        ("1000000000000", Expect::Cached),
        ("0", Expect::UsedOnce),
        ("1", Expect::UsedOnce),
        ("9223372036854775807", Expect::CachedOrTooFar),
        (
            "18446744073709551615",
            Expect::Refused("too far in the future", "expected i64"),
        ),
        (
            "18446744073709551616",
            Expect::Refused("is not a time", "expected i64"),
        ),
        ("-1", Expect::Refused("is not a time", "is not a time")),
        (
            "-9223372036854775808",
            Expect::Refused("is not a time", "is not a time"),
        ),
        ("1.5e9", Expect::Refused("is not a time", "expected i64")),
        ("1e400", Expect::Refused("", "")),
        (
            "\"1700000000\"",
            Expect::Refused("is not a number", "expected i64"),
        ),
        ("{}", Expect::Refused("is not a number", "expected i64")),
        (
            "null",
            Expect::Refused("without ExpiredTime", "without ExpiredTime"),
        ),
    ];
    let current = Arc::new(std::sync::Mutex::new(String::new()));
    let value = current.clone();
    let sts = TestServer::start(move |_| {
        Reply::json(format!(
            r#"{{"Response":{{"Credentials":{{"Token":"t","TmpSecretId":"AKIDh","TmpSecretKey":"k"}},"ExpiredTime":{},"RequestId":"r"}}}}"#,
            value.lock().unwrap()
        ))
    })
    .await;
    let value = current.clone();
    let metadata = TestServer::start_unsigned(move |_| {
        Reply::json(format!(
            r#"{{"Code":"Success","Token":"t","TmpSecretId":"AKIDh","TmpSecretKey":"k","ExpiredTime":{}}}"#,
            value.lock().unwrap()
        ))
    })
    .await;
    for (text, expect) in cases {
        *current.lock().unwrap() = text.to_owned();
        let sources: [(Box<dyn ProvideCredentials>, &TestServer); 2] = [
            (Box::new(CachingProvider::new(assume_role(sts.url()))), &sts),
            (
                Box::new(CachingProvider::new(
                    CvmRoleProvider::new().base_url(metadata.url()).role("r"),
                )),
                &metadata,
            ),
        ];
        for (cache, server) in sources {
            let calls = || server.received().len();
            let before = calls();
            let first = cache.provide_credentials().await;
            let second = cache.provide_credentials().await;
            let made = calls() - before;
            match (expect, &first) {
                (Expect::Cached, Ok(_)) | (Expect::CachedOrTooFar, Ok(_)) => {
                    assert_eq!(made, 1, "{text}: cached");
                    assert_eq!(first.as_ref().unwrap(), second.as_ref().unwrap());
                }
                (Expect::UsedOnce, Ok(c)) => {
                    assert!(c.expires_at().unwrap() <= SystemTime::now(), "{text}");
                    assert_eq!(made, 2, "{text}: not cached");
                }
                (Expect::Refused(cvm, sts_part), Err(e)) => {
                    let part = if std::ptr::eq(server, &sts) {
                        sts_part
                    } else {
                        cvm
                    };
                    assert!(e.reason.contains(part), "{text}: {e}");
                    assert_eq!(made, 2, "{text}");
                }
                (Expect::CachedOrTooFar, Err(e)) => {
                    assert!(e.reason.contains("too far in the future"), "{text}: {e}")
                }
                _ => panic!("{text}: expected {expect:?}, got {first:?}"),
            }
        }
    }
}

/// How the endless server starts its answer.
#[derive(Clone, Copy)]
enum Endless {
    /// Chunked, never ending.
    Chunked,
    /// Declares a 10 GB body, then sends bytes for ever.
    Declared,
}

/// A server on 127.0.0.1 whose every answer is a body without end.
async fn endless_server(kind: Endless) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = match kind {
                    Endless::Chunked => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                    Endless::Declared => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000000000\r\n\r\n",
                };
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let data = vec![b' '; 8192];
                let chunk = match kind {
                    Endless::Chunked => {
                        let mut c = format!("{:x}\r\n", data.len()).into_bytes();
                        c.extend_from_slice(&data);
                        c.extend_from_slice(b"\r\n");
                        c
                    }
                    Endless::Declared => data,
                };
                while socket.write_all(&chunk).await.is_ok() {}
            });
        }
    });
    url
}

#[tokio::test]
async fn endless_answers_and_files_fail_with_a_clear_error() {
    for kind in [Endless::Chunked, Endless::Declared] {
        let url = endless_server(kind).await;
        let e = assume_role(url.clone())
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            e.reason
                .contains("response larger than the limit of 65536 bytes"),
            "{e}"
        );
        for provider in [
            CvmRoleProvider::new().base_url(url.clone()),
            CvmRoleProvider::new().base_url(url.clone()).role("r"),
        ] {
            let e = provider.provide_credentials().await.unwrap_err();
            assert!(e.reason.contains("answer longer than 64 KiB"), "{e}");
        }
    }

    // Files: a huge profile, an endless one, a huge identity token.
    let big = temp_file(
        "big-profile",
        &format!(
            "[default]\nsecret_id = AKID\nsecret_key = k\n{}",
            "; padding\n".repeat(200_000)
        ),
    );
    for path in [big.clone(), "/dev/zero".into()] {
        if !path.exists() {
            continue;
        }
        let e = ProfileFileProvider::new().path(&path).load().unwrap_err();
        assert!(e.reason.contains("larger than 1024 KiB"), "{e}");
    }
    let _ = std::fs::remove_file(big);
    let sts = TestServer::start_unsigned(|_| sts_reply(3600)).await;
    let token = temp_file("big-token", &"x".repeat(100_000));
    let vars = HashMap::from([
        ("TKE_REGION", "ap-guangzhou".to_owned()),
        ("TKE_PROVIDER_ID", "p".to_owned()),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
        ("TKE_ROLE_ARN", "arn".to_owned()),
    ]);
    let e = OidcRoleProvider::from_lookup(|k| vars.get(k).cloned())
        .unwrap()
        .endpoint(sts.url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.reason.contains("larger than 64 KiB"), "{e}");
    assert!(sts.received().is_empty());
    let _ = std::fs::remove_file(token);
}

#[tokio::test]
async fn secrets_echoed_by_a_hostile_server_reach_no_error_or_log() {
    const NEW_KEY: &str = "NEW-TMP-SECRET-KEY";
    const NEW_TOKEN: &str = "NEW-TMP-SESSION-TOKEN";
    let (logs, _guard) = Captured::start();
    let long = "x".repeat(10_000);
    // Malformed STS answers; `{echo}` is replaced by the token the caller sent.
    let answers: Vec<String> = vec![
        format!(
            r#"{{"Response":{{"Error":{{"Code":"InternalError","Message":"token {{echo}} key {NEW_KEY}"}},"Credentials":{{"TmpSecretKey":"{NEW_KEY}","Token":"{NEW_TOKEN}"}},"RequestId":"r"}}}}"#
        ),
        format!(
            r#"{{"Response":{{"Error":{{"Code":"{{echo}}","Message":{{"k":"{NEW_KEY}"}}}},"RequestId":"{{echo}}"}}}}"#
        ),
        format!(
            r#"{{"Response":{{"Credentials":{{"TmpSecretId":"AKIDx","TmpSecretKey":"{NEW_KEY}","Token":"{NEW_TOKEN}"}},"ExpiredTime":"{NEW_KEY}","RequestId":"r"}}}}"#
        ),
        format!(
            r#"{{"Response":{{"Credentials":{{"TmpSecretId":"AKIDx","TmpSecretKey":"{NEW_KEY}","Token":"{NEW_TOKEN}"}},"ExpiredTime":{{"t":"{NEW_TOKEN}"}},"RequestId":"{NEW_KEY}"}}}}"#
        ),
        format!(
            r#"{{"Response":{{"Credentials":{{"TmpSecretKey":"{NEW_KEY}","Token":"{NEW_TOKEN}"}},"ExpiredTime":1,"RequestId":"r"}}}}"#
        ),
        format!(
            r#"{{"Response":{{"Credentials":{{"TmpSecretId":"AKIDx","TmpSecretKey":5,"Token":"{NEW_TOKEN}"}},"ExpiredTime":"{NEW_TOKEN}"}}}}"#
        ),
        format!(r#"{{"Response":"{NEW_KEY}"}}"#),
        format!(
            r#"{{"Response":{{"Credentials":{{"TmpSecretKey":"{NEW_KEY}"}},"ExpiredTime":1e400}}}}"#
        ),
        format!("<html>{NEW_KEY} {{echo}}</html>"),
        format!(
            r#"{{"Response":{{"Error":{{"Code":"E","Message":"{long}{{echo}}"}},"RequestId":"r"}}}}"#
        ),
    ];
    let current = Arc::new(std::sync::Mutex::new(String::new()));
    let answer = current.clone();
    let sts = TestServer::start(move |r| Reply::Body {
        status: 400,
        content_type: "application/json",
        body: answer
            .lock()
            .unwrap()
            .replace("{echo}", r.header("x-tc-token").unwrap_or_default())
            .into_bytes(),
    })
    .await;
    let value = current.clone();
    let metadata =
        TestServer::start_unsigned(move |_| Reply::json(value.lock().unwrap().clone())).await;
    let metadata_answers = [
        format!(
            r#"{{"Code":"Failed {NEW_KEY} {NEW_TOKEN}","TmpSecretId":"AKIDx","TmpSecretKey":"{NEW_KEY}","Token":"{NEW_TOKEN}","ExpiredTime":1}}"#
        ),
        format!(
            r#"{{"Code":"Success","TmpSecretId":"AKIDx","TmpSecretKey":"{NEW_KEY}","Token":"{NEW_TOKEN}","ExpiredTime":"{NEW_KEY}"}}"#
        ),
        format!(
            r#"{{"Code":"Success","TmpSecretId":5,"TmpSecretKey":"{NEW_KEY}","Token":"{NEW_TOKEN}","ExpiredTime":1}}"#
        ),
        NEW_KEY.to_owned(),
    ];
    let base = base_credentials().with_token(BASE_TOKEN);
    let mut errors = Vec::new();
    for text in &answers {
        *current.lock().unwrap() = text.clone();
        let provider = AssumeRoleProvider::new(base.clone(), "arn", "s").endpoint(sts.url());
        let e = CachingProvider::new(provider)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(e.reason.chars().count() < 600, "{e}");
        errors.push(e);
    }
    assert_eq!(sts.received().len(), answers.len());
    assert!(sts
        .received()
        .iter()
        .all(|r| r.header("x-tc-token") == Some(BASE_TOKEN)));
    for text in &metadata_answers {
        *current.lock().unwrap() = text.clone();
        let provider = CvmRoleProvider::new().base_url(metadata.url()).role("r");
        errors.push(
            CachingProvider::new(provider)
                .provide_credentials()
                .await
                .unwrap_err(),
        );
    }
    let shown: Vec<String> = errors.iter().map(|e| format!("{e} {e:?}")).collect();
    let log = logs.text();
    assert!(log.contains("refreshing credentials failed"), "{log}");
    for secret in [NEW_KEY, NEW_TOKEN, BASE_TOKEN, TEST_SECRET_KEY] {
        for s in &shown {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
        let lines: Vec<&str> = log.lines().filter(|l| l.contains(secret)).collect();
        assert!(lines.is_empty(), "{secret} in the log: {lines:#?}");
    }
    // The errors still say what was wrong.
    assert!(
        shown[0].contains("InternalError: token *** key ***"),
        "{}",
        shown[0]
    );
    // An HTTP 400 without an error object is refused whatever else it holds
    // (keys included): the runtime's verdict, as for every call.
    for i in [2, 4] {
        assert!(
            shown[i].contains("HTTP 400") && shown[i].contains("without a service error"),
            "{}",
            shown[i]
        );
    }
    assert!(
        shown[answers.len()].contains("code \"Failed *** ***\""),
        "{}",
        shown[answers.len()]
    );
}
