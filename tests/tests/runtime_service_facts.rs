//! What the runtime takes from a service's description and from nothing
//! else, over HTTP on 127.0.0.1: the client name it sends (`User-Agent`,
//! `X-TC-RequestClient`), the call span's name and fields, whether an action
//! the description does not list may be repeated, and answers that are event
//! streams (a typed error, one attempt, the body left unread).

use ccc_api::runtime::{self, ActionInfo, Endpoint, Service};
use ccc_api::{
    Client, Credentials, DecodeErrorKind, RateLimit, RetryConfig, SdkError, REQUEST_CLIENT,
};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TASK: &str = r#"{"Response":{"Name":"n","Description":"d","NotBefore":1,"NotAfter":2,"Callers":[],"Callees":[],"IvrId":1,"State":1,"RequestId":"req-1"}}"#;

/// A service the runtime knows only from this description.
static EXAMPLE: Service = Service::new(
    "example",
    "2024-01-01",
    "example",
    &[Endpoint::new(
        "International",
        "example.intl.tencentcloudapi.com",
        true,
    )],
    &[],
    &[],
)
.with_client_name("example-api/9.8.7");

/// The same service, described by hand without a client name.
static UNNAMED: Service = Service::new(
    "example",
    "2024-01-01",
    "example",
    &[Endpoint::new(
        "International",
        "example.intl.tencentcloudapi.com",
        true,
    )],
    &[],
    &[],
);

/// Retries that do not wait.
fn quick_retries() -> RetryConfig {
    RetryConfig::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2))
}

fn ccc_client(url: &str) -> Client {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(url)
        .rate_limit(RateLimit::Off)
        .retry(quick_retries())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn runtime_client(service: &'static Service, url: &str) -> runtime::Client {
    runtime::Client::builder()
        .service(service)
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(url)
        .rate_limit(RateLimit::Off)
        .retry(quick_retries())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

#[tokio::test]
async fn the_client_name_comes_from_the_service_description() {
    let server = TestServer::start(|_| Reply::json(r#"{"Response":{"RequestId":"r"}}"#)).await;
    runtime_client(&EXAMPLE, &server.url())
        .call("DescribeThings", &serde_json::json!({}))
        .await
        .expect("answer");
    runtime_client(&UNNAMED, &server.url())
        .call("DescribeThings", &serde_json::json!({}))
        .await
        .expect("answer");
    ccc_client(&server.url())
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .ok();
    let sent = server.received();
    assert_eq!(sent.len(), 3);
    for r in &sent {
        assert_eq!(r.signature, Ok(()));
    }
    // The description's crate, in both headers.
    assert_eq!(sent[0].header("user-agent"), Some("example-api/9.8.7"));
    assert_eq!(
        sent[0].header("x-tc-requestclient"),
        Some("example-api/9.8.7")
    );
    assert_eq!(sent[0].header("x-tc-version"), Some("2024-01-01"));
    // None named: the runtime's name and version.
    assert!(
        REQUEST_CLIENT.starts_with("tencent-cloud-runtime/"),
        "{REQUEST_CLIENT}"
    );
    assert_eq!(UNNAMED.request_client(), REQUEST_CLIENT);
    assert_eq!(sent[1].header("user-agent"), Some(REQUEST_CLIENT));
    assert_eq!(sent[1].header("x-tc-requestclient"), Some(REQUEST_CLIENT));
    // A generated crate's client sends what its description says.
    let ccc = ccc_api::SERVICE_DESCRIPTION.request_client();
    assert_eq!(sent[2].header("user-agent"), Some(ccc));
    assert_eq!(sent[2].header("x-tc-requestclient"), Some(ccc));
}

#[tokio::test]
async fn unknown_actions_are_repeated_only_when_their_name_reads() {
    let server = TestServer::start(|_| Reply::Body {
        status: 503,
        content_type: "text/html",
        body: b"<html>503 Service Unavailable</html>".to_vec(),
    })
    .await;
    let client = ccc_client(&server.url());
    let mut seen = 0;
    for (action, reads) in [
        ("DescribeSomethingNew", true),
        ("GetSomethingNew", true),
        ("InquiryPriceSomethingNew", true),
        ("CreateSomethingNew", false),
        ("Getaway", false),
        ("ListenToSomething", false),
    ] {
        assert!(client.service().action(action).is_none(), "{action}");
        assert_eq!(ActionInfo::is_read_action(action), reads, "{action}");
        let err = client
            .call(action, &serde_json::json!({"SdkAppId": 1}))
            .await
            .unwrap_err();
        let SdkError::Decode(d) = &err else {
            panic!("{action}: {err:?}")
        };
        assert_eq!(d.kind, DecodeErrorKind::NotJson, "{action}");
        let expected = if reads { 3 } else { 1 };
        assert_eq!(err.attempts(), expected, "{action}: {err}");
        let sent = server.received();
        assert_eq!(sent.len() - seen, expected as usize, "{action}");
        assert!(sent[seen..]
            .iter()
            .all(|r| r.header("x-tc-action") == Some(action)));
        seen = sent.len();
    }
}

/// An answer that is an event stream of the shape streaming actions send.
fn event_stream(status: u16) -> Reply {
    Reply::Headers {
        status,
        headers: vec![
            (
                "content-type",
                "text/event-stream; charset=utf-8".to_owned(),
            ),
            ("cache-control", "no-cache".to_owned()),
        ],
        body: b"data: {\"Choices\":[{\"Delta\":{\"Content\":\"hi\"}}]}\n\n".to_vec(),
    }
}

fn assert_streaming<C: std::fmt::Debug>(err: &SdkError<C>, status: u16) {
    let SdkError::Decode(d) = err else {
        panic!("{err:?}")
    };
    assert_eq!(d.kind, DecodeErrorKind::Streaming, "{err}");
    assert_eq!(d.status, status);
    assert_eq!((d.body_len, d.body_prefix.as_str()), (0, ""));
    assert_eq!(err.attempts(), 1, "{err}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("HTTP {status}, event stream not read: ")),
        "{shown}"
    );
    assert!(shown.contains("does not read"), "{shown}");
}

#[tokio::test]
async fn an_event_stream_is_a_typed_error_after_one_attempt() {
    for status in [200, 503] {
        let server = TestServer::start(move |_| event_stream(status)).await;
        let client = ccc_client(&server.url());
        // Typed, of an idempotent action: a 5xx would be retried, a stream not.
        let err = client
            .describe_auto_callout_task()
            .sdk_app_id(1)
            .task_id(2)
            .send()
            .await
            .unwrap_err();
        assert_streaming(&err, status);
        assert_eq!(server.received().len(), 1, "{status}");
        // Untyped, even when the caller declares the call safe to repeat.
        let err = client
            .call_with(
                "DescribeStreamed",
                &serde_json::json!({"Stream": true}),
                &ccc_api::RequestOptions::new().idempotent(true),
            )
            .await
            .unwrap_err();
        assert_streaming(&err, status);
        assert_eq!(server.received().len(), 2, "{status}");
    }
}

/// An event stream that never ends, from a bare socket: headers, then events
/// until the client hangs up. Returns the address and the bytes written.
async fn endless_event_stream() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let count = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                // The request's head and body arrive together; one read is
                // enough for the client to be waiting for the answer.
                let mut buf = vec![0u8; 64 * 1024];
                if socket.read(&mut buf).await.is_err() {
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let event = "data: {\"Delta\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\n\n";
                let chunk = format!("{:x}\r\n{event}\r\n", event.len()).repeat(256);
                while socket.write_all(chunk.as_bytes()).await.is_ok() {
                    count.fetch_add(chunk.len(), Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            });
        }
    });
    (format!("http://{addr}"), written)
}

#[tokio::test]
async fn an_endless_event_stream_is_not_read() {
    let (url, written) = endless_event_stream().await;
    let client = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(url)
        .retry(quick_retries())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap_err();
    // Had the body been read, the call would have ended at the response size
    // limit (16 MiB of events) or the deadline, not with this error at once.
    assert_streaming(&err, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // The server stops once the client hangs up: what it wrote is bounded by
    // the socket buffers, far below the response size limit.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = written.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(written.load(Ordering::SeqCst), before, "still streaming");
    assert!(before < 8 << 20, "{before} bytes written");
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_call_span_names_service_version_and_action() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let server = TestServer::start(|_| Reply::json(TASK)).await;
            ccc_client(&server.url())
                .describe_auto_callout_task()
                .sdk_app_id(1)
                .task_id(2)
                .send()
                .await
                .unwrap();
            runtime_client(&EXAMPLE, &server.url())
                .call("DescribeThings", &serde_json::json!({}))
                .await
                .unwrap();
        })
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!log.contains("ccc.call"), "{log}");
    let spans: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("tencent_cloud.call{") && l.contains(": close "))
        .collect();
    assert_eq!(spans.len(), 2, "{log}");
    for (line, service, version, action) in [
        (spans[0], "ccc", "2020-02-10", "DescribeAutoCalloutTask"),
        (spans[1], "example", "2024-01-01", "DescribeThings"),
    ] {
        for field in [
            format!("service=\"{service}\""),
            format!("version=\"{version}\""),
            format!("action=\"{action}\""),
        ] {
            assert!(line.contains(&field), "{field} in {line}");
        }
    }
}
