//! Answers that deviate from the spec as the real service's do: every official
//! example answer with one member set to `null`, and with one member removed, at
//! any depth. Each must decode (the official SDKs accept them all); a member
//! the spec promises must be named in `deviations()` and refused in strict mode,
//! and any other member must pass silently.

use ccc_api::{ActionResponse, ActionVisitor, DeviationKind, SdkError};
use serde_json::Value;
use std::path::Path;

fn example_answers() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ccc/2020-02-10/actions");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let action: Value = codegen::load::parse_entry(&entry.unwrap().path()).unwrap();
        for example in action["examples"].as_array().into_iter().flatten() {
            if example["output"]["Response"].is_object() {
                let name = action["action"].as_str().unwrap().to_owned();
                out.push((name, example["output"].clone()));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Paths (below `Response`) of every member of every object in `value`, with
/// the path as `deviations()` writes it.
fn member_paths(value: &Value, at: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    match value {
        Value::Object(map) => {
            for (name, v) in map {
                at.push(PathStep::Member(name.clone()));
                out.push(at.clone());
                member_paths(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(PathStep::Index(i));
                member_paths(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Member(String),
    Index(usize),
}

fn path_text(path: &[PathStep]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            PathStep::Member(m) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(m);
            }
            PathStep::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// The answer with the member at `path` set to null, or removed.
fn mutated(answer: &Value, path: &[PathStep], remove: bool) -> Value {
    let mut out = answer.clone();
    let mut at = &mut out["Response"];
    for step in &path[..path.len() - 1] {
        at = match step {
            PathStep::Member(m) => &mut at[m.as_str()],
            PathStep::Index(i) => &mut at[*i],
        };
    }
    let Some(PathStep::Member(last)) = path.last() else {
        unreachable!("paths end at a member")
    };
    let object = at.as_object_mut().expect("a member's parent is an object");
    if remove {
        object.remove(last);
    } else {
        object.insert(last.clone(), Value::Null);
    }
    out
}

#[derive(Default, Debug)]
struct Tally {
    variants: usize,
    named: usize,
    silent: usize,
}

struct Check<'a> {
    answer: &'a Value,
    path: &'a [PathStep],
    remove: bool,
}

impl ActionVisitor for Check<'_> {
    type Output = Result<bool, String>;

    /// Whether the variant was named as a deviation.
    fn visit<A: ccc_api::RoundTripAction>(self) -> Result<bool, String> {
        let body = serde_json::to_vec(&mutated(self.answer, self.path, self.remove)).unwrap();
        let expected = path_text(self.path);
        let response = ccc_api::decode_response::<A>(200, body.clone())
            .map_err(|e| format!("does not decode: {e}"))?;
        let deviations = response.deviations();
        let strict = ccc_api::decode_response_strict::<A>(200, body);
        if deviations.is_empty() {
            strict.map_err(|e| format!("strict refused an answer with no deviation: {e}"))?;
            return Ok(false);
        }
        let kind = if self.remove {
            DeviationKind::Missing
        } else {
            DeviationKind::Null
        };
        if deviations.len() != 1 || deviations[0].path != expected || deviations[0].kind != kind {
            return Err(format!(
                "expected only {expected} ({kind:?}), got {deviations:?}"
            ));
        }
        match strict {
            Err(SdkError::Decode(e)) if e.detail.contains(&expected) => Ok(true),
            Err(e) => Err(format!("strict mode refused it differently: {e}")),
            Ok(_) => Err("strict mode accepted it".to_owned()),
        }
    }
}

#[test]
fn answers_lacking_members_decode_and_say_so() {
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    for (action, answer) in example_answers() {
        let mut paths = Vec::new();
        member_paths(&answer["Response"], &mut Vec::new(), &mut paths);
        for path in &paths {
            for remove in [false, true] {
                tally.variants += 1;
                let check = Check {
                    answer: &answer,
                    path,
                    remove,
                };
                match ccc_api::operation::visit(&action, check) {
                    Some(Ok(true)) => tally.named += 1,
                    Some(Ok(false)) => tally.silent += 1,
                    Some(Err(e)) => failures.push(format!(
                        "{action} {} {}: {e}",
                        if remove { "without" } else { "with null" },
                        path_text(path)
                    )),
                    None => failures.push(format!("{action}: no such action")),
                }
            }
        }
    }
    eprintln!("{tally:?}");
    assert!(
        failures.is_empty(),
        "{} of {} variants failed:\n{}",
        failures.len(),
        tally.variants,
        failures.join("\n")
    );
    // Most members of the examples are promised; the fuzz covered both kinds.
    assert!(tally.variants > 1000, "{tally:?}");
    assert!(tally.named > 200 && tally.silent > 100, "{tally:?}");
}

/// One odd record does not fail a page: the call record without a
/// `StaffNumber` in its `SeatUser`.
#[test]
#[allow(deprecated)] // reads `TelCdrs`, which the answer still carries
fn one_odd_record_does_not_fail_the_page() {
    use ccc_api::operation::describe_tel_cdr::DescribeTelCdrRequest;
    let (_, answer) = example_answers()
        .into_iter()
        .find(|(a, r)| {
            a == "DescribeTelCdr" && r["Response"]["TelCdrList"][0]["SeatUser"].is_object()
        })
        .expect("an example with a seat user");
    let mut answer = answer;
    let record = answer["Response"]["TelCdrList"][0].clone();
    let mut odd = record.clone();
    odd["SeatUser"]
        .as_object_mut()
        .unwrap()
        .remove("StaffNumber");
    answer["Response"]["TelCdrs"] = Value::Array(vec![record.clone(), odd, record]);
    let body = serde_json::to_vec(&answer).unwrap();
    let page = ccc_api::decode_response::<DescribeTelCdrRequest>(200, body).unwrap();
    assert_eq!(page.tel_cdrs.len(), 3);
    let paths: Vec<String> = page.deviations().iter().map(|d| d.path.clone()).collect();
    assert_eq!(paths, ["TelCdrs[1].SeatUser.StaffNumber"]);
    assert_eq!(
        ActionResponse::deviations(&page),
        page.deviations(),
        "the trait and the inherent method agree"
    );
}

/// An answer with bytes that are not UTF-8 (JSON on the wire must be) loses
/// only those bytes: read as U+FFFD, the rest of the answer decodes, the
/// response says so, and a strict client refuses it. A service error keeps
/// its code, with U+FFFD in its message.
#[test]
fn bytes_that_are_not_utf8_are_replaced_and_reported() {
    use ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskRequest as Task;
    let body = b"{\"Response\":{\"Name\":\"a\xffb\",\"Description\":\"d\",\"NotBefore\":1,\
        \"Callers\":[\"\xe5\xb9\"],\"Callees\":[],\"IvrId\":2,\"State\":1,\
        \"Odd\":\"\xc0\xaf\",\"RequestId\":\"r\"}}"
        .to_vec();
    let task = ccc_api::decode_response::<Task>(200, body.clone()).unwrap();
    assert_eq!(task.name, "a\u{FFFD}b");
    assert_eq!(task.callers, ["\u{FFFD}"]);
    assert_eq!((task.ivr_id, task.request_id.as_str()), (2, "r"));
    let kinds: Vec<_> = task.deviations().iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DeviationKind::NotUtf8]);
    assert_eq!(
        task.deviations()[0].to_string(),
        "bytes that are not UTF-8, read as U+FFFD"
    );
    match ccc_api::decode_response_strict::<Task>(200, body) {
        Err(SdkError::Decode(e)) => assert!(e.detail.contains("not UTF-8"), "{e}"),
        other => panic!("{other:?}"),
    }

    // Also when a promised member is missing: both are listed.
    let body = b"{\"Response\":{\"Name\":\"\xff\",\"RequestId\":\"r\"}}".to_vec();
    let task = ccc_api::decode_response::<Task>(200, body).unwrap();
    assert_eq!(task.deviations()[0].kind, DeviationKind::NotUtf8);
    assert!(task.deviations().len() > 1);

    let error = b"{\"Response\":{\"Error\":{\"Code\":\"InvalidParameter\",\
        \"Message\":\"bad \xff\"},\"RequestId\":\"r\"}}"
        .to_vec();
    match ccc_api::decode_response::<Task>(400, error) {
        Err(SdkError::Service(e)) => {
            assert_eq!(e.raw_code, "InvalidParameter");
            assert_eq!(e.message, "bad \u{FFFD}");
        }
        other => panic!("{other:?}"),
    }
}
