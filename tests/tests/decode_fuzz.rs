//! A bounded mutation fuzzer over every action's response decoder: official
//! example answers and error envelopes, cut, spliced, re-typed and with names
//! escaped. Whatever the bytes, decoding never panics, and an answer whose
//! `Response` holds an `Error` member never decodes as a success.
//!
//! `CCC_FUZZ_CASES=N` runs N cases instead of the default (a few seconds).

use ccc_api::{ActionVisitor, SdkError};
use serde_json::Value;
use std::path::Path;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ccc/2020-02-10/actions");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let action: Value = codegen::load::parse_entry(&entry.unwrap().path()).unwrap();
        let name = action["action"].as_str().unwrap().to_owned();
        for example in action["examples"].as_array().into_iter().flatten() {
            out.push((
                name.clone(),
                serde_json::to_vec(&example["output"]).unwrap(),
            ));
        }
        let error =
            r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r"}}"#;
        out.push((name, error.as_bytes().to_vec()));
    }
    out.sort();
    out
}

/// Pieces spliced into bodies: envelope parts, escaped names, odd values.
const FRAGMENTS: &[&str] = &[
    r#""Error":{"Code":"RequestLimitExceeded"},"#,
    r#""Error":{"Code":4000},"#,
    r#""\u0045rror":{"Code":"X"},"#,
    r#""Error":"boom","#,
    r#""Error":null,"#,
    r#""Code":"A","Code":"B","#,
    r#""Response":{},"#,
    "null",
    "-1",
    "1e999",
    "18446744073709551616",
    "\"\\ud800\"",
    "[]",
    "{}",
    "\"",
    "\\",
    ",",
    ":",
    "\u{0}",
    "é",
];

struct Decode<'a>(&'a [u8]);

impl ActionVisitor for Decode<'_> {
    type Output = Result<(), String>;

    fn visit<A: ccc_api::RoundTripAction>(self) -> Result<(), String> {
        let lenient = ccc_api::decode_response::<A>(200, self.0.to_vec());
        let strict = ccc_api::decode_response_strict::<A>(200, self.0.to_vec());
        let has_error = error_member(self.0);
        if has_error && (lenient.is_ok() || strict.is_ok()) {
            return Err("an answer with an `Error` member decoded as a success".into());
        }
        if strict.is_ok() && lenient.is_err() {
            return Err("strict accepted what lenient refused".into());
        }
        if let (Err(SdkError::Service(a)), Err(SdkError::Service(b))) = (&lenient, &strict) {
            if a.raw_code != b.raw_code {
                return Err("the two modes read different service errors".into());
            }
        }
        Ok(())
    }
}

/// The reference: does the body parse as JSON with an `Error` member in
/// `Response` (any spelling, any duplicate)?
fn error_member(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("Response").cloned())
        .is_some_and(|r| r.get("Error").is_some())
}

#[test]
fn decoders_never_panic_and_never_take_an_error_for_success() {
    let cases: usize = std::env::var("CCC_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let seeds = seeds();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut failures = Vec::new();
    for case in 0..cases {
        let (action, seed) = &seeds[next(seeds.len())];
        let mut body = seed.clone();
        for _ in 0..1 + next(4) {
            let at = next(body.len() + 1);
            match next(5) {
                0 | 1 => {
                    let f = FRAGMENTS[next(FRAGMENTS.len())].as_bytes();
                    body.splice(at..at, f.iter().copied());
                }
                2 => {
                    let end = (at + next(16)).min(body.len());
                    body.drain(at..end);
                }
                3 => {
                    // Flip a byte.
                    if let Some(b) = body.get_mut(at) {
                        *b ^= 1 << next(8);
                    }
                }
                _ => {
                    if let Some(i) = body.iter().skip(at).position(u8::is_ascii_alphabetic) {
                        let esc = format!("\\u{:04x}", body[at + i]);
                        body.splice(at + i..at + i + 1, esc.bytes());
                    }
                }
            }
        }
        let outcome = std::panic::catch_unwind(|| ccc_api::operation::visit(action, Decode(&body)));
        match outcome {
            Ok(Some(Ok(()))) => {}
            Ok(Some(Err(e))) => failures.push(format!(
                "case {case} {action}: {e}: {}",
                String::from_utf8_lossy(&body)
            )),
            Ok(None) => failures.push(format!("{action}: no such action")),
            Err(_) => failures.push(format!(
                "case {case} {action}: panicked on {}",
                String::from_utf8_lossy(&body)
            )),
        }
        if failures.len() > 5 {
            break;
        }
    }
    eprintln!("{cases} mutated answers decoded");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
