//! One answer, one verdict: the typed decode (tolerant and strict) and the
//! untyped `Client::call` read the same bytes alike, and a tolerant decode
//! that fills members in names every one of them, whatever else the answer
//! holds (unknown members nested past any limit, numbers no float holds,
//! repeated unknown members, a byte-order mark). A table of the cases the
//! rules were written for, then a bounded fuzz loop over mixtures of them.
//!
//! `CCC_FUZZ_CASES=N` runs N fuzz cases instead of the default.

use ccc_api::deviation::{Described, Rule};
use ccc_api::mock::{Mock, Reply};
use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskRequest as Request, DescribeAutoCalloutTaskResponse as Response,
};
use ccc_api::{Client, DecodeErrorKind, SdkError};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// A full answer of the action: every member present.
fn full() -> Value {
    json!({
        "IvrId": 1, "Name": "n", "NotBefore": 1729905740, "NotAfter": 1729905750,
        "State": 1, "Callers": ["008610086"], "Description": "d",
        "Callees": [{"State": 1, "Callee": "c", "Sessions": ["s"]}],
        "RequestId": "r"
    })
}

/// What one path made of an answer, comparable across paths.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// Decoded; the `Response` as JSON (typed values serialised back).
    Ok,
    Service(String),
    Decode(DecodeErrorKind),
}

fn verdict<T, E>(r: &Result<T, SdkError<E>>) -> Verdict {
    match r {
        Ok(_) => Verdict::Ok,
        Err(SdkError::Service(e)) => Verdict::Service(e.raw_code.clone()),
        Err(SdkError::Decode(e)) => Verdict::Decode(e.kind),
        Err(other) => panic!("neither decoded nor refused as an answer: {other}"),
    }
}

/// The untyped path: a mocked client answering `body` to `Client::call`.
struct Untyped {
    client: Client,
    body: Arc<Mutex<Vec<u8>>>,
    runtime: tokio::runtime::Runtime,
}

impl Untyped {
    fn new() -> Untyped {
        let mock = Mock::new();
        let body = Arc::new(Mutex::new(Vec::new()));
        let shared = body.clone();
        mock.on::<Request>().then(move |_| Reply::Raw {
            status: 200,
            body: shared.lock().unwrap().clone(),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        Untyped {
            client: Client::mocked(&mock),
            body,
            runtime,
        }
    }

    fn call(&self, body: &[u8]) -> Result<Value, SdkError<String>> {
        *self.body.lock().unwrap() = body.to_vec();
        let params = json!({"SdkAppId": 1, "TaskId": 1});
        self.runtime
            .block_on(self.client.call("DescribeAutoCalloutTask", &params))
    }
}

/// Checks every path on `body` and returns the tolerant decode's deviations
/// as text (`None` when the answer was refused): all paths agree, strict
/// refuses exactly the answers tolerant reads with deviations, naming each
/// of them, and the deviations are `expected` when given.
fn check(untyped: &Untyped, body: &[u8], expected: Option<&[String]>) -> Option<Vec<String>> {
    let shown = || String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
    let tolerant = ccc_api::decode_response::<Request>(200, body.to_vec());
    let strict = ccc_api::decode_response_strict::<Request>(200, body.to_vec());
    let call = untyped.call(body);
    assert_eq!(
        verdict(&tolerant),
        verdict(&call),
        "typed vs call(): {}",
        shown()
    );
    let Ok(response) = tolerant else {
        assert_eq!(verdict(&strict), verdict(&call), "{}", shown());
        return None;
    };
    let found: Vec<String> = response
        .deviations()
        .iter()
        .map(|d| d.to_string())
        .collect();
    if let Some(expected) = expected {
        assert_eq!(found, expected, "{}", shown());
    }
    match (&strict, found.is_empty()) {
        (Ok(_), true) => {}
        (Err(SdkError::Decode(e)), false) => {
            assert_eq!(e.kind, DecodeErrorKind::Shape);
            for d in &found {
                assert!(e.detail.contains(d.as_str()), "{d} not in {}", e.detail);
            }
        }
        (other, _) => panic!("strict: {other:?} for deviations {found:?}: {}", shown()),
    }
    Some(found)
}

fn answer(response: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({ "Response": response })).unwrap()
}

/// `response` with `extra` (raw JSON text) spliced in as its first members.
fn with_raw(response: &Value, extra: &str) -> Vec<u8> {
    let inner = serde_json::to_string(response).unwrap();
    let sep = if inner == "{}" { "" } else { "," };
    format!("{{\"Response\":{{{extra}{sep}{}}}", &inner[1..]).into_bytes()
}

fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn the_holes_by_table() {
    let untyped = Untyped::new();
    let mut lacking = full();
    lacking.as_object_mut().unwrap().remove("Name");
    lacking["State"] = Value::Null;
    let named = vec!["`State` null".to_owned(), "`Name` missing".to_owned()];

    // Lacking promised members, with unknown members a `serde_json::Value`
    // holds: every deviation named, strict names them too.
    for extra in [
        r#""X":{"Y":[1,2,{"Z":null}]}"#,
        r#""X":1,"X":"again""#,
        &format!(r#""Deep":{}"#, nested(100)),
        r#""Big":1e300,"Long":123456789012345678901234567890"#,
    ] {
        check(&untyped, &with_raw(&lacking, extra), Some(&named));
    }

    // Unknown members no `Value` holds (nested past 128 levels, a number
    // out of range): one verdict, the same refusal on every path, never a
    // silent default; at any depth the stack holds.
    for extra in [
        format!(r#""Deep":{}"#, nested(129)),
        format!(r#""Deep":{}"#, nested(200_000)),
        format!(
            r#""Deep":{}"#,
            "{\"a\":".repeat(50_000) + "1" + &"}".repeat(50_000)
        ),
        r#""Huge":1e400"#.to_owned(),
        r#""Huge":[-1e400]"#.to_owned(),
    ] {
        for response in [&lacking, &full()] {
            let body = with_raw(response, &extra);
            assert_eq!(check(&untyped, &body, None), None);
            let e = ccc_api::decode_response::<Request>(200, body).unwrap_err();
            assert!(!e.to_string().is_empty());
        }
    }
    // The same outside `Response`.
    let mut body = answer(&lacking);
    body.pop();
    body.extend(format!(r#","Other":{}}}"#, nested(300)).bytes());
    assert_eq!(check(&untyped, &body, None), None);

    // A byte-order mark before the JSON is read past, by every path, for
    // answers and for service errors alike.
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend(answer(&lacking));
    check(&untyped, &body, Some(&named));
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend(answer(&full()));
    assert_eq!(check(&untyped, &body, Some(&[])), Some(vec![]));
    let call = untyped.call(&body).unwrap();
    assert_eq!(call, full());
    let error =
        br#"{"Response":{"Error":{"Code":"ResourceNotFound","Message":"m"},"RequestId":"r"}}"#;
    for body in [error.to_vec(), [&b"\xEF\xBB\xBF"[..], error].concat()] {
        let typed = ccc_api::decode_response::<Request>(200, body.clone()).unwrap_err();
        assert_eq!(typed.raw_code(), Some("ResourceNotFound"));
        let call = untyped.call(&body).unwrap_err();
        assert_eq!(call.raw_code(), Some("ResourceNotFound"));
    }
    // Only one mark, and only at the start.
    let body = [&b"\xEF\xBB\xBF\xEF\xBB\xBF"[..], &answer(&full())].concat();
    assert_eq!(
        check(&untyped, &body, None),
        None,
        "a second mark is not JSON"
    );
}

/// Random answers: promised members removed or nulled, unknown members of
/// every kind spliced in at the top and inside list items, a mark in front
/// or not. Every path agrees, nothing panics, and every accepted answer
/// names exactly the members it lacked.
#[test]
fn fuzzed_answers_get_one_verdict_and_complete_deviations() {
    let cases: usize = std::env::var("CCC_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    let untyped = Untyped::new();
    let promised: Vec<&str> = Response::members()
        .iter()
        .filter(|m| m.rule == Rule::Promised)
        .map(|m| m.wire)
        .collect();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let unknown = |next: &mut dyn FnMut(usize) -> usize| -> String {
        match next(8) {
            0 => nested(next(300)),
            1 => "1e400".to_owned(),
            2 => "-12.5e-3".to_owned(),
            3 => r#""\u00e9\"""#.to_owned(),
            4 => "{\"k\":".repeat(next(200)) + "null" + &"}".repeat(0),
            5 => "null".to_owned(),
            6 => format!("{{\"Name\":{}}}", nested(next(140))),
            _ => "[true,false,{}]".to_owned(),
        }
    };
    let (mut accepted, mut refused, mut named) = (0, 0, 0);
    for _ in 0..cases {
        let mut response = full();
        let mut expected = Vec::new();
        let mut missing = Vec::new();
        for name in &promised {
            match next(6) {
                0 => {
                    response.as_object_mut().unwrap().remove(*name);
                    missing.push(format!("`{name}` missing"));
                }
                1 => {
                    response[*name] = Value::Null;
                    expected.push(format!("`{name}` null"));
                }
                _ => {}
            }
        }
        // Nulls are named where met (the serialised order: sorted), then
        // what is missing.
        expected.sort();
        expected.extend(missing);
        let mut extra = Vec::new();
        for i in 0..next(3) {
            let value = unknown(&mut next);
            // An unbalanced value (case 4) makes the body malformed.
            extra.push(format!("\"U{}\":{value}", i % 2));
        }
        let mut body = if next(4) == 0 {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        body.extend(with_raw(&response, &extra.join(",")));
        let valid_unknowns = serde_json::from_slice::<Value>(&body[body.len().min(3)..]).is_ok()
            || serde_json::from_slice::<Value>(&body).is_ok();
        match check(&untyped, &body, valid_unknowns.then_some(&expected[..])) {
            Some(found) => {
                accepted += 1;
                named += usize::from(!found.is_empty());
            }
            None => refused += 1,
        }
    }
    assert!(
        accepted > cases / 5 && refused > cases / 10 && named > cases / 10,
        "{accepted} {refused} {named}"
    );
}
