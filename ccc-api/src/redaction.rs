//! The runtime learns CCC's sensitive members from the service itself: a
//! client built for it, or `decode_response` of one of its actions. This
//! crate's unit tests build no client, so here the second path is the only
//! one that can have told it.

use crate::operation::describe_tel_cdr::DescribeTelCdrRequest;
use crate::{decode_response, DecodeErrorKind, SdkError};

/// `RecordURL` is sensitive by CCC's spec only (its name holds no credential
/// word), and a kept body must not show it.
#[test]
fn a_decoded_answer_keeps_no_member_the_spec_marks_sensitive() {
    let body = br#"{"Response":{"TelCdrs":[{"RecordURL":"https://rec.example/secret-42.mp3"}],"TotalCount":"many","RequestId":"r"}}"#;
    let Err(SdkError::Decode(e)) = decode_response::<DescribeTelCdrRequest>(200, body.to_vec())
    else {
        panic!("a count that is text is a decode error");
    };
    assert_eq!(e.kind, DecodeErrorKind::Shape);
    assert!(
        e.body_prefix.contains(r#""RecordURL":"***""#),
        "{}",
        e.body_prefix
    );
    let shown = format!("{e:?} {e}");
    assert!(!shown.contains("secret-42"), "{shown}");
}
