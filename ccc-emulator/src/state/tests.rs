//! Every action driven with bad input answers only documented codes.

use super::*;
use crate::spec_table::ACTIONS;
use crate::validate::{check_body, check_request, documented};
use serde_json::json;

/// The first official example's parameters, or the required members with
/// zero values.
fn request_of(action: &crate::spec_table::ActionInfo) -> Value {
    let text = action.example_request.unwrap_or(action.minimal_request);
    serde_json::from_str(text).unwrap()
}

/// Every action driven with bad inputs (an unknown member; each member in turn: removed, null,
/// zero, negative, huge, empty, of the wrong type, an id or name that does
/// not exist), through the body check and the state as a request would go,
/// answers only codes the action documents or common ones; and the
/// documented ones that matter do come up.
#[test]
fn every_answered_error_code_is_documented() {
    let bad_values = [
        Value::Null,
        json!(0),
        json!(-1),
        json!(i64::MAX),
        json!(""),
        json!("nonexistent"),
        json!([]),
        json!([-1]),
        json!({}),
        json!(true),
    ];
    let state = State::new(&Seed::default(), Arc::new(Clock::stopped()), 1).unwrap();
    let (mut sent, mut codes, mut undocumented) =
        (0, std::collections::BTreeSet::new(), Vec::new());
    for action in ACTIONS {
        let base = request_of(action);
        let mut unknown = base.clone();
        unknown["NoSuchMember"] = json!(1);
        let mut variants = vec![base.clone(), unknown];
        for m in action.input {
            let mut removed = base.clone();
            removed.as_object_mut().unwrap().remove(m.name);
            variants.push(removed);
            for v in &bad_values {
                let mut changed = base.clone();
                changed[m.name] = v.clone();
                variants.push(changed);
            }
        }
        for params in variants {
            sent += 1;
            let body = params.to_string();
            let answer = check_body(action, body.as_bytes()).and_then(|body| {
                state
                    .handle(action.name, &body)
                    .unwrap_or_else(|| check_request(action, &body).map(|()| Value::Null))
            });
            let mut seen = Vec::new();
            match answer {
                Ok(v) => {
                    // Per-item codes inside an answer (CreateStaff's ErrorStaffList).
                    for item in v
                        .get("ErrorStaffList")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        seen.push(item["Code"].as_str().unwrap_or_default().to_owned());
                    }
                }
                Err((code, _)) => seen.push(code.to_owned()),
            }
            for code in seen {
                if !documented(action.name, &code) {
                    undocumented.push(format!("{}: {code} for {params}", action.name));
                }
                codes.insert(code);
            }
        }
    }
    assert!(undocumented.is_empty(), "{}", undocumented.join("\n"));
    assert!(sent > 4000, "{sent} requests");
    for expected in [
        "MissingParameter",
        "InvalidParameterValue",
        "InvalidParameterValue.InstanceNotExist",
        "UnknownParameter",
    ] {
        assert!(codes.contains(expected), "{expected} not among {codes:?}");
    }
}

#[test]
fn documented_checks_codes_per_action() {
    assert!(documented("PauseAutoCalloutTask", "UnsupportedOperation"));
    assert!(documented(
        "CreateCCCSkillGroup",
        "InvalidParameterValue.SkillGroupExist"
    ));
    assert!(documented("DescribeNumbers", "MissingParameter"));
    assert!(!documented(
        "BindNumberCallOutSkillGroup",
        "InvalidParameterValue.SkillGroupError"
    ));
    assert!(!documented(
        "DescribeNumbers",
        "FailedOperation.DuplicatedAccount"
    ));
    assert!(!documented(
        "NoSuchAction",
        "InvalidParameterValue.SkillGroupExist"
    ));
}
