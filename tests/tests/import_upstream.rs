//! `add-service` / `import` of upstream descriptions with docs from upstream:
//! every upstream type, names that clash with Rust or with each other,
//! secrets, paging, and the problems that stop an import before it writes
//! anything. The upstream files are small ones written here in the tccli
//! format, with no upstream text.

use codegen::import::{add_service, ImportOptions};
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};

/// A scratch repository root with `spec/` (and the common error codes).
fn root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccc-upstream-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("spec")).unwrap();
    fs::write(
        dir.join("spec/common-errors.json"),
        r#"{ "errors": [{ "code": "InvalidParameter", "doc": "A parameter is wrong." }] }"#,
    )
    .unwrap();
    dir
}

fn m(name: &str, ty: &str, member: &str, extra: Value) -> Value {
    let mut v = json!({"name": name, "type": ty, "member": member, "document": format!("<p>The {name}.</p>")});
    if let Value::Object(extra) = extra {
        v.as_object_mut().unwrap().extend(extra);
    }
    v
}

/// A description of the service `gadgets` using every upstream type pair.
fn gadgets() -> Value {
    json!({
        "version": "1.0",
        "metadata": {
            "serviceShortName": "gadgets",
            "apiVersion": "2024-05-01",
            "serviceNameCN": "<b>Gadgets</b> service",
            "api_brief": "Lists [gadgets] & <i>parts</i>; see https://example.com/gadgets."
        },
        "actions": {
            "DescribeGadgets": {
                "name": "List gadgets", "document": "Lists `gadgets`<br>one page at a time.",
                "input": "DescribeGadgetsRequest", "output": "DescribeGadgetsResponse", "status": "online"
            },
            "ListParts": {
                "name": "List parts", "document": "Pages by number.",
                "input": "ListPartsRequest", "output": "ListPartsResponse", "status": "online"
            },
            "CreateGadget": {
                "name": "Create", "document": "",
                "input": "CreateGadgetRequest", "output": "CreateGadgetResponse", "status": "deprecated"
            }
        },
        "objects": {
            "DescribeGadgetsRequest": { "type": "object", "document": "", "members": [
                m("Offset", "int", "int64", json!({"required": false})),
                m("Limit", "int", "uint64", json!({"required": false, "document": "Page size, default 20, maximum 50."})),
                m("MadeOn", "string", "date", json!({"required": false, "example": "2024-05-01"})),
                m("Ids", "list", "int64", json!({"required": false, "example": "[1, 2]"})),
                m("Type", "string", "string", json!({"required": false})),
                m("Build", "string", "string", json!({"required": false})),
                m("Kind", "string", "string", json!({"required": false, "document": "类型（废弃，使用Type）"})),
                m("Old", "string", "string", json!({"required": false, "document": "Old filter (obsolete one and use callers)."}))
            ]},
            "DescribeGadgetsResponse": { "type": "object", "document": "", "members": [
                m("TotalCount", "int", "uint64", json!({"output_required": true})),
                m("GadgetSet", "list", "Gadget", json!({"output_required": true})),
                m("RequestId", "string", "string", json!({"output_required": true}))
            ]},
            "ListPartsRequest": { "type": "object", "document": "", "members": [
                m("PageNumber", "int", "int64", json!({"required": false, "document": "页码，从1开始"})),
                m("PageSize", "int", "int64", json!({"required": false, "document": "每页数量，默认20"}))
            ]},
            "ListPartsResponse": { "type": "object", "document": "", "members": [
                m("Parts", "list", "Thing_Part", json!({"output_required": false})),
                m("RequestId", "string", "string", json!({}))
            ]},
            "CreateGadgetRequest": { "type": "object", "document": "", "members": [
                m("Name", "string", "string", json!({"required": true})),
                m("Password", "string", "string", json!({"required": true})),
                m("Blob", "binary", "binary", json!({"required": false})),
                m("Result", "object", "Result", json!({"required": false}))
            ]},
            "CreateGadgetResponse": { "type": "object", "document": "", "members": [
                m("Gadget", "object", "Gadget", json!({"output_required": true, "value_allowed_null": true})),
                m("RequestId", "string", "string", json!({}))
            ]},
            "Gadget": { "type": "object", "document": "A <b>gadget</b>.", "usage": "out", "members": [
                m("GadgetId", "int", "uint64", json!({"required": true})),
                m("Weight", "float", "float", json!({"required": true})),
                m("Ratio", "double", "double", json!({"required": false})),
                m("On", "bool", "bool", json!({"required": true})),
                m("CreatedTime", "string", "datetime", json!({"required": true})),
                m("UpdatedTime", "string", "datetime_iso", json!({"required": true, "value_allowed_null": true})),
                m("Uui", "string", "string", json!({"required": false})),
                m("UUI", "string", "string", json!({"required": false, "disabled": true})),
                m("Tags", "list", "string", json!({"required": false})),
                m("Scores", "list", "float", json!({"required": false})),
                m("Flags", "list", "bool", json!({"required": false})),
                m("Counts", "list", "uint64", json!({"required": false})),
                m("Days", "list", "date", json!({"required": false})),
                m("Self", "string", "string", json!({"required": false})),
                m("Parent", "object", "Gadget", json!({"required": false})),
                m("Builder", "object", "GadgetBuilder", json!({"required": false})),
                m("SessionKey", "string", "string", json!({"required": false}))
            ]},
            "GadgetBuilder": { "type": "object", "document": "", "members": [
                m("Who", "string", "string", json!({"required": false}))
            ]},
            "Thing_Part": { "type": "object", "document": "", "members": [
                m("PartId", "int", "int64", json!({"required": true}))
            ]},
            "Result": { "type": "object", "document": "", "members": [
                m("Ok", "bool", "bool", json!({"required": false}))
            ]}
        }
    })
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn member<'a>(members: &'a Value, name: &str) -> &'a Value {
    members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no member {name} in {members}"))
}

#[test]
fn every_upstream_type_and_clash_imports_into_a_valid_spec_that_generates() {
    let root = root("types");
    let added = add_service(&root, &gadgets(), None, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(added.dir, "spec/gadgets/2024-05-01");
    assert!(added.created);
    let dir = root.join(&added.dir);

    let service = read(&dir.join("service.json"));
    assert_eq!(service["docs"], "upstream");
    assert_eq!(service["title"], "Gadgets service");
    assert_eq!(
        service["doc"],
        "Lists \\[gadgets\\] & parts; see <https://example.com/gadgets>."
    );
    assert_eq!(
        service["endpoints"],
        json!([
            {"name": "China", "host": "gadgets.tencentcloudapi.com", "default": true,
             "regional_host": "gadgets.{region}.tencentcloudapi.com",
             "doc": "The China site: the nearest entry point, or one region's own endpoint."},
            {"name": "International", "host": "gadgets.intl.tencentcloudapi.com", "doc": "The international site."}
        ])
    );
    let categories: Vec<&str> = service["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["create", "describe", "list"]);
    assert!(
        service.get("crate").is_none(),
        "the only version keeps the default crate"
    );

    let describe = read(&dir.join("actions/DescribeGadgets.json"));
    assert_eq!(describe["summary"], "List gadgets");
    assert_eq!(describe["doc"], "Lists \\`gadgets\\`\none page at a time.");
    assert_eq!(describe["idempotent"], true);
    assert_eq!(describe["category"], "describe");
    assert_eq!(
        describe["reference"],
        "https://console.tencentcloud.com/api/explorer?Product=gadgets&Version=2024-05-01&Action=DescribeGadgets"
    );
    assert_eq!(
        describe["pagination"],
        json!({"style": "offset", "page": "Offset", "size": "Limit", "max_size": 50, "items": "GadgetSet", "total": "TotalCount"})
    );
    assert_eq!(
        member(&describe["input"], "MadeOn"),
        &json!({"name": "MadeOn", "type": "date", "presence": "optional", "doc": "The MadeOn.", "example": "2024-05-01"})
    );
    assert_eq!(member(&describe["input"], "Ids")["type"], "list<int64>");

    let list = read(&dir.join("actions/ListParts.json"));
    assert_eq!(
        list["pagination"],
        json!({"style": "page_number", "page": "PageNumber", "size": "PageSize", "max_size": 20,
               "max_size_source": "Upstream states no maximum for `PageSize`; 20 is the default it states.",
               "items": "Parts", "first_page": 1})
    );
    assert_eq!(member(&list["output"], "Parts")["type"], "list<ThingPart>");

    let create = read(&dir.join("actions/CreateGadget.json"));
    assert_eq!(create.get("idempotent"), None, "a write is not idempotent");
    assert_eq!(create["summary"], "Create");
    assert_eq!(create["doc"], "Upstream marks this action deprecated.");
    assert_eq!(
        create["deprecated"],
        "deprecated by the service's documentation"
    );
    assert_eq!(describe.get("deprecated"), None);
    // Retired members carry a note, naming the replacement when the text does.
    assert_eq!(
        member(&describe["input"], "Kind")["deprecated"],
        "use `Type`"
    );
    assert_eq!(
        member(&describe["input"], "Old")["deprecated"],
        "deprecated by the service's documentation"
    );
    assert_eq!(member(&describe["input"], "Type").get("deprecated"), None);
    assert_eq!(member(&create["input"], "Password")["sensitive"], true);
    assert_eq!(member(&create["input"], "Blob")["type"], "binary");
    assert_eq!(member(&create["input"], "Result")["type"], "ResultType");
    assert_eq!(member(&create["output"], "Gadget")["presence"], "nullable");

    let gadget = read(&dir.join("types/Gadget.json"));
    let ty = |name: &str| member(&gadget["members"], name)["type"].clone();
    assert_eq!(ty("Weight"), "float");
    assert_eq!(ty("Ratio"), "float");
    assert_eq!(ty("CreatedTime"), "datetime");
    assert_eq!(ty("UpdatedTime"), "datetime_iso");
    assert_eq!(ty("Days"), "list<date>");
    assert_eq!(ty("Flags"), "list<bool>");
    assert_eq!(ty("Builder"), "GadgetBuilderType");
    assert_eq!(member(&gadget["members"], "UUI")["rust_name"], "uui_2");
    assert_eq!(
        member(&gadget["members"], "UUI")["doc"],
        "The UUI.\n\nUpstream marks this member disabled (deprecated)."
    );
    assert_eq!(member(&gadget["members"], "SessionKey")["sensitive"], true);
    for renamed in ["ThingPart", "ResultType", "GadgetBuilderType"] {
        assert!(
            dir.join(format!("types/{renamed}.json")).is_file(),
            "{renamed}"
        );
    }

    // The result loads, and generates code with the formats documented, the
    // keyword and builder-method members escaped, the recursive member boxed.
    let model = codegen::load(&dir).unwrap_or_else(|d| panic!("{d}"));
    let common = model
        .error("InvalidParameter")
        .expect("common codes merged");
    assert!(common.common);
    let files = codegen::generate(
        &model,
        &codegen::Options::whole_crate("tencent-cloud-gadgets", true),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    for expected in [
        "Wire form: a date as the JSON string `YYYY-MM-DD`.",
        "Wire form: a date and time as the JSON string `YYYY-MM-DD hh:mm:ss`.",
        "Wire form: bytes as base64 text in a JSON string.",
        "pub r#type: Option<",
        " build_(",
        "pub self_: Option<",
        "pub parent: Option<Box<Gadget>>",
        "pub uui_2: Option<",
        "pub struct ResultType",
        "pub struct ThingPart",
        "The `ThingPart` type.",
    ] {
        assert!(all.contains(expected), "missing: {expected}");
    }

    // Importing the same description again changes nothing.
    let again = add_service(&root, &gadgets(), None, &ImportOptions::default()).unwrap();
    assert!(!again.created);
    assert_eq!(again.report, Vec::<String>::new());
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn re_import_keeps_local_corrections_and_a_second_version_gets_its_own_crate() {
    let root = root("keep");
    let added = add_service(&root, &gadgets(), None, &ImportOptions::default()).unwrap();
    let dir = root.join(&added.dir);
    // A person renames a member, says a secret-sounding one holds none, and
    // corrects a presence.
    let path = dir.join("types/Gadget.json");
    let mut gadget = read(&path);
    for m in gadget["members"].as_array_mut().unwrap() {
        match m["name"].as_str().unwrap() {
            "Uui" => m["rust_name"] = "user_info".into(),
            "SessionKey" => {
                m.as_object_mut().unwrap().remove("sensitive");
                m["not_sensitive"] = "the key of a session table row".into();
            }
            "CreatedTime" => {
                m["presence"] = "optional".into();
                m["correction"] = "the service leaves it out for new gadgets".into();
            }
            _ => {}
        }
    }
    fs::write(&path, serde_json::to_string_pretty(&gadget).unwrap()).unwrap();

    let mut newer = gadgets();
    newer["objects"]["Gadget"]["members"]
        .as_array_mut()
        .unwrap()
        .push(m("Colour", "string", "string", json!({"required": false})));
    let report = add_service(&root, &newer, None, &ImportOptions::default())
        .unwrap()
        .report;
    assert_eq!(report, ["Gadget: added member Colour"]);
    let gadget = read(&path);
    assert_eq!(member(&gadget["members"], "Uui")["rust_name"], "user_info");
    assert_eq!(
        member(&gadget["members"], "UUI")["rust_name"],
        "uui_2",
        "a name given once stays: it is public API"
    );
    assert_eq!(
        member(&gadget["members"], "SessionKey").get("sensitive"),
        None
    );
    assert_eq!(
        member(&gadget["members"], "CreatedTime")["presence"],
        "optional"
    );
    codegen::load(&dir).unwrap_or_else(|d| panic!("{d}"));

    // Another version beside it: a crate of its own.
    let mut v2 = gadgets();
    v2["metadata"]["apiVersion"] = "2025-01-31".into();
    let added = add_service(&root, &v2, None, &ImportOptions::default()).unwrap();
    let service = read(&root.join(&added.dir).join("service.json"));
    assert_eq!(
        service["crate"],
        json!({"name": "tencent-cloud-gadgets-20250131", "path": "services/gadgets-20250131"})
    );
    let found = codegen::services::discover(&root, "spec").unwrap();
    assert_eq!(found.len(), 2);
    let _ = fs::remove_dir_all(&root);
}

/// The problems of an add-service that must fail, with nothing written.
fn refused(name: &str, upstream: &Value, service: Option<&str>) -> Vec<String> {
    let root = root(name);
    let err = add_service(&root, upstream, service, &ImportOptions::default()).unwrap_err();
    let left: Vec<_> = fs::read_dir(root.join("spec"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["common-errors.json"], "nothing may be written");
    let _ = fs::remove_dir_all(&root);
    err.lines().map(str::to_owned).collect()
}

#[test]
fn a_malformed_description_is_refused_with_every_problem() {
    let mut up = gadgets();
    up.as_object_mut().unwrap().remove("objects");
    assert_eq!(
        refused("no-objects", &up, None),
        ["api.json: /objects: missing or not an object"]
    );
    assert_eq!(
        refused("not-object", &json!([1, 2]), Some("gadgets")),
        ["api.json: /metadata/apiVersion: `` is not an API version (YYYY-MM-DD)"]
    );

    let mut up = gadgets();
    up["objects"]["DescribeGadgetsRequest"]["members"][1]["type"] = "xyz".into();
    up["objects"]["Gadget"]["members"][0]["member"] = "Nope".into();
    up["objects"]["Gadget"]["members"][0]["type"] = "object".into();
    up["objects"]["Gadget"]["members"][1]["name"] = "Bad-Name".into();
    up["objects"]["Result"]["members"] = "none".into();
    up["actions"]["CreateGadget"]["input"] = "Missing".into();
    assert_eq!(
        refused("unknown-type", &up, None),
        [
            "api.json: /objects/DescribeGadgetsRequest/members/1/type: unknown type \"xyz\"",
            "api.json: /objects/Gadget/members/0/member: unknown object \"Nope\": no /objects/Nope",
            "api.json: /objects/Gadget/members/1/name: `Bad-Name` is not a valid member name (letters, digits, underscores)",
            "api.json: /objects/Result/members: missing or not a list",
            "api.json: /actions/CreateGadget/input: unknown object \"Missing\"",
        ]
    );
}

#[test]
fn action_names_that_cannot_become_methods_are_refused() {
    let mut up = gadgets();
    let actions = up["actions"].as_object_mut().unwrap();
    let create = actions["CreateGadget"].clone();
    actions.insert("Move".into(), create.clone());
    actions.insert("Builder".into(), create.clone());
    actions.insert("CreateGADGET".into(), create);
    assert_eq!(
        refused("keyword-action", &up, None),
        [
            "api.json: /actions/Builder: `Builder` gives the method `builder`, which `Client` already has, and actions cannot be renamed",
            "api.json: /actions/CreateGadget: `CreateGadget` and `CreateGADGET` give the same Rust name `create_gadget`, and actions cannot be renamed",
            "api.json: /actions/Move: `Move` gives the Rust keyword `move` as module and method name, and actions cannot be renamed",
        ]
    );
}

#[test]
fn a_bad_service_name_is_refused() {
    let mut up = gadgets();
    up["metadata"]["serviceShortName"] = "Gadget_s".into();
    assert_eq!(
        refused("bad-name", &up, None),
        ["api.json: /metadata/serviceShortName: `Gadget_s` is not a valid service name: lower-case ASCII letters and digits, starting with a letter (`cvm`, `ai3d`)"]
    );
    assert_eq!(
        refused("bad-flag", &gadgets(), Some("2fa")),
        ["--service: `2fa` is not a valid service name: lower-case ASCII letters and digits, starting with a letter (`cvm`, `ai3d`)"]
    );
    let mut up = gadgets();
    up["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("serviceShortName");
    assert_eq!(
        refused("no-name", &up, None),
        ["api.json: /metadata/serviceShortName: missing: the file names no service; pass --service NAME"]
    );
}
