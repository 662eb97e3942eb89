//! Credential sources over HTTP on 127.0.0.1: the profile file, the CVM
//! metadata service, STS AssumeRole (signed by our signer, checked by the server),
//! TKE OIDC, caching with one refresh for many waiters, and the chain's errors.

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

    // Keys that expire within the refresh margin are fetched again.
    let calls = Arc::new(AtomicUsize::new(0));
    let cache = CachingProvider::new(Slow {
        calls: calls.clone(),
        valid_for: Duration::from_secs(60),
    });
    cache.provide_credentials().await.unwrap();
    cache.provide_credentials().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let cache = CachingProvider::new(Slow {
        calls: calls.clone(),
        valid_for: Duration::from_secs(60),
    })
    .refresh_before(Duration::from_secs(10));
    cache.provide_credentials().await.unwrap();
    cache.provide_credentials().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
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
