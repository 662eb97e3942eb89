//! What a user of the crate writes, compiled and run in CI: shared types and
//! responses built without struct literals, a function that lists tasks through
//! a paginator unit-tested with canned pages and an injected error (no network,
//! no emulator), and `?` into `anyhow` with each cause printed once.

use ccc_api::mock::{Fault, Mock};
use ccc_api::operation::describe_auto_callout_tasks::{
    DescribeAutoCalloutTasksErrorCode, DescribeAutoCalloutTasksRequest,
    DescribeAutoCalloutTasksResponse,
};
use ccc_api::types::{AutoCalloutTaskCalleeInfo, AutoCalloutTaskCalleeState, AutoCalloutTaskInfo};
use ccc_api::Client;
use futures_util::TryStreamExt;

/// The user's code under test: the names of every task of an application.
async fn task_names(client: &Client, app: u64) -> anyhow::Result<Vec<String>> {
    let tasks: Vec<AutoCalloutTaskInfo> = client
        .describe_auto_callout_tasks()
        .sdk_app_id(app)
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    Ok(tasks.into_iter().filter_map(|t| t.name).collect())
}

fn page(total: u64, names: &[&str]) -> DescribeAutoCalloutTasksResponse {
    let tasks = names
        .iter()
        .map(|n| AutoCalloutTaskInfo::builder().name(*n).build());
    DescribeAutoCalloutTasksResponse::builder()
        .total_count(total)
        .tasks(tasks)
        .request_id("req-1")
        .build()
}

#[test]
fn shared_types_are_built_without_literals_and_checked() {
    let callee = AutoCalloutTaskCalleeInfo::builder()
        .callee("008613900000000")
        .state(AutoCalloutTaskCalleeState::Calling)
        .sessions(vec!["s-1"])
        .build()
        .unwrap();
    assert_eq!(callee.callee, "008613900000000");
    let missing = AutoCalloutTaskCalleeInfo::builder()
        .callee("x")
        .build()
        .unwrap_err();
    assert!(missing.to_string().contains("State"), "{missing}");
}

#[tokio::test]
async fn a_paginated_listing_is_tested_with_canned_pages() {
    let mock = Mock::new();
    let rule = mock
        .on::<DescribeAutoCalloutTasksRequest>()
        .then_ok(page(3, &["a", "b"]))
        .then_ok(page(3, &["c"]));
    let client = Client::mocked(&mock);
    assert_eq!(task_names(&client, 1).await.unwrap(), ["a", "b", "c"]);
    assert_eq!(rule.calls(), 2);
    // The paginator set the position and the page size it was told.
    let sent = rule.requests();
    assert_eq!(sent[0].page_size, 2);
    assert_eq!(sent[1].page_number, 1);
}

#[tokio::test]
async fn an_injected_error_reaches_anyhow_with_each_cause_once() {
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_ok(page(3, &["a", "b"]))
        .then_error("InvalidParameterValue", "bad page");
    let err = task_names(&Client::mocked(&mock), 1).await.unwrap_err();
    let typed = err
        .downcast_ref::<ccc_api::SdkError<DescribeAutoCalloutTasksErrorCode>>()
        .expect("the action's typed error");
    assert_eq!(
        typed.code(),
        Some(&DescribeAutoCalloutTasksErrorCode::InvalidParameterValue)
    );

    // A transport failure: every level of the chain says something new.
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTasksRequest>()
        .then_fault(Fault::Timeout);
    let err = task_names(&Client::mocked(&mock), 1).await.unwrap_err();
    let levels: Vec<String> = err.chain().map(ToString::to_string).collect();
    assert!(levels.len() >= 2, "{levels:?}");
    for (i, level) in levels.iter().enumerate() {
        for deeper in &levels[i + 1..] {
            assert!(
                !level.contains(deeper.as_str()),
                "{level:?} repeats {deeper:?}"
            );
        }
    }
    let report = format!("{err:?}");
    assert_eq!(report.matches(levels[1].as_str()).count(), 1, "{report}");
}
