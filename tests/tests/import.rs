//! `cargo xtask import` and `spec-diff` on a small upstream description in the
//! tccli format: structure comes in, what people wrote stays, drift is reported.

use codegen::import::{import, ImportOptions};
use codegen::{load_unvalidated, spec_diff};
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};

fn upstream(extra_member: bool, kind_type: &str) -> Value {
    let mut thing_members = vec![
        json!({"name": "Name", "type": "string", "member": "string", "required": true, "example": "box", "document": "x"}),
        json!({"name": "Kind", "type": "int", "member": kind_type, "required": true, "value_allowed_null": false, "example": "1", "document": "x"}),
    ];
    if extra_member {
        thing_members.push(json!({"name": "Size", "type": "float", "member": "float", "required": false, "document": "x"}));
    }
    json!({
        "actions": { "GetThing": { "input": "GetThingRequest", "output": "GetThingResponse", "name": "x", "document": "x", "status": "online" } },
        "objects": {
            "GetThingRequest": { "members": [
                {"name": "SdkAppId", "type": "int", "member": "uint64", "required": true, "example": "1400000000", "document": "x"},
                {"name": "Ids", "type": "list", "member": "int64", "required": false, "example": "[1, 2]", "document": "x"}
            ], "type": "object" },
            "GetThingResponse": { "members": [
                {"name": "Things", "type": "list", "member": "Thing", "output_required": true, "value_allowed_null": false, "example": "无", "document": "x"},
                {"name": "Note", "type": "string", "member": "string", "output_required": true, "value_allowed_null": true, "document": "x"},
                {"name": "Extra", "type": "string", "member": "string", "output_required": false, "document": "x"},
                {"name": "RequestId", "type": "string", "member": "string", "document": "x"}
            ], "type": "object" },
            "Thing": { "members": thing_members, "usage": "out" }
        }
    })
}

fn spec_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccc-import-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("service.json"),
        r#"{ "$schema": "../../schema.json", "service": "demo", "version": "v", "title": "Demo", "doc": "Demo.",
            "endpoints": [{ "name": "Main", "host": "h", "default": true, "doc": "d" }],
            "errors": [{ "code": "InvalidParameter", "common": true, "doc": "Bad." }] }"#,
    )
    .unwrap();
    dir
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn import_writes_structure_and_keeps_what_people_wrote() {
    let dir = spec_dir("keep");
    let errors = json!({ "GetThing": ["InvalidParameter", "FailedOperation.Busy"], "_common": ["InvalidParameter"] });
    let options = ImportOptions {
        error_codes: Some(errors),
        ..Default::default()
    };
    let report = import(&dir, &upstream(false, "uint64"), &options).unwrap();
    assert!(
        report.contains(&"added action GetThing".to_string()),
        "{report:?}"
    );
    assert!(
        report.contains(&"added type Thing".to_string()),
        "{report:?}"
    );
    assert!(
        report.contains(&"service: added error code FailedOperation.Busy".to_string()),
        "{report:?}"
    );

    let action = read(&dir.join("actions/GetThing.json"));
    assert_eq!(action["$schema"], "../../../schema.json");
    assert_eq!(
        action["input"][0],
        json!({"name": "SdkAppId", "type": "uint64", "presence": "required", "doc": "", "example": 1400000000u64})
    );
    assert_eq!(
        action["input"][1],
        json!({"name": "Ids", "type": "list<int64>", "presence": "optional", "doc": "", "example": [1, 2]})
    );
    assert_eq!(
        action["output"][0],
        json!({"name": "Things", "type": "list<Thing>", "presence": "required", "doc": ""})
    );
    assert_eq!(
        action["output"][1],
        json!({"name": "Note", "type": "string", "presence": "nullable", "doc": ""})
    );
    assert_eq!(
        action["output"][2],
        json!({"name": "Extra", "type": "string", "presence": "optional", "doc": ""})
    );
    assert_eq!(
        action["output"].as_array().unwrap().len(),
        3,
        "RequestId is implicit"
    );
    assert_eq!(
        action["errors"],
        json!(["InvalidParameter", "FailedOperation.Busy"])
    );
    assert_eq!(
        action["idempotent"], true,
        "actions that only read (Describe*, Get*, ...) are idempotent by default"
    );

    // A person documents the action and narrows `Kind` to an enum.
    let mut action = action;
    action["summary"] = "Get things.".into();
    action["input"][0]["doc"] = "Application id.".into();
    fs::write(dir.join("actions/GetThing.json"), action.to_string()).unwrap();
    let mut thing = read(&dir.join("types/Thing.json"));
    thing["members"][1]["type"] = "ThingKind".into();
    thing["members"][1]["doc"] = "Kind.".into();
    fs::write(dir.join("types/Thing.json"), thing.to_string()).unwrap();
    fs::write(
        dir.join("types/ThingKind.json"),
        r#"{ "enum": "ThingKind", "repr": "uint64", "doc": "Kinds.", "values": [{ "value": 1, "name": "One", "doc": "One." }] }"#,
    )
    .unwrap();

    // Importing the same upstream again changes nothing.
    assert_eq!(
        import(&dir, &upstream(false, "uint64"), &options).unwrap(),
        Vec::<String>::new()
    );
    let api = load_unvalidated(&dir).unwrap();
    assert_eq!(
        spec_diff(&api, &upstream(false, "uint64")).unwrap(),
        Vec::<String>::new()
    );

    // Upstream drifts: a new member, and `Kind` becomes a string.
    let drifted = upstream(true, "string");
    let diff = spec_diff(&api, &drifted).unwrap();
    assert_eq!(
        diff,
        [
            "Thing: member Kind: type string upstream, ThingKind in the spec",
            "Thing: member Size: upstream only",
        ]
    );
    let report = import(&dir, &drifted, &options).unwrap();
    assert_eq!(
        report,
        [
            "Thing: Kind: type ThingKind -> string",
            "Thing: added member Size"
        ]
    );
    let thing = read(&dir.join("types/Thing.json"));
    assert_eq!(
        thing["members"][1]["doc"], "Kind.",
        "docs survive an import"
    );
    assert_eq!(
        read(&dir.join("actions/GetThing.json"))["summary"],
        "Get things."
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn china_only_members_survive_an_international_import() {
    let dir = spec_dir("china");
    let plain = ImportOptions::default();
    import(&dir, &upstream(false, "uint64"), &plain).unwrap();
    let china = ImportOptions {
        china_only: true,
        ..Default::default()
    };
    let report = import(&dir, &upstream(true, "uint64"), &china).unwrap();
    assert_eq!(report, ["Thing: added member Size"]);
    assert_eq!(
        read(&dir.join("types/Thing.json"))["members"][2]["china_only"],
        true
    );
    // The international description lacks `Size`: no drift, and importing it keeps it.
    let api = load_unvalidated(&dir).unwrap();
    assert_eq!(
        spec_diff(&api, &upstream(false, "uint64")).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        import(&dir, &upstream(false, "uint64"), &plain).unwrap(),
        Vec::<String>::new()
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_corrected_member_keeps_its_presence_and_is_not_drift() {
    let dir = spec_dir("correction");
    let plain = ImportOptions::default();
    import(&dir, &upstream(false, "uint64"), &plain).unwrap();
    let path = dir.join("actions/GetThing.json");
    let mut action = read(&path);
    action["output"][0]["presence"] = "optional".into();
    action["output"][0]["correction"] = "the real service leaves it out when empty".into();
    fs::write(&path, action.to_string()).unwrap();

    assert_eq!(
        import(&dir, &upstream(false, "uint64"), &plain).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(read(&path)["output"][0]["presence"], "optional");
    let api = load_unvalidated(&dir).unwrap();
    assert_eq!(
        spec_diff(&api, &upstream(false, "uint64")).unwrap(),
        Vec::<String>::new()
    );

    // Without the correction, an answer's member read more leniently than
    // upstream promises is counted in a note, which is not drift: a present
    // value is read the same.
    let mut action = read(&path);
    action["output"][0]
        .as_object_mut()
        .unwrap()
        .remove("correction");
    fs::write(&path, action.to_string()).unwrap();
    let api = load_unvalidated(&dir).unwrap();
    let lines = spec_diff(&api, &upstream(false, "uint64")).unwrap();
    assert_eq!(
        lines,
        ["note: 1 member(s) of answers are optional in the spec where upstream promises them (read leniently; not drift)"]
    );
    assert!(lines.iter().all(|l| l.starts_with(codegen::SPEC_DIFF_NOTE)));

    // A correction that upstream has caught up with is reported.
    let mut action = read(&path);
    action["output"][0]["presence"] = "required".into();
    action["output"][0]["correction"] = "stale".into();
    fs::write(&path, action.to_string()).unwrap();
    let api = load_unvalidated(&dir).unwrap();
    assert_eq!(
        spec_diff(&api, &upstream(false, "uint64")).unwrap(),
        ["GetThing output: member Things: its correction no longer applies, upstream now agrees"]
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_shape_survives_import_and_its_correction_is_tracked() {
    let dir = spec_dir("shape");
    let plain = ImportOptions::default();
    import(&dir, &upstream(false, "uint64"), &plain).unwrap();
    // A person gives `SdkAppId` (uint64 upstream) and `Ids` (list<int64>
    // upstream) named shapes; `ThingNumber` is uint64 with a correction.
    let path = dir.join("actions/GetThing.json");
    let mut action = read(&path);
    action["input"][0]["type"] = "AppId".into();
    action["input"][1]["type"] = "list<ThingNumber>".into();
    fs::write(&path, action.to_string()).unwrap();
    fs::write(
        dir.join("types/AppId.json"),
        r#"{ "scalar": "AppId", "type": "uint64", "doc": "Application id." }"#,
    )
    .unwrap();
    let number = |correction: Option<&str>| {
        let mut shape = json!({ "scalar": "ThingNumber", "type": "uint64", "doc": "Id." });
        if let Some(c) = correction {
            shape["correction"] = c.into();
        }
        fs::write(dir.join("types/ThingNumber.json"), shape.to_string()).unwrap();
    };
    number(Some("never negative"));

    // Upstream's scalar fits each shape: import keeps them, spec-diff is quiet.
    assert_eq!(
        import(&dir, &upstream(false, "uint64"), &plain).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(read(&path)["input"][0]["type"], "AppId");
    assert_eq!(read(&path)["input"][1]["type"], "list<ThingNumber>");
    let api = load_unvalidated(&dir).unwrap();
    assert_eq!(
        spec_diff(&api, &upstream(false, "uint64")).unwrap(),
        Vec::<String>::new()
    );

    // Without the correction, the signedness difference is drift.
    number(None);
    let api = load_unvalidated(&dir).unwrap();
    assert_eq!(
        spec_diff(&api, &upstream(false, "uint64")).unwrap(),
        ["GetThing input: member Ids: type list<int64> upstream, list<ThingNumber> in the spec"]
    );

    // Once upstream agrees everywhere, the correction is reported as stale.
    number(Some("never negative"));
    let mut agreeing = upstream(false, "uint64");
    agreeing["objects"]["GetThingRequest"]["members"][1]["member"] = "uint64".into();
    let api = load_unvalidated(&dir).unwrap();
    assert_eq!(
        spec_diff(&api, &agreeing).unwrap(),
        ["shape ThingNumber: its correction no longer applies, upstream now agrees"]
    );

    // A wire type that does not fit replaces the shape, and says so.
    let mut drifted = upstream(false, "uint64");
    drifted["objects"]["GetThingRequest"]["members"][0]["member"] = "string".into();
    assert_eq!(
        spec_diff(&load_unvalidated(&dir).unwrap(), &drifted).unwrap(),
        ["GetThing input: member SdkAppId: type string upstream, AppId in the spec"]
    );
    assert_eq!(
        import(&dir, &drifted, &plain).unwrap(),
        ["GetThing: SdkAppId: type AppId -> string"]
    );
    let _ = fs::remove_dir_all(&dir);
}
