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
        .tags(vec![Tag::builder().key("k").build().unwrap()])
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
fn required_member_missing_from_a_response_reads_as_default_and_is_counted() {
    use ccc_api::runtime::codec::{Filled, Obj};
    use serde::de::DeserializeSeed;
    let filled = Filled::default();
    let resp = Obj::<DescribeThingResponse>::new(&filled)
        .deserialize(json!({ "RequestId": "r", "Thing": null }))
        .unwrap();
    assert_eq!(filled.count(), 1, "the null `Thing` was filled in");
    assert_eq!(resp.request_id, "r");
    let filled = Filled::default();
    Obj::<DescribeThingResponse>::new(&filled)
        .deserialize(json!({}))
        .unwrap();
    assert_eq!(filled.count(), 2, "`Thing` and `RequestId` were filled in");
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
    let resp = CreateThingFluentBuilder::new(client.core().clone())
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

    let err = CreateThingFluentBuilder::new(client.into_core())
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
    let owner = Owner::builder()
        .user_name("ann")
        .password("owner-pass-123")
        .build()
        .unwrap();
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

    // Custom speech configs carry third-party keys; header and parameter values
    // of callbacks may carry tokens; signed recording links grant access.
    use ccc_api::operation::create_ai_call::CreateAICallFluentBuilder;
    use ccc_api::operation::describe_session_detail::DescribeSessionDetailResponse;
    use ccc_api::types::{HeaderParams, HttpParams};
    let client = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let call = CreateAICallFluentBuilder::new(client.into_core())
        .custom_tts_config(r#"{"TTSType":"azure","SubscriptionKey":"tts-secret-1"}"#)
        .custom_stt_config(r#"{"SecretKey":"stt-secret-2"}"#);
    let params = vec![HttpParams::builder()
        .key("token")
        .value("param-secret-3")
        .build()];
    let headers = vec![HeaderParams::builder()
        .key("Authorization")
        .value("Bearer header-secret-4")
        .build()];
    let minimal = ccc_emulator::spec_table::action("DescribeSessionDetail")
        .unwrap()
        .minimal_response;
    let mut answer: serde_json::Value = serde_json::from_str(minimal).unwrap();
    answer["Response"]["RecordURL"] = json!("https://rec.example.com/a?sign=link-secret-5");
    answer["Response"]["AsrURL"] = json!("https://rec.example.com/b?sign=link-secret-6");
    let detail: DescribeSessionDetailResponse =
        serde_json::from_value(answer["Response"].clone()).unwrap();
    let shown = format!(
        "{call:?} {:?} {params:?} {headers:?} {detail:?}",
        call.as_builder()
    );
    for secret in 1..=6 {
        assert!(!shown.contains(&format!("secret-{secret}")), "{shown}");
    }
    assert!(shown.contains("Authorization"), "{shown}");
}

#[tokio::test]
async fn fluent_builders_and_nested_secrets_are_redacted() {
    use ccc_tests::fixture::types::Owner;
    use ccc_tests::fixture_names::operation::put_thing::{
        PutThingFluentBuilder, PutThingRequest, PutThingResponse,
    };
    let client = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let fluent = CreateThingFluentBuilder::new(client.core().clone()).access_key("fluent-secret-1");
    let names = PutThingFluentBuilder::new(client.into_core()).api_key("fluent-secret-2");
    let request = PutThingRequest::builder()
        .new_("n")
        .api_key("request-secret-3")
        .build()
        .unwrap();
    // A secret three levels down: response → list → list → object.
    let response: PutThingResponse = serde_json::from_value(json!({
        "RequestID": "x", "RequestId": "r",
        "Vault": [[{ "Label": "shown-label", "Token": "nested-secret-4" }]]
    }))
    .unwrap();
    let describe: DescribeThingResponse = serde_json::from_value(json!({
        "Thing": { "ThingId": 1, "Type": "small", "State": 0 },
        "Owner": { "UserName": "ann", "Password": "nested-secret-5" },
        "UpdatedAt": null, "RequestId": "r"
    }))
    .unwrap();
    let owners = vec![Some(
        Owner::builder()
            .user_name("bob")
            .password("nested-secret-6")
            .build()
            .unwrap(),
    )];
    let shown = format!(
        "{fluent:?} {names:#?} {request:?} {response:?} {response:#?} {describe:?} {owners:?}"
    );
    for secret in 1..=6 {
        assert!(!shown.contains(&format!("secret-{secret}")), "{shown}");
    }
    assert!(
        shown.contains("shown-label") && shown.contains("bob"),
        "{shown}"
    );
}

#[test]
fn colliding_member_names_are_escaped_and_keep_their_wire_names() {
    use ccc_tests::fixture_names::operation::put_thing::{
        PutThingErrorCode, PutThingRequest, PutThingRequestBuilder, PutThingResponse,
    };
    use ccc_tests::fixture_names::types::{ErrorCode as SharedEnum, PutThingRequest as Shared};
    let builder = PutThingRequestBuilder::default()
        .new_("1")
        .send_("2")
        .build_("3")
        .options_("4")
        .as_builder_("5")
        .into_paginator_("6")
        .default_("7")
        .clone_("8")
        .into_("9")
        .fmt_("10")
        .name("11")
        .set_name_("12")
        .r#type("13")
        .set_type_("14")
        .self_("15")
        .super_("16")
        .crate_("17")
        .client("18")
        .inner("19")
        .builder("20")
        .request_id("21")
        .body(Shared::builder().self_("22").r#type("23").build().unwrap());
    // The trait methods the escaped members would have shadowed still work.
    let copy = builder.clone();
    let request: PutThingRequest = copy.build().unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "New": "1", "Send": "2", "Build": "3", "Options": "4", "AsBuilder": "5",
            "IntoPaginator": "6", "Default": "7", "Clone": "8", "Into": "9", "Fmt": "10",
            "Name": "11", "SetName": "12", "Type": "13", "SetType": "14", "Self": "15",
            "Super": "16", "Crate": "17", "Client": "18", "Inner": "19", "Builder": "20",
            "RequestId": "21", "Body": { "Self": "22", "Type": "23" }
        })
    );
    // `set_name` still clears `Name`, and `set_name_` sets `SetName`.
    let cleared = builder.set_name(None).set_set_name_(None).build().unwrap();
    assert_eq!((cleared.name, cleared.set_name_), (None, None));
    let err = PutThingRequest::builder().build().unwrap_err();
    assert_eq!(
        err,
        BuildError::MissingMember {
            action: "PutThing",
            member: "New"
        }
    );

    let response: PutThingResponse = serde_json::from_value(json!({
        "RequestID": "member", "RequestId": "envelope", "Send": "s", "Self": "me", "Kind": "none"
    }))
    .unwrap();
    assert_eq!(response.request_id_, "member");
    assert_eq!(response.request_id, "envelope");
    assert_eq!(response.send.as_deref(), Some("s"));
    assert_eq!(response.self_.as_deref(), Some("me"));
    assert_eq!(response.kind, Some(SharedEnum::None));
    assert_eq!(
        PutThingErrorCode::from_raw("Some".into()),
        PutThingErrorCode::Some
    );
    assert_eq!(PutThingErrorCode::Err.as_str(), "Err");
}

#[test]
fn paging_through_escaped_members() {
    use ccc_api::Paginated;
    use ccc_tests::fixture_names::operation::list_items::{ListItemsRequest, ListItemsResponse};
    let mut request = ListItemsRequest::builder().clone_(10).build().unwrap();
    assert_eq!(request.page_size(), Some(10));
    request.set_position(20);
    request.set_page_size(5);
    assert_eq!((request.default_, request.clone_), (Some(20), 5));
    let response: ListItemsResponse = serde_json::from_value(json!({
        "RequestID": 42, "Self": [{ "Self": "a" }], "RequestId": "r"
    }))
    .unwrap();
    assert_eq!(ListItemsRequest::total(&response), Some(42));
    assert_eq!(ListItemsRequest::items(&response)[0].self_, "a");
}

/// Text enums match the borrowed wire text: whatever the value and whichever
/// way serde hands it over (borrowed from a `str`, unescaped into a scratch
/// buffer, owned from a `Value`), a documented value decodes to its variant
/// and nothing else does, the `Unknown` payload is the value exactly (inline
/// or on the heap), and `from_raw`, `as_str` and serialisation agree.
#[test]
fn text_enum_decodes_alike_by_every_path_and_only_documented_values_are_known() {
    let documented = ["small", "large"];
    let check = |text: &str| {
        let quoted = serde_json::to_string(text).unwrap();
        // Every character escaped: serde_json unescapes into its scratch buffer.
        let escaped: String = std::iter::once("\"".to_owned())
            .chain(text.encode_utf16().map(|u| format!("\\u{u:04x}")))
            .chain(std::iter::once("\"".to_owned()))
            .collect();
        let decoded = [
            serde_json::from_str::<ThingKind>(&quoted).unwrap(),
            serde_json::from_slice::<ThingKind>(quoted.as_bytes()).unwrap(),
            serde_json::from_str::<ThingKind>(&escaped).unwrap(),
            serde_json::from_value::<ThingKind>(json!(text)).unwrap(),
        ];
        let expected = ThingKind::from_raw(text.into());
        for kind in &decoded {
            assert_eq!(kind, &expected, "{text:?}");
            assert_eq!(kind.as_str(), text);
            assert_eq!(
                matches!(kind, ThingKind::Unknown(_)),
                !documented.contains(&text),
                "{text:?}"
            );
            assert_eq!(serde_json::to_string(kind).unwrap(), quoted);
        }
    };
    let table = [
        "small",
        "large",
        "",
        "Small",
        "smal",
        "small ",
        "larg\u{e9}",
        "24-bytes-exactly-inline!",
        "25-bytes-just-off-inline!",
        "坐席坐席坐席坐席",
        "a value well beyond what a compact string keeps inline",
    ];
    for text in table {
        check(text);
    }
    // Bounded random strings around the documented ones and the inline limit.
    let alphabet: Vec<char> = "smalrgeSL _-坐\u{e9}\u{1f600}".chars().collect();
    let mut rng = fastrand::Rng::with_seed(13);
    for _ in 0..5_000 {
        let text: String = if rng.bool() {
            let base = documented[rng.usize(..documented.len())];
            let cut = rng.usize(..=base.len());
            let tail: String = (0..rng.usize(..3))
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            format!("{}{tail}", &base[..cut])
        } else {
            (0..rng.usize(..30))
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect()
        };
        check(&text);
    }
    // Not a string at all: a typed error, never a panic or a guess.
    assert!(serde_json::from_str::<ThingKind>("7").is_err());
    assert!(serde_json::from_str::<ThingKind>("null").is_err());
}
