//! Behaviour of generated code, on the fixture spec that uses every feature:
//! keyword members, string and signed enums, nested objects, lists of lists,
//! optional and nullable members, builders, and calls through the runtime.

use ccc_api::enums::WireEnum;
use ccc_api::{BuildError, Client, Credentials, SdkError};
use ccc_tests::fixture::operation::create_thing::{
    CreateThingErrorCode, CreateThingFluentBuilder, CreateThingRequest,
};
use ccc_tests::fixture::operation::describe_thing::DescribeThingResponse;
use ccc_tests::fixture::types::{Tag, Thing, ThingKind, ThingState};
use ccc_tests::fixture::{ErrorCode, Site};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use serde_json::json;

#[test]
fn request_serialises_in_spec_order_without_unset_members() {
    let request = CreateThingRequest::builder()
        .name("box")
        .r#type(ThingKind::Large)
        .grid(vec![vec![1, -2], vec![]])
        .tags(vec![Tag {
            key: "k".into(),
            value: None,
        }])
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"Name":"box","Type":"large","Tags":[{"Key":"k"}],"Grid":[[1,-2],[]]}"#
    );
    let back: CreateThingRequest =
        serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    assert_eq!(back, request);
}

#[test]
fn builder_names_the_missing_member() {
    let err = CreateThingRequest::builder()
        .name("box")
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::MissingMember {
            action: "CreateThing",
            member: "Type"
        }
    );
    let err = CreateThingRequest::builder()
        .r#type(ThingKind::Small)
        .set_name(None)
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::MissingMember {
            action: "CreateThing",
            member: "Name"
        }
    );
}

#[test]
fn response_presence_rules() {
    let body = json!({
        "Thing": {
            "ThingId": 7, "Type": "tiny", "State": -1, "Tags": [{"Key": "a", "Value": "b"}], "Score": null,
            "Children": [{ "ThingId": 8, "Type": "small", "State": 1, "Score": 0.5 }]
        },
        "UpdatedAt": null,
        "RequestId": "r"
    });
    let resp: DescribeThingResponse = serde_json::from_value(body).unwrap();
    assert_eq!(resp.thing.r#type.as_str(), "tiny");
    assert!(matches!(resp.thing.r#type, ThingKind::Unknown(_)));
    assert_eq!(resp.thing.state, ThingState::Broken);
    assert_eq!(resp.thing.score, None);
    let child = &resp.thing.children.as_ref().unwrap()[0];
    // A required list the server left out reads as empty.
    assert!(child.tags.is_empty());
    assert_eq!(child.score, Some(0.5));
    assert_eq!(child.children, None);
    assert_eq!(resp.owner, None);
    assert_eq!(resp.updated_at, None);

    // Nullable members are written as null; optional ones are left out.
    let out = serde_json::to_value(&resp).unwrap();
    assert_eq!(out["UpdatedAt"], json!(null));
    assert_eq!(out["Thing"]["Score"], json!(null));
    assert!(out.get("Owner").is_none());
    assert!(out["Thing"]["Children"][0].get("Children").is_none());
}

#[test]
fn required_member_missing_from_a_response_is_an_error() {
    let err =
        serde_json::from_value::<DescribeThingResponse>(json!({ "RequestId": "r" })).unwrap_err();
    assert!(err.to_string().contains("missing field `Thing`"), "{err}");
}

#[test]
fn enums_round_trip_and_unknown_values_never_shadow_known_ones() {
    assert_eq!(ThingState::from_raw(0), ThingState::Idle);
    assert_eq!(ThingState::from_raw(-1).value(), -1);
    let unknown = ThingState::from_raw(77);
    assert_eq!(unknown.value(), 77);
    assert_eq!(serde_json::to_string(&unknown).unwrap(), "77");
    assert_eq!(
        serde_json::to_string(&ThingKind::Small).unwrap(),
        r#""small""#
    );
    assert_eq!(
        serde_json::from_str::<ThingKind>(r#""large""#).unwrap(),
        ThingKind::Large
    );
    // A wrong wire type is still an error, not an unknown value.
    assert!(serde_json::from_str::<ThingState>(r#""busy""#).is_err());
}

#[test]
fn error_codes_and_sites() {
    assert_eq!(
        CreateThingErrorCode::from_raw("FailedOperation.DBError".into()),
        CreateThingErrorCode::FailedOperationDbError
    );
    assert_eq!(
        CreateThingErrorCode::from_raw("Nope".into()).as_str(),
        "Nope"
    );
    assert_eq!(
        ErrorCode::from_raw("ResourceNotFound.Thing".into()),
        ErrorCode::ResourceNotFoundThing
    );
    assert!(ErrorCode::RequestLimitExceeded.is_common());
    assert!(!ErrorCode::ResourceNotFoundThing.is_common());
    assert_eq!(ErrorCode::InvalidParameter.to_string(), "InvalidParameter");
    assert_eq!(Site::default(), Site::Primary);
    assert_eq!(Site::Backup.host(), "fixture-backup.example.com");
    let _: Thing;
}

#[tokio::test]
async fn generated_fluent_builder_calls_through_the_runtime() {
    let server = TestServer::start(|req| {
        assert_eq!(req.header("x-tc-action"), Some("CreateThing"));
        Reply::json(r#"{"Response":{"ThingId":7,"RequestId":"r"}}"#)
    })
    .await;
    let client = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let resp = CreateThingFluentBuilder::new(client.clone())
        .name("box")
        .r#type(ThingKind::Small)
        .weight(1.5)
        .enabled(true)
        .priority(-3)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.thing_id, 7);
    assert_eq!(resp.warnings, None);
    assert_eq!(
        server.received()[0].json(),
        json!({"Name": "box", "Type": "small", "Weight": 1.5, "Enabled": true, "Priority": -3})
    );

    let err = CreateThingFluentBuilder::new(client)
        .name("box")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        SdkError::Build(BuildError::MissingMember { member: "Type", .. })
    ));
}

#[test]
fn sensitive_members_are_redacted_in_debug_output() {
    use ccc_tests::fixture::types::Owner;
    let request = CreateThingRequest::builder()
        .name("box")
        .r#type(ThingKind::Small)
        .access_key("hunter2-secret")
        .build()
        .unwrap();
    let builder = CreateThingRequest::builder().access_key("hunter2-secret");
    let owner = Owner {
        user_name: "ann".into(),
        primary: None,
        password: "owner-pass-123".into(),
    };
    let shown = format!("{request:?} {request:#?} {builder:?} {owner:?}");
    assert!(
        !shown.contains("hunter2-secret") && !shown.contains("owner-pass-123"),
        "{shown}"
    );
    assert!(
        shown.contains("access_key: Some(\"** redacted **\")")
            && shown.contains("user_name: \"ann\""),
        "{shown}"
    );
    // Serialisation still sends the value: only Debug hides it.
    assert_eq!(
        serde_json::to_value(&request).unwrap()["AccessKey"],
        "hunter2-secret"
    );
}

#[test]
fn secrets_of_the_real_api_are_redacted_too() {
    use ccc_api::operation::create_ai_call::CreateAICallRequest;
    use ccc_api::operation::describe_extension::DescribeExtensionResponse;
    let request: CreateAICallRequest = serde_json::from_value(json!({
        "SdkAppId": 1, "Callee": "1", "LLMType": "openai", "APIKey": "sk-very-secret", "APIUrl": "https://llm.example.com",
        "SystemPrompt": "p", "Model": "m", "VoiceType": "ZhiMei", "Callers": ["1"]
    }))
    .unwrap();
    let minimal = ccc_emulator::spec_table::action("DescribeExtension")
        .unwrap()
        .minimal_response;
    let mut answer: serde_json::Value = serde_json::from_str(minimal).unwrap();
    answer["Response"]["Password"] = json!("sip-password-9");
    let response: DescribeExtensionResponse =
        serde_json::from_value(answer["Response"].clone()).unwrap();
    let shown = format!("{request:?} {response:?}");
    assert!(
        !shown.contains("sk-very-secret") && !shown.contains("sip-password-9"),
        "{shown}"
    );
}
