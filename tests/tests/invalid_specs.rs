//! Each kind of bad spec gives its own clear error naming the file and the place
//! in it, and one run reports every problem.

use std::fs;
use std::path::PathBuf;

const SERVICE: &str = r#"{
  "service": "demo", "version": "2024-01-01", "title": "Demo", "doc": "A demo service.",
  "endpoints": [{ "name": "Main", "host": "demo.example.com", "default": true, "doc": "The endpoint." }],
  "categories": [{ "id": "things", "title": "Things", "doc": "Things." }],
  "errors": [{ "code": "InvalidParameter", "common": true, "doc": "Bad parameter." }]
}"#;

const ACTION: &str = r#"{
  "action": "GetThing", "summary": "Get a thing.", "doc": "Reads one thing.",
  "reference": "https://demo.example.com/GetThing", "category": "things",
  "input": [{ "name": "ThingId", "type": "uint64", "required": true, "doc": "Its id." }],
  "output": [{ "name": "Thing", "type": "Thing", "doc": "The thing." }],
  "errors": ["InvalidParameter"]
}"#;

const THING: &str = r#"{
  "object": "Thing", "doc": "A thing.",
  "members": [{ "name": "Name", "type": "string", "required": true, "doc": "Its name." }]
}"#;

/// Writes the valid base spec with `overrides` applied (`None` deletes a file),
/// loads it, and returns the diagnostics with the temp directory shown as `spec`.
fn problems(case: &str, overrides: &[(&str, Option<&str>)]) -> Vec<String> {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("ccc-invalid-{case}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let mut files = vec![
        ("service.json", Some(SERVICE)),
        ("actions/GetThing.json", Some(ACTION)),
        ("types/Thing.json", Some(THING)),
    ];
    for (path, content) in overrides {
        files.retain(|(p, _)| p != path);
        files.push((path, *content));
    }
    for (path, content) in files {
        if let Some(content) = content {
            let full = dir.join(path);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            fs::write(full, content).unwrap();
        }
    }
    let result = codegen::load(&dir);
    let _ = fs::remove_dir_all(&dir);
    let prefix = dir.to_string_lossy().to_string();
    match result {
        Ok(_) => Vec::new(),
        Err(diags) => diags
            .0
            .iter()
            .map(|d| d.to_string().replace(&prefix, "spec"))
            .collect(),
    }
}

#[test]
fn the_base_spec_is_valid() {
    assert_eq!(problems("base", &[]), Vec::<String>::new());
}

#[test]
fn invalid_json_names_line_and_column() {
    let bad = "{\n  \"action\": \"GetThing\",\n  \"summary\": \"x\"\n  \"doc\": \"y\"\n}";
    assert_eq!(
        problems("json", &[("actions/GetThing.json", Some(bad))]),
        ["spec/actions/GetThing.json: line 4, column 3: invalid JSON: expected `,` or `}`"]
    );
}

#[test]
fn field_of_the_wrong_shape_names_its_pointer() {
    let bad = ACTION.replace(
        r#""category": "things","#,
        r#""category": "things", "rate_limit": "fast","#,
    );
    let got = problems("shape", &[("actions/GetThing.json", Some(&bad))]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0]
            .starts_with("spec/actions/GetThing.json: /rate_limit: invalid type: string \"fast\""),
        "{got:?}"
    );
}

#[test]
fn unknown_field_is_refused() {
    let bad = ACTION.replace(
        r#""doc": "Its id." }"#,
        r#""doc": "Its id.", "requird": true }"#,
    );
    let got = problems("unknown-field", &[("actions/GetThing.json", Some(&bad))]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("spec/actions/GetThing.json: /input/0/requird: unknown field `requird`"),
        "{got:?}"
    );
}

#[test]
fn unknown_type_reference() {
    let bad = ACTION.replace(r#""type": "Thing""#, r#""type": "list<Thign>""#);
    assert_eq!(
        problems("unknown-type", &[("actions/GetThing.json", Some(&bad))]),
        [
            "spec/actions/GetThing.json: /output/0/type: unknown type `Thign`: no types/Thign.json",
            "spec/types/Thing.json: /object: unused type `Thing`: no action refers to it",
        ]
    );
}

#[test]
fn malformed_type_text() {
    let bad = ACTION.replace(r#""type": "uint64""#, r#""type": "list<uint64""#);
    assert_eq!(
        problems("type-text", &[("actions/GetThing.json", Some(&bad))]),
        ["spec/actions/GetThing.json: /input/0/type: `list<uint64` is not a type: expected string, int64, uint64, float, bool, a type name or list<T>"]
    );
}

#[test]
fn duplicate_action() {
    assert_eq!(
        problems("dup-action", &[("actions/GetThingAgain.json", Some(ACTION))]),
        [
            "spec/actions/GetThingAgain.json: /action: `GetThing` must live in a file named `GetThing.json`",
            "spec/actions/GetThingAgain.json: /action: duplicate action `GetThing`, first defined in spec/actions/GetThing.json",
        ]
    );
}

#[test]
fn duplicate_member_and_members_with_the_same_rust_name() {
    let bad = ACTION.replace(
        r#"[{ "name": "ThingId", "type": "uint64", "required": true, "doc": "Its id." }]"#,
        r#"[{ "name": "ThingId", "type": "uint64", "required": true, "doc": "Its id." },
            { "name": "ThingId", "type": "string", "doc": "Again." },
            { "name": "ThingID", "type": "string", "doc": "Same Rust name." }]"#,
    );
    assert_eq!(
        problems("dup-member", &[("actions/GetThing.json", Some(&bad))]),
        [
            "spec/actions/GetThing.json: /input/1/name: duplicate member `ThingId`",
            "spec/actions/GetThing.json: /input/2/name: members `ThingId` and `ThingID` both map to the Rust name `thing_id`",
        ]
    );
}

#[test]
fn a_rust_name_resolves_a_collision() {
    let twins = ACTION.replace(
        r#"[{ "name": "ThingId", "type": "uint64", "required": true, "doc": "Its id." }]"#,
        r#"[{ "name": "ThingId", "type": "uint64", "required": true, "doc": "Its id." },
            { "name": "ThingID", "type": "string", "doc": "Deprecated twin.", "rust_name": "thing_id_deprecated" }]"#,
    );
    assert_eq!(
        problems("rust-name", &[("actions/GetThing.json", Some(&twins))]),
        Vec::<String>::new()
    );
    let bad = twins.replace("thing_id_deprecated", "ThingIdOld");
    assert_eq!(
        problems("rust-name-bad", &[("actions/GetThing.json", Some(&bad))]),
        ["spec/actions/GetThing.json: /input/1/rust_name: `ThingIdOld` is not a snake_case Rust name"]
    );
}

#[test]
fn names_that_are_not_identifiers() {
    let bad = ACTION
        .replace(r#""action": "GetThing""#, r#""action": "get-thing""#)
        .replace(r#""name": "ThingId""#, r#""name": "Thing-Id""#);
    assert_eq!(
        problems("ident", &[("actions/GetThing.json", None), ("actions/get-thing.json", Some(&bad))]),
        [
            "spec/actions/get-thing.json: /action: `get-thing` is not a valid action name (PascalCase letters and digits)",
            "spec/actions/get-thing.json: /input/0/name: `Thing-Id` is not a valid member name (letters, digits, underscores)",
        ]
    );
}

#[test]
fn keyword_members() {
    // `Type` works (as `r#type`); `Self` cannot be an identifier at all.
    let bad = THING.replace(
        r#""doc": "Its name." }]"#,
        r#""doc": "Its name." }, { "name": "Type", "type": "string", "doc": "Fine." }, { "name": "Self", "type": "string", "doc": "Not fine." }]"#,
    );
    assert_eq!(
        problems("keyword", &[("types/Thing.json", Some(&bad))]),
        ["spec/types/Thing.json: /members/2/name: member `Self` maps to the Rust keyword `self`, which cannot be an identifier even as r#self"]
    );
}

#[test]
fn unused_type() {
    let spare = r#"{ "enum": "Colour", "repr": "string", "doc": "A colour.", "values": [{ "value": "red", "name": "Red", "doc": "Red." }] }"#;
    assert_eq!(
        problems("unused", &[("types/Colour.json", Some(spare))]),
        ["spec/types/Colour.json: /enum: unused type `Colour`: no action refers to it"]
    );
}

#[test]
fn missing_docs() {
    let bad = ACTION
        .replace(r#""summary": "Get a thing.","#, "")
        .replace(r#""doc": "Its id.""#, r#""doc": "  ""#);
    assert_eq!(
        problems("docs", &[("actions/GetThing.json", Some(&bad))]),
        [
            "spec/actions/GetThing.json: /input/0/doc: missing documentation: every item needs a doc in our own words",
            "spec/actions/GetThing.json: /summary: missing documentation: every item needs a doc in our own words",
        ]
    );
}

#[test]
fn unknown_error_code_and_category() {
    let bad = ACTION
        .replace(
            r#"["InvalidParameter"]"#,
            r#"["InvalidParameter", "NoSuchCode"]"#,
        )
        .replace(r#""category": "things""#, r#""category": "stuff""#);
    assert_eq!(
        problems("codes", &[("actions/GetThing.json", Some(&bad))]),
        [
            "spec/actions/GetThing.json: /category: unknown category `stuff`; service.json defines {\"things\"}",
            "spec/actions/GetThing.json: /errors/1: unknown error code `NoSuchCode`: add it to service.json first",
        ]
    );
}

#[test]
fn enum_problems() {
    let colour = r#"{ "enum": "Colour", "repr": "uint64", "doc": "A colour.", "values": [
        { "value": 1, "name": "Red", "doc": "Red." },
        { "value": -2, "name": "Green", "doc": "Green." },
        { "value": 1, "name": "Blue", "doc": "Blue." },
        { "value": 3, "name": "Unknown", "doc": "Reserved." }
    ] }"#;
    let thing = THING.replace(r#""type": "string""#, r#""type": "Colour""#);
    assert_eq!(
        problems("enum", &[("types/Colour.json", Some(colour)), ("types/Thing.json", Some(&thing))]),
        [
            "spec/types/Colour.json: /values/1/value: value -2 is not a non-negative integer, as repr requires",
            "spec/types/Colour.json: /values/2/value: duplicate value 1",
            "spec/types/Colour.json: /values/3/name: `Unknown` is reserved for values the spec does not list",
        ]
    );
}

#[test]
fn presence_flags_in_the_wrong_place() {
    let bad = ACTION
        .replace(
            r#""required": true, "doc": "Its id.""#,
            r#""optional": true, "doc": "Its id.""#,
        )
        .replace(
            r#""type": "Thing", "doc""#,
            r#""type": "Thing", "required": true, "doc""#,
        );
    assert_eq!(
        problems("presence", &[("actions/GetThing.json", Some(&bad))]),
        [
            "spec/actions/GetThing.json: /input/0: input members use `required` only; `optional` and `nullable` are for outputs",
            "spec/actions/GetThing.json: /output/0/required: output members are present unless marked `optional` or `nullable`; `required` is for inputs and objects",
        ]
    );
}

#[test]
fn pagination_must_name_fitting_members() {
    let paged = ACTION.replace(
        r#""errors": ["InvalidParameter"]"#,
        r#""errors": ["InvalidParameter"],
           "pagination": { "style": "page_number", "page": "PageNumber", "size": "ThingId", "items": "Thing", "total": "Thing" }"#,
    );
    assert_eq!(
        problems("paging", &[("actions/GetThing.json", Some(&paged))]),
        [
            "spec/actions/GetThing.json: /pagination/items: `Thing` is not a list output member",
            "spec/actions/GetThing.json: /pagination/page: `PageNumber` is not an input member of the type this paging style needs",
        ]
    );
    let cursor = ACTION
        .replace(r#""type": "Thing""#, r#""type": "list<Thing>""#)
        .replace(
            r#""errors": ["InvalidParameter"]"#,
            r#""errors": ["InvalidParameter"],
               "pagination": { "style": "cursor", "page": "ThingId", "size": "ThingId", "items": "Thing" }"#,
        );
    assert_eq!(
        problems("cursor", &[("actions/GetThing.json", Some(&cursor))]),
        [
            "spec/actions/GetThing.json: /pagination: cursor paging needs `item_cursor`",
            "spec/actions/GetThing.json: /pagination/page: `ThingId` is not an input member of the type this paging style needs",
        ]
    );
}

#[test]
fn examples_and_corrections_are_checked() {
    let bad = ACTION
        .replace(r#""doc": "Its id." }"#, r#""doc": "Its id.", "correction": " " }"#)
        .replace(
            r#""errors": ["InvalidParameter"]"#,
            r#""errors": ["InvalidParameter"],
               "examples": [{ "title": "t", "input": [1], "output": { "Thing": {} }, "repaired": "" }]"#,
        );
    assert_eq!(
        problems("examples", &[("actions/GetThing.json", Some(&bad))]),
        [
            "spec/actions/GetThing.json: /examples/0/input: example input must be the JSON object of the request parameters",
            "spec/actions/GetThing.json: /examples/0/output: example output must be the full answer, {\"Response\": {...}}",
            "spec/actions/GetThing.json: /examples/0/repaired: say what was repaired, or leave `repaired` out",
            "spec/actions/GetThing.json: /input/0/correction: say why the member differs from upstream, or leave `correction` out",
        ]
    );
}

#[test]
fn recursive_object_without_a_list() {
    let bad = THING.replace(r#""type": "string""#, r#""type": "Thing""#);
    assert_eq!(
        problems("recursive", &[("types/Thing.json", Some(&bad))]),
        ["spec/types/Thing.json: /members: `Thing` contains itself without a list in between"]
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let bad_action = ACTION
        .replace(r#""type": "Thing""#, r#""type": "Nope""#)
        .replace(r#""doc": "Its id.""#, r#""doc": """#);
    let got = problems(
        "many",
        &[
            ("actions/GetThing.json", Some(&bad_action)),
            ("actions/Broken.json", Some("{ not json")),
            ("types/Weird.json", Some(r#"{ "members": [] }"#)),
        ],
    );
    assert_eq!(
        got,
        [
            "spec/actions/Broken.json: line 1, column 3: invalid JSON: key must be a string",
            "spec/actions/GetThing.json: /input/0/doc: missing documentation: every item needs a doc in our own words",
            "spec/actions/GetThing.json: /output/0/type: unknown type `Nope`: no types/Nope.json",
            "spec/types/Weird.json: a type file needs an `object` or an `enum` key naming the type",
        ]
    );
}

#[test]
fn missing_service_file_and_stray_files() {
    let got = problems(
        "no-service",
        &[("service.json", None), ("notes.txt", Some("hi"))],
    );
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("spec/notes.txt: unexpected file"),
        "{got:?}"
    );
    assert!(
        got[1].starts_with("spec/service.json: cannot read file"),
        "{got:?}"
    );
}
