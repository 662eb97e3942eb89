//! What the client logs: a span per call with the action, attempts, latency,
//! request id and outcome, an event per retry, and never a secret or a body.

use ccc_api::{Client, Credentials, RetryConfig};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing_subscriber::fmt::format::FmtSpan;

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
fn spans_and_retry_events_carry_no_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let n = AtomicUsize::new(0);
            let server = TestServer::start(move |_| {
                if n.fetch_add(1, Ordering::SeqCst) == 0 {
                    Reply::service_error("RequestLimitExceeded", "slow down", "req-limited")
                } else {
                    Reply::json(r#"{"Response":{"Name":"n","Description":"d","NotBefore":1,"NotAfter":2,"Callers":["secret-caller-number"],"Callees":[],"IvrId":1,"State":1,"RequestId":"req-final"}}"#)
                }
            })
            .await;
            let client = Client::builder()
                .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY).with_token("session-token-xyz"))
                .endpoint_url(server.url())
                .retry(RetryConfig::new()
            .max_attempts(3)
            .initial_backoff(Duration::from_millis(5))
            .max_backoff(Duration::from_millis(10)))
                .build()
                .unwrap();
            client.describe_auto_callout_task().sdk_app_id(1400000000).task_id(987_654_321).send().await.unwrap();
        })
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("tencent_cloud.call"), "{log}");
    assert!(log.contains("service=\"ccc\""), "{log}");
    assert!(log.contains("action=\"DescribeAutoCalloutTask\""), "{log}");
    assert!(
        log.contains("retrying") && log.contains("rate limited by the service"),
        "{log}"
    );
    assert!(log.contains("attempts=2"), "{log}");
    assert!(
        log.contains("request_id=\"req-final\"") || log.contains("request_id=req-final"),
        "{log}"
    );
    assert!(
        log.contains("outcome=\"ok\"") || log.contains("outcome=ok"),
        "{log}"
    );
    assert!(log.contains("latency_ms="), "{log}");
    for secret in [
        TEST_SECRET_KEY,
        "session-token-xyz",
        "Signature=",
        "secret-caller-number",
        "987654321",
    ] {
        assert!(!log.contains(secret), "log shows {secret}: {log}");
    }
}
