//! `spec/schema.json` is generated from the spec types (`cargo xtask codegen`,
//! checked by `--check`); here every entry of the repository validates against
//! it, and entries the loader refuses for their shape fail it too.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The schema on disk, compiled.
fn compiled() -> (boon::Schemas, boon::SchemaIndex) {
    let path = repo_root().join(codegen::spec::SCHEMA_PATH);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("schema.json", schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile("schema.json", &mut schemas).unwrap();
    (schemas, index)
}

/// An entry as data, JSON or YAML by its extension.
fn entry(path: &Path) -> Value {
    codegen::load::parse_entry(path).unwrap()
}

#[test]
fn the_schema_on_disk_is_the_generated_one() {
    let on_disk = std::fs::read_to_string(repo_root().join(codegen::spec::SCHEMA_PATH)).unwrap();
    assert!(
        on_disk == codegen::spec::json_schema(),
        "spec/schema.json is stale: run `cargo xtask codegen`"
    );
}

#[test]
fn every_entry_validates_against_the_schema() {
    let (schemas, index) = compiled();
    let root = repo_root();
    let mut files = Vec::new();
    spec_files(&root.join("spec"), &mut files);
    spec_files(&root.join("tests/fixtures/spec"), &mut files);
    let yaml = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e != "json"))
        .count();
    assert!(
        files.len() >= 250 && yaml >= 1,
        "{} entries, {yaml} in YAML",
        files.len()
    );
    for file in &files {
        if let Err(e) = schemas.validate(&entry(file), index) {
            panic!("{}: {e:#}", file.display());
        }
    }
}

/// Shapes the loader refuses are refused by the schema too (one change each to
/// a valid entry), and each valid presence value is accepted.
#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let (schemas, index) = compiled();
    let member = json!({ "name": "A", "type": "string", "presence": "required", "doc": "d" });
    let action = |m: Value| json!({ "action": "A", "summary": "s", "doc": "d", "input": [m] });
    assert!(schemas.validate(&action(member.clone()), index).is_ok());
    for presence in ["required", "optional", "nullable"] {
        let mut m = member.clone();
        m["presence"] = presence.into();
        assert!(schemas.validate(&action(m), index).is_ok(), "{presence}");
    }
    let mut refused = Vec::new();
    let mut old = member.clone();
    old.as_object_mut().unwrap().remove("presence");
    old["required"] = true.into();
    refused.push(("old flags", action(old)));
    let mut bad = member.clone();
    bad["presence"] = "maybe".into();
    refused.push(("unknown presence", action(bad)));
    let mut unknown = member.clone();
    unknown["requird"] = true.into();
    refused.push(("unknown member field", action(unknown)));
    let mut shape = member.clone();
    shape["type"] = 3.into();
    refused.push(("type not a string", action(shape)));
    refused.push((
        "no action name",
        json!({ "summary": "s", "input": [member.clone()] }),
    ));
    refused.push((
        "unknown repr",
        json!({ "enum": "E", "repr": "float", "values": [] }),
    ));
    refused.push((
        "object without members",
        json!({ "object": "O", "doc": "d" }),
    ));
    refused.push((
        "service without endpoints",
        json!({ "service": "s", "version": "v" }),
    ));
    for (case, value) in &refused {
        assert!(
            schemas.validate(value, index).is_err(),
            "{case}: accepted {value}"
        );
        // The loader's types agree.
        let loads = serde_json::from_value::<codegen::spec::ActionFile>(value.clone()).is_ok()
            || serde_json::from_value::<codegen::spec::EnumFile>(value.clone()).is_ok()
            || serde_json::from_value::<codegen::spec::ObjectFile>(value.clone()).is_ok()
            || serde_json::from_value::<codegen::spec::ServiceFile>(value.clone()).is_ok();
        assert!(!loads, "{case}: the loader's types accept it");
    }
    assert_eq!(refused.len(), 8);
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
            && path.file_name().unwrap() != "schema.json"
            // The common error codes are no spec entry; the loader reads
            // and checks them (`codegen::load::CommonErrorsFile`).
            && path.file_name().unwrap() != codegen::load::COMMON_ERRORS_FILE
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
        let value = entry(&file);
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
/// the concept's Rust type again. For id shapes a name that ends with one counts
/// too (`QueuedSkillGroupId`, `TransferSkillGroupId`: still a skill group's id).
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
            let id = s.ends_with("Id");
            let s = s.to_ascii_lowercase();
            wire == s
                || wire == format!("{s}s")
                || (id && (wire.ends_with(&s) || wire.ends_with(&format!("{s}s"))))
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
