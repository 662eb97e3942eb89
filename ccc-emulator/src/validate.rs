//! Checking a request against the spec, with the service's error codes and in
//! the documentation's terms.
//!
//! Two steps, each once per request: [`check_body`] reads the JSON, refuses
//! members the action does not have (`UnknownParameter`) and values of the
//! wrong type, naming the member's path and the type as the API docs write it
//! ("Integer (int64)", "String", "Array of String", an object's name), never
//! a Rust type; then [`decode`] reads the body into the generated request type
//! of the action, whose strict decoding refuses a required member missing or
//! null at any depth (`MissingParameter`, naming its path).
//!
//! A number or a boolean written as a string that spells a value of the
//! member's type (`"SdkAppId": "1400000000"`, `"IsForceUseMobile": "true"`)
//! is read as that value: the China site's official examples of
//! `ControlAIConversation` and `CreateCallOutSession` send exactly these, and
//! the service answered them. Any other string stays a wrong type.

use crate::spec_table::{self, ActionInfo, MemberInfo};
use ccc_api::ActionVisitor;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::borrow::Cow;

/// An error answer: code and message.
pub type Refusal = (&'static str, String);

/// The body of a request whose members all exist and have their documented
/// types (rewritten if a value spelled as a string was read as its type), or
/// why it is not one.
pub fn check_body<'a>(action: &ActionInfo, body: &'a [u8]) -> Result<Cow<'a, [u8]>, Refusal> {
    let mut params: Value = serde_json::from_slice(body).map_err(|e| {
        (
            "InvalidParameter",
            format!("the request body is not valid JSON: {e}"),
        )
    })?;
    let Some(object) = params.as_object_mut() else {
        return Err((
            "InvalidParameter",
            "the request body must be a JSON object".into(),
        ));
    };
    let mut respelled = false;
    for (key, value) in object {
        let Some(member) = action.input.iter().find(|m| m.name == key) else {
            return Err((
                "UnknownParameter",
                format!("{} has no parameter `{key}`", action.name),
            ));
        };
        respelled |= check_type(key, member, value).map_err(|e| ("InvalidParameterValue", e))?;
    }
    Ok(if respelled {
        Cow::Owned(params.to_string().into_bytes())
    } else {
        Cow::Borrowed(body)
    })
}

/// Reads a checked body as the request type `A` of its action: a required
/// member missing or null at any depth is `MissingParameter`.
pub fn decode<A: DeserializeOwned>(body: &[u8]) -> Result<A, Refusal> {
    serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        if text.starts_with("missing required member")
            || text.starts_with("required member is null")
        {
            ("MissingParameter", text)
        } else {
            // The type walk of `check_body` names wrong types first; what is
            // left is a value the docs' type admits but the request cannot
            // hold.
            (
                "InvalidParameterValue",
                format!("a parameter does not fit its documented type: {text}"),
            )
        }
    })
}

/// Decodes a checked body as the request type of `action` (for the actions
/// without state, whose answer does not need the request).
pub fn check_request(action: &ActionInfo, body: &[u8]) -> Result<(), Refusal> {
    struct Decode<'a>(&'a [u8]);
    impl ActionVisitor for Decode<'_> {
        type Output = Result<(), Refusal>;
        fn visit<A: ccc_api::RoundTripAction>(self) -> Result<(), Refusal> {
            decode::<A>(self.0).map(drop)
        }
    }
    ccc_api::operation::visit(action.name, Decode(body)).unwrap_or(Ok(()))
}

/// Lists the member's type is nested in (`list<list<string>>`: 2).
fn list_depth(member: &MemberInfo) -> usize {
    let mut t = member.spec_type;
    let mut depth = 0;
    while let Some(inner) = t.strip_prefix("list<") {
        t = inner;
        depth += 1;
    }
    depth
}

/// The member's type as the API documentation writes it.
fn docs_type(member: &MemberInfo, depth: usize) -> String {
    let base = match member.element {
        "string" => "String".to_owned(),
        "int64" => "Integer (int64)".to_owned(),
        "uint64" => "Integer (uint64)".to_owned(),
        "float" => "Float".to_owned(),
        "bool" => "Boolean".to_owned(),
        _ => member.object.unwrap_or("object").to_owned(),
    };
    "Array of ".repeat(depth) + &base
}

/// What a value is, in the same terms.
fn described(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the Boolean {b}"),
        Value::Number(n) if n.is_f64() => format!("the Float {n}"),
        Value::Number(n) => format!("the Integer {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("a String ({} characters)", s.chars().count())
        }
        Value::String(s) => format!("the String {s:?}"),
        Value::Array(_) => "an Array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Checks `value` of `member` at `path` against the member's documented type
/// (nulls are left to [`decode`], which knows which members are required);
/// whether a value spelled as a string was replaced by its typed value.
fn check_type(path: &str, member: &MemberInfo, value: &mut Value) -> Result<bool, String> {
    check_at(path, member, value, list_depth(member))
}

fn check_at(
    path: &str,
    member: &MemberInfo,
    value: &mut Value,
    depth: usize,
) -> Result<bool, String> {
    let wrong = |value: &Value| {
        format!(
            "`{path}` must be {}; it is {}",
            with_article(&docs_type(member, depth)),
            described(value)
        )
    };
    if value.is_null() {
        return Ok(false);
    }
    if depth > 0 {
        let Some(items) = value.as_array_mut() else {
            return Err(wrong(value));
        };
        let mut respelled = false;
        for (i, item) in items.iter_mut().enumerate() {
            respelled |= check_at(&format!("{path}[{i}]"), member, item, depth - 1)?;
        }
        return Ok(respelled);
    }
    let fits = |v: &Value| match member.element {
        "string" => v.is_string(),
        "int64" => v.is_i64(),
        "uint64" => v.is_u64(),
        "float" => v.is_number(),
        "bool" => v.is_boolean(),
        _ => v.is_object(),
    };
    if !fits(value) {
        let spelled = match (&*value, member.element) {
            (Value::String(s), "int64" | "uint64" | "float" | "bool") => {
                serde_json::from_str::<Value>(s).ok().filter(|v| fits(v))
            }
            _ => None,
        };
        return match spelled {
            Some(typed) => {
                *value = typed;
                Ok(true)
            }
            None => Err(wrong(value)),
        };
    }
    let mut respelled = false;
    if let (Some(map), Some(info)) = (
        value.as_object_mut(),
        member.object.and_then(spec_table::type_info),
    ) {
        for (key, v) in map {
            // Members an object type does not have are ignored, as the
            // service ignores them.
            if let Some(field) = info.fields.iter().find(|f| f.name == key) {
                respelled |= check_type(&format!("{path}.{key}"), field, v)?;
            }
        }
    }
    Ok(respelled)
}

fn with_article(kind: &str) -> String {
    let vowel = kind.starts_with(['A', 'E', 'I', 'O', 'U']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(action: &str, body: &str) -> Refusal {
        let action = spec_table::action(action).unwrap();
        check_body(action, body.as_bytes())
            .and_then(|body| check_request(action, &body))
            .unwrap_err()
    }

    #[test]
    fn wrong_types_are_named_in_the_docs_terms() {
        let (code, text) = refusal(
            "DescribeAutoCalloutTask",
            r#"{"SdkAppId": "one", "TaskId": 1}"#,
        );
        assert_eq!(code, "InvalidParameterValue");
        assert_eq!(
            text,
            r#"`SdkAppId` must be an Integer (uint64); it is the String "one""#
        );
        let (_, text) = refusal(
            "CreateAutoCalloutTask",
            r#"{"SdkAppId": 1, "NotBefore": 1.5, "Callees": [], "Callers": []}"#,
        );
        assert_eq!(
            text,
            "`NotBefore` must be an Integer (int64); it is the Float 1.5"
        );
        let (_, text) = refusal(
            "CreateAutoCalloutTask",
            r#"{"SdkAppId": 1, "NotBefore": 1, "Callees": ["a", 7], "Callers": []}"#,
        );
        assert_eq!(text, "`Callees[1]` must be a String; it is the Integer 7");
        let (_, text) = refusal(
            "CreateStaff",
            r#"{"SdkAppId": 1, "Staffs": [{"Name": "n", "Mail": 3, "StaffNumber": "1"}]}"#,
        );
        assert_eq!(
            text,
            "`Staffs[0].Mail` must be a String; it is the Integer 3"
        );
        let (_, text) = refusal(
            "DescribeAutoCalloutTask",
            r#"{"SdkAppId": -1, "TaskId": 1}"#,
        );
        assert!(text.contains("Integer (uint64)"), "{text}");
        for (_, text) in [
            refusal(
                "DescribeAutoCalloutTask",
                r#"{"SdkAppId": true, "TaskId": 1}"#,
            ),
            refusal("CreateStaff", r#"{"SdkAppId": 1, "Staffs": {}}"#),
        ] {
            assert!(
                !text.contains("u64") && !text.contains("expected"),
                "{text}"
            );
        }
    }

    #[test]
    fn values_spelled_as_strings_are_read_as_their_type() {
        let action = spec_table::action("ControlAIConversation").unwrap();
        let body = br#"{"SdkAppId": "1400000000", "SessionId": "s"}"#;
        let checked = check_body(action, body).unwrap();
        let value: Value = serde_json::from_slice(&checked).unwrap();
        assert_eq!(value["SdkAppId"], 1400000000);
        let plain = br#"{"SdkAppId": 1, "SessionId": "s"}"#;
        assert!(matches!(
            check_body(action, plain).unwrap(),
            Cow::Borrowed(_)
        ));
        let (_, text) = refusal(
            "DescribeAutoCalloutTask",
            r#"{"SdkAppId": "-1", "TaskId": 1}"#,
        );
        assert!(text.contains("Integer (uint64)"), "{text}");
    }

    #[test]
    fn missing_members_are_named_with_their_path() {
        let (code, text) = refusal(
            "CreateStaff",
            r#"{"SdkAppId": 1, "Staffs": [{"Name": "n"}]}"#,
        );
        assert_eq!(code, "MissingParameter");
        assert!(text.contains("`Staffs[0].Mail`"), "{text}");
        let (code, _) = refusal(
            "DescribeAutoCalloutTask",
            r#"{"SdkAppId": 1, "TaskId": null}"#,
        );
        assert_eq!(code, "MissingParameter");
    }
}
