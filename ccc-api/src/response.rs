//! Reading the `{"Response": {...}}` envelope: a service error, or the slice of the
//! body that holds the action's response, located in one pass over the bytes.

use crate::action::Action;
use crate::error::{DecodeError, DecodeErrorKind, SdkError, ServiceError};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::ops::Range;

/// A successful answer: the body and where `Response`'s value sits in it.
#[derive(Debug)]
pub(crate) struct RawResponse {
    status: u16,
    body: Vec<u8>,
    response: Range<usize>,
    /// Attempts it took to get this answer.
    pub attempts: u32,
}

impl RawResponse {
    /// The JSON text of the `Response` object.
    pub fn response_json(&self) -> &[u8] {
        &self.body[self.response.clone()]
    }

    /// A decode error about this answer.
    pub fn decode_error(&self, kind: DecodeErrorKind, detail: String) -> DecodeError {
        let mut e = DecodeError::new(kind, self.status, detail, &self.body);
        e.attempts = self.attempts;
        e
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
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

/// Splits an answer into a service error, a decode error, or the response slice.
pub(crate) fn read_envelope(
    action: &str,
    status: u16,
    body: Vec<u8>,
) -> Result<RawResponse, SdkError<String>> {
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
                &body,
            ));
        }
        Some(b) => {
            let hint = if b == b'<' {
                " (looks like an HTML page)"
            } else {
                ""
            };
            let detail = format!("body does not start with a JSON object{hint}");
            return Err(decode_error(DecodeErrorKind::NotJson, detail, &body));
        }
    }

    let envelope: Envelope<'_> = match serde_json::from_slice(&body) {
        Ok(envelope) => envelope,
        Err(e) => {
            let kind = if e.is_eof() {
                DecodeErrorKind::Truncated
            } else if e.is_syntax() {
                DecodeErrorKind::Malformed
            } else {
                DecodeErrorKind::MissingEnvelope
            };
            return Err(decode_error(kind, e.to_string(), &body));
        }
    };
    let Some(raw) = envelope.response else {
        let detail = "no `Response` object in the body".to_owned();
        return Err(decode_error(
            DecodeErrorKind::MissingEnvelope,
            detail,
            &body,
        ));
    };
    let text = raw.get();
    if !text.starts_with('{') {
        let detail = "`Response` is not an object".to_owned();
        return Err(decode_error(
            DecodeErrorKind::MissingEnvelope,
            detail,
            &body,
        ));
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
            &body,
        ));
    }
    let start = text.as_ptr() as usize - body.as_ptr() as usize;
    let response = start..start + text.len();
    Ok(RawResponse {
        status,
        body,
        response,
        attempts: 1,
    })
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
    decode_raw::<A>(&raw)
}

/// The typed response from an envelope already read.
pub(crate) fn decode_raw<A: Action>(
    raw: &RawResponse,
) -> Result<A::Response, SdkError<A::ErrorCode>> {
    serde_json::from_slice(raw.response_json())
        .map_err(|e| SdkError::Decode(raw.decode_error(DecodeErrorKind::Shape, e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(status: u16, body: &str) -> Result<RawResponse, SdkError<String>> {
        read_envelope("DescribeAutoCalloutTask", status, body.as_bytes().to_vec())
    }

    fn decode_kind(r: Result<RawResponse, SdkError<String>>) -> DecodeErrorKind {
        match r {
            Err(SdkError::Decode(e)) => e.kind,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn finds_the_response_slice() {
        let r = read(200, r#" {"Response": {"Name": "x", "RequestId": "r1"}} "#).unwrap();
        assert_eq!(r.response_json(), br#"{"Name": "x", "RequestId": "r1"}"#);
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
        assert!(r.response_json().starts_with(b"{\"Name\""));
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
