//! The client over real HTTP on 127.0.0.1, against a server that checks every
//! signature: typed success, the error envelope, and every kind of bad answer.

use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskErrorCode, DescribeAutoCalloutTaskRequest,
};
use ccc_api::types::{AutoCalloutTaskCalleeState, AutoCalloutTaskState};
use ccc_api::{
    BuildError, Client, Credentials, DecodeErrorKind, ErrorCode, Language, SdkError,
    TransportErrorKind,
};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::time::Duration;

/// The official example response of `DescribeAutoCalloutTask`.
const EXAMPLE_RESPONSE: &str = r#"{
    "Response": {
        "IvrId": 1,
        "Name": "foobar",
        "NotBefore": 1729905740,
        "NotAfter": 1729905750,
        "State": 1,
        "Callers": [
            "008610086"
        ],
        "RequestId": "foobar",
        "Callees": [
            {
                "State": 1,
                "Callee": "foobar",
                "Sessions": [
                    "foobar"
                ]
            }
        ],
        "Description": "foobar"
    }
}"#;

/// `DescribeAutoCalloutTask` for task 2 of application 1, expected to fail.
async fn describe_err(client: &Client) -> SdkError<DescribeAutoCalloutTaskErrorCode> {
    client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap_err()
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .strict_responses(true)
        .endpoint_url(server.url())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

#[tokio::test]
async fn decodes_the_official_example() {
    let server = TestServer::start(|_| Reply::json(EXAMPLE_RESPONSE)).await;
    let task = client(&server)
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .expect("success");
    assert_eq!(task.name, "foobar");
    assert_eq!(task.description, "foobar");
    assert_eq!(task.not_before, 1729905740);
    assert_eq!(task.not_after, Some(1729905750));
    assert_eq!(task.callers, ["008610086"]);
    assert_eq!(task.ivr_id, 1);
    assert_eq!(task.state, AutoCalloutTaskState::Running);
    assert_eq!(task.max_ring_timeout_second, None);
    assert_eq!(task.request_id, "foobar");
    assert_eq!(task.callees.len(), 1);
    assert_eq!(task.callees[0].callee, "foobar");
    assert_eq!(task.callees[0].state, AutoCalloutTaskCalleeState::Answered);
    assert_eq!(task.callees[0].sessions, ["foobar"]);

    let sent = server.received();
    assert_eq!(sent.len(), 1);
    let req = &sent[0];
    assert_eq!(req.signature, Ok(()));
    assert_eq!(req.body, br#"{"SdkAppId":1,"TaskId":2}"#);
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(
        req.header("host"),
        Some(server.url().trim_start_matches("http://"))
    );
    assert_eq!(req.header("x-tc-action"), Some("DescribeAutoCalloutTask"));
    assert_eq!(req.header("x-tc-version"), Some("2020-02-10"));
    assert_eq!(
        req.header("x-tc-requestclient"),
        Some(ccc_api::SERVICE_DESCRIPTION.request_client())
    );
    let auth = req.header("authorization").unwrap();
    assert!(auth.contains("SignedHeaders=content-type;host,"), "{auth}");
    for absent in ["x-tc-region", "x-tc-token", "x-tc-language"] {
        assert_eq!(req.header(absent), None, "{absent}");
    }
}

#[tokio::test]
async fn optional_headers_when_configured() {
    let server = TestServer::start(|_| Reply::json(EXAMPLE_RESPONSE)).await;
    let client = Client::builder()
        .credentials(
            Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY).with_token("session-token-1"),
        )
        .endpoint_url(server.url())
        .region("ap-singapore")
        .language(Language::ZhCn)
        .build()
        .unwrap();
    let request = DescribeAutoCalloutTaskRequest::builder()
        .sdk_app_id(1400000000)
        .task_id(3)
        .build()
        .unwrap();
    client.execute(&request).await.expect("success");
    let req = &server.received()[0];
    assert_eq!(req.signature, Ok(()));
    assert_eq!(req.header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(req.header("x-tc-token"), Some("session-token-1"));
    assert_eq!(req.header("x-tc-language"), Some("zh-CN"));
}

#[tokio::test]
async fn unknown_enum_values_and_fields_are_kept_or_ignored() {
    let body = r#"{"Response":{"Name":"n","Description":"d","NotBefore":1,"NotAfter":null,
        "Callers":[],"Callees":[{"Callee":"c","State":9,"Sessions":[],"NewField":true}],
        "IvrId":2,"State":42,"SomethingNew":{"x":1},"RequestId":"r"}}"#;
    let server = TestServer::start(move |_| Reply::json(body)).await;
    let task = client(&server)
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap();
    assert_eq!(task.not_after, None);
    assert_eq!(task.state.value(), 42);
    assert!(matches!(task.state, AutoCalloutTaskState::Unknown(ref v) if *v.value() == 42));
    assert_eq!(task.callees[0].state.value(), 9);
}

#[tokio::test]
async fn service_error_is_typed() {
    let server = TestServer::start(|_| {
        Reply::service_error("InvalidParameterValue", "TaskId 2 does not exist", "req-42")
    })
    .await;
    let err = describe_err(&client(&server)).await;
    assert_eq!(
        err.code(),
        Some(&DescribeAutoCalloutTaskErrorCode::InvalidParameterValue)
    );
    assert_eq!(err.raw_code(), Some("InvalidParameterValue"));
    assert_eq!(err.message(), Some("TaskId 2 does not exist"));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(
        err.to_string(),
        "DescribeAutoCalloutTask failed: InvalidParameterValue: TaskId 2 does not exist (request id req-42)"
    );
    // Converts into the service-wide error with `?`.
    let any: ccc_api::Error = err.into();
    assert_eq!(any.code(), Some(&ErrorCode::InvalidParameterValue));
}

#[tokio::test]
async fn common_codes_match_on_every_action_and_other_codes_fall_back() {
    // A code every API may return is a variant of the action's own enum.
    let server =
        TestServer::start(|_| Reply::service_error("RequestLimitExceeded", "slow down", "r1"))
            .await;
    let err = describe_err(&client(&server)).await;
    assert_eq!(
        err.code(),
        Some(&DescribeAutoCalloutTaskErrorCode::RequestLimitExceeded)
    );
    assert!(err.is_throttling());
    let any: ccc_api::Error = err.into();
    assert_eq!(any.code(), Some(&ErrorCode::RequestLimitExceeded));
    assert!(any.code().unwrap().is_common());
    // A code neither the action nor the common list documents is kept as sent.
    let server =
        TestServer::start(|_| Reply::service_error("FailedOperation.NewInVersion9", "new", "r2"))
            .await;
    let err = describe_err(&client(&server)).await;
    match err.code() {
        Some(DescribeAutoCalloutTaskErrorCode::Unknown(code)) => {
            assert_eq!(code.value(), "FailedOperation.NewInVersion9")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wrong_key_is_rejected_by_the_signature_check() {
    let server = TestServer::start(|_| Reply::json(EXAMPLE_RESPONSE)).await;
    let client = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, "not-the-key"))
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let err = describe_err(&client).await;
    let any: ccc_api::Error = err.into();
    assert_eq!(any.code(), Some(&ErrorCode::AuthFailureSignatureFailure));
    assert!(!any.to_string().contains("not-the-key"));
    assert!(!format!("{any:?}").contains("not-the-key"));
}

#[tokio::test]
async fn html_502_page() {
    let server = TestServer::start(|_| Reply::Body {
        status: 502,
        content_type: "text/html",
        body: b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
            .to_vec(),
    })
    .await;
    let err = describe_err(&client(&server)).await;
    let SdkError::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind, DecodeErrorKind::NotJson);
    assert_eq!(e.status, 502);
    assert!(e
        .body_prefix
        .starts_with("<html><head><title>502 Bad Gateway"));
    assert!(
        err.to_string().starts_with("HTTP 502, not a JSON response"),
        "{err}"
    );
}

#[tokio::test]
async fn truncated_json_body() {
    let cut = &EXAMPLE_RESPONSE[..EXAMPLE_RESPONSE.len() / 2];
    let server = TestServer::start(move |_| Reply::json(cut)).await;
    let err = describe_err(&client(&server)).await;
    let SdkError::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind, DecodeErrorKind::Truncated);
    assert_eq!(e.body_prefix, cut);
}

#[tokio::test]
async fn connection_cut_mid_body() {
    let server = TestServer::start(|_| Reply::CutOff {
        declared: 500,
        body: br#"{"Response": {"Na"#.to_vec(),
    })
    .await;
    let err = describe_err(&client(&server)).await;
    let SdkError::Transport(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind, TransportErrorKind::Body);
}

#[tokio::test]
async fn response_of_the_wrong_shape() {
    let server =
        TestServer::start(|_| Reply::json(r#"{"Response":{"Name":5,"RequestId":"r"}}"#)).await;
    let err = describe_err(&client(&server)).await;
    let SdkError::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind, DecodeErrorKind::Shape);
    assert!(e.detail.contains("invalid type"), "{}", e.detail);
}

/// The time limit covers the whole exchange: an answer that comes late, and
/// one whose body stops partway (headers and part of the body, then
/// silence), are timeouts, not waits for ever.
#[tokio::test]
async fn answers_slower_than_the_timeout() {
    type MakeReply = fn() -> Reply;
    let replies: [(&str, MakeReply); 2] = [
        ("late", || {
            Reply::Delayed(
                Duration::from_secs(3),
                Box::new(Reply::json(EXAMPLE_RESPONSE)),
            )
        }),
        ("stalled mid-body", || Reply::Stall {
            declared: 1000,
            body: br#"{"Response":{"Name":"#.to_vec(),
        }),
    ];
    for (case, reply) in replies {
        let server = TestServer::start(move |_| reply()).await;
        let client = Client::builder()
            .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
            .endpoint_url(server.url())
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        let err = describe_err(&client).await;
        let SdkError::Transport(e) = &err else {
            panic!("{case}: {err:?}")
        };
        assert_eq!(e.kind, TransportErrorKind::Timeout, "{case}: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(2), "{case}");
    }
}

#[tokio::test]
async fn nothing_listening() {
    // Bind then drop, so the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let err = describe_err(&client).await;
    let SdkError::Transport(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind, TransportErrorKind::Connect);
}

#[tokio::test]
async fn missing_required_member_fails_before_sending() {
    let server = TestServer::start(|_| Reply::json(EXAMPLE_RESPONSE)).await;
    let err = client(&server)
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        SdkError::Build(BuildError::MissingMember {
            action: "DescribeAutoCalloutTask",
            member: "TaskId"
        })
    ));
    assert_eq!(
        err.to_string(),
        "DescribeAutoCalloutTask request is missing required member `TaskId`"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn clones_share_one_client_across_tasks() {
    let server = TestServer::start(|_| Reply::json(EXAMPLE_RESPONSE)).await;
    let client = client(&server);
    let calls = (0..16).map(|i| {
        let c = client.clone();
        tokio::spawn(async move {
            c.describe_auto_callout_task()
                .sdk_app_id(1)
                .task_id(i)
                .send()
                .await
        })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.received().len(), 16);
    assert!(server.received().iter().all(|r| r.signature.is_ok()));
}

/// `call()` sends what the official SDKs send: no `null` members at any depth,
/// the members in a `serde_json::Value`'s order (sorted by name here), byte
/// for byte.
#[tokio::test]
async fn call_drops_nulls_at_any_depth() {
    #[derive(serde::Serialize)]
    struct Callee {
        #[serde(rename = "Phone")]
        phone: &'static str,
        #[serde(rename = "Attributes")]
        attributes: Option<serde_json::Value>,
    }
    #[derive(serde::Serialize)]
    struct Params {
        #[serde(rename = "SdkAppId")]
        sdk_app_id: u64,
        #[serde(rename = "Name")]
        name: Option<&'static str>,
        #[serde(rename = "NotBefore")]
        not_before: i64,
        #[serde(rename = "Callees")]
        callees: Vec<Callee>,
        #[serde(rename = "Description")]
        description: &'static str,
    }
    let server = TestServer::start(|_| Reply::json(r#"{"Response":{"RequestId":"r"}}"#)).await;
    let c = client(&server);
    let params = Params {
        sdk_app_id: 1,
        name: None,
        not_before: -1,
        callees: vec![
            Callee {
                phone: "100",
                attributes: None,
            },
            Callee {
                phone: "200",
                attributes: Some(serde_json::json!({"Z": 1, "A": null})),
            },
        ],
        description: "d",
    };
    c.call("SomeNewAction", &params).await.unwrap();
    // A `serde_json::Value`'s nulls go too.
    c.call(
        "SomeNewAction",
        &serde_json::json!({"B": null, "A": [null, {"C": null}]}),
    )
    .await
    .unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        String::from_utf8_lossy(&received[0].body),
        r#"{"Callees":[{"Phone":"100"},{"Attributes":{"Z":1},"Phone":"200"}],"Description":"d","NotBefore":-1,"SdkAppId":1}"#
    );
    assert_eq!(
        String::from_utf8_lossy(&received[1].body),
        r#"{"A":[null,{}]}"#
    );
    // The signature covers exactly these bytes.
    assert!(received.iter().all(|r| r.signature.is_ok()));
}
