//! `spec/schema.json` (for editors) and the loader (for codegen) describe the same
//! format: same fields per kind of entry, same required fields (docs aside, which
//! the loader checks itself to report them with all other problems).

use codegen::spec::{
    ActionFile, Category, Endpoint, EnumFile, EnumValue, ErrorDef, Example, Member, ObjectFile,
    Pagination, ScalarFile, ServiceFile,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo_root().join("spec/schema.json")).unwrap())
        .unwrap()
}

/// The fields the loader accepts, read from serde's "unknown field" message.
fn loader_fields<T: DeserializeOwned>() -> BTreeSet<String> {
    let err = serde_json::from_value::<T>(json!({ "__probe__": 0 }))
        .err()
        .expect("unknown field refused");
    let text = err.to_string();
    let list = text
        .split("expected one of ")
        .nth(1)
        .or_else(|| text.split("expected ").nth(1))
        .unwrap();
    list.split(", ")
        .map(|f| f.trim_matches('`').to_owned())
        .collect()
}

/// The fields whose absence the loader refuses, given a complete example.
fn loader_required<T: DeserializeOwned>(full: &Value) -> BTreeSet<String> {
    serde_json::from_value::<T>(full.clone()).expect("the full example loads");
    let mut required = BTreeSet::new();
    for key in full.as_object().unwrap().keys() {
        let mut partial = full.clone();
        partial.as_object_mut().unwrap().remove(key);
        if serde_json::from_value::<T>(partial).is_err() {
            required.insert(key.clone());
        }
    }
    required
}

fn check<T: DeserializeOwned>(def: &str, full: Value) {
    let schema = schema();
    let d = &schema["$defs"][def];
    let props: BTreeSet<String> = d["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(props, loader_fields::<T>(), "fields of `{def}`");
    assert_eq!(
        d["additionalProperties"],
        json!(false),
        "`{def}` must refuse unknown fields, as the loader does"
    );
    let schema_required: BTreeSet<String> = d["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let loader_required = loader_required::<T>(&full);
    assert!(
        loader_required.is_subset(&schema_required),
        "`{def}`: loader requires {loader_required:?}, schema {schema_required:?}"
    );
    let checked_later: BTreeSet<String> = ["doc", "title", "summary", "reference", "category"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let difference: BTreeSet<String> = schema_required
        .difference(&loader_required)
        .cloned()
        .collect();
    assert!(
        difference.is_subset(&checked_later),
        "`{def}`: schema requires {difference:?} that the loader never checks"
    );
    assert_eq!(
        full.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>(),
        props,
        "example for `{def}` is complete"
    );
}

#[test]
fn schema_and_loader_agree() {
    let member = json!({ "name": "A", "type": "string", "required": true, "optional": false, "nullable": false, "doc": "d", "example": "x", "china_only": false, "rust_name": "a", "correction": "c", "sensitive": true, "not_sensitive": "n" });
    check::<Member>("member", member.clone());
    let pagination = json!({ "style": "cursor", "page": "Cursor", "size": "PageSize", "max_size": 100, "max_size_source": "a test", "items": "Data", "total": "Total", "item_cursor": "Cursor" });
    check::<Pagination>("pagination", pagination.clone());
    let example =
        json!({ "title": "t", "input": {}, "output": { "Response": {} }, "repaired": "r" });
    check::<Example>("example", example.clone());
    check::<Endpoint>(
        "endpoint",
        json!({ "name": "Main", "host": "h", "default": true, "doc": "d" }),
    );
    check::<Category>("category", json!({ "id": "c", "title": "t", "doc": "d" }));
    check::<ErrorDef>("error", json!({ "code": "C", "common": true, "doc": "d" }));
    check::<EnumValue>(
        "enumValue",
        json!({ "value": 1, "name": "One", "doc": "d" }),
    );
    check::<ServiceFile>(
        "service",
        json!({ "$schema": "s", "service": "s", "version": "v", "title": "t", "doc": "d", "endpoints": [], "categories": [], "errors": [] }),
    );
    check::<ActionFile>(
        "action",
        json!({ "$schema": "s", "action": "A", "summary": "s", "doc": "d", "reference": "https://x", "category": "c",
                "rate_limit": 1, "idempotent": true, "china_only": false, "input": [member.clone()], "output": [], "errors": [],
                "pagination": pagination.clone(), "examples": [example.clone()] }),
    );
    check::<ObjectFile>(
        "object",
        json!({ "$schema": "s", "object": "O", "doc": "d", "members": [member] }),
    );
    check::<EnumFile>(
        "enum",
        json!({ "$schema": "s", "enum": "E", "repr": "uint64", "doc": "d", "values": [{ "value": 1, "name": "One", "doc": "d" }] }),
    );
    check::<ScalarFile>(
        "scalar",
        json!({ "$schema": "s", "scalar": "S", "type": "uint64", "doc": "d", "correction": "c" }),
    );
    let schema = schema();
    let reprs: Vec<&str> = schema["$defs"]["enum"]["properties"]["repr"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for repr in &reprs {
        let e = json!({ "enum": "E", "repr": repr, "values": [] });
        serde_json::from_value::<EnumFile>(e).unwrap_or_else(|err| panic!("repr {repr}: {err}"));
    }
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json")
            && path.file_name().unwrap() != "schema.json"
        {
            out.push(path);
        }
    }
}

#[test]
fn every_spec_file_names_the_schema() {
    let root = repo_root();
    let schema = std::fs::canonicalize(root.join("spec/schema.json")).unwrap();
    let mut files = Vec::new();
    spec_files(&root.join("spec"), &mut files);
    spec_files(&root.join("tests/fixtures/spec"), &mut files);
    assert!(files.len() >= 10);
    for file in files {
        let value: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let reference = value["$schema"]
            .as_str()
            .unwrap_or_else(|| panic!("{} has no $schema", file.display()));
        let target = std::fs::canonicalize(file.parent().unwrap().join(reference))
            .unwrap_or_else(|e| panic!("{}: $schema {reference}: {e}", file.display()));
        assert_eq!(target, schema, "{}", file.display());
    }
}

/// Members that share a shape's name but hold something else on the wire, each
/// with why it keeps its own type.
const NOT_THE_SHAPE: &[(&str, &str, &str)] = &[
    (
        "ExtensionInfo",
        "SkillGroupId",
        "a string listing the skill groups",
    ),
    (
        "IMCdrInfo",
        "SkillGroupId",
        "sent as a string by the chat records",
    ),
];

/// Every member named like a scalar shape (any case, or its plural for a list:
/// `SdkAppId`, `IVRId` for `IvrId`, `SkillGroupIds`) uses the shape, so an import
/// that brings a member back as a bare `int64` fails here instead of splitting
/// the concept's Rust type again.
#[test]
fn members_named_like_a_shape_use_it() {
    let model = codegen::load(&repo_root().join("spec/ccc/2020-02-10")).unwrap();
    let shapes: Vec<String> = model.scalars.iter().map(|s| s.name.clone()).collect();
    assert!(shapes.len() >= 10, "{shapes:?}");
    let owners = model
        .actions
        .iter()
        .flat_map(|a| {
            a.input
                .iter()
                .chain(&a.output)
                .map(move |f| (a.name.as_str(), f))
        })
        .chain(
            model
                .objects
                .iter()
                .flat_map(|o| o.fields.iter().map(move |f| (o.name.as_str(), f))),
        );
    let (mut checked, mut wrong) = (0, Vec::new());
    let mut exempt_seen = BTreeSet::new();
    for (owner, f) in owners {
        let wire = f.wire.to_ascii_lowercase();
        let Some(shape) = shapes.iter().find(|s| {
            let s = s.to_ascii_lowercase();
            wire == s || wire == format!("{s}s")
        }) else {
            continue;
        };
        checked += 1;
        if NOT_THE_SHAPE
            .iter()
            .any(|(o, m, _)| *o == owner && *m == f.wire)
        {
            exempt_seen.insert((owner, f.wire.clone()));
            continue;
        }
        if f.shape.as_ref() != Some(shape) {
            wrong.push(format!(
                "{owner}.{}: {:?}, not {shape}",
                f.wire,
                f.declared()
            ));
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
    assert!(checked > 150, "only {checked} members checked");
    assert_eq!(
        exempt_seen.len(),
        NOT_THE_SHAPE.len(),
        "every exception still exists"
    );
}
