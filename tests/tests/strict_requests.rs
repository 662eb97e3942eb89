//! Requests read from JSON (replays, recorders, the emulator) are strict: a
//! required member missing or null at any depth is an error naming it, where
//! answers stay tolerant and report what they lacked.

use ccc_api::operation::create_auto_callout_task::CreateAutoCalloutTaskRequest;
use ccc_api::operation::create_staff::CreateStaffRequest;
use ccc_api::operation::describe_tel_cdr::DescribeTelCdrRequest;
use ccc_api::types::SeatUserInfo;
use serde_json::json;

fn error_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(v: serde_json::Value) -> String {
    serde_json::from_value::<T>(v).unwrap_err().to_string()
}

#[test]
fn a_request_lacking_a_required_member_at_any_depth_is_refused_by_name() {
    let staff = json!({"Name": "Ann", "Mail": "ann@example.com", "StaffNumber": "7"});
    let cases = [
        (
            json!({"Staffs": [staff]}),
            "missing required member `SdkAppId`",
        ),
        (json!({"SdkAppId": 1}), "missing required member `Staffs`"),
        (
            json!({"SdkAppId": 1, "Staffs": [staff, {"Name": "Bo", "Mail": "bo@example.com"}]}),
            "missing required member `Staffs[1].StaffNumber`",
        ),
        (
            json!({"SdkAppId": 1, "Staffs": [{"Name": "Bo", "Mail": null, "StaffNumber": "8"}]}),
            "required member is null `Staffs[0].Mail`",
        ),
        (
            json!({"SdkAppId": null, "Staffs": []}),
            "required member is null `SdkAppId`",
        ),
    ];
    for (body, expected) in cases {
        let e = error_of::<CreateStaffRequest>(body.clone());
        assert_eq!(e, expected, "{body}");
    }
    // A member of the type given twice is refused at any depth; an unknown
    // member may repeat (ignored, as before).
    let twice = r#"{"SdkAppId":1,"Staffs":[{"Name":"a","Mail":"m","StaffNumber":"1","Mail":"n"}]}"#;
    let e = serde_json::from_str::<CreateStaffRequest>(twice)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("duplicate field `Mail`"), "{e}");
    let unknown_twice = r#"{"SdkAppId":1,"Staffs":[],"Extra":1,"Extra":2}"#;
    assert!(serde_json::from_str::<CreateStaffRequest>(unknown_twice).is_ok());
    // Wrong types are still reported as before.
    let e = error_of::<CreateStaffRequest>(json!({"SdkAppId": "one", "Staffs": []}));
    assert!(e.contains("invalid type"), "{e}");
    // A required list may not be left out of a request either.
    let e = error_of::<CreateAutoCalloutTaskRequest>(
        json!({"SdkAppId": 1, "NotBefore": 0, "Callers": ["1"]}),
    );
    assert_eq!(e, "missing required member `Callees`");
}

#[test]
fn a_complete_request_reads_back_as_built() {
    let built = CreateStaffRequest::builder()
        .sdk_app_id(1)
        .staffs([SeatUserInfo::builder()
            .name("Ann")
            .mail("ann@example.com")
            .staff_number("7")
            .build()
            .unwrap()])
        .build()
        .unwrap();
    let text = serde_json::to_value(&built).unwrap();
    let back: CreateStaffRequest = serde_json::from_value(text).unwrap();
    assert_eq!(back, built);
}

#[test]
fn answers_stay_tolerant_of_the_same_gap() {
    // `SeatUserInfo` sits in call records too: there a missing `StaffNumber`
    // reads as empty and is reported.
    let answer = json!({"Response": {
        "TotalCount": 1,
        "TelCdrList": [{"SeatUser": {"Name": "Bo", "Mail": "bo@example.com"}}],
        "RequestId": "r"
    }});
    let page = ccc_api::decode_response::<DescribeTelCdrRequest>(
        200,
        serde_json::to_vec(&answer).unwrap(),
    )
    .unwrap();
    let lacked: Vec<String> = page.deviations().iter().map(|d| d.path.clone()).collect();
    assert!(
        lacked
            .iter()
            .any(|p| p == "TelCdrList[0].SeatUser.StaffNumber"),
        "{lacked:?}"
    );
}

#[tokio::test]
async fn the_emulator_refuses_a_nested_gap_as_a_missing_parameter() {
    use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let client = ccc_api::Client::builder()
        .credentials(ccc_api::Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(emulator.url())
        .build()
        .unwrap();
    let e = client
        .call(
            "CreateStaff",
            &json!({"SdkAppId": 1400000000, "Staffs": [{"Name": "Bo", "Mail": "bo@example.com"}]}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.raw_code(), Some("MissingParameter"), "{e}");
    assert!(e.to_string().contains("`Staffs[0].StaffNumber`"), "{e}");
}
