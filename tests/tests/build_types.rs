//! Shared types and responses are built without struct literals (they are
//! `#[non_exhaustive]`, so a literal does not compile outside the crate): shared
//! types through builders that name the first missing required member,
//! responses through builders that fill what is unset with defaults. A built
//! response is a valid answer: it decodes back to itself.

use ccc_api::operation::create_staff::CreateStaffRequest;
use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskRequest, DescribeAutoCalloutTaskResponse,
};
use ccc_api::operation::describe_session_detail::{
    DescribeSessionDetailRequest, DescribeSessionDetailResponse,
};
use ccc_api::operation::describe_staff_info_list::{
    DescribeStaffInfoListRequest, DescribeStaffInfoListResponse,
};
use ccc_api::types::{
    AutoCalloutTaskCalleeInfo, AutoCalloutTaskCalleeState, AutoCalloutTaskState, HttpParams,
    SeatUserInfo,
};
use ccc_api::{
    decode_response, decode_response_strict, Action, BuildError, ConfigError, CredentialsError,
    DecodeError, DecodeErrorKind, RateLimit, RetryConfig, SdkError, ServiceError, TransportError,
    TransportErrorKind,
};
use ccc_tests::fixture::types::{Owner, Tag};
use serde_json::json;
use std::time::Duration;

/// Wraps `response` as the service sends it and decodes it as `A`'s answer,
/// leniently and strictly.
fn round_trip<A: Action>(response: &A::Response) -> A::Response
where
    A::Response: serde::Serialize + PartialEq + std::fmt::Debug,
    A::ErrorCode: std::fmt::Debug,
{
    let body = serde_json::to_vec(&json!({ "Response": response })).unwrap();
    let strict = decode_response_strict::<A>(200, body.clone()).unwrap();
    let lenient = decode_response::<A>(200, body).unwrap();
    assert_eq!(strict, lenient);
    lenient
}

#[test]
fn a_shared_type_is_built_with_its_builder() {
    let callee = AutoCalloutTaskCalleeInfo::builder()
        .callee("008613912345678")
        .state(AutoCalloutTaskCalleeState::Answered)
        .sessions(vec!["s-1"])
        .build()
        .unwrap();
    assert_eq!(callee.callee, "008613912345678");
    assert_eq!(callee.state, AutoCalloutTaskCalleeState::Answered);
    assert_eq!(callee.sessions, ["s-1"]);
    // Optional members may stay unset; they serialise as absent.
    let staff = SeatUserInfo::builder()
        .name("Ann")
        .mail("ann@example.com")
        .staff_number("007")
        .role(2)
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&staff).unwrap(),
        json!({"Name": "Ann", "Mail": "ann@example.com", "StaffNumber": "007", "Role": 2})
    );
    // And the result goes into a request like any other value.
    let request = CreateStaffRequest::builder()
        .sdk_app_id(1)
        .staffs(vec![staff.clone()])
        .build()
        .unwrap();
    assert_eq!(request.staffs, [staff]);
}

/// Every subset of the required members (exhaustively, for types with three
/// required members and optional ones): the build succeeds exactly when all
/// are set, and otherwise names the first one missing in spec order; an
/// optional member changes nothing; `set_x(None)` clears what `x(..)` set.
#[test]
fn builders_name_the_first_missing_required_member() {
    fn check<T: std::fmt::Debug>(
        type_name: &str,
        required: [&'static str; 3],
        build: impl Fn([bool; 3], bool) -> Result<T, BuildError>,
    ) {
        for mask in 0u8..8 {
            let set = [mask & 1 != 0, mask & 2 != 0, mask & 4 != 0];
            for with_optional in [false, true] {
                let result = build(set, with_optional);
                match set.iter().position(|s| !s) {
                    None => assert!(result.is_ok(), "{type_name} {set:?}: {result:?}"),
                    Some(first) => {
                        let error = result.unwrap_err();
                        assert!(
                            matches!(
                                error,
                                BuildError::MissingTypeMember { type_name: t, member: m }
                                    if t == type_name && m == required[first]
                            ),
                            "{set:?}: {error:?}"
                        );
                        assert_eq!(
                            error.to_string(),
                            format!(
                                "{type_name} is missing required member `{}`",
                                required[first]
                            )
                        );
                    }
                }
            }
        }
    }
    check(
        "AutoCalloutTaskCalleeInfo",
        ["Callee", "State", "Sessions"],
        |[a, b, c], _| {
            let mut builder = AutoCalloutTaskCalleeInfo::builder()
                // Set, then cleared unless the case wants it.
                .callee("x")
                .set_callee(a.then(|| "1".into()));
            if b {
                builder = builder.state(AutoCalloutTaskCalleeState::Calling);
            }
            if c {
                builder = builder.set_sessions(Some(Vec::new()));
            }
            builder.build()
        },
    );
    check(
        "SeatUserInfo",
        ["Name", "Mail", "StaffNumber"],
        |[a, b, c], optional| {
            let mut builder = SeatUserInfo::builder().set_nick(optional.then(|| "n".into()));
            if a {
                builder = builder.name("n");
            }
            if b {
                builder = builder.mail("m");
            }
            if c {
                builder = builder.staff_number("s");
            }
            builder.build()
        },
    );
}

#[test]
fn a_response_is_built_with_defaults_and_decodes_back_to_itself() {
    let callee = AutoCalloutTaskCalleeInfo::builder()
        .callee("008613912345678")
        .state(AutoCalloutTaskCalleeState::Calling)
        .set_sessions(Some(Vec::new()))
        .build()
        .unwrap();
    let task = DescribeAutoCalloutTaskResponse::builder()
        .name("x")
        .state(AutoCalloutTaskState::Running)
        .callees(vec![callee])
        .max_ring_timeout_second(30)
        .request_id("req-1")
        .build();
    assert_eq!(task.name, "x");
    assert_eq!(task.state, AutoCalloutTaskState::Running);
    assert_eq!(task.request_id, "req-1");
    // Unset: promised members at their defaults, optional ones `None`.
    assert_eq!(task.description, "");
    assert_eq!(task.ivr_id, 0);
    assert!(task.callers.is_empty());
    assert_eq!(task.not_after, None);
    assert!(task.deviations().is_empty());
    assert_eq!(round_trip::<DescribeAutoCalloutTaskRequest>(&task), task);

    // A response with nothing set is a valid answer too. An unset enum holds
    // `Unknown` of the wire type's zero value (what an absent member reads as),
    // which goes out as `0` and comes back as the variant documented for `0`:
    // the same answer on the wire.
    let empty = DescribeAutoCalloutTaskResponse::builder().build();
    let back = round_trip::<DescribeAutoCalloutTaskRequest>(&empty);
    assert_eq!(back.state, AutoCalloutTaskState::Initial);
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&empty).unwrap()
    );
    let page = DescribeStaffInfoListResponse::builder()
        .total_count(1)
        .staff_list(vec![])
        .build();
    assert_eq!(round_trip::<DescribeStaffInfoListRequest>(&page), page);
    let session = DescribeSessionDetailResponse::builder()
        .caller("1")
        .set_caller(None)
        .callee("2")
        .request_id("r")
        .build();
    assert_eq!(session.caller, None);
    assert_eq!(
        round_trip::<DescribeSessionDetailRequest>(&session),
        session
    );
}

#[test]
fn builders_redact_what_the_types_redact() {
    let link = "https://rec.example.com/a?sign=link-secret-1";
    let response = DescribeSessionDetailResponse::builder().record_url(link);
    let params = HttpParams::builder().key("token").value("param-secret-2");
    let owner = Owner::builder()
        .user_name("ann")
        .password("owner-secret-3")
        .primary(Tag::builder().key("k").build().unwrap());
    let shown = format!(
        "{response:?} {:?} {params:?} {:?} {owner:?} {:?}",
        response.clone().build(),
        params.clone().build(),
        owner.clone().build().unwrap()
    );
    for secret in ["link-secret-1", "param-secret-2", "owner-secret-3"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    // What is not secret stays visible.
    assert!(
        shown.contains("token") && shown.contains("ann") && shown.contains("redacted"),
        "{shown}"
    );
}

/// The runtime's configuration and error structs are `#[non_exhaustive]` too:
/// built through constructors, read through their fields.
#[test]
fn runtime_structs_are_built_without_literals() {
    let retry = RetryConfig::new()
        .max_attempts(5)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_secs(1));
    assert_eq!(
        (retry.max_attempts, retry.initial_backoff, retry.max_backoff),
        (5, Duration::from_millis(10), Duration::from_secs(1))
    );
    assert_eq!(RetryConfig::new(), RetryConfig::default());
    assert_eq!(RetryConfig::disabled().max_attempts, 1);
    assert_eq!(RateLimit::default(), RateLimit::Spec);

    let service: ServiceError<ccc_api::ErrorCode> = ServiceError::new(
        "DescribeAutoCalloutTask",
        "InvalidParameterValue",
        "bad task id",
        "req-9",
    )
    .with_attempts(2);
    assert_eq!(service.code, ccc_api::ErrorCode::InvalidParameterValue);
    assert_eq!(service.raw_code, "InvalidParameterValue");
    let error: ccc_api::Error = service.into();
    assert_eq!(error.request_id(), Some("req-9"));
    assert_eq!(error.attempts(), 2);
    assert_eq!(
        error.to_string(),
        "DescribeAutoCalloutTask failed: InvalidParameterValue: bad task id (request id req-9) after 2 attempts"
    );

    let timeout: SdkError<ccc_api::ErrorCode> =
        TransportError::from_kind(TransportErrorKind::Timeout).into();
    assert_eq!(timeout.to_string(), "timed out");
    assert_eq!(timeout.attempts(), 1);

    let decode = DecodeError::new(
        DecodeErrorKind::NotJson,
        502,
        "expected value",
        b"<html>Bad Gateway</html>",
    );
    assert_eq!(
        (decode.kind, decode.status, decode.body_len),
        (DecodeErrorKind::NotJson, 502, 24)
    );
    let decode: ccc_api::Error = decode.with_attempts(3).into();
    assert_eq!(decode.attempts(), 3);

    let credentials = CredentialsError::new("environment", "TENCENTCLOUD_SECRET_ID is not set");
    assert_eq!(credentials.source, "environment");
    assert_eq!(ConfigError::new("no region").reason, "no region");
}
