//! Users' code unit-tested against `ccc_api::mock`: canned typed answers,
//! scripted errors and faults, sequences, matchers and recorded calls, with the
//! client's real decoding, errors, retries and paginators running on them.

use ccc_api::mock::{Fault, Mock, Reply};
use ccc_api::operation::create_auto_callout_task::{
    CreateAutoCalloutTaskRequest, CreateAutoCalloutTaskResponse,
};
use ccc_api::operation::describe_auto_callout_tasks::{
    DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse,
};
use ccc_api::{Client, DecodeErrorKind, ErrorCode, SdkError, TransportErrorKind};
use futures_util::TryStreamExt;
use serde_json::json;

/// The kind of function a user writes: the names of every task, through a
/// paginator.
async fn task_names(client: &Client) -> Result<Vec<String>, ccc_api::Error> {
    let tasks: Vec<_> = client
        .describe_auto_callout_tasks()
        .sdk_app_id(1400000000)
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    Ok(tasks.into_iter().filter_map(|t| t.name).collect())
}

fn page(total: u64, names: &[&str]) -> DescribeAutoCalloutTasksResponse {
    let tasks: Vec<_> = names.iter().map(|n| json!({"Name": n})).collect();
    serde_json::from_value(json!({"TotalCount": total, "Tasks": tasks})).unwrap()
}

#[tokio::test]
async fn canned_pages_then_an_injected_error() {
    let mock = Mock::new();
    let pages = mock
        .on::<DescribeAutoCalloutTasksRequest>()
        .then_ok(page(3, &["a", "b"]))
        .then_ok(page(3, &["c"]));
    let client = Client::mocked(&mock);
    assert_eq!(task_names(&client).await.unwrap(), ["a", "b", "c"]);
    let asked: Vec<(u64, u64)> = pages
        .requests()
        .iter()
        .map(|r| (r.page_number, r.page_size))
        .collect();
    assert_eq!(asked, [(0, 2), (1, 2)]);

    // The second page fails: the function returns the service's error.
    let failing = Mock::new();
    failing
        .on::<DescribeAutoCalloutTasksRequest>()
        .then_ok(page(3, &["a", "b"]))
        .then_error("InternalError", "try later");
    let e = task_names(&Client::mocked(&failing)).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::InternalError));
    assert_eq!(e.message(), Some("try later"));
    assert_eq!(e.request_id(), Some("mock-request-id"));
}

#[tokio::test]
async fn matchers_choose_the_rule_and_the_last_answer_repeats() {
    let mock = Mock::new();
    let app2 = mock
        .on::<DescribeAutoCalloutTasksRequest>()
        .matching(|r| r.sdk_app_id == 2)
        .then_ok(page(1, &["two"]));
    let others = mock
        .on::<DescribeAutoCalloutTasksRequest>()
        .then(|r| Reply::Ok(page(1, &[&format!("app {}", r.sdk_app_id)])));
    let client = Client::mocked(&mock);
    for (app, want) in [(2, "two"), (5, "app 5"), (2, "two"), (7, "app 7")] {
        let got = client
            .describe_auto_callout_tasks()
            .sdk_app_id(app)
            .page_number(0)
            .page_size(1)
            .send()
            .await
            .unwrap();
        assert_eq!(got.tasks[0].name.as_deref(), Some(want));
        assert_eq!(got.request_id, "mock-request-id");
    }
    assert_eq!((app2.calls(), others.calls()), (2, 2));
    assert_eq!(mock.calls().len(), 4);
}

#[tokio::test]
async fn faults_and_rate_limits_go_through_the_real_retry_rules() {
    let created: CreateAutoCalloutTaskResponse =
        serde_json::from_value(json!({"TaskId": 9})).unwrap();
    let create = |client: &Client| {
        let client = client.clone();
        async move {
            client
                .create_auto_callout_task()
                .sdk_app_id(1)
                .not_before(0)
                .callees(vec!["008610000"])
                .callers(vec!["008620000"])
                .ivr_id(1)
                .send()
                .await
        }
    };
    // Rate-limited, then a connection failure, then success: every action
    // retries these, so one call succeeds on its third attempt.
    let mock = Mock::new();
    let rule = mock
        .on::<CreateAutoCalloutTaskRequest>()
        .then_error("RequestLimitExceeded", "slow down")
        .then_fault(Fault::Connect)
        .then_ok(created.clone());
    let client = Client::mocked(&mock);
    assert_eq!(create(&client).await.unwrap().task_id, 9);
    assert_eq!(rule.calls(), 3);
    assert_eq!(rule.requests()[2].callees, ["008610000"]);

    // A timeout may have run the create: not repeated for a non-idempotent
    // action, repeated for a `Describe*`.
    let mock = Mock::new();
    let rule = mock
        .on::<CreateAutoCalloutTaskRequest>()
        .then_fault(Fault::Timeout)
        .then_ok(created);
    let e = create(&Client::mocked(&mock)).await.unwrap_err();
    assert!(matches!(&e, SdkError::Transport(t) if t.kind == TransportErrorKind::Timeout));
    assert_eq!((rule.calls(), e.attempts()), (1, 1));

    let mock = Mock::new();
    let rule = mock
        .on::<DescribeAutoCalloutTasksRequest>()
        .then_fault(Fault::BodyCutOff)
        .then_ok(page(1, &["x"]));
    assert_eq!(task_names(&Client::mocked(&mock)).await.unwrap(), ["x"]);
    assert_eq!(rule.calls(), 2);
}

#[tokio::test]
async fn unanswered_and_undecodable_calls_are_typed_errors() {
    let mock = Mock::new();
    let client = Client::mocked(&mock);
    let e = task_names(&client).await.unwrap_err();
    assert!(matches!(&*e, SdkError::Transport(t) if t.kind == TransportErrorKind::Connect));
    let cause = std::error::Error::source(&e).unwrap().to_string();
    assert_eq!(cause, "no mock rule answers `DescribeAutoCalloutTasks`");
    // Retried as a connection failure would be: three attempts, all recorded.
    assert_eq!(mock.calls(), ["DescribeAutoCalloutTasks"; 3]);

    let empty = mock.on::<DescribeAutoCalloutTasksRequest>();
    let e = task_names(&client).await.unwrap_err();
    assert!(e.to_string().contains("could not connect"), "{e}");
    assert_eq!(empty.calls(), 3);

    let raw = Mock::new();
    raw.on::<DescribeAutoCalloutTasksRequest>()
        .then(|_| Reply::Raw {
            status: 200,
            body: br#"{"Response": {"Tasks": "not a list", "RequestId": "r"}}"#.to_vec(),
        });
    match task_names(&Client::mocked(&raw))
        .await
        .unwrap_err()
        .into_inner()
    {
        SdkError::Decode(d) => assert_eq!(d.kind, DecodeErrorKind::Shape),
        other => panic!("{other:?}"),
    }
}

/// Clients built with the builder and a mock keep every other setting.
#[tokio::test]
async fn a_mocked_builder_keeps_its_retry_settings() {
    let mock = Mock::new();
    let rule = mock
        .on::<DescribeAutoCalloutTasksRequest>()
        .then_fault(Fault::Connect);
    let client = Client::builder()
        .mock(mock.clone())
        .credentials(ccc_api::Credentials::new("id", "key"))
        .retry(ccc_api::RetryConfig::disabled())
        .build()
        .unwrap();
    let e = task_names(&client).await.unwrap_err();
    assert_eq!((e.attempts(), rule.calls()), (1, 1));
}
