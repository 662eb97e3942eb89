//! What users reach for, through `ccc_api` as they write it: error predicates
//! on `ccc_api::Error`, a metrics hook read through the `Arc` they kept, a
//! mocked client that never reaches the network or the environment, and the
//! region, endpoint and language taken from the environment.
//!
//! Nothing here changes the process environment (the tests of a binary run
//! in threads): the environment is a lookup function, or the variables of a
//! child process running this same binary.

use ccc_api::hooks::{AfterAttempt, BeforeAttempt, Hook, Refused};
use ccc_api::mock::{Fault, Mock, Reply, TEST_SECRET_ID};
use ccc_api::operation::create_auto_callout_task::CreateAutoCalloutTaskRequest;
use ccc_api::operation::describe_auto_callout_tasks::{
    DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse,
};
use ccc_api::{Client, ClientBuilder, ErrorCode, Language, RetryConfig, SdkError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn no_tasks() -> DescribeAutoCalloutTasksResponse {
    serde_json::from_value(serde_json::json!({"TotalCount": 0, "Tasks": []})).unwrap()
}

async fn describe(client: &Client) -> Result<DescribeAutoCalloutTasksResponse, ccc_api::Error> {
    Ok(client
        .describe_auto_callout_tasks()
        .sdk_app_id(1400000000)
        .page_number(0)
        .page_size(10)
        .send()
        .await?)
}

async fn create(client: &Client) -> Result<(), ccc_api::Error> {
    client
        .create_auto_callout_task()
        .sdk_app_id(1400000000)
        .not_before(0)
        .callees(vec!["008610000"])
        .callers(vec!["008620000"])
        .ivr_id(1)
        .send()
        .await?;
    Ok(())
}

/// (throttling, auth failure, not found, retryable, timeout) of an error.
fn predicates(e: &ccc_api::Error) -> [bool; 5] {
    [
        e.is_throttling(),
        e.is_auth_failure(),
        e.is_not_found(),
        e.is_retryable(),
        e.is_timeout(),
    ]
}

#[tokio::test]
async fn error_predicates_work_on_the_service_error() {
    let html = Reply::Raw {
        status: 502,
        body: b"<html>Bad Gateway</html>".to_vec(),
    };
    let not_json = Reply::Raw {
        status: 200,
        body: b"hello".to_vec(),
    };
    let cases: Vec<(&str, Reply<DescribeAutoCalloutTasksResponse>, [bool; 5])> = vec![
        (
            "RequestLimitExceeded",
            Reply::error("RequestLimitExceeded", "slow down"),
            [true, false, false, true, false],
        ),
        (
            "RequestLimitExceeded.UinLimitExceeded",
            Reply::error("RequestLimitExceeded.UinLimitExceeded", "slow down"),
            [true, false, false, true, false],
        ),
        (
            "AuthFailure.SignatureExpire",
            Reply::error("AuthFailure.SignatureExpire", "expired"),
            [false, true, false, false, false],
        ),
        (
            "AuthFailure",
            Reply::error("AuthFailure", "no"),
            [false, true, false, false, false],
        ),
        (
            "ResourceNotFound.SdkAppId",
            Reply::error("ResourceNotFound.SdkAppId", "no such application"),
            [false, false, true, false, false],
        ),
        (
            "InternalError",
            Reply::error("InternalError", "try later"),
            [false; 5],
        ),
        (
            "InvalidParameterValue",
            Reply::error("InvalidParameterValue", "bad"),
            [false; 5],
        ),
        (
            "timeout",
            Reply::Fault(Fault::Timeout),
            [false, false, false, true, true],
        ),
        (
            "connect",
            Reply::Fault(Fault::Connect),
            [false, false, false, true, false],
        ),
        (
            "body cut off",
            Reply::Fault(Fault::BodyCutOff),
            [false, false, false, true, false],
        ),
        ("502 page", html, [false, false, false, true, false]),
        ("200 not JSON", not_json, [false; 5]),
    ];
    for (name, reply, want) in cases {
        let mock = Mock::new();
        mock.on::<DescribeAutoCalloutTasksRequest>()
            .then(move |_| reply.clone());
        // One attempt, so that each scripted answer is the one returned.
        let client = Client::mocked_with(&mock, |b| b.retry(RetryConfig::disabled())).unwrap();
        let e = describe(&client).await.unwrap_err();
        assert_eq!(predicates(&e), want, "{name}: {e}");
        if let Some(code) = e.raw_code() {
            assert_eq!(code, name);
            assert_eq!(e.request_id(), Some("mock-request-id"));
            assert!(e.message().is_some_and(|m| !m.is_empty()));
        }
    }

    // The typed code and the raw one side by side: a sub-code the service's
    // enum does not list is still in its family.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_error("ResourceNotFound.SdkAppId", "no such application");
    let e = describe(&Client::mocked(&mock)).await.unwrap_err();
    assert!(matches!(e.code(), Some(ErrorCode::Unknown(_))), "{e:?}");
    assert_eq!(e.raw_code(), Some("ResourceNotFound.SdkAppId"));
    assert_eq!(e.message(), Some("no such application"));
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_error("AuthFailure.SignatureExpire", "expired");
    let e = describe(&Client::mocked(&mock)).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::AuthFailureSignatureExpire));
    assert!(e.is_auth_failure());
    // By value, the same answers.
    let inner: SdkError<ErrorCode> = e.into_inner();
    assert!(inner.is_auth_failure() && !inner.is_retryable());

    // Throttling the client retried until it ran out of attempts.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_error("RequestLimitExceeded", "slow down");
    let e = describe(&Client::mocked(&mock)).await.unwrap_err();
    assert!(e.is_throttling() && e.is_retryable());
    assert_eq!(e.attempts(), 3);

    // A timeout is retryable for an action safe to repeat: the client
    // itself does not repeat a create, but the error says what it was.
    let mock = Mock::new();
    mock.on::<CreateAutoCalloutTaskRequest>()
        .then_fault(Fault::Timeout);
    let e = create(&Client::mocked(&mock)).await.unwrap_err();
    assert!(e.is_timeout() && e.is_retryable());
    assert_eq!(e.attempts(), 1);

    // The whole call's deadline.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_ok(no_tasks());
    let client = Client::mocked_with(&mock, |b| b.timeout(Duration::ZERO)).unwrap();
    let e = describe(&client).await.unwrap_err();
    assert!(e.is_timeout() && e.is_retryable(), "{e}");
    assert!(e.to_string().contains("overall deadline"), "{e}");
    assert!(mock.calls().is_empty());
}

/// Counts attempts and failures, and keeps the codes seen: a metrics hook.
#[derive(Default)]
struct Metrics {
    attempts: AtomicU32,
    failures: AtomicU32,
    codes: Mutex<Vec<String>>,
}

impl Hook for Metrics {
    fn before_attempt(&self, _: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
        if !attempt.is_ok() {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(code) = attempt.code() {
            self.codes.lock().unwrap().push(code.to_owned());
        }
    }
}

#[tokio::test]
async fn a_hook_kept_in_an_arc_or_a_static_is_read_after_calls() {
    static PROCESS_WIDE: Metrics = Metrics {
        attempts: AtomicU32::new(0),
        failures: AtomicU32::new(0),
        codes: Mutex::new(Vec::new()),
    };
    let metrics = Arc::new(Metrics::default());
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_error("RequestLimitExceeded", "slow down")
        .then_fault(Fault::Connect)
        .then_ok(no_tasks());
    let client =
        Client::mocked_with(&mock, |b| b.hook(Arc::clone(&metrics)).hook(&PROCESS_WIDE)).unwrap();
    describe(&client).await.unwrap();
    describe(&client.clone()).await.unwrap();
    // Three attempts for the first call, one for the second.
    for m in [&*metrics, &PROCESS_WIDE] {
        assert_eq!(m.attempts.load(Ordering::Relaxed), 4);
        assert_eq!(m.failures.load(Ordering::Relaxed), 2);
        assert_eq!(*m.codes.lock().unwrap(), ["RequestLimitExceeded"]);
    }
    // The client holds the other reference.
    assert_eq!(Arc::strong_count(&metrics), 2);
    drop(client);
    assert_eq!(Arc::strong_count(&metrics), 1);

    // A shared `dyn Hook` is a hook too.
    let shared: Arc<dyn Hook> = Arc::new(Metrics::default());
    let client = Client::mocked_with(&mock, |b| b.hook(shared.clone())).unwrap();
    describe(&client).await.unwrap();
}

/// The `Credential=` SecretId of every call the mock answered.
fn signed_by(mock: &Mock) -> Vec<String> {
    mock.headers()
        .iter()
        .map(|h| {
            let auth = h.get("authorization").unwrap();
            let from = auth.find("Credential=").unwrap() + "Credential=".len();
            auth[from..].split('/').next().unwrap().to_owned()
        })
        .collect()
}

/// A header of the `n`th call the mock answered.
fn header(mock: &Mock, n: usize, name: &str) -> Option<String> {
    mock.headers()[n].get(name).map(str::to_owned)
}

#[tokio::test]
async fn a_mocked_client_opens_no_socket_and_signs_with_the_test_keys() {
    // A listener that counts the connections it accepts (and never answers).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let server = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            open.push(stream);
        }
    });
    let here = format!("http://{addr}");

    // The endpoint and the proxy both point at the listener, and no
    // credentials are given: before, the client asked the default chain
    // (environment, profile files, the CVM metadata host) for keys.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_fault(Fault::Connect)
        .then_ok(no_tasks());
    let client = Client::builder()
        .mock(mock.clone())
        .endpoint_url(&here)
        .proxy(&here)
        .retry(RetryConfig::new().initial_backoff(Duration::ZERO))
        .build()
        .unwrap();
    describe(&client).await.unwrap();
    // An action no rule answers fails as a connection never made, retried
    // as such; still nothing reaches the listener.
    let e = create(&client).await.unwrap_err();
    assert!(e.to_string().contains("could not connect"), "{e}");
    assert_eq!(
        mock.calls(),
        [
            "DescribeAutoCalloutTasks",
            "DescribeAutoCalloutTasks",
            "CreateAutoCalloutTask",
            "CreateAutoCalloutTask",
            "CreateAutoCalloutTask"
        ]
    );
    assert!(signed_by(&mock).iter().all(|id| id == TEST_SECRET_ID));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0);

    // Keys given in code are used as given.
    let given = Mock::new();
    given
        .on::<DescribeAutoCalloutTasksRequest>()
        .then_ok(no_tasks());
    let client = Client::mocked_with(&given, |b| {
        b.credentials(ccc_api::Credentials::new("AKIDGIVEN", "k"))
    })
    .unwrap();
    describe(&client).await.unwrap();
    assert_eq!(signed_by(&given), ["AKIDGIVEN"]);

    // The control: a client without a mock does reach the listener.
    let real = Client::builder()
        .credentials(ccc_api::Credentials::new("AKIDREAL", "k"))
        .endpoint_url(&here)
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = describe(&real).await.unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(accepted.load(Ordering::SeqCst) >= 1);
    server.abort();
}

#[tokio::test]
async fn mocked_with_starts_from_the_mocked_settings() {
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_fault(Fault::Connect)
        .then_ok(no_tasks());
    let client =
        Client::mocked_with(&mock, |b| b.region("ap-guangzhou").language(Language::ZhCn)).unwrap();
    let started = std::time::Instant::now();
    describe(&client).await.unwrap();
    // Retried as `mocked` does: at once, with the test keys.
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(signed_by(&mock), [TEST_SECRET_ID, TEST_SECRET_ID]);
    assert_eq!(
        header(&mock, 1, "x-tc-region").as_deref(),
        Some("ap-guangzhou")
    );
    assert_eq!(header(&mock, 1, "x-tc-language").as_deref(), Some("zh-CN"));
    assert_eq!(
        header(&mock, 1, "x-tc-action").as_deref(),
        Some("DescribeAutoCalloutTasks")
    );
    // A wrong setting is an error, not a panic.
    let e = Client::mocked_with(&mock, |b| b.endpoint_url("ftp://x/")).unwrap_err();
    assert!(e.reason.contains("scheme"), "{e}");
}

/// A lookup over fixed pairs, in place of the process environment.
fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[tokio::test]
async fn region_endpoint_and_language_from_the_environment() {
    // (variables, region sent, language sent, endpoint)
    type Case = (
        &'static [(&'static str, &'static str)],
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );
    let cases: &[Case] = &[
        (&[], None, None, "https://ccc.intl.tencentcloudapi.com/"),
        (
            &[
                ("TENCENTCLOUD_REGION", "ap-singapore"),
                ("TENCENTCLOUD_LANGUAGE", "en-US"),
                ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:8787"),
            ],
            Some("ap-singapore"),
            Some("en-US"),
            "http://127.0.0.1:8787/",
        ),
        (
            &[
                ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
                ("TENCENTCLOUD_ENDPOINT_URL_CCC", "http://127.0.0.1:2/"),
            ],
            None,
            None,
            "http://127.0.0.1:2/",
        ),
        (
            // Another service's variable is not this one's.
            &[("TENCENTCLOUD_ENDPOINT_URL_STS", "http://127.0.0.1:3")],
            None,
            None,
            "https://ccc.intl.tencentcloudapi.com/",
        ),
        (
            &[
                ("TENCENTCLOUD_REGION", ""),
                ("TENCENTCLOUD_LANGUAGE", "zh-cn"),
            ],
            None,
            Some("zh-CN"),
            "https://ccc.intl.tencentcloudapi.com/",
        ),
    ];
    for (env, region, language, endpoint) in cases {
        let mock = Mock::new();
        mock.on::<DescribeAutoCalloutTasksRequest>()
            .then_ok(no_tasks());
        let client = ClientBuilder::from_lookup(vars(env))
            .mock(mock.clone())
            .build()
            .unwrap();
        assert_eq!(client.endpoint(), *endpoint, "{env:?}");
        describe(&client).await.unwrap();
        assert_eq!(
            header(&mock, 0, "x-tc-region").as_deref(),
            *region,
            "{env:?}"
        );
        assert_eq!(
            header(&mock, 0, "x-tc-language").as_deref(),
            *language,
            "{env:?}"
        );
        // A mock still signs with the test keys, whatever the environment.
        assert_eq!(signed_by(&mock), [TEST_SECRET_ID]);
    }

    // Code over the environment.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_ok(no_tasks());
    let client = ClientBuilder::from_lookup(vars(&[
        ("TENCENTCLOUD_REGION", "ap-singapore"),
        ("TENCENTCLOUD_LANGUAGE", "not a language"),
        ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
    ]))
    .region("ap-guangzhou")
    .language(Language::EnUs)
    .site(ccc_api::Site::China)
    .mock(mock.clone())
    .build()
    .unwrap();
    assert_eq!(client.endpoint(), "https://ccc.tencentcloudapi.com/");
    describe(&client).await.unwrap();
    assert_eq!(
        header(&mock, 0, "x-tc-region").as_deref(),
        Some("ap-guangzhou")
    );
    assert_eq!(header(&mock, 0, "x-tc-language").as_deref(), Some("en-US"));

    // Wrong values: a typed error naming the variable.
    for (variable, value) in [
        ("TENCENTCLOUD_REGION", "Guangzhou"),
        ("TENCENTCLOUD_LANGUAGE", "english"),
        ("TENCENTCLOUD_ENDPOINT_URL", "localhost:8787"),
        (
            "TENCENTCLOUD_ENDPOINT_URL_CCC",
            "https://user:pw@example.com/",
        ),
    ] {
        let e = ClientBuilder::from_lookup(vars(&[(variable, value)]))
            .build()
            .unwrap_err();
        assert_eq!(e.variable.as_deref(), Some(variable), "{e}");
        assert!(e.to_string().contains(variable), "{e}");
        assert!(!e.to_string().contains("pw@"), "{e}");
    }
}

/// Set in the child process this binary runs itself as.
const CHILD: &str = "CCC_TESTS_USER_FACING_CHILD";

/// The process environment itself, in a child process (so no other test
/// sees it): keys in the environment and an empty home directory.
#[test]
fn the_process_environment_in_a_child_process() {
    if let Ok(mode) = std::env::var(CHILD) {
        return child(&mode);
    }
    let home = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("user-facing-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    for (mode, region) in [("good", "ap-beijing"), ("bad", "Beijing")] {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "the_process_environment_in_a_child_process",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(CHILD, mode)
            .env("HOME", &home)
            .env("TENCENTCLOUD_SECRET_ID", "AKIDFROMENVIRONMENT")
            .env("TENCENTCLOUD_SECRET_KEY", "key-from-environment")
            .env("TENCENTCLOUD_REGION", region)
            .env("TENCENTCLOUD_LANGUAGE", "zh-CN")
            .env("TENCENTCLOUD_ENDPOINT_URL_CCC", "http://127.0.0.1:9")
            .env_remove("TENCENTCLOUD_ENDPOINT_URL")
            .env_remove("TENCENTCLOUD_CREDENTIALS_FILE")
            .output()
            .unwrap();
        let shown = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{mode}: {shown}");
        // The child did run the test (the filter matched it).
        assert!(shown.contains("1 passed"), "{mode}: {shown}");
    }
    let _ = std::fs::remove_dir_all(&home);
}

fn child(mode: &str) {
    if mode == "bad" {
        let e = Client::from_env().unwrap_err();
        assert_eq!(e.variable.as_deref(), Some("TENCENTCLOUD_REGION"), "{e}");
        // `builder().build()` reads no region: it builds.
        Client::builder().build().unwrap();
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // A mock without credentials: the test keys, not the environment's.
        let mock = Mock::new();
        mock.on::<DescribeAutoCalloutTasksRequest>()
            .then_ok(no_tasks());
        let client = Client::builder().mock(mock.clone()).build().unwrap();
        describe(&client).await.unwrap();
        assert_eq!(signed_by(&mock), [TEST_SECRET_ID]);
        // `builder()` reads no region, language or endpoint.
        assert_eq!(header(&mock, 0, "x-tc-region"), None);
        assert_eq!(client.endpoint(), "https://ccc.intl.tencentcloudapi.com/");

        // `ClientBuilder::from_env()` does, and a mock keeps the test keys.
        let client = ClientBuilder::from_env()
            .mock(mock.clone())
            .build()
            .unwrap();
        assert_eq!(client.endpoint(), "http://127.0.0.1:9/");
        describe(&client).await.unwrap();
        assert_eq!(signed_by(&mock)[1], TEST_SECRET_ID);
        assert_eq!(
            header(&mock, 1, "x-tc-region").as_deref(),
            Some("ap-beijing")
        );
        assert_eq!(header(&mock, 1, "x-tc-language").as_deref(), Some("zh-CN"));

        // So does `Client::from_env()` (not called: it would reach the
        // network with the environment's keys).
        let client = Client::from_env().unwrap();
        assert_eq!(client.endpoint(), "http://127.0.0.1:9/");
        let shown = format!("{client:?}");
        assert!(
            shown.contains("ap-beijing") && shown.contains("ZhCn"),
            "{shown}"
        );
    });
}
