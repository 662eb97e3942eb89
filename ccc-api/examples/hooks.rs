//! Hooks around every attempt: a trace id on each request, and per-action
//! metrics (attempts, failures, latency) printed at the end.
//!
//! ```text
//! cargo run -p ccc-api --example hooks
//! ```
//!
//! Runs against `ccc_api::mock` (no network): the first answer is a
//! `RequestLimitExceeded`, which the client retries, so the hooks see two
//! attempts of one call.

use ccc_api::hooks::{AfterAttempt, BeforeAttempt, Hook, Refused};
use ccc_api::mock::Mock;
use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskRequest, DescribeAutoCalloutTaskResponse,
};
use ccc_api::Client;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Adds `X-TC-TraceId`, as the official SDKs name it: a new id on every
/// attempt, printed with the attempt so that logs on both sides can be joined.
#[derive(Default)]
struct TraceIds {
    next: AtomicU64,
}

impl Hook for TraceIds {
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        let id = format!("example-{:08}", self.next.fetch_add(1, Ordering::Relaxed));
        println!(
            "-> {} attempt {} trace id {id}",
            attempt.action(),
            attempt.attempt()
        );
        attempt
            .headers_mut()
            .insert("x-tc-traceid", &id)
            .map_err(|e| Refused::new(e.to_string()))?;
        Ok(())
    }
}

/// Attempts, failures and total latency of one action.
#[derive(Default, Debug)]
struct Tally {
    attempts: u32,
    failures: u32,
    latency: Duration,
}

/// A [`Tally`] per action.
#[derive(Default, Clone)]
struct Metrics {
    by_action: Arc<Mutex<BTreeMap<String, Tally>>>,
}

impl Hook for Metrics {
    fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
        println!(
            "<- {} attempt {}: status {:?}, {:?}, request id {:?}, code {:?}, retry: {}",
            attempt.action(),
            attempt.attempt(),
            attempt.status(),
            attempt.latency(),
            attempt.request_id(),
            attempt.code(),
            attempt.will_retry(),
        );
        let mut map = self.by_action.lock().unwrap_or_else(|p| p.into_inner());
        let tally = map.entry(attempt.action().to_owned()).or_default();
        tally.attempts += 1;
        tally.failures += u32::from(!attempt.is_ok());
        tally.latency += attempt.latency();
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ccc_api::Error> {
    let task: DescribeAutoCalloutTaskResponse = serde_json::from_value(serde_json::json!({
        "Name": "spring sale",
        "RequestId": "6f0e-example"
    }))
    .expect("a valid canned response");
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTaskRequest>()
        .then_error("RequestLimitExceeded", "slow down")
        .then_ok(task);

    let metrics = Metrics::default();
    let client = Client::builder()
        .mock(mock)
        .credentials(ccc_api::Credentials::new("AKIDEXAMPLE", "example-secret"))
        .retry(ccc_api::RetryConfig::new().initial_backoff(Duration::from_millis(10)))
        .hook(TraceIds::default())
        .hook(metrics.clone())
        .build()
        .expect("valid configuration");

    let task = client
        .describe_auto_callout_task()
        .sdk_app_id(1400000000)
        .task_id(3)
        .send()
        .await?;
    println!("task: {}", task.name);
    for (action, t) in metrics.by_action.lock().unwrap().iter() {
        println!(
            "{action}: {} attempts, {} failed, {:?} in all",
            t.attempts, t.failures, t.latency
        );
    }
    Ok(())
}
