//! The client against the emulator: every action, the state flows, validation
//! with the service's error codes, the fault knobs, and bad input that must not
//! stop it.

use ccc_api::enums::WireEnum;
use ccc_api::{ActionVisitor, Client, Credentials, RateLimit, RetryConfig, SdkError};
use ccc_emulator::spec_table::{ActionInfo, ACTIONS};
use ccc_emulator::{Config, Emulator, FaultSpec, Faults, TEST_SECRET_ID, TEST_SECRET_KEY};
use ccc_tests::wire::{now, raw, signed};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn emulator() -> Emulator {
    Emulator::start(Config::default()).await.unwrap()
}

fn client(e: &Emulator) -> Client {
    ccc_tests::clients::strict_client(&e.url())
}

/// The request of an action: its first example's parameters, or its required
/// members with zero values.
fn request_of(action: &ActionInfo) -> Value {
    if let Some(example) = example_input(action.name) {
        return example;
    }
    serde_json::from_str(action.minimal_request).unwrap()
}

fn example_input(action: &str) -> Option<Value> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/ccc/2020-02-10/actions"
    );
    let path = codegen::load::entry_path(std::path::Path::new(dir), action);
    let spec: Value = codegen::load::parse_entry(&path).ok()?;
    spec["examples"].get(0).map(|e| e["input"].clone())
}

/// Sends `params` as the typed request of the visited action through the client.
struct TypedCall<'a> {
    client: &'a Client,
    params: Value,
}

impl ActionVisitor for TypedCall<'_> {
    type Output =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + 'static>>;

    fn visit<A: ccc_api::RoundTripAction>(self) -> Self::Output {
        let client = self.client.clone();
        let params = self.params;
        Box::pin(async move {
            let request: A = serde_json::from_value(params).map_err(|e| format!("request: {e}"))?;
            client
                .execute(&request)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
}

/// Official examples that break a rule their own action documents, with the rule;
/// the emulator refuses them with `InvalidParameterValue`.
/// Each with the words the refusal must contain: the rule it breaks first.
const EXAMPLES_AGAINST_THE_DOCS: &[(&str, &str)] = &[(
    "DescribeTelCdr",
    // `StartTimeStamp`: "at most 180 days in the past"; its start lies in 2020
    // (and its end before its start).
    "180 days",
)];

/// Every action's official example (the China-only ones without an example: the
/// required members with zero values), each against a fresh emulator with the
/// default seed, answers a response that decodes strictly.
#[tokio::test]
async fn every_official_example_succeeds_against_a_fresh_emulator() {
    let mut failures = Vec::new();
    for action in ACTIONS {
        let e = emulator().await;
        let c = client(&e);
        let call = ccc_api::operation::visit(
            action.name,
            TypedCall {
                client: &c,
                params: request_of(action),
            },
        )
        .unwrap();
        let outcome = call.await;
        let against = EXAMPLES_AGAINST_THE_DOCS
            .iter()
            .find(|(a, _)| *a == action.name)
            .map(|(_, rule)| *rule);
        match outcome {
            Ok(()) if against.is_none() => {}
            Err(e)
                if against.is_some_and(|rule| {
                    e.contains("InvalidParameterValue") && e.contains(rule)
                }) => {}
            Ok(()) => failures.push(format!("{}: accepted against its docs", action.name)),
            Err(e) => failures.push(format!("{}: {e}", action.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(ACTIONS.len(), 84);
}

#[tokio::test]
async fn automatic_outbound_task_lifecycle() {
    use ccc_api::types::AutoCalloutTaskState as S;
    let e = emulator().await;
    let c = client(&e);
    let created = c
        .create_auto_callout_task()
        .sdk_app_id(7)
        .not_before(0)
        .callees(vec!["008613900000001", "008613900000002"])
        .callers(vec!["008675500000001"])
        .ivr_id(7)
        .name("reminders")
        .send()
        .await
        .unwrap();
    let id = created.task_id;
    let describe = || {
        c.describe_auto_callout_task()
            .sdk_app_id(7)
            .task_id(id)
            .send()
    };
    let task = describe().await.unwrap();
    assert_eq!(
        (
            task.name.as_str(),
            task.state.clone(),
            task.callees.len(),
            task.ivr_id
        ),
        ("reminders", S::Running, 2, 7)
    );

    c.pause_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(describe().await.unwrap().state, S::Suspended);
    // Asking for the state it is in changes nothing.
    c.pause_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(describe().await.unwrap().state, S::Suspended);
    c.resume_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(describe().await.unwrap().state, S::Running);
    c.stop_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(describe().await.unwrap().state, S::Terminated);
    // A stopped task cannot run again: the code the action documents.
    let err = c
        .resume_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_code(), Some("UnsupportedOperation"));

    // Listed with pagination, per application.
    for _ in 0..4 {
        c.create_auto_callout_task()
            .sdk_app_id(7)
            .not_before(0)
            .callees(vec!["008613900000003"])
            .callers(vec!["008675500000002"])
            .ai_agent_id(15)
            .send()
            .await
            .unwrap();
    }
    let listed = c
        .describe_auto_callout_tasks()
        .sdk_app_id(7)
        .page_number(1)
        .page_size(2)
        .send()
        .await
        .unwrap();
    assert_eq!((listed.total_count, listed.tasks.len()), (5, 2));
    let other = c
        .describe_auto_callout_tasks()
        .sdk_app_id(8)
        .page_number(0)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(other.total_count, 0);

    let err = c
        .describe_auto_callout_task()
        .sdk_app_id(7)
        .task_id(999_999)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskErrorCode::InvalidParameterValue));
}

#[tokio::test]
async fn predictive_campaign_lifecycle() {
    use ccc_api::types::CreatePredictiveDialingCampaignCallOrder as Order;
    use ccc_api::types::DescribePredictiveDialingCampaignStatus as S;
    // `Status` of a campaign is documented on the China site only.
    let e = Emulator::start(Config {
        site: ccc_api::Site::China,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = client(&e);
    let group = c
        .create_ccc_skill_group()
        .sdk_app_id(7)
        .skill_group_name("spring agents")
        .skill_group_type(ccc_api::types::CreateCCCSkillGroupSkillGroupType::Phone)
        .send()
        .await
        .unwrap()
        .skill_group_id;
    let id = c
        .create_predictive_dialing_campaign()
        .sdk_app_id(7)
        .name("spring")
        .callees(vec!["1", "2", "3"])
        .callers(vec!["008675500000003"])
        .call_order(Order::Random)
        .skill_group_id(group)
        .priority(3)
        .expected_abandon_rate(5)
        .retry_times(0)
        .retry_interval(60)
        .start_time(0)
        .end_time(4_000_000_000)
        .send()
        .await
        .unwrap()
        .campaign_id
        .unwrap();
    let status = || async {
        c.describe_predictive_dialing_campaign()
            .sdk_app_id(7)
            .campaign_id(id)
            .send()
            .await
            .unwrap()
            .status
    };
    assert_eq!(status().await, Some(S::Running));
    c.pause_predictive_dialing_campaign()
        .sdk_app_id(7)
        .campaign_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(status().await, Some(S::Paused));
    c.resume_predictive_dialing_campaign()
        .sdk_app_id(7)
        .campaign_id(id)
        .send()
        .await
        .unwrap();
    c.abort_predictive_dialing_campaign()
        .sdk_app_id(7)
        .campaign_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(status().await, Some(S::Stopped));
    let list = c
        .describe_predictive_dialing_campaigns()
        .sdk_app_id(7)
        .page_size(10)
        .page_number(0)
        .send()
        .await
        .unwrap();
    assert_eq!(list.total_count, Some(1));
    assert_eq!(list.campaign_list.unwrap()[0].callee_count, Some(3));
    c.delete_predictive_dialing_campaign()
        .sdk_app_id(7)
        .campaign_id(id)
        .send()
        .await
        .unwrap();
    assert!(c
        .describe_predictive_dialing_campaign()
        .sdk_app_id(7)
        .campaign_id(id)
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn staff_skill_groups_and_bindings() {
    use ccc_api::types::{CreateCCCSkillGroupSkillGroupType, SeatUserInfo};
    let e = emulator().await;
    let c = client(&e);
    let staff = |mail: &str| {
        SeatUserInfo::builder()
            .name("Agent")
            .mail(mail)
            .staff_number("001")
            .build()
            .unwrap()
    };
    let created = c
        .create_staff()
        .sdk_app_id(1)
        .staffs(vec![staff("a@x.com"), staff("b@x.com"), staff("a@x.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.error_staff_list.len(),
        1,
        "the duplicate is refused"
    );
    let group = c
        .create_ccc_skill_group()
        .sdk_app_id(1)
        .skill_group_name("billing")
        .skill_group_type(CreateCCCSkillGroupSkillGroupType::from_raw(0))
        .send()
        .await
        .unwrap()
        .skill_group_id;
    c.bind_staff_skill_group_list()
        .sdk_app_id(1)
        .staff_email("a@x.com")
        .set_staff_skill_group_list(Some(Vec::new()))
        .skill_group_list(vec![group])
        .send()
        .await
        .unwrap();
    let in_group = c
        .describe_staff_info_list()
        .sdk_app_id(1)
        .page_size(10)
        .page_number(0)
        .skill_group_id(group)
        .send()
        .await
        .unwrap();
    assert_eq!(in_group.total_count, 1);
    assert_eq!(in_group.staff_list[0].mail.as_deref(), Some("a@x.com"));
    c.unbind_staff_skill_group_list()
        .sdk_app_id(1)
        .staff_email("a@x.com")
        .skill_group_list(vec![group])
        .send()
        .await
        .unwrap();
    let in_group = c
        .describe_staff_info_list()
        .sdk_app_id(1)
        .page_size(10)
        .page_number(0)
        .skill_group_id(group)
        .send()
        .await
        .unwrap();
    assert_eq!(in_group.total_count, 0);
    let groups = c
        .describe_skill_group_info_list()
        .sdk_app_id(1)
        .page_size(10)
        .page_number(0)
        .send()
        .await
        .unwrap();
    assert_eq!(
        groups.skill_group_list[0].skill_group_name.as_deref(),
        Some("billing")
    );
    c.delete_staff()
        .sdk_app_id(1)
        .staff_list(vec!["b@x.com"])
        .send()
        .await
        .unwrap();
    let all = c
        .describe_staff_info_list()
        .sdk_app_id(1)
        .page_size(10)
        .page_number(0)
        .send()
        .await
        .unwrap();
    assert_eq!(all.total_count, 1);
}

/// An emulator whose clock moves only when the test moves it.
async fn stopped_clock() -> Emulator {
    Emulator::start(Config {
        clock_speed: 0.0,
        ..Config::default()
    })
    .await
    .unwrap()
}

/// The scripted scenario: a task with three callees, the clock advanced until it
/// completes, its call records paged through: every view tells the same story.
#[tokio::test]
async fn task_calls_its_callees_over_simulated_time_and_reports_consistently() {
    use ccc_api::types::{AutoCalloutTaskCalleeState as C, AutoCalloutTaskState as S};
    use futures_util::TryStreamExt;
    let e = stopped_clock().await;
    let c = client(&e);
    let clock = e.clock();
    let start = clock.now();
    let callees: Vec<String> = (1..=3).map(|i| format!("00861390000000{i}")).collect();
    let id = c
        .create_auto_callout_task()
        .sdk_app_id(7)
        .not_before(start + 60)
        .callees(callees.clone())
        .callers(vec!["008675500000001"])
        .ivr_id(4500)
        .send()
        .await
        .unwrap()
        .task_id;
    let describe = || {
        c.describe_auto_callout_task()
            .sdk_app_id(7)
            .task_id(id)
            .send()
    };
    let task = describe().await.unwrap();
    assert_eq!(task.state, S::Initial);
    assert!(task
        .callees
        .iter()
        .all(|x| x.state == C::Initial && x.sessions.is_empty()));

    // Advance a minute at a time until it completes (a bounded number of steps).
    let mut steps = 0;
    let task = loop {
        clock.advance(Duration::from_secs(60));
        steps += 1;
        let task = describe().await.unwrap();
        if task.state == S::Completed {
            break task;
        }
        assert_eq!(task.state, S::Running, "after {steps} minutes");
        assert!(steps < 30, "not completed after {steps} simulated minutes");
    };
    let end = clock.now();
    let sessions: Vec<String> = task
        .callees
        .iter()
        .flat_map(|x| x.sessions.clone())
        .collect();
    assert_eq!(sessions.len(), 3);
    assert!(task
        .callees
        .iter()
        .all(|x| matches!(x.state, C::Answered | C::Unanswered)));

    // The records, one per page: the same calls, numbers, sessions and outcomes.
    let records: Vec<_> = c
        .describe_tel_cdr()
        .sdk_app_id(7)
        .start_time_stamp(start)
        .end_time_stamp(end)
        .page_number(0)
        .page_size(1)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(records.len(), 3);
    for (r, callee) in records.iter().zip(&task.callees) {
        assert_eq!(r.callee.as_deref(), Some(callee.callee.as_str()));
        assert_eq!(r.caller.as_deref(), Some("008675500000001"));
        assert_eq!(r.session_id.as_ref(), callee.sessions.first());
        let (dialed, ended) = (r.time.unwrap(), r.ended_timestamp.unwrap());
        assert!(
            start + 60 <= dialed && dialed <= ended && ended <= end,
            "{r:?}"
        );
        let answered = callee.state == C::Answered;
        assert_eq!(r.duration.unwrap() > 0, answered, "{r:?}");
        assert_eq!(
            r.end_status.as_ref().map(|s| s.value()),
            Some(if answered { 1 } else { 202 })
        );
    }
    // Statistics from the same calls: minutes started.
    let minutes: i64 = records
        .iter()
        .map(|r| (r.duration.unwrap() + 59) / 60)
        .sum();
    let info = c
        .describe_tel_call_info()
        .sdk_app_id_list(vec![7])
        .start_time_stamp(start)
        .end_time_stamp(end)
        .send()
        .await
        .unwrap();
    assert_eq!(info.tel_call_out_count, minutes);
    // Filters: by session and by phone.
    let one = c
        .describe_tel_cdr()
        .sdk_app_id(7)
        .start_time_stamp(start)
        .end_time_stamp(end)
        .page_number(0)
        .page_size(100)
        .session_ids(vec![sessions[1].clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(one.total_count, 1);
    // The same seed gives the same calls.
    let again = stopped_clock().await;
    let c2 = client(&again);
    again.clock().advance_to(start);
    let id2 = c2
        .create_auto_callout_task()
        .sdk_app_id(7)
        .not_before(start + 60)
        .callees(callees)
        .callers(vec!["008675500000001"])
        .ivr_id(4500)
        .send()
        .await
        .unwrap()
        .task_id;
    again.clock().advance_to(end);
    let task2 = c2
        .describe_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id2)
        .send()
        .await
        .unwrap();
    let states =
        |t: &ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskResponse| {
            t.callees
                .iter()
                .map(|x| x.state.clone())
                .collect::<Vec<_>>()
        };
    assert_eq!(states(&task2), states(&task));
    let numbers: Vec<_> = c
        .describe_numbers()
        .sdk_app_id(7)
        .page_number(0)
        .page_size(5)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers.len(), 12);
}

/// A task past its `NotAfter` stops dialing; paused tasks and campaigns dial
/// nothing until resumed.
#[tokio::test]
async fn not_after_and_pauses_hold_the_dialing() {
    use ccc_api::types::AutoCalloutTaskState as S;
    let e = stopped_clock().await;
    let c = client(&e);
    let clock = e.clock();
    let now = clock.now();
    let callees: Vec<String> = (0..10).map(|i| format!("0086139000001{i:02}")).collect();
    let id = c
        .create_auto_callout_task()
        .sdk_app_id(7)
        .not_before(now)
        .not_after(now + 30)
        .callees(callees.clone())
        .callers(vec!["008675500000001"])
        .ivr_id(1)
        .send()
        .await
        .unwrap()
        .task_id;
    clock.advance(Duration::from_secs(3600));
    let task = c
        .describe_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(task.state, S::Terminated);
    let called = task
        .callees
        .iter()
        .filter(|x| !x.sessions.is_empty())
        .count();
    assert_eq!(called, 2, "dials at +0 s and +20 s, none from +30 s");

    let id = c
        .create_auto_callout_task()
        .sdk_app_id(7)
        .not_before(clock.now())
        .callees(callees)
        .callers(vec!["008675500000001"])
        .ivr_id(1)
        .send()
        .await
        .unwrap()
        .task_id;
    clock.advance(Duration::from_secs(50));
    c.pause_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    clock.advance(Duration::from_secs(86_400));
    let task = c
        .describe_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(task.state, S::Suspended);
    assert_eq!(
        task.callees
            .iter()
            .filter(|x| !x.sessions.is_empty())
            .count(),
        3
    );
    c.resume_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    clock.advance(Duration::from_secs(3600));
    let task = c
        .describe_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(task.state, S::Completed);
    assert!(task.callees.iter().all(|x| x.sessions.len() == 1));
}

async fn refused(c: &Client, action: &str, params: Value) -> String {
    c.call(action, &params)
        .await
        .unwrap_err()
        .raw_code()
        .unwrap_or("none")
        .to_owned()
}

#[tokio::test]
async fn validation_uses_the_service_error_codes() {
    let e = emulator().await;
    let c = client(&e);
    assert_eq!(
        refused(&c, "DescribeAutoCalloutTask", json!({"SdkAppId": 1})).await,
        "MissingParameter"
    );
    assert_eq!(
        refused(
            &c,
            "DescribeAutoCalloutTask",
            json!({"SdkAppId": "one", "TaskId": 1})
        )
        .await,
        "InvalidParameterValue"
    );
    assert_eq!(
        refused(
            &c,
            "DescribeAutoCalloutTask",
            json!({"SdkAppId": 1, "TaskId": 1, "Extra": 2})
        )
        .await,
        "UnknownParameter"
    );
    assert_eq!(
        refused(&c, "DescribeNothing", json!({})).await,
        "InvalidAction"
    );

    let wrong_key = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, "wrong"))
        .endpoint_url(e.url())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    assert_eq!(
        refused(&wrong_key, "DescribeNumbers", json!({"SdkAppId": 1})).await,
        "AuthFailure.SignatureFailure"
    );
    let unknown_id = Client::builder()
        .credentials(Credentials::new("AKIDnobody", "k"))
        .endpoint_url(e.url())
        .build()
        .unwrap();
    assert_eq!(
        refused(&unknown_id, "DescribeNumbers", json!({"SdkAppId": 1})).await,
        "AuthFailure.SecretIdNotFound"
    );
}

#[tokio::test]
async fn signatures_over_any_signed_headers_expiry_and_version() {
    let e = emulator().await;
    let host = e.addr().to_string();
    // Signed over content-type;host;x-tc-action, as some SDKs do.
    let ok = raw(
        e.addr(),
        &signed(
            "DescribeNumbers",
            "2020-02-10",
            now(),
            br#"{"SdkAppId":9}"#,
            &host,
        ),
    )
    .await;
    assert!(ok.contains("\"TotalCount\":12"), "{ok}");
    let old = raw(
        e.addr(),
        &signed(
            "DescribeNumbers",
            "2020-02-10",
            now() - 600,
            br#"{"SdkAppId":9}"#,
            &host,
        ),
    )
    .await;
    assert!(old.contains("AuthFailure.SignatureExpire"), "{old}");
    let version = raw(
        e.addr(),
        &signed(
            "DescribeNumbers",
            "2019-01-01",
            now(),
            br#"{"SdkAppId":9}"#,
            &host,
        ),
    )
    .await;
    assert!(version.contains("NoSuchVersion"), "{version}");
    let malformed = raw(
        e.addr(),
        &signed("DescribeNumbers", "2020-02-10", now(), b"{not json", &host),
    )
    .await;
    assert!(malformed.contains("\"InvalidParameter\""), "{malformed}");
}

#[tokio::test]
async fn bad_input_never_stops_it() {
    let e = Emulator::start(Config {
        max_body: 1024,
        read_timeout: Duration::from_millis(300),
        ..Config::default()
    })
    .await
    .unwrap();
    // A huge body is refused with a clear error before it is read.
    let huge = raw(
        e.addr(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n",
    )
    .await;
    assert!(
        huge.starts_with("HTTP/1.1 413") && huge.contains("RequestSizeLimitExceeded"),
        "{huge}"
    );
    // Garbage and a slow client that never finishes its request.
    let garbage = raw(e.addr(), b"\x00\x01garbage\r\n\r\n").await;
    assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage}");
    let slow = tokio::spawn({
        let addr = e.addr();
        async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
                .await
                .unwrap();
            let mut out = Vec::new();
            let _ = s.read_to_end(&mut out).await;
            String::from_utf8_lossy(&out).into_owned()
        }
    });
    // Others are served meanwhile.
    let c = client(&e);
    c.describe_numbers().sdk_app_id(1).send().await.unwrap();
    assert!(slow.await.unwrap().starts_with("HTTP/1.1 408"));
    c.describe_numbers().sdk_app_id(1).send().await.unwrap();
}

#[tokio::test]
async fn fault_knobs() {
    let e = emulator().await;
    let c = client(&e);
    let all = |spec: FaultSpec| Faults {
        default: spec,
        ..Faults::default()
    };

    e.set_faults(all(FaultSpec {
        rate_limited: 1.0,
        ..FaultSpec::default()
    }));
    assert_eq!(
        refused(&c, "DescribeNumbers", json!({"SdkAppId": 1})).await,
        "RequestLimitExceeded"
    );

    e.set_faults(all(FaultSpec {
        server_errors: 1.0,
        ..FaultSpec::default()
    }));
    let err = c
        .call("DescribeNumbers", &json!({"SdkAppId": 1}))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Decode(ref d) if d.status == 502),
        "{err:?}"
    );

    e.set_faults(all(FaultSpec {
        dropped: 1.0,
        ..FaultSpec::default()
    }));
    assert!(matches!(
        c.call("DescribeNumbers", &json!({"SdkAppId": 1}))
            .await
            .unwrap_err(),
        SdkError::Transport(_)
    ));

    // Per action, and latency.
    e.set_faults(Faults::default().action(
        "DescribeNumbers",
        FaultSpec {
            latency: Duration::from_millis(300),
            ..FaultSpec::default()
        },
    ));
    let started = std::time::Instant::now();
    c.call("DescribeNumbers", &json!({"SdkAppId": 1}))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = std::time::Instant::now();
    c.call(
        "DescribeAutoCalloutTasks",
        &json!({"SdkAppId": 1, "PageSize": 1, "PageNumber": 0}),
    )
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_millis(300));

    // A share of faults, absorbed by the client's retries.
    e.set_faults(all(FaultSpec {
        rate_limited: 0.3,
        server_errors: 0.2,
        ..FaultSpec::default()
    }));
    let retrying = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .strict_responses(true)
        .endpoint_url(e.url())
        .rate_limit(RateLimit::Off)
        .retry(
            RetryConfig::new()
                .max_attempts(10)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    for _ in 0..40 {
        retrying
            .describe_numbers()
            .sdk_app_id(1)
            .send()
            .await
            .unwrap();
    }
}

/// The documented rules, one row each: the request (against the default seed)
/// and the code it must be refused with. Ids and numbers are the seed's:
/// application 1400000000 owns `0086075586013388`, skill groups 1, 100, 255
/// and campaign 2569; application 1400692008 has task 16498.
#[tokio::test]
async fn documented_rules_refuse_with_the_documented_codes() {
    let now = i64::try_from(ccc_tests::wire::now()).unwrap();
    let app = 1400000000;
    let caller = "0086075586013388";
    let task = |extra: Value| {
        let mut p = json!({"SdkAppId": app, "NotBefore": now, "Callees": ["008613900000001"],
            "Callers": [caller], "IvrId": 1});
        p.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        p
    };
    let campaign = |extra: Value| {
        let mut p = json!({"SdkAppId": app, "Name": "c", "Callees": ["1"], "Callers": [caller],
            "CallOrder": 1, "SkillGroupId": 255, "Priority": 3, "ExpectedAbandonRate": 10,
            "RetryInterval": 60, "StartTime": now, "EndTime": now + 3600});
        p.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        p
    };
    let cdr = |from: i64, to: i64, size: i64| json!({"SdkAppId": app, "StartTimeStamp": from, "EndTimeStamp": to, "PageNumber": 0, "PageSize": size});
    let rows: Vec<(&str, Value, &str)> = vec![
        (
            "CreateAutoCalloutTask",
            task(json!({"IvrId": null})),
            "InvalidParameterValue",
        ),
        (
            "CreateAutoCalloutTask",
            task(json!({"Callees": []})),
            "InvalidParameterValue",
        ),
        (
            "CreateAutoCalloutTask",
            task(json!({"Callers": []})),
            "InvalidParameterValue",
        ),
        (
            "CreateAutoCalloutTask",
            task(json!({"NotAfter": now - 1})),
            "InvalidParameterValue",
        ),
        (
            "CreateAutoCalloutTask",
            task(json!({"NotAfter": now})),
            "InvalidParameterValue",
        ),
        (
            "CreateAutoCalloutTask",
            task(json!({"Callers": ["008699999999999"]})),
            "InvalidParameterValue",
        ),
        (
            "CreateAutoCalloutTask",
            task(json!({"Tries": 4})),
            "InvalidParameterValue",
        ),
        (
            "CreateAutoCalloutTask",
            task(json!({"RetryInterval": 599})),
            "InvalidParameterValue",
        ),
        (
            "CreatePredictiveDialingCampaign",
            campaign(json!({"SkillGroupId": 4242})),
            "InvalidParameterValue",
        ),
        (
            "CreatePredictiveDialingCampaign",
            campaign(json!({"EndTime": now - 1})),
            "InvalidParameterValue",
        ),
        (
            "CreatePredictiveDialingCampaign",
            campaign(json!({"ExpectedAbandonRate": 500})),
            "InvalidParameterValue",
        ),
        (
            "CreatePredictiveDialingCampaign",
            campaign(json!({"Priority": 6})),
            "InvalidParameterValue",
        ),
        (
            "CreatePredictiveDialingCampaign",
            campaign(json!({"RetryInterval": 59})),
            "InvalidParameterValue",
        ),
        (
            "CreatePredictiveDialingCampaign",
            campaign(json!({"RetryTimes": 3})),
            "InvalidParameterValue",
        ),
        (
            "CreatePredictiveDialingCampaign",
            campaign(json!({"Callers": ["9"]})),
            "InvalidParameterValue",
        ),
        (
            "BindNumberCallOutSkillGroup",
            json!({"SdkAppId": app, "Number": caller, "SkillGroupIds": [4242]}),
            "InvalidParameterValue",
        ),
        (
            "BindNumberCallOutSkillGroup",
            json!({"SdkAppId": app, "Number": "1", "SkillGroupIds": [1]}),
            "InvalidParameterValue",
        ),
        (
            "UnbindNumberCallOutSkillGroup",
            json!({"SdkAppId": app, "Number": caller, "SkillGroupIds": [4242]}),
            "InvalidParameterValue.SkillGroupError",
        ),
        (
            "CreateCCCSkillGroup",
            json!({"SdkAppId": app, "SkillGroupName": "Hotline", "SkillGroupType": 0}),
            "InvalidParameterValue.SkillGroupExist",
        ),
        (
            "DeleteCCCSkillGroup",
            json!({"SdkAppId": app, "SkillGroupId": 255}),
            "ResourceUnavailable",
        ),
        (
            "DeleteStaff",
            json!({"SdkAppId": app, "StaffList": ["staff1@xxx.com", "nobody@x.com"]}),
            "InvalidParameterValue.InstanceNotExist",
        ),
        (
            "BindStaffSkillGroupList",
            json!({"SdkAppId": app, "StaffEmail": "staff1@xxx.com", "StaffSkillGroupList": [{"SkillGroupId": 4242, "Priority": 1}]}),
            "InvalidParameter",
        ),
        (
            "UnbindStaffSkillGroupList",
            json!({"SdkAppId": app, "StaffEmail": "nobody@x.com", "SkillGroupList": [100]}),
            "InvalidParameterValue.InstanceNotExist",
        ),
        (
            "DescribeTelCdr",
            cdr(now, now + 60, 101),
            "InvalidParameterValue",
        ),
        (
            "DescribeTelCdr",
            cdr(now, now + 60, 0),
            "InvalidParameterValue",
        ),
        (
            "DescribeTelCdr",
            cdr(now, now - 1, 10),
            "InvalidParameterValue",
        ),
        (
            "DescribeTelCdr",
            cdr(now - 181 * 86_400, now - 180 * 86_400, 10),
            "InvalidParameterValue",
        ),
        (
            "DescribeTelCdr",
            cdr(now - 91 * 86_400, now, 10),
            "InvalidParameterValue",
        ),
        (
            "DescribePredictiveDialingCampaigns",
            json!({"SdkAppId": app, "PageNumber": 0, "PageSize": 101}),
            "InvalidParameterValue",
        ),
        (
            "DescribeTelCallInfo",
            json!({"SdkAppIdList": [app], "StartTimeStamp": now, "EndTimeStamp": now - 1}),
            "InvalidParameterValue",
        ),
        (
            "ResumeAutoCalloutTask",
            json!({"SdkAppId": 1400692008, "TaskId": 424242}),
            "InvalidParameterValue",
        ),
    ];
    let mut wrong = Vec::new();
    for (action, params, code) in &rows {
        let e = emulator().await;
        let c = client(&e);
        let got = match c.call(action, params).await {
            Ok(_) => "accepted".to_owned(),
            Err(e) => e.raw_code().unwrap_or("none").to_owned(),
        };
        if got != *code {
            wrong.push(format!("{action} {params}: {got}, expected {code}"));
        }
        // Nothing was lost: DeleteStaff refused as a whole.
        if *action == "DeleteStaff" {
            let left = c
                .describe_staff_info_list()
                .sdk_app_id(app)
                .page_number(0)
                .page_size(100)
                .staff_mail("staff1@xxx.com")
                .send()
                .await
                .unwrap();
            assert_eq!(
                left.total_count, 1,
                "staff1 must survive the refused request"
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Stateful changes: bad transitions are UnsupportedOperation, which the
    // task actions document; deleted skill groups leave no binding behind.
    let e = emulator().await;
    let c = client(&e);
    let stop = json!({"SdkAppId": 1400692008, "TaskId": 16498});
    c.call("StopAutoCalloutTask", &stop).await.unwrap();
    for action in ["PauseAutoCalloutTask", "ResumeAutoCalloutTask"] {
        assert_eq!(
            refused(&c, action, stop.clone()).await,
            "UnsupportedOperation",
            "{action}"
        );
    }
    c.call(
        "BindNumberCallOutSkillGroup",
        &json!({"SdkAppId": app, "Number": caller, "SkillGroupIds": [100]}),
    )
    .await
    .unwrap();
    c.call(
        "DeleteCCCSkillGroup",
        &json!({"SdkAppId": app, "SkillGroupId": 100}),
    )
    .await
    .unwrap();
    let numbers = c
        .call("DescribeNumbers", &json!({"SdkAppId": app}))
        .await
        .unwrap();
    assert!(!numbers.to_string().contains("100"), "{numbers}");
    let staff = c
        .call(
            "DescribeStaffInfoList",
            &json!({"SdkAppId": app, "PageNumber": 0, "PageSize": 10}),
        )
        .await
        .unwrap();
    assert!(
        !staff.to_string().contains("\"SkillGroupId\":100"),
        "{staff}"
    );
    // DescribeNumbers pages by 20 unless told; campaigns filter by skill group.
    let all = c
        .call("DescribeNumbers", &json!({"SdkAppId": 7}))
        .await
        .unwrap();
    assert_eq!(all["Numbers"].as_array().unwrap().len(), 12);
    c.call(
        "CreatePredictiveDialingCampaign",
        &campaign(json!({"SkillGroupId": 1})),
    )
    .await
    .unwrap();
    let by_group = |g: i64| {
        let c = c.clone();
        async move {
            c.call(
                "DescribePredictiveDialingCampaigns",
                &json!({"SdkAppId": app, "PageNumber": 0, "PageSize": 10, "SkillGroupId": g}),
            )
            .await
            .unwrap()["TotalCount"]
                .clone()
        }
    };
    assert_eq!(
        (by_group(1).await, by_group(255).await, by_group(2).await),
        (json!(1), json!(1), json!(0))
    );
}

/// Seeds: the default one loads; a user's is checked with the file, the path
/// and what is wrong; nothing half-loaded.
#[tokio::test]
async fn seeds_are_validated_with_where_and_what() {
    use ccc_emulator::Seed;
    let seed = Seed::from_json(ccc_emulator::seed::DEFAULT_SEED, "default").unwrap();
    assert!(seed.apps.iter().any(|a| a.sdk_app_id == 1400000000));
    let app = |body: &str| {
        format!(r#"{{"apps": [{{"sdk_app_id": 5, "numbers": [{{"number": "1"}}], {body}}}]}}"#)
    };
    let group = r#""skill_groups": [{"id": 10, "name": "g"}]"#;
    let task = |extra: &str| {
        app(&format!(
            r#""tasks": [{{"id": 3, "callers": ["1"], "callees": ["2"] {extra}}}]"#
        ))
    };
    let rows: Vec<(String, &str, &str)> = vec![
        (r#"{"apps": [], "extra": 1}"#.into(), "extra", "unknown field `extra`"),
        (r#"{"apps": [{"sdk_app_id": "x"}]}"#.into(), "apps[0].sdk_app_id", "invalid type"),
        (app(r#""staff": [{"mail": "a", "name": "A", "nick": "n", "color": 1}]"#), "apps[0].staff[0].color", "unknown field"),
        (app(r#""staff": [{"mail": "a", "name": "A", "skill_groups": [9]}]"#), "apps[0].staff[0].skill_groups", "skill group 9 does not exist"),
        (app(r#""staff": [{"mail": "a", "name": "A"}, {"mail": "a", "name": "B"}]"#), "apps[0].staff[1].mail", "appears twice"),
        (r#"{"apps": [{"sdk_app_id": 5, "numbers": [{"number": "1", "call_out_skill_groups": [4]}]}]}"#.into(), "apps[0].numbers[0].call_out_skill_groups", "skill group 4 does not exist"),
        (r#"{"apps": [{"sdk_app_id": 5, "numbers": [{"number": "1"}, {"number": "1"}]}]}"#.into(), "apps[0].numbers[1].number", "appears twice"),
        (task(r#", "ivr_id": 1, "callers": ["7"]"#), "apps[0].tasks[0]", "duplicate field"),
        (app(r#""tasks": [{"id": 3, "ivr_id": 1, "callers": ["7"], "callees": ["2"]}]"#), "apps[0].tasks[0]", "caller 7 is not a number"),
        (task(""), "apps[0].tasks[0]", "IvrId or AIAgentId"),
        (task(r#", "ivr_id": 1, "starts_in": 10, "ends_in": 5"#), "apps[0].tasks[0]", "NotAfter"),
        (app(&format!(r#"{group}, "campaigns": [{{"id": 1, "name": "c", "skill_group_id": 11, "callers": ["1"], "callees": ["2"], "ends_in": 60}}]"#)), "apps[0].campaigns[0]", "skill group 11 does not exist"),
        (app(&format!(r#"{group}, "campaigns": [{{"id": 1, "name": "c", "skill_group_id": 10, "callers": ["1"], "callees": ["2"], "ends_in": 60, "expected_abandon_rate": 500}}]"#)), "apps[0].campaigns[0]", "ExpectedAbandonRate"),
        (app(r#""skill_groups": [{"id": 10, "name": "g"}, {"id": 11, "name": "g"}]"#), "apps[0].skill_groups[1]", "already exists"),
        (r#"{"answer_rate": 2}"#.into(), "answer_rate", "between 0 and 1"),
        (r#"{"apps": [{"sdk_app_id": 5}, {"sdk_app_id": 5}]}"#.into(), "apps[1].sdk_app_id", "appears twice"),
        ("{".into(), "", "EOF"),
    ];
    for (text, path, what) in rows {
        let err = Seed::from_json(&text, "my-seed.json").unwrap_err();
        assert_eq!(err.origin, "my-seed.json");
        assert_eq!(err.path, path, "{text}: {err}");
        assert!(err.message.contains(what), "{text}: {err}");
        assert!(err.to_string().starts_with("seed my-seed.json"), "{err}");
    }
    // A user's seed in place of the default one.
    let seed = Seed::from_json(&task(r#", "ai_agent_id": 1, "starts_in": -100"#), "mine").unwrap();
    let e = Emulator::start(Config {
        world: seed,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = client(&e);
    let task = c
        .describe_auto_callout_task()
        .sdk_app_id(5)
        .task_id(3)
        .send()
        .await
        .unwrap();
    assert_eq!(task.callees.len(), 1);
    assert!(c
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .is_err());
    let missing = Seed::from_file(std::path::Path::new("/nonexistent/seed.json")).unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/seed.json"),
        "{missing}"
    );
}

/// The clock's HTTP control, for clients in other languages.
#[tokio::test]
async fn the_clock_moves_through_its_control_endpoint() {
    let e = stopped_clock().await;
    let before = e.clock().now();
    let post = |body: &str| {
        format!(
            "POST /emulator/clock HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let answer = raw(e.addr(), post(r#"{"Advance": 3600}"#).as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(&format!("\"Now\":{}", before + 3600)),
        "{answer}"
    );
    assert_eq!(e.clock().now(), before + 3600);
    let answer = raw(e.addr(), post(r#"{"Speed": 60}"#).as_bytes()).await;
    assert!(answer.contains("\"Speed\":60"), "{answer}");
    for bad in [
        r#"{"Speed": -1}"#,
        r#"{"Advance": -5}"#,
        r#"{"Rewind": 5}"#,
        "nope",
    ] {
        let answer = raw(e.addr(), post(bad).as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{bad}: {answer}");
    }
    assert_eq!(e.clock().speed(), 60.0);
}

/// Canned answers carry times near the simulated now, not the examples' years.
#[tokio::test]
async fn canned_answers_carry_current_times() {
    let e = stopped_clock().await;
    e.clock().advance(Duration::from_secs(10 * 86_400));
    let now = e.clock().now();
    let c = client(&e);
    let session = c
        .call(
            "DescribeTelSession",
            &json!({"SdkAppId": 1400000000, "SessionId": "s"}),
        )
        .await
        .unwrap();
    let session = &session["Session"];
    let ring = session["RingTimestamp"].as_i64().unwrap();
    assert!(ring <= now && ring > now - 86_400, "{session}");
    assert!(
        session["StartTimestamp"].as_i64().unwrap() <= ring,
        "order kept: {session}"
    );
    let token = c
        .call(
            "CreateSDKLoginToken",
            &json!({"SdkAppId": 1400000000, "SeatUserId": "foo@tencent.com"}),
        )
        .await
        .unwrap();
    assert!(token["ExpiredTime"].as_i64().unwrap() > now, "{token}");
}

/// A campaign dials its callees over simulated time too: its status, finished
/// count, sessions and call records agree.
#[tokio::test]
async fn campaign_dials_over_simulated_time() {
    // `Status` of a campaign is documented on the China site only.
    let e = Emulator::start(Config {
        clock_speed: 0.0,
        site: ccc_api::Site::China,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = client(&e);
    let clock = e.clock();
    let start = clock.now();
    let app = 1400000000;
    let id = c
        .call(
            "CreatePredictiveDialingCampaign",
            &json!({"SdkAppId": app, "Name": "spring", "Callees": ["1", "2", "3"],
                "Callers": ["0086075586013388"], "CallOrder": 1, "SkillGroupId": 255, "Priority": 1,
                "ExpectedAbandonRate": 5, "RetryInterval": 60, "StartTime": start + 10, "EndTime": start + 86_400}),
        )
        .await
        .unwrap()["CampaignId"]
        .as_i64()
        .unwrap();
    let status = || async {
        c.call(
            "DescribePredictiveDialingCampaign",
            &json!({"SdkAppId": app, "CampaignId": id}),
        )
        .await
        .unwrap()["Status"]
            .clone()
    };
    assert_eq!(status().await, json!(0), "not started");
    clock.advance(Duration::from_secs(10));
    assert_eq!(status().await, json!(1), "running");
    clock.advance(Duration::from_secs(3600));
    assert_eq!(status().await, json!(4), "completed");
    let list = c
        .call(
            "DescribePredictiveDialingCampaigns",
            &json!({"SdkAppId": app, "PageNumber": 0, "PageSize": 10, "CampaignId": id}),
        )
        .await
        .unwrap();
    assert_eq!(list["CampaignList"][0]["FinishedCalleeCount"], 3, "{list}");
    let sessions = c
        .call(
            "DescribePredictiveDialingSessions",
            &json!({"SdkAppId": app, "CampaignId": id, "PageNumber": 0, "PageSize": 10}),
        )
        .await
        .unwrap();
    assert_eq!(sessions["TotalCount"], 3, "{sessions}");
    let cdr = c
        .call(
            "DescribeTelCdr",
            &json!({"SdkAppId": app, "StartTimeStamp": start, "EndTimeStamp": clock.now(),
            "PageNumber": 0, "PageSize": 100, "Phones": ["1", "2", "3"]}),
        )
        .await
        .unwrap();
    let records = cdr["TelCdrList"].as_array().unwrap();
    assert_eq!(records.len(), 3, "{cdr}");
    for (r, s) in records
        .iter()
        .zip(sessions["SessionList"].as_array().unwrap())
    {
        assert_eq!(
            (&r["CallType"], &r["SkillGroupId"], &r["SessionId"]),
            (&json!(5), &json!(255), s)
        );
    }
}
