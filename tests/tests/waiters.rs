//! The waiters generated from the spec's `waiters`, run on `ccc_api::mock`
//! with tokio's clock paused: reached, unreachable, timed out, a request that
//! cannot be built, and an optional state member left out.

use ccc_api::mock::Mock;
use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskRequest, DescribeAutoCalloutTaskResponse,
};
use ccc_api::operation::describe_predictive_dialing_campaign::{
    DescribePredictiveDialingCampaignRequest, DescribePredictiveDialingCampaignResponse,
};
use ccc_api::types::{AutoCalloutTaskState, DescribePredictiveDialingCampaignStatus};
use ccc_api::waiters::AutoCalloutTaskCompletedWaiter;
use ccc_api::{Client, SdkError, WaitOutcome, WaitSettings, WaitState};
use std::time::Duration;
use tokio::time::Instant;

fn task(state: AutoCalloutTaskState) -> DescribeAutoCalloutTaskResponse {
    DescribeAutoCalloutTaskResponse::builder()
        .name("nightly")
        .state(state)
        .build()
}

#[tokio::test(start_paused = true)]
async fn a_task_is_awaited_until_it_completes() {
    let mock = Mock::new();
    let rule = mock
        .on::<DescribeAutoCalloutTaskRequest>()
        .then_ok(task(AutoCalloutTaskState::Running))
        .then_ok(task(AutoCalloutTaskState::Running))
        .then_ok(task(AutoCalloutTaskState::Completed));
    let client = Client::mocked(&mock);
    let start = Instant::now();
    let outcome = client
        .wait_until_auto_callout_task_completed()
        .sdk_app_id(1400000000)
        .task_id(7)
        .wait()
        .await;
    let done = outcome.reached().expect("reached");
    assert_eq!(done.state, AutoCalloutTaskState::Completed);
    assert_eq!(rule.calls(), 3);
    assert!(rule.requests().iter().all(|r| r.task_id == 7));
    // Polls at 0, 2 s and 2 + 3 s: the default delays.
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn a_terminated_task_ends_the_wait_as_unreachable() {
    let mock = Mock::new();
    mock.on::<DescribeAutoCalloutTaskRequest>()
        .then_ok(task(AutoCalloutTaskState::Initial))
        .then_ok(task(AutoCalloutTaskState::Terminated));
    let outcome = Client::mocked(&mock)
        .wait_until_auto_callout_task_completed()
        .sdk_app_id(1400000000)
        .task_id(7)
        .initial_delay(Duration::from_millis(100))
        .wait()
        .await;
    match outcome {
        WaitOutcome::Unreachable(answer) => {
            assert_eq!(answer.state, AutoCalloutTaskState::Terminated)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_max_wait_bounds_the_wait() {
    let mock = Mock::new();
    let rule = mock
        .on::<DescribeAutoCalloutTaskRequest>()
        .then_ok(task(AutoCalloutTaskState::Suspended));
    let builder = DescribeAutoCalloutTaskRequest::builder()
        .sdk_app_id(1400000000)
        .task_id(9);
    let outcome = Client::mocked(&mock)
        .wait_until_auto_callout_task_completed()
        .request(builder)
        .settings(
            WaitSettings::new()
                .initial_delay(Duration::from_secs(1))
                .max_delay(Duration::from_secs(2))
                .max_wait(Duration::from_secs(6)),
        )
        .wait()
        .await;
    match outcome {
        WaitOutcome::TimedOut { last, waited } => {
            assert_eq!(last.state, AutoCalloutTaskState::Suspended);
            assert_eq!(waited, Duration::from_secs(6));
        }
        other => panic!("{other:?}"),
    }
    // 0, 1, 2.5, 4.5 and 6 (the last sleep cut to the deadline).
    assert_eq!(rule.calls(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_missing_member_fails_before_any_call() {
    let mock = Mock::new();
    let rule = mock
        .on::<DescribeAutoCalloutTaskRequest>()
        .then_ok(task(AutoCalloutTaskState::Completed));
    let outcome = AutoCalloutTaskCompletedWaiter::new(Client::mocked(&mock).core().clone())
        .sdk_app_id(1400000000)
        .wait()
        .await;
    assert!(
        matches!(outcome, WaitOutcome::Error(SdkError::Build(_))),
        "{outcome:?}"
    );
    assert_eq!(rule.calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn an_optional_state_left_out_keeps_the_wait_going() {
    let campaign = |status: Option<DescribePredictiveDialingCampaignStatus>| {
        DescribePredictiveDialingCampaignResponse::builder()
            .set_status(status)
            .build()
    };
    assert_eq!(
        ccc_api::waiters::PredictiveDialingCampaignRunningWaiter::state(&campaign(None)),
        WaitState::Pending
    );
    let mock = Mock::new();
    let rule = mock
        .on::<DescribePredictiveDialingCampaignRequest>()
        .then_ok(campaign(None))
        .then_ok(campaign(Some(
            DescribePredictiveDialingCampaignStatus::Running,
        )));
    let outcome = Client::mocked(&mock)
        .wait_until_predictive_dialing_campaign_running()
        .sdk_app_id(1400000000)
        .campaign_id(3)
        .wait()
        .await;
    assert!(outcome.is_reached(), "{outcome:?}");
    assert_eq!(rule.calls(), 2);
}
