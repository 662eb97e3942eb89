//! Reading the `{"Response": {...}}` envelope: a service error, or the slice of the
//! body that holds the action's response, located in one pass over the bytes.

use crate::action::Action;
use crate::error::{DecodeError, DecodeErrorKind, SdkError, ServiceError};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::ops::Range;

/// An answer that is not a service error: the body and, when it has been located,
/// where `Response`'s value sits in it.
#[derive(Debug)]
pub(crate) struct RawResponse {
    status: u16,
    body: Vec<u8>,
    response: Option<Range<usize>>,
    /// Attempts it took to get this answer.
    pub attempts: u32,
}

impl RawResponse {
    /// A decode error about this answer.
    pub fn decode_error(&self, kind: DecodeErrorKind, detail: String) -> DecodeError {
        let mut e = DecodeError::new(kind, self.status, detail, &self.body);
        e.attempts = self.attempts;
        e
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes `Response` as `T`. On the fast path the body was not parsed yet:
    /// it is parsed once, straight into `T`; only if that fails is the envelope
    /// examined to say precisely what is wrong.
    pub fn decode<T: DeserializeOwned>(&self, action: &str) -> Result<T, SdkError<String>> {
        let shape = |e: serde_json::Error| {
            SdkError::Decode(self.decode_error(DecodeErrorKind::Shape, e.to_string()))
        };
        match &self.response {
            Some(range) => serde_json::from_slice(&self.body[range.clone()]).map_err(shape),
            None => match serde_json::from_slice::<Envelope<T>>(&self.body) {
                Ok(envelope) => Ok(envelope.response),
                Err(e) => match inspect(action, self.status, &self.body) {
                    Err(mut precise) => {
                        precise.set_attempts(self.attempts);
                        Err(precise)
                    }
                    Ok(_) => Err(shape(e)),
                },
            },
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(rename = "Response", borrow, default)]
    response: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ErrorProbe {
    #[serde(rename = "Error", default)]
    error: Option<ErrorBody>,
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code", default)]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

/// Accepts an answer that is not a service error. A 2xx JSON object that does
/// not mention `"Error"` cannot hold one, and is accepted without parsing (the
/// typed decode parses it once); anything else is examined now, so that retries
/// can tell a rate limit or a 5xx from a success.
pub(crate) fn read_envelope(
    action: &str,
    status: u16,
    body: Vec<u8>,
) -> Result<RawResponse, SdkError<String>> {
    let object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let response = if (200..300).contains(&status) && object && !mentions_error(&body) {
        None
    } else {
        Some(inspect(action, status, &body)?)
    };
    Ok(RawResponse {
        status,
        body,
        response,
        attempts: 1,
    })
}

fn mentions_error(body: &[u8]) -> bool {
    body.windows(7).any(|w| w == b"\"Error\"")
}

/// Splits an answer into a service error, a decode error, or the range of the
/// response object in the body.
fn inspect(action: &str, status: u16, body: &[u8]) -> Result<Range<usize>, SdkError<String>> {
    let decode_error = |kind, detail: String, body: &[u8]| {
        SdkError::Decode(DecodeError::new(kind, status, detail, body))
    };

    let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'{') => {}
        None => {
            return Err(decode_error(
                DecodeErrorKind::NotJson,
                "empty body".into(),
                body,
            ));
        }
        Some(b) => {
            let hint = if b == b'<' {
                " (looks like an HTML page)"
            } else {
                ""
            };
            let detail = format!("body does not start with a JSON object{hint}");
            return Err(decode_error(DecodeErrorKind::NotJson, detail, body));
        }
    }

    let envelope: RawEnvelope<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(e) => {
            let kind = if e.is_eof() {
                DecodeErrorKind::Truncated
            } else if e.is_syntax() {
                DecodeErrorKind::Malformed
            } else {
                DecodeErrorKind::MissingEnvelope
            };
            return Err(decode_error(kind, e.to_string(), body));
        }
    };
    let Some(raw) = envelope.response else {
        let detail = "no `Response` object in the body".to_owned();
        return Err(decode_error(DecodeErrorKind::MissingEnvelope, detail, body));
    };
    let text = raw.get();
    if !text.starts_with('{') {
        let detail = "`Response` is not an object".to_owned();
        return Err(decode_error(DecodeErrorKind::MissingEnvelope, detail, body));
    }
    // Only an envelope that mentions `Error` can hold one; skip the probe otherwise.
    if text.contains("\"Error\"") {
        if let Ok(ErrorProbe {
            error: Some(error),
            request_id,
        }) = serde_json::from_str::<ErrorProbe>(text)
        {
            return Err(SdkError::Service(Box::new(ServiceError {
                action: action.to_owned(),
                code: error.code.clone(),
                raw_code: error.code,
                message: error.message,
                request_id: request_id.unwrap_or_default(),
                attempts: 1,
            })));
        }
    }
    if !(200..300).contains(&status) {
        let detail = "HTTP error status without a service error".to_owned();
        return Err(decode_error(
            DecodeErrorKind::UnexpectedStatus,
            detail,
            body,
        ));
    }
    let start = text.as_ptr() as usize - body.as_ptr() as usize;
    Ok(start..start + text.len())
}

/// Decodes a complete answer of action `A`: its typed response, the service's
/// typed error, or a decode error keeping the status and the start of the body.
/// This is what [`crate::Client::execute`] does with the bytes it receives; it is
/// public for replaying recorded answers and for tests.
pub fn decode_response<A: Action>(
    status: u16,
    body: Vec<u8>,
) -> Result<A::Response, SdkError<A::ErrorCode>> {
    let raw = read_envelope(A::ACTION, status, body).map_err(SdkError::map_code)?;
    raw.decode(A::ACTION).map_err(SdkError::map_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads and decodes an answer into a struct, as the client does.
    fn read(status: u16, body: &str) -> Result<serde_json::Value, SdkError<String>> {
        #[derive(Deserialize)]
        struct AnyObject {}
        let raw = read_envelope("DescribeAutoCalloutTask", status, body.as_bytes().to_vec())?;
        raw.decode::<AnyObject>("DescribeAutoCalloutTask")?;
        raw.decode("DescribeAutoCalloutTask")
    }

    fn decode_kind(r: Result<serde_json::Value, SdkError<String>>) -> DecodeErrorKind {
        match r {
            Err(SdkError::Decode(e)) => e.kind,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn finds_the_response_slice() {
        let r = read(200, r#" {"Response": {"Name": "x", "RequestId": "r1"}} "#).unwrap();
        assert_eq!(r, serde_json::json!({"Name": "x", "RequestId": "r1"}));
    }

    #[test]
    fn service_error() {
        let body = r#"{"Response":{"Error":{"Code":"InvalidParameterValue","Message":"bad TaskId"},"RequestId":"req-9"}}"#;
        match read(200, body) {
            Err(SdkError::Service(e)) => {
                assert_eq!(e.raw_code, "InvalidParameterValue");
                assert_eq!(e.message, "bad TaskId");
                assert_eq!(e.request_id, "req-9");
                assert_eq!(
                    e.to_string(),
                    "DescribeAutoCalloutTask failed: InvalidParameterValue: bad TaskId (request id req-9)"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_field_value_mentioning_error_is_not_an_error() {
        let r = read(200, r#"{"Response":{"Name":"\"Error\"","RequestId":"r"}}"#).unwrap();
        assert_eq!(r["Name"], "\"Error\"");
    }

    #[test]
    fn bad_bodies() {
        assert_eq!(
            decode_kind(read(502, "<html><body>502 Bad Gateway</body></html>")),
            DecodeErrorKind::NotJson
        );
        assert_eq!(decode_kind(read(200, "")), DecodeErrorKind::NotJson);
        assert_eq!(
            decode_kind(read(200, r#"{"Response": {"Name": "x""#)),
            DecodeErrorKind::Truncated
        );
        assert_eq!(
            decode_kind(read(200, r#"{"Response": {"Name" "x"}}"#)),
            DecodeErrorKind::Malformed
        );
        assert_eq!(
            decode_kind(read(200, r#"{"Other": 1}"#)),
            DecodeErrorKind::MissingEnvelope
        );
        assert_eq!(
            decode_kind(read(200, r#"{"Response": 3}"#)),
            DecodeErrorKind::MissingEnvelope
        );
        assert_eq!(
            decode_kind(read(500, r#"{"Response": {"RequestId": "r"}}"#)),
            DecodeErrorKind::UnexpectedStatus
        );
    }

    #[test]
    fn html_error_message_names_status_and_keeps_the_body() {
        let e = match read(502, "<html>Bad Gateway</html>") {
            Err(SdkError::Decode(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(e.status, 502);
        assert_eq!(e.body_prefix, "<html>Bad Gateway</html>");
        assert!(
            e.to_string().starts_with("HTTP 502, not a JSON response"),
            "{e}"
        );
    }

    #[test]
    fn body_prefix_is_bounded_and_cut_on_a_char_boundary() {
        let body = format!("<{}", "é".repeat(2000));
        let e = match read(500, &body) {
            Err(SdkError::Decode(e)) => e,
            other => panic!("{other:?}"),
        };
        assert!(e.body_prefix.len() <= 1024);
        assert!(!e.body_prefix.contains('\u{fffd}'));
        assert_eq!(e.body_len, body.len());
    }
}
