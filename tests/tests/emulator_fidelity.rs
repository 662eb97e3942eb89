//! The emulator does what the docs describe, shown through the generated
//! client: the seed holds every entity both sites' official examples name,
//! unanswered callees are retried as `Tries` and `RetryInterval` say, the
//! `DescribeTelCdr` window rules, answers cut to the emulator's site,
//! `ControlAIConversation` on sessions that exist only, STS keys that sign
//! later calls until they expire, and wrong types named in the docs' terms.
//! Time is the emulator's simulated clock, stopped and moved by the tests.

use ccc_api::types::{AutoCalloutTaskCalleeState as Callee, AutoCalloutTaskState as Task};
use ccc_api::{Client, Credentials, RetryConfig, Site};
use ccc_emulator::{Config, Emulator, Seed, TEST_SECRET_ID, TEST_SECRET_KEY};
use serde_json::{json, Value};
use std::time::Duration;

const DAY: i64 = 86_400;

async fn emulator(config: Config) -> Emulator {
    Emulator::start(Config {
        clock_speed: 0.0,
        ..config
    })
    .await
    .unwrap()
}

fn client_with(e: &Emulator, credentials: Credentials) -> Client {
    ccc_tests::clients::strict_client_with(&e.url(), credentials)
}

fn client(e: &Emulator) -> Client {
    ccc_tests::clients::strict_client(&e.url())
}

/// An emulator (stopped clock) whose simulated calls are never answered.
async fn never_answered() -> Emulator {
    emulator(Config {
        world: Seed {
            answer_rate: 0.0,
            ..Seed::empty()
        },
        ..Config::default()
    })
    .await
}

/// A task of application 7 calling `callee` from `start`, each call ringing
/// 20 s, with `tries` attempts 600 s apart (one when `None`): its id.
async fn task(c: &Client, start: i64, callee: &str, tries: Option<u64>) -> u64 {
    c.create_auto_callout_task()
        .sdk_app_id(7)
        .not_before(start)
        .callees([callee])
        .callers(["008675500000001"])
        .ivr_id(4500)
        .set_tries(tries)
        .retry_interval(600)
        .max_ring_timeout_second(20)
        .send()
        .await
        .unwrap()
        .task_id
}

/// The code and message of a refused raw call.
async fn refused(c: &Client, action: &str, params: Value) -> (String, String) {
    let e = c.call(action, &params).await.unwrap_err();
    (
        e.raw_code().unwrap_or("none").to_owned(),
        e.message().unwrap_or_default().to_owned(),
    )
}

/// Every China-site official example (the request members of the examples
/// tccli ships, kept in `tests/official/china-site-examples.json`), each against a fresh emulator
/// with the default seed, is answered; the one that breaks its action's
/// documented rules is refused citing the rule. The international site's
/// examples run in `emulator.rs` (`every_official_example_...`).
#[tokio::test]
async fn every_china_site_example_is_answered_by_the_default_seed() {
    let text = include_str!("../official/china-site-examples.json");
    let examples: Vec<Value> = serde_json::from_str(text).unwrap();
    assert_eq!(examples.len(), 84);
    let mut failures = Vec::new();
    for example in &examples {
        let action = example["action"].as_str().unwrap();
        let e = emulator(Config {
            site: Site::China,
            ..Config::default()
        })
        .await;
        let outcome = client(&e).call(action, &example["input"]).await;
        match (action, outcome) {
            ("DescribeTelCdr", Err(err)) => {
                assert_eq!(err.raw_code(), Some("InvalidParameterValue"));
                let message = err.message().unwrap_or_default();
                assert!(message.contains("180 days"), "{message}");
            }
            (_, Ok(_)) => {}
            (_, Err(err)) => failures.push(format!("{action}: {err}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The China-site `DeleteStaff` example: staff `1610598376@qq.com` of
/// application 1400692008 exists, and is signed in, so the answer lists it
/// among the online staff that were not deleted, as the official answer does,
/// and it stays.
#[tokio::test]
async fn the_china_delete_staff_example_finds_its_staff_online() {
    let e = emulator(Config {
        site: Site::China,
        ..Config::default()
    })
    .await;
    let c = client(&e);
    let mail = "1610598376@qq.com";
    let answer = c
        .delete_staff()
        .sdk_app_id(1400692008)
        .staff_list([mail])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.online_staff_list, [mail]);
    assert!(answer.delete_status_info.is_some());
    let still = c
        .describe_staff_info_list()
        .sdk_app_id(1400692008)
        .page_size(10)
        .page_number(0)
        .staff_mail(mail)
        .send()
        .await
        .unwrap();
    assert_eq!(still.total_count, 1);
}

/// A task with `Tries` 3 and `RetryInterval` 600 whose calls are never
/// answered: each callee is dialed, shows "pending retry" between attempts,
/// is dialed again 600 s after each unanswered attempt ended, and is
/// unanswered after the third; the call records show the three attempts.
#[tokio::test]
async fn unanswered_callees_are_retried_as_tries_and_retry_interval_say() {
    let e = never_answered().await;
    let c = client(&e);
    let clock = e.clock();
    let start = clock.now();
    let id = task(&c, start, "008613900000001", Some(3)).await;
    let state = || async {
        let t = c
            .describe_auto_callout_task()
            .sdk_app_id(7)
            .task_id(id)
            .send()
            .await
            .unwrap();
        (
            t.state,
            t.callees[0].state.clone(),
            t.callees[0].sessions.len(),
        )
    };
    // Attempt 1 rings from `start` for 20 s, then waits 600 s.
    assert_eq!(state().await, (Task::Running, Callee::Calling, 1));
    clock.advance(Duration::from_secs(20));
    assert_eq!(state().await, (Task::Running, Callee::PendingRetry, 1));
    clock.advance(Duration::from_secs(599));
    assert_eq!(state().await, (Task::Running, Callee::PendingRetry, 1));
    // Attempt 2 at start + 620, attempt 3 at start + 1240.
    clock.advance(Duration::from_secs(1));
    assert_eq!(state().await, (Task::Running, Callee::Calling, 2));
    clock.advance(Duration::from_secs(620));
    assert_eq!(state().await, (Task::Running, Callee::Calling, 3));
    clock.advance(Duration::from_secs(20));
    assert_eq!(state().await, (Task::Completed, Callee::Unanswered, 3));
    clock.advance(Duration::from_secs(3600));
    assert_eq!(state().await, (Task::Completed, Callee::Unanswered, 3));

    let cdr = c
        .describe_tel_cdr()
        .sdk_app_id(7)
        .start_time_stamp(start)
        .end_time_stamp(clock.now())
        .page_size(100)
        .page_number(0)
        .send()
        .await
        .unwrap();
    let dialed: Vec<i64> = cdr
        .tel_cdr_list
        .iter()
        .filter_map(|r| r.start_timestamp)
        .collect();
    assert_eq!(dialed, [start, start + 620, start + 1240]);
    assert!(cdr
        .tel_cdr_list
        .iter()
        .all(|r| r.end_status == Some(ccc_api::types::TelCdrInfoEndStatus::NotAnswer)));
    let sessions: std::collections::BTreeSet<_> = cdr
        .tel_cdr_list
        .iter()
        .filter_map(|r| r.session_id.clone())
        .collect();
    assert_eq!(sessions.len(), 3);

    // Without `Tries`, one attempt: unanswered as soon as it stops ringing.
    let once = task(&c, clock.now(), "008613900000002", None).await;
    clock.advance(Duration::from_secs(60));
    let t = c
        .describe_auto_callout_task()
        .sdk_app_id(7)
        .task_id(once)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (t.state, t.callees[0].state.clone()),
        (Task::Completed, Callee::Unanswered)
    );
    // `Tries`: 1-3; `RetryInterval`: 600-86400.
    for (tries, interval) in [(4, 600), (0, 600), (2, 599), (2, 86_401)] {
        let (code, _) = refused(
            &c,
            "CreateAutoCalloutTask",
            json!({"SdkAppId": 7, "NotBefore": start, "Callees": ["1"], "Callers": ["008675500000001"],
                   "IvrId": 1, "Tries": tries, "RetryInterval": interval}),
        )
        .await;
        assert_eq!(
            code, "InvalidParameterValue",
            "Tries {tries}, RetryInterval {interval}"
        );
    }
}

/// A pause holds the retries; the resume lets them go on.
#[tokio::test]
async fn a_paused_task_keeps_its_retries_pending() {
    let e = never_answered().await;
    let c = client(&e);
    let clock = e.clock();
    let id = task(&c, clock.now(), "008613900000001", Some(2)).await;
    clock.advance(Duration::from_secs(100));
    c.pause_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    clock.advance(Duration::from_secs(5000));
    let describe = || {
        c.describe_auto_callout_task()
            .sdk_app_id(7)
            .task_id(id)
            .send()
    };
    let t = describe().await.unwrap();
    assert_eq!(t.state, Task::Suspended);
    assert_eq!(
        (t.callees[0].state.clone(), t.callees[0].sessions.len()),
        (Callee::PendingRetry, 1)
    );
    c.resume_auto_callout_task()
        .sdk_app_id(7)
        .task_id(id)
        .send()
        .await
        .unwrap();
    let t = describe().await.unwrap();
    assert_eq!(
        (t.callees[0].state.clone(), t.callees[0].sessions.len()),
        (Callee::Calling, 2)
    );
}

/// `DescribeTelCdr`: `EndTimeStamp` "must be less than 90 days after the
/// start", `StartTimeStamp` "at most 180 days in the past"; the official
/// example (a start in 2020) is refused for the latter.
#[tokio::test]
async fn tel_cdr_windows_follow_the_documented_rules() {
    let e = emulator(Config::default()).await;
    let c = client(&e);
    let now = e.clock().now();
    let cdr = |from: i64, to: i64| {
        c.describe_tel_cdr()
            .sdk_app_id(1400000000)
            .start_time_stamp(from)
            .end_time_stamp(to)
            .page_size(10)
            .page_number(0)
            .send()
    };
    let from = now - 100 * DAY;
    cdr(from, from + 90 * DAY - 1).await.unwrap();
    let err = cdr(from, from + 90 * DAY).await.unwrap_err();
    assert_eq!(err.raw_code(), Some("InvalidParameterValue"));
    assert!(
        err.message()
            .unwrap_or_default()
            .contains("less than 90 days"),
        "{err}"
    );
    cdr(now - 180 * DAY, now - 180 * DAY + 1).await.unwrap();
    let err = cdr(now - 180 * DAY - 1, now - 100 * DAY).await.unwrap_err();
    assert!(
        err.message().unwrap_or_default().contains("180 days"),
        "{err}"
    );
    // The official example: 2020-05-27 to 2020-05-22.
    let err = cdr(1590547606, 1590147606).await.unwrap_err();
    let message = err.message().unwrap_or_default();
    assert!(message.contains("180 days"), "{message}");
    assert!(!message.contains("before StartTimeStamp"), "{message}");
}

/// Answer members the spec documents only on the China site are left out on
/// the international site and carried on the China site.
#[tokio::test]
async fn answers_carry_only_their_sites_members() {
    for site in [Site::International, Site::China] {
        let e = emulator(Config {
            site,
            ..Config::default()
        })
        .await;
        let c = client(&e);
        let numbers = c
            .describe_numbers()
            .sdk_app_id(1400000000)
            .send()
            .await
            .unwrap();
        assert!(!numbers.numbers.is_empty());
        let china = site == Site::China;
        assert!(
            numbers
                .numbers
                .iter()
                .all(|n| n.cost_type.is_some() == china),
            "{site:?}: {numbers:?}"
        );
        let campaign = c
            .describe_predictive_dialing_campaign()
            .sdk_app_id(1400000000)
            .campaign_id(2569)
            .send()
            .await
            .unwrap();
        assert_eq!(campaign.status.is_some(), china, "{site:?}");
        assert_eq!(
            campaign.name.as_deref(),
            Some("New energy SUV recommendation")
        );
        let deleted = c
            .delete_staff()
            .sdk_app_id(1400692008)
            .staff_list(["1610598376@qq.com"])
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.delete_status_info.is_some(), china, "{site:?}");
        // Canned answers are cut too.
        let raw = c
            .call("DescribeNumbers", &json!({"SdkAppId": 1}))
            .await
            .unwrap();
        assert_eq!(raw.to_string().contains("CostType"), china, "{raw}");
    }
}

/// `ControlAIConversation` steers only sessions that exist (`SessionId`:
/// "id of the session to control"): a seeded one, one `CreateAIAgentCall`
/// started, a task's call while it is talked on; anything else is
/// `FailedOperation.SessionNotExists`, an ended call
/// `FailedOperation.SessionNotInControlState`.
#[tokio::test]
async fn ai_conversations_are_controlled_only_where_they_exist() {
    let e = emulator(Config {
        world: Seed {
            answer_rate: 1.0,
            ..Seed::default()
        },
        ..Config::default()
    })
    .await;
    let c = client(&e);
    let control = |app: u64, session: String| {
        c.control_ai_conversation()
            .sdk_app_id(app)
            .session_id(session)
            .command(ccc_api::types::ControlAIConversationCommand::ServerPushText)
            .server_push_text(
                ccc_api::types::ServerPushText::builder()
                    .text("hello")
                    .build(),
            )
            .send()
    };
    control(1400000000, "6bb56a09-2787-40bc-80c5-dc6dab783eff".into())
        .await
        .unwrap();
    let err = control(1400000000, "no-such-session".into())
        .await
        .unwrap_err();
    assert_eq!(
        err.raw_code(),
        Some("FailedOperation.SessionNotExists"),
        "{err}"
    );
    // The seeded session belongs to 1400000000 only.
    let err = control(1, "6bb56a09-2787-40bc-80c5-dc6dab783eff".into())
        .await
        .unwrap_err();
    assert_eq!(
        err.raw_code(),
        Some("FailedOperation.SessionNotExists"),
        "{err}"
    );

    let started = c
        .create_ai_agent_call()
        .sdk_app_id(7)
        .ai_agent_id(15)
        .callee("008613900000001")
        .send()
        .await
        .unwrap()
        .session_id
        .unwrap();
    control(7, started).await.unwrap();

    let clock = e.clock();
    let id = c
        .create_auto_callout_task()
        .sdk_app_id(7)
        .not_before(clock.now())
        .callees(["008613900000001"])
        .callers(["008675500000001"])
        .ai_agent_id(15)
        .send()
        .await
        .unwrap()
        .task_id;
    let session = || async {
        c.describe_auto_callout_task()
            .sdk_app_id(7)
            .task_id(id)
            .send()
            .await
            .unwrap()
            .callees[0]
            .sessions[0]
            .clone()
    };
    // Answered within 16 s, talked on for at least 15 s.
    clock.advance(Duration::from_secs(16));
    control(7, session().await).await.unwrap();
    clock.advance(Duration::from_secs(3600));
    let err = control(7, session().await).await.unwrap_err();
    assert_eq!(
        err.raw_code(),
        Some("FailedOperation.SessionNotInControlState"),
        "{err}"
    );
}

/// Temporary keys from the emulator's STS sign later CCC calls with their
/// token until they expire on the emulator's clock; then, and without the
/// token, they are refused with `AuthFailure.TokenFailure`.
#[tokio::test]
async fn sts_keys_sign_later_calls_until_they_expire() {
    let e = emulator(Config::default()).await;
    let sts = ccc_api::sts::Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(e.url())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let issued = sts
        .assume_role()
        .role_arn("qcs::cam::uin/100000000001:roleName/ccc-ops")
        .role_session_name("fidelity")
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    let keys = issued.credentials;
    let temporary =
        Credentials::new(&keys.tmp_secret_id, &keys.tmp_secret_key).with_token(&keys.token);
    let c = client_with(&e, temporary);
    let numbers = || c.describe_numbers().sdk_app_id(1400000000).send();
    numbers().await.unwrap();
    let no_token = client_with(
        &e,
        Credentials::new(&keys.tmp_secret_id, &keys.tmp_secret_key),
    );
    let err = no_token
        .describe_numbers()
        .sdk_app_id(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_code(), Some("AuthFailure.TokenFailure"), "{err}");
    e.clock().advance(Duration::from_secs(899));
    numbers().await.unwrap();
    e.clock().advance(Duration::from_secs(1));
    let err = numbers().await.unwrap_err();
    assert_eq!(err.raw_code(), Some("AuthFailure.TokenFailure"), "{err}");
    assert!(
        err.message().unwrap_or_default().contains("expired"),
        "{err}"
    );
    // A key it never issued is still unknown.
    let stranger = client_with(
        &e,
        Credentials::new("AKIDEMULATORSTS99999999999999999999", "not-a-key")
            .with_token("not-an-issued-token"),
    );
    let err = stranger
        .describe_numbers()
        .sdk_app_id(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.raw_code(),
        Some("AuthFailure.SecretIdNotFound"),
        "{err}"
    );
}

/// Refusals of wrong types name the member's path and the type as the API
/// docs write it (Integer, String, Array of ...), never a Rust type.
#[tokio::test]
async fn wrong_types_are_refused_in_the_docs_terms() {
    let e = emulator(Config::default()).await;
    let c = client(&e);
    for (action, params, expected) in [
        (
            "DescribeAutoCalloutTask",
            json!({"SdkAppId": "one", "TaskId": 1}),
            r#"`SdkAppId` must be an Integer (uint64); it is the String "one""#,
        ),
        (
            "DescribeTelCdr",
            json!({"SdkAppId": 1, "StartTimeStamp": 1.5, "EndTimeStamp": 2, "PageSize": 1, "PageNumber": 0}),
            "`StartTimeStamp` must be an Integer (int64); it is the Float 1.5",
        ),
        (
            "CreateStaff",
            json!({"SdkAppId": 1, "Staffs": [{"Name": "n", "Mail": ["m"], "StaffNumber": "1"}]}),
            "`Staffs[0].Mail` must be a String; it is an Array",
        ),
        (
            "BindNumberCallOutSkillGroup",
            json!({"SdkAppId": 1, "Number": "1", "SkillGroupIds": 3}),
            "`SkillGroupIds` must be an Array of Integer (uint64); it is the Integer 3",
        ),
    ] {
        let (code, message) = refused(&c, action, params).await;
        assert_eq!(code, "InvalidParameterValue", "{action}");
        assert_eq!(message, expected, "{action}");
        assert!(!message.contains("expected"), "{message}");
    }
    let (code, message) = refused(
        &c,
        "CreateStaff",
        json!({"SdkAppId": 1, "Staffs": [{"Name": "n"}]}),
    )
    .await;
    assert_eq!(code, "MissingParameter");
    assert!(message.contains("Staffs[0].Mail"), "{message}");
}
