//! A small contact-centre program written as a user of `ccc-api` writes it,
//! with its unit tests on `ccc_api::mock`: a client from the environment, a
//! reminder task over three numbers, waiting for it to finish, the call
//! records of the day paged through, a throttled call matched by name, and a
//! metrics hook read while the client uses it. No conversions: text is
//! `String` or `&str`, lists are arrays or iterators, builders that cannot
//! fail return their value, and the common codes match on every action.

mod app {
    use ccc_api::hooks::{AfterAttempt, Hook};
    use ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskErrorCode;
    use ccc_api::types::{AutoCalloutTaskState, TelCdrInfo, TelCdrInfoEndStatus};
    use ccc_api::{Client, SdkError, WaitOutcome};
    use futures_util::TryStreamExt;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    /// Counts attempts and throttled answers, for a dashboard.
    #[derive(Default)]
    pub struct Metrics {
        pub attempts: AtomicU32,
        pub throttled: AtomicU32,
    }

    impl Hook for Metrics {
        fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
            self.attempts.fetch_add(1, Ordering::Relaxed);
            if attempt.code() == Some("RequestLimitExceeded") {
                self.throttled.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Calls `numbers` with IVR `ivr`, now; the task's id.
    pub async fn remind(
        client: &Client,
        app: u64,
        ivr: u64,
        numbers: &[String],
    ) -> Result<u64, ccc_api::Error> {
        let task = client
            .create_auto_callout_task()
            .sdk_app_id(app)
            .ivr_id(ivr)
            .not_before(0)
            .name("payment reminders")
            .callers(["008675500000001"])
            .callees(numbers.iter().map(String::as_str))
            .send()
            .await?;
        Ok(task.task_id)
    }

    /// Whether the task ran to its end within `limit`.
    pub async fn finished(
        client: &Client,
        app: u64,
        task: u64,
        limit: Duration,
    ) -> Result<bool, ccc_api::Error> {
        let outcome = client
            .wait_until_auto_callout_task_completed()
            .sdk_app_id(app)
            .task_id(task)
            .initial_delay(Duration::from_secs(5))
            .max_wait(limit)
            .wait()
            .await;
        match outcome {
            WaitOutcome::Reached(_) => Ok(true),
            WaitOutcome::Unreachable(_) | WaitOutcome::TimedOut { .. } => Ok(false),
            WaitOutcome::Error(e) => Err(e.into()),
            _ => Ok(false),
        }
    }

    /// The task's name, or `None` while the service asks us to slow down.
    pub async fn name_unless_throttled(
        client: &Client,
        app: u64,
        task: u64,
    ) -> Result<Option<String>, ccc_api::Error> {
        match client
            .describe_auto_callout_task()
            .sdk_app_id(app)
            .task_id(task)
            .send()
            .await
        {
            Ok(t) if t.state == AutoCalloutTaskState::Terminated => Ok(None),
            Ok(t) => Ok(Some(t.name)),
            Err(SdkError::Service(e))
                if e.code == DescribeAutoCalloutTaskErrorCode::RequestLimitExceeded =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The numbers that did not answer in `[from, to)`, across every page.
    pub async fn unanswered(
        client: &Client,
        app: u64,
        from: i64,
        to: i64,
    ) -> Result<Vec<String>, ccc_api::Error> {
        let records: Vec<TelCdrInfo> = client
            .describe_tel_cdr()
            .sdk_app_id(app)
            .start_time_stamp(from)
            .end_time_stamp(to)
            .into_paginator()
            .page_size(2)
            .items()
            .try_collect()
            .await?;
        Ok(records
            .into_iter()
            .filter(|r| r.end_status != Some(TelCdrInfoEndStatus::Ok))
            .filter_map(|r| r.callee)
            .collect())
    }
}

use ccc_api::mock::Mock;
use ccc_api::operation::create_auto_callout_task::{
    CreateAutoCalloutTaskRequest, CreateAutoCalloutTaskResponse,
};
use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskRequest, DescribeAutoCalloutTaskResponse,
};
use ccc_api::operation::describe_tel_cdr::{DescribeTelCdrRequest, DescribeTelCdrResponse};
use ccc_api::types::{AutoCalloutTaskState, TelCdrInfo, TelCdrInfoEndStatus};
use ccc_api::{Client, ClientBuilder};
use std::sync::Arc;
use std::time::Duration;

fn task(state: AutoCalloutTaskState) -> DescribeAutoCalloutTaskResponse {
    DescribeAutoCalloutTaskResponse::builder()
        .name("payment reminders")
        .state(state)
        .request_id("req")
        .build()
}

fn record(callee: &str, status: TelCdrInfoEndStatus) -> TelCdrInfo {
    TelCdrInfo::builder()
        .callee(callee)
        .end_status(status)
        .build()
}

#[test]
fn settings_come_from_the_environment_and_code_wins() {
    let env = |name: &str| match name {
        "TENCENTCLOUD_SECRET_ID" => Some("AKIDEXAMPLE".to_owned()),
        "TENCENTCLOUD_SECRET_KEY" => Some("example-key".to_owned()),
        "TENCENTCLOUD_REGION" => Some("ap-singapore".to_owned()),
        "TENCENTCLOUD_ENDPOINT_URL" => Some("http://127.0.0.1:9".to_owned()),
        _ => None,
    };
    let client: Client = ClientBuilder::from_lookup(env)
        .credentials(ccc_api::Credentials::new("AKIDEXAMPLE", "example-key"))
        .build()
        .unwrap();
    assert_eq!(client.endpoint(), "http://127.0.0.1:9/");
    let client: Client = ClientBuilder::from_lookup(env)
        .credentials(ccc_api::Credentials::new("AKIDEXAMPLE", "example-key"))
        .endpoint_url("http://127.0.0.1:10")
        .build()
        .unwrap();
    assert_eq!(client.endpoint(), "http://127.0.0.1:10/");
}

#[tokio::test]
async fn a_reminder_task_over_three_numbers() {
    let mock = Mock::new();
    let created = mock.on::<CreateAutoCalloutTaskRequest>().then_ok(
        CreateAutoCalloutTaskResponse::builder()
            .task_id(42)
            .request_id("r")
            .build(),
    );
    let client = Client::mocked(&mock);
    let numbers: Vec<String> = (1..=3).map(|i| format!("00861390000000{i}")).collect();
    assert_eq!(
        app::remind(&client, 1400000000, 7, &numbers).await.unwrap(),
        42
    );
    let sent = &created.requests()[0];
    assert_eq!(sent.callees, numbers);
    assert_eq!(sent.callers, ["008675500000001"]);
    assert_eq!(sent.name.as_deref(), Some("payment reminders"));
}

#[tokio::test(start_paused = true)]
async fn waiting_for_the_task_to_finish() {
    let mock = Mock::new();
    let polled = mock
        .on::<DescribeAutoCalloutTaskRequest>()
        .then_ok(task(AutoCalloutTaskState::Running))
        .then_ok(task(AutoCalloutTaskState::Completed));
    let client = Client::mocked(&mock);
    assert!(app::finished(&client, 1, 42, Duration::from_secs(60))
        .await
        .unwrap());
    assert_eq!(polled.calls(), 2);

    // Terminated by hand: it can no longer complete.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTaskRequest>()
        .then_ok(task(AutoCalloutTaskState::Terminated));
    let client = Client::mocked(&mock);
    assert!(!app::finished(&client, 1, 42, Duration::from_secs(60))
        .await
        .unwrap());
}

#[tokio::test]
async fn a_throttled_call_matches_by_name_and_the_hook_counts_it() {
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTaskRequest>()
        .then_error("RequestLimitExceeded", "slow down")
        .then_ok(task(AutoCalloutTaskState::Running));
    let metrics = Arc::new(app::Metrics::default());
    // No retries: the program handles throttling itself here.
    let client = Client::mocked_with(&mock, |b| {
        b.hook(metrics.clone())
            .retry(ccc_api::RetryConfig::disabled())
    })
    .unwrap();
    assert_eq!(
        app::name_unless_throttled(&client, 1, 42).await.unwrap(),
        None
    );
    assert_eq!(
        app::name_unless_throttled(&client, 1, 42)
            .await
            .unwrap()
            .as_deref(),
        Some("payment reminders")
    );
    use std::sync::atomic::Ordering;
    assert_eq!(metrics.attempts.load(Ordering::Relaxed), 2);
    assert_eq!(metrics.throttled.load(Ordering::Relaxed), 1);

    // Any other error reaches the caller, with its code, message and id.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTaskRequest>()
        .then_error("ResourceNotFound", "no task 42");
    let e = app::name_unless_throttled(&Client::mocked(&mock), 1, 42)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(e.message(), Some("no task 42"));
    assert!(e.request_id().is_some());
}

#[tokio::test]
async fn the_days_unanswered_numbers_across_pages() {
    let mock = Mock::new();
    let pages = mock
        .on::<DescribeTelCdrRequest>()
        .then_ok(
            DescribeTelCdrResponse::builder()
                .total_count(3)
                .tel_cdr_list([
                    record("0086139000001", TelCdrInfoEndStatus::Ok),
                    record("0086139000002", TelCdrInfoEndStatus::RingingGiveUp),
                ])
                .request_id("p1")
                .build(),
        )
        .then_ok(
            DescribeTelCdrResponse::builder()
                .total_count(3)
                .tel_cdr_list([record("0086139000003", TelCdrInfoEndStatus::NoSeatOnline)])
                .request_id("p2")
                .build(),
        );
    let client = Client::mocked(&mock);
    let missed = app::unanswered(&client, 1, 1_700_000_000, 1_700_086_400)
        .await
        .unwrap();
    assert_eq!(missed, ["0086139000002", "0086139000003"]);
    let sent = pages.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!((sent[0].page_number, sent[1].page_number), (0, 1));
    assert!(sent.iter().all(|r| r.page_size == 2));
}
