//! Checking a request body against the spec, with the service's error codes.

use crate::spec_table::ActionInfo;
use ccc_api::ActionVisitor;
use serde_json::Value;

/// An error answer: code and message.
pub type Refusal = (&'static str, String);

/// The parameters of a valid request, or why it is not one.
pub fn check_body(action: &ActionInfo, body: &[u8]) -> Result<Value, Refusal> {
    let params: Value = serde_json::from_slice(body).map_err(|e| {
        (
            "InvalidParameter",
            format!("the request body is not valid JSON: {e}"),
        )
    })?;
    let Some(object) = params.as_object() else {
        return Err((
            "InvalidParameter",
            "the request body must be a JSON object".into(),
        ));
    };
    for key in object.keys() {
        if !action.input.iter().any(|m| m.name == key) {
            return Err((
                "UnknownParameter",
                format!("{} has no parameter `{key}`", action.name),
            ));
        }
    }
    for m in action.input.iter().filter(|m| m.required) {
        if object.get(m.name).is_none_or(Value::is_null) {
            return Err((
                "MissingParameter",
                format!("the required parameter `{}` is missing", m.name),
            ));
        }
    }
    // Types and nested members: decode into the generated request type of
    // the action, which refuses a required member missing at any depth.
    struct Decode<'a>(&'a Value);
    impl ActionVisitor for Decode<'_> {
        type Output = Result<(), String>;
        fn visit<A: ccc_api::RoundTripAction>(self) -> Result<(), String> {
            serde_json::from_value::<A>(self.0.clone())
                .map(drop)
                .map_err(|e| e.to_string())
        }
    }
    match ccc_api::operation::visit(action.name, Decode(&params)) {
        Some(Err(e))
            if e.starts_with("missing required member")
                || e.starts_with("required member is null") =>
        {
            Err(("MissingParameter", e))
        }
        Some(Err(e)) => Err((
            "InvalidParameterValue",
            format!("a parameter has the wrong type: {e}"),
        )),
        _ => Ok(params),
    }
}

/// Whether `action` may answer `code`: one the action documents or one every
/// Tencent Cloud API may return. Every refusal of the emulator is one of them
/// (checked in debug builds and by the test that drives each action with bad
/// input).
pub fn documented(action: &str, code: &str) -> bool {
    use ccc_api::enums::WireEnum;
    struct Known<'a>(&'a str);
    impl ActionVisitor for Known<'_> {
        type Output = bool;
        fn visit<A: ccc_api::RoundTripAction>(self) -> bool {
            A::ErrorCode::from_known(self.0).is_some()
        }
    }
    let common = ccc_api::ErrorCode::from_known(code).is_some_and(|c| c.is_common());
    common || ccc_api::operation::visit(action, Known(code)).unwrap_or(false)
}
