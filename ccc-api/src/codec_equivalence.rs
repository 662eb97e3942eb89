//! The hand-written member decoder (`codec`) against what serde's derive made
//! of the same generated types, over random objects: a property of the
//! runtime that needs generated types to be checked on.

use crate::operation::create_auto_callout_task::CreateAutoCalloutTaskRequest;
use crate::runtime::codec::{Filled, Obj};
use crate::types::{AICallExtractConfigElement, AICallExtractConfigElementInfoType};
use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer};
use std::cell::Cell;

/// What serde's derive made of a request before (strict: a missing
/// required member is an error, a missing list is empty).
#[derive(serde::Deserialize, Debug)]
struct DerivedRequest {
    #[serde(rename = "SdkAppId")]
    sdk_app_id: u64,
    #[serde(rename = "NotBefore")]
    not_before: i64,
    #[serde(rename = "Callees", default)]
    callees: Vec<String>,
    #[serde(rename = "Callers", default)]
    callers: Vec<String>,
    #[serde(rename = "Name", default)]
    name: Option<String>,
    #[serde(rename = "Tries", default)]
    tries: Option<u64>,
}

thread_local! {
    /// What the derived reference below filled in (a test-only counter: the
    /// derive has no other way to hand a count back).
    static DERIVED_FILLED: Cell<u32> = const { Cell::new(0) };
}

fn absent<T: Default>() -> T {
    DERIVED_FILLED.with(|n| n.set(n.get() + 1));
    T::default()
}

fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_else(absent))
}

/// What serde's derive made of a type that may sit in an answer before
/// (tolerant: promised members missing or null read as defaults, counted).
#[derive(serde::Deserialize, Debug)]
struct DerivedShared {
    #[serde(
        rename = "InfoType",
        default = "absent",
        deserialize_with = "null_as_default"
    )]
    info_type: AICallExtractConfigElementInfoType,
    #[serde(
        rename = "InfoName",
        default = "absent",
        deserialize_with = "null_as_default"
    )]
    info_name: String,
    #[serde(rename = "InfoContent", default)]
    info_content: Option<String>,
    #[serde(rename = "Examples", default)]
    examples: Option<Vec<String>>,
}

/// Random objects over the members above (and others, duplicated,
/// escaped, of every JSON type), reproducible from the seed.
fn objects(keys: &[&str], count: usize) -> Vec<String> {
    let values = [
        "null",
        "0",
        "7",
        "-1",
        "1.5",
        "\"s\"",
        "\"\"",
        "[]",
        "[\"a\"]",
        "[1]",
        "{}",
        "true",
        "\"Small\"",
        "{\"A\":[null]}",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    (0..count)
        .map(|_| {
            let members: Vec<String> = (0..next(8))
                .map(|_| {
                    format!(
                        "\"{}\":{}",
                        keys[next(keys.len())],
                        values[next(values.len())]
                    )
                })
                .collect();
            format!("{{{}}}", members.join(","))
        })
        .collect()
}

#[test]
fn requests_decode_as_the_derive_did() {
    let keys = [
        "SdkAppId",
        "NotBefore",
        "Callees",
        "Callers",
        "Name",
        "Tries",
        "Other",
        "sdkappid",
        "\\u0053dkAppId",
        "\\u004eame",
    ];
    // Half the objects start with every required member, so that both
    // outcomes are frequent.
    let cases: Vec<String> = objects(&keys, 4000)
        .into_iter()
        .enumerate()
        .map(|(i, c)| match (i % 2, c.as_str()) {
            (0, "{}") => r#"{"SdkAppId":1,"NotBefore":2,"Callees":[],"Callers":[]}"#.to_owned(),
            (0, _) => format!(
                r#"{{"SdkAppId":1,"NotBefore":2,"Callees":[],"Callers":[],{}"#,
                &c[1..]
            ),
            _ => c,
        })
        .collect();
    let mut decoded = 0;
    for text in &cases {
        let ours = serde_json::from_str::<CreateAutoCalloutTaskRequest>(text);
        let theirs = serde_json::from_str::<DerivedRequest>(text);
        match (ours, theirs) {
            (Ok(o), Ok(t)) => {
                decoded += 1;
                assert_eq!(
                    (
                        o.sdk_app_id,
                        o.not_before,
                        &o.callees,
                        &o.callers,
                        &o.name,
                        o.tries
                    ),
                    (
                        t.sdk_app_id,
                        t.not_before,
                        &t.callees,
                        &t.callers,
                        &t.name,
                        t.tries
                    ),
                    "{text}"
                );
            }
            // Stricter than the derive in one way only: a required list left
            // out is refused (the derive read it as empty), by name.
            (Err(o), Ok(_)) => {
                let o = o.to_string();
                assert!(
                    o == "missing required member `Callees`"
                        || o == "missing required member `Callers`",
                    "{text}: {o}"
                );
            }
            (Ok(_), Err(t)) => panic!("{text}: accepted, the derive said {t}"),
            // Both refuse; ours names a member or says what it expected
            // (which of two faults is named first may differ: ours checks
            // presence before types).
            (Err(o), Err(_)) => {
                let o = o.to_string();
                assert!(o.contains('`') || o.contains("expected"), "{text}: {o}");
            }
        }
    }
    // The table reaches both outcomes.
    assert!(decoded > 20 && decoded < cases.len() - 20, "{decoded}");
}

#[test]
fn shared_types_decode_and_count_as_the_derive_did() {
    let keys = [
        "InfoType",
        "InfoName",
        "InfoContent",
        "Examples",
        "Other",
        "\\u0049nfoName",
    ];
    let cases = objects(&keys, 4000);
    let mut filled_cases = 0;
    for text in &cases {
        let filled = Filled::default();
        let ours = Obj::<AICallExtractConfigElement>::new(&filled)
            .deserialize(&mut serde_json::Deserializer::from_str(text));
        let ours_filled = filled.count();
        DERIVED_FILLED.with(|n| n.set(0));
        let theirs = serde_json::from_str::<DerivedShared>(text);
        let theirs_filled = DERIVED_FILLED.with(Cell::get);
        match (ours, theirs) {
            (Ok(o), Ok(t)) => {
                assert_eq!(ours_filled, theirs_filled, "{text}");
                filled_cases += usize::from(ours_filled > 0);
                assert_eq!(
                    (&o.info_type, &o.info_name, &o.info_content, &o.examples),
                    (&t.info_type, &t.info_name, &t.info_content, &t.examples),
                    "{text}"
                );
            }
            (Err(o), Err(t)) => assert_eq!(o.to_string(), t.to_string(), "{text}"),
            (o, t) => panic!("{text}: ours {o:?}, the derive's {t:?}"),
        }
    }
    assert!(filled_cases > 20, "{filled_cases}");
}

#[test]
fn only_objects_are_read() {
    let e = serde_json::from_str::<AICallExtractConfigElement>(r#"["Small", "n"]"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("expected struct AICallExtractConfigElement"),
        "{e}"
    );
}
