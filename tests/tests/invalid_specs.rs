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
  "input": [{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }],
  "output": [{ "name": "Thing", "type": "Thing", "presence": "required", "doc": "The thing." }],
  "errors": ["InvalidParameter"]
}"#;

const THING: &str = r#"{
  "object": "Thing", "doc": "A thing.",
  "members": [{ "name": "Name", "type": "string", "presence": "required", "doc": "Its name." }]
}"#;

/// Writes the valid base spec with `overrides` applied (`None` deletes a file),
/// loads it, and returns the model or the diagnostics with the temp directory
/// shown as `spec`.
fn load(case: &str, overrides: &[(&str, Option<&str>)]) -> Result<codegen::Model, Vec<String>> {
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
    result.map_err(|diags| {
        diags
            .0
            .iter()
            .map(|d| d.to_string().replace(&prefix, "spec"))
            .collect()
    })
}

/// The diagnostics of [`load`]; empty when the spec is valid.
fn problems(case: &str, overrides: &[(&str, Option<&str>)]) -> Vec<String> {
    load(case, overrides).err().unwrap_or_default()
}

/// `ACTION` with its input member list replaced by `input`.
fn action_with_input(input: &str) -> String {
    ACTION.replace(
        r#"[{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }]"#,
        input,
    )
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
        ["spec/actions/GetThing.json: /input/0/type: `list<uint64` is not a type: expected string, int64, uint64, float, bool, date, datetime, datetime_iso, binary, a type name or list<T>"]
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
        r#"[{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }]"#,
        r#"[{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." },
            { "name": "ThingId", "type": "string", "presence": "optional", "doc": "Again." },
            { "name": "ThingID", "type": "string", "presence": "optional", "doc": "Same Rust name." }]"#,
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
        r#"[{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }]"#,
        r#"[{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." },
            { "name": "ThingID", "type": "string", "presence": "optional", "doc": "Older twin.", "rust_name": "thing_id_deprecated" }]"#,
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
    // `Type` works as `r#type`; `Self` cannot be an identifier even as `r#self`,
    // so it is escaped to `self_`. The wire names stay.
    let thing = THING.replace(
        r#""doc": "Its name." }]"#,
        r#""doc": "Its name." }, { "name": "Type", "type": "string", "presence": "optional", "doc": "Fine." }, { "name": "Self", "type": "string", "presence": "optional", "doc": "Escaped." }]"#,
    );
    let model = load("keyword", &[("types/Thing.json", Some(&thing))]).unwrap();
    let names: Vec<(&str, &str)> = model.objects[0]
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.rust.as_str()))
        .collect();
    assert_eq!(
        names,
        [("Name", "name"), ("Type", "type"), ("Self", "self_")]
    );
}

/// Every member name that collides with generated code, where it sits, and the
/// Rust name it gets.
#[test]
fn colliding_member_names_are_escaped() {
    let input = [
        ("New", "new_"),
        ("Send", "send_"),
        ("Build", "build_"),
        ("Options", "options_"),
        ("AsBuilder", "as_builder_"),
        ("IntoPaginator", "into_paginator_"),
        ("Default", "default_"),
        ("Clone", "clone_"),
        ("CloneFrom", "clone_from_"),
        ("Fmt", "fmt_"),
        ("Into", "into_"),
        ("From", "from_"),
        ("TryInto", "try_into_"),
        ("Eq", "eq_"),
        ("ToOwned", "to_owned_"),
        ("TypeId", "type_id_"),
        ("Serialize", "serialize_"),
        ("Self", "self_"),
        ("Super", "super_"),
        ("Crate", "crate_"),
        ("Type", "type"),
        ("SetType", "set_type_"),
        ("Name", "name"),
        ("SetName", "set_name_"),
        ("SetSetName", "set_set_name"),
        ("SetSetSetName", "set_set_set_name_"),
        ("Builder", "builder"),
        ("Client", "client"),
        ("RequestId", "request_id"),
        ("ThingId", "thing_id"),
    ];
    // Responses and shared types have builders too: `build`, the `Clone` and
    // `Default` methods and the setters are taken; other trait names (`from`)
    // stay, since they are public fields users read.
    let output = [
        ("RequestID", "request_id_"),
        ("Send", "send"),
        ("New", "new"),
        ("Self", "self_"),
        ("Build", "build_"),
        ("Clone", "clone_"),
        ("Default", "default_"),
        ("From", "from"),
        // Reserved (the setter of `request_id`), then taken by the setter of
        // `request_id_` above.
        ("SetRequestId", "set_request_id__"),
        ("SetSend", "set_send_"),
    ];
    let object = [
        ("Self", "self_"),
        ("Super", "super_"),
        ("New", "new"),
        ("Name", "name"),
        ("Build", "build_"),
        ("ToOwned", "to_owned_"),
        ("From", "from"),
        ("SetName", "set_name_"),
    ];
    let members = |list: &[(&str, &str)], flag: &str| {
        list.iter()
            .map(|(wire, _)| {
                format!(r#"{{ "name": "{wire}", "type": "string", {flag} "doc": "d." }}"#)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let action = action_with_input(&format!("[{}]", members(&input, r#""presence": "optional","#))).replace(
        r#""output": [{ "name": "Thing", "type": "Thing", "presence": "required", "doc": "The thing." }]"#,
        &format!(
            r#""output": [{{ "name": "Thing", "type": "Thing", "presence": "required", "doc": "The thing." }}, {}]"#,
            members(&output, r#""presence": "optional","#)
        ),
    );
    let thing = THING.replace(
        r#"[{ "name": "Name", "type": "string", "presence": "required", "doc": "Its name." }]"#,
        &format!("[{}]", members(&object, r#""presence": "optional","#)),
    );
    let model = load(
        "escapes",
        &[
            ("actions/GetThing.json", Some(&action)),
            ("types/Thing.json", Some(&thing)),
        ],
    )
    .unwrap_or_else(|e| panic!("{e:#?}"));
    let got = |fields: &[codegen::model::Field]| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|f| (f.wire.clone(), f.rust.clone()))
            .collect()
    };
    let want = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(w, r)| (w.to_string(), r.to_string()))
            .collect()
    };
    let a = &model.actions[0];
    assert_eq!(got(&a.input), want(&input));
    assert_eq!(got(&a.output)[1..], want(&output)[..]);
    assert_eq!(got(&model.objects[0].fields), want(&object));
}

/// An object's builder is `<Name>Builder` next to it, so no type may take
/// that name; an enum has no builder, so `<Enum>Builder` stays free.
#[test]
fn a_type_named_like_a_builder_is_refused() {
    let builder = THING.replace(r#""object": "Thing""#, r#""object": "ThingBuilder""#);
    let action = ACTION.replace(
        r#"[{ "name": "Thing", "type": "Thing", "presence": "required", "doc": "The thing." }]"#,
        r#"[{ "name": "Thing", "type": "Thing", "presence": "required", "doc": "The thing." }, { "name": "B", "type": "ThingBuilder", "presence": "optional", "doc": "d." }]"#,
    );
    assert_eq!(
        problems(
            "builder-name",
            &[
                ("types/ThingBuilder.json", Some(&builder)),
                ("actions/GetThing.json", Some(&action)),
            ]
        ),
        ["spec/types/ThingBuilder.json: /object: `ThingBuilder` is the name of the builder of object `Thing`; choose another"]
    );
}

#[test]
fn names_that_cannot_be_escaped_are_refused() {
    // Members whose Rust names collide after conversion.
    let twins = action_with_input(
        r#"[{ "name": "Self", "type": "string", "presence": "optional", "doc": "d." }, { "name": "SELF", "type": "string", "presence": "optional", "doc": "d." }]"#,
    );
    assert_eq!(
        problems("twins", &[("actions/GetThing.json", Some(&twins))]),
        ["spec/actions/GetThing.json: /input/1/name: members `Self` and `SELF` both map to the Rust name `self_`"]
    );
    // A `rust_name` is kept as written, so a colliding one is an error.
    for (rust, want) in [
        ("new", "/input/1/rust_name: Rust name `new` of member `Other` collides with generated code (a keyword, a builder method or a response field); choose another"),
        ("self", "/input/1/rust_name: Rust name `self` of member `Other` collides with generated code (a keyword, a builder method or a response field); choose another"),
        ("set_thing_id", "/input/1/rust_name: members `ThingId` and `Other` both generate the method `set_thing_id`; give one a `rust_name`"),
    ] {
        let bad = action_with_input(&format!(
            r#"[{{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }},
                {{ "name": "Other", "type": "string", "presence": "optional", "doc": "d.", "rust_name": "{rust}" }}]"#
        ));
        assert_eq!(
            problems("rust-name-collision", &[("actions/GetThing.json", Some(&bad))]),
            [format!("spec/actions/GetThing.json: {want}")],
            "{rust}"
        );
    }
    // Actions: their names are the API, so a collision is an error.
    for (action, why) in [
        ("Execute", "gives the method `execute`, which `Client` already has"),
        ("ExecuteWith", "gives the method `execute_with`, which `Client` already has"),
        ("Builder", "gives the method `builder`, which `Client` already has"),
        ("Endpoint", "gives the method `endpoint`, which `Client` already has"),
        ("Call", "gives the method `call`, which `Client` already has"),
        ("CallWith", "gives the method `call_with`, which `Client` already has"),
        ("FromEnv", "gives the method `from_env`, which `Client` already has"),
        ("Clone", "gives the method `clone`, which `Client` already has"),
        ("Into", "gives the method `into`, which `Client` already has"),
        ("Fmt", "gives the method `fmt`, which `Client` already has"),
        ("Type", "gives the Rust keyword `type` as module and method name; actions cannot be renamed, so choose another"),
        ("Self", "gives the Rust keyword `self` as module and method name; actions cannot be renamed, so choose another"),
        ("Match", "gives the Rust keyword `match` as module and method name; actions cannot be renamed, so choose another"),
        ("Async", "gives the Rust keyword `async` as module and method name; actions cannot be renamed, so choose another"),
    ] {
        let file = format!("actions/{action}.json");
        let bad = ACTION.replace(r#""action": "GetThing""#, &format!(r#""action": "{action}""#));
        assert_eq!(
            problems("action-name", &[("actions/GetThing.json", None), (&file, Some(&bad))]),
            [format!("spec/{file}: /action: `{action}` {why}")]
        );
    }
    // Type names that shadow what the types module uses unqualified.
    for name in [
        "Option", "Result", "String", "Vec", "Box", "Self", "Some", "From", "Default", "Iterator",
        "WireEnum",
    ] {
        let file = format!("types/{name}.json");
        let thing = THING.replace(r#""object": "Thing""#, &format!(r#""object": "{name}""#));
        let action = ACTION.replace(r#""type": "Thing""#, &format!(r#""type": "{name}""#));
        assert_eq!(
            problems(
                "type-name",
                &[("types/Thing.json", None), (&file, Some(&thing)), ("actions/GetThing.json", Some(&action))]
            ),
            [format!("spec/{file}: /object: `{name}` would shadow a Rust or runtime name; choose another")]
        );
    }
    // Variants: `Self` is a keyword, `Unknown` the fallback.
    let colour = r#"{ "enum": "Colour", "repr": "string", "doc": "A colour.", "values": [{ "value": "s", "name": "Self", "doc": "d." }] }"#;
    let thing = THING.replace(r#""type": "string""#, r#""type": "Colour""#);
    let service = SERVICE
        .replace(r#""name": "Main""#, r#""name": "Self""#)
        .replace(
            r#""errors": [{"#,
            r#""errors": [{ "code": "Unknown", "doc": "d." }, { "code": "UNKNOWN", "doc": "d." }, {"#,
        );
    assert_eq!(
        problems(
            "variants",
            &[("types/Colour.json", Some(colour)), ("types/Thing.json", Some(&thing)), ("service.json", Some(&service))]
        ),
        [
            "spec/service.json: /endpoints/0/name: `Self` is not a valid variant name (PascalCase)",
            "spec/service.json: /errors/0/code: `Unknown` gives the Rust variant `Unknown`, which error-code enums cannot have (`Unknown` holds codes not listed)",
            "spec/service.json: /errors/1/code: `UNKNOWN` gives the Rust variant `Unknown`, which error-code enums cannot have (`Unknown` holds codes not listed)",
            "spec/types/Colour.json: /values/0/name: `Self` is not a valid variant name (PascalCase)",
        ]
    );
}

/// `CLIENT_METHODS` is what `impl Client` in the runtime and in a generated
/// service module define: a method added there without adding it here would
/// let an action of that name through.
#[test]
fn reserved_client_methods_match_the_runtime() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut defined = Vec::new();
    // The runtime's `Client` has its methods in more than one file of
    // `client/` (the entry points in `mod.rs`, the call in `call.rs`).
    let runtime_client = root.join("tencent-cloud-runtime/src/client");
    let mut files: Vec<String> = fs::read_dir(&runtime_client)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| fs::read_to_string(p).unwrap().contains("\nimpl Client {\n"))
        .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    files.push("ccc-api/src/generated/mod.rs".to_owned());
    for file in &files {
        let source = fs::read_to_string(root.join(file)).unwrap();
        let block = source
            .split("\nimpl Client {\n")
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .unwrap_or_else(|| panic!("an `impl Client` block in {file}"));
        // Methods sit four spaces deep; helpers nested in their bodies are deeper.
        let found: Vec<String> = block
            .lines()
            .filter_map(|l| {
                [
                    "    pub fn ",
                    "    pub async fn ",
                    "    pub(super) fn ",
                    "    pub(super) async fn ",
                    "    fn ",
                    "    async fn ",
                ]
                .iter()
                .find_map(|p| l.strip_prefix(p))
            })
            .filter_map(|rest| rest.split(['(', '<']).next())
            .map(str::to_owned)
            .collect();
        assert!(!found.is_empty(), "{file}: {found:?}");
        // And there is no other `impl Client` block to forget.
        assert_eq!(source.matches("impl Client {").count(), 1, "{file}");
        defined.extend(found);
    }
    defined.sort();
    defined.dedup();
    assert_eq!(defined, codegen::names::CLIENT_METHODS);
}

/// `BUILDER_METHODS` is what the emitter puts on builders besides the members'
/// setters, read from the generated code of the names fixture.
#[test]
fn reserved_builder_methods_match_the_emitter() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let model = codegen::load(&root.join("fixtures/spec/names")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for a in &model.actions {
        let source =
            fs::read_to_string(root.join(format!("src/fixture_names/operation/{}.rs", a.snake)))
                .unwrap();
        let setters: Vec<String> = a
            .input
            .iter()
            .flat_map(|f| [f.rust.clone(), format!("set_{}", f.rust)])
            .collect();
        for builder in ["RequestBuilder", "FluentBuilder"] {
            let head = format!("\nimpl {}{builder} {{\n", a.name);
            let block = source
                .split(&head)
                .nth(1)
                .and_then(|rest| rest.split("\n}\n").next())
                .unwrap_or_else(|| panic!("no {head}"));
            for line in block.lines() {
                let Some(rest) = line
                    .strip_prefix("    pub fn ")
                    .or_else(|| line.strip_prefix("    pub async fn "))
                else {
                    continue;
                };
                let name = rest.split('(').next().unwrap().trim_start_matches("r#");
                if !setters.iter().any(|s| s == name) {
                    seen.insert(name.to_owned());
                }
            }
        }
    }
    let reserved: std::collections::BTreeSet<String> = codegen::names::BUILDER_METHODS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(seen, reserved);
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
fn nullable_is_refused_in_requests() {
    let bad = ACTION.replace(
        r#""presence": "required", "doc": "Its id.""#,
        r#""presence": "nullable", "doc": "Its id.""#,
    );
    assert_eq!(
        problems("presence", &[("actions/GetThing.json", Some(&bad))]),
        ["spec/actions/GetThing.json: /input/0/presence: a request member is `required` or `optional`; `nullable` describes what a server sends"]
    );
    let bad = ACTION.replace(
        r#""presence": "required", "doc": "Its id.""#,
        r#""presence": "maybe", "doc": "Its id.""#,
    );
    let got = problems("presence-value", &[("actions/GetThing.json", Some(&bad))]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("spec/actions/GetThing.json: /input/0/presence: unknown variant `maybe`, expected one of `required`, `optional`, `nullable`"),
        "{got:?}"
    );
}

/// Every combination of the old flags, in each place a member sits, is refused
/// with the one `presence` value it meant; a member with neither is told what
/// to write. The table is the old rule: inputs were optional unless
/// `required`; outputs required unless `optional` (then `nullable`); objects
/// optional unless `required` (then `nullable`).
#[test]
fn old_presence_flags_say_what_to_write() {
    let flags = ["required", "optional", "nullable"];
    let mut cases = 0;
    for side in ["input", "output", "members"] {
        for bits in 0..8u8 {
            let set: Vec<&str> = (0..3)
                .filter(|b| bits & (1 << b) != 0)
                .map(|b| flags[b])
                .collect();
            let has = |f: &str| set.contains(&f);
            let meant = match side {
                "input" if has("required") => "required",
                "input" => "optional",
                "output" if has("optional") => "optional",
                "output" if has("nullable") => "nullable",
                "output" => "required",
                _ if !has("required") => "optional",
                _ if has("nullable") => "nullable",
                _ => "required",
            };
            let old: String = set.iter().map(|f| format!(r#""{f}": true, "#)).collect();
            let ty = if side == "members" { "string" } else { "Thing" };
            let member = format!(r#"{{ "name": "Thing", "type": "{ty}", {old}"doc": "d." }}"#);
            let (path, text) = if side == "members" {
                (
                    "types/Thing.json",
                    format!(r#"{{ "object": "Thing", "doc": "A thing.", "members": [{member}] }}"#),
                )
            } else {
                let list = format!(r#""{side}": [{member}]"#);
                let action = ACTION
                    .replace(
                        r#""input": [{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }],"#,
                        "",
                    )
                    .replace(
                        r#""output": [{ "name": "Thing", "type": "Thing", "presence": "required", "doc": "The thing." }],"#,
                        &format!("{list},"),
                    );
                ("actions/GetThing.json", action)
            };
            let mut got = problems(&format!("old-{side}-{bits}"), &[(path, Some(&text))]);
            // An object file that did not load leaves its users with an unknown type.
            got.retain(|p| !p.contains("unknown type `Thing`"));
            let want = match set.first() {
                Some(first) => format!(
                    "spec/{path}: /{side}/0/{first}: `required`, `optional` and `nullable` were replaced by one `presence`: write `\"presence\": \"{meant}\"` instead of `{}`",
                    set.join("`, `")
                ),
                None => format!(
                    "spec/{path}: /{side}/0: missing `presence`: `required`, `optional` or `nullable` (a member without flags in the old form meant `\"presence\": \"{meant}\"` here)"
                ),
            };
            assert_eq!(got, [want], "{side} {set:?}");
            cases += 1;
        }
    }
    // Beside a `presence`, an old flag is only redundant.
    let both = ACTION.replace(
        r#""uint64", "presence": "required","#,
        r#""uint64", "presence": "required", "required": true,"#,
    );
    assert_eq!(
        problems("old-and-new", &[("actions/GetThing.json", Some(&both))]),
        ["spec/actions/GetThing.json: /input/0/required: `required` is the old form of `presence`: remove it"]
    );
    assert_eq!(cases, 24);
}

#[test]
fn pagination_must_name_fitting_members() {
    let paged = ACTION.replace(
        r#""errors": ["InvalidParameter"]"#,
        r#""errors": ["InvalidParameter"],
           "pagination": { "style": "page_number", "page": "PageNumber", "size": "ThingId", "max_size": 10, "max_size_source": "a test", "items": "Thing", "total": "Thing" }"#,
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
               "pagination": { "style": "cursor", "page": "ThingId", "size": "ThingId", "max_size": 10, "max_size_source": "a test", "items": "Thing" }"#,
        );
    assert_eq!(
        problems("cursor", &[("actions/GetThing.json", Some(&cursor))]),
        [
            "spec/actions/GetThing.json: /pagination: cursor paging needs `item_cursor`",
            "spec/actions/GetThing.json: /pagination/page: `ThingId` is not an input member of the type this paging style needs",
        ]
    );
}

/// The paginators' default page size: within what the member holds, equal to
/// the maximum its docs state, and explained when they state none.
#[test]
fn max_page_size_is_checked_against_the_docs() {
    let paged = |size_doc: &str, max: &str| {
        ACTION
            .replace(r#""type": "Thing""#, r#""type": "list<Thing>""#)
            .replace(
                r#"[{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }]"#,
                &format!(
                    r#"[{{ "name": "Offset", "type": "int64", "presence": "optional", "doc": "Items to skip." }},
                        {{ "name": "Limit", "type": "int64", "presence": "optional", "doc": "{size_doc}" }}]"#
                ),
            )
            .replace(
                r#""errors": ["InvalidParameter"]"#,
                &format!(
                    r#""errors": ["InvalidParameter"],
                       "pagination": {{ "style": "offset", "page": "Offset", "size": "Limit", {max}, "items": "Thing" }}"#
                ),
            )
    };
    let at = "spec/actions/GetThing.json: /pagination";
    let cases: &[(&str, &str, &[String])] = &[
        ("Page size, at most 100.", r#""max_size": 100"#, &[]),
        ("Up to 25 entries.", r#""max_size": 25"#, &[]),
        ("Page size, upper limit 50.", r#""max_size": 50"#, &[]),
        ("Page size, maximum 9999.", r#""max_size": 9999"#, &[]),
        ("Page size, 20-1000; defaults to 20.", r#""max_size": 1000"#, &[]),
        ("Page size.", r#""max_size": 20, "max_size_source": "the documented default""#, &[]),
        (
            "Page size, at most 100.",
            r#""max_size": 1000"#,
            &[format!("{at}/max_size: 1000 differs from the maximum `Limit` documents (100)")],
        ),
        (
            "Page size.",
            r#""max_size": 20"#,
            &[format!("{at}/max_size_source: the docs of `Limit` state no maximum page size: say where 20 comes from")],
        ),
        (
            "Page size.",
            r#""max_size": 20, "max_size_source": " ""#,
            &[format!("{at}/max_size_source: must say where `max_size` comes from")],
        ),
        (
            "Page size, at most 100.",
            r#""max_size": 0"#,
            &[
                format!("{at}/max_size: 0 differs from the maximum `Limit` documents (100)"),
                format!("{at}/max_size: 0 is not a page size (1 to 9223372036854775807)"),
            ],
        ),
        (
            "Page size.",
            r#""max_size": 9223372036854775808, "max_size_source": "too big""#,
            &[format!("{at}/max_size: 9223372036854775808 is not a page size (1 to 9223372036854775807)")],
        ),
    ];
    for (doc, max, want) in cases {
        let got = problems(
            "max-size",
            &[("actions/GetThing.json", Some(&paged(doc, max)))],
        );
        assert_eq!(&got, want, "{doc} / {max}");
    }
    // Left out altogether: the format requires it.
    let got = problems(
        "max-size-missing",
        &[(
            "actions/GetThing.json",
            Some(&paged("Page size.", r#""total": "Thing""#)),
        )],
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("missing field `max_size`"), "{got:?}");
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
            "spec/types/Weird.json: a type file needs an `object`, an `enum` or a `scalar` key naming the type",
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

#[test]
fn list_nesting_is_limited_in_depth() {
    let nested = |depth: usize| format!("{}string{}", "list<".repeat(depth), ">".repeat(depth));
    let with_type = |ty: &str| ACTION.replace(r#""type": "uint64""#, &format!(r#""type": "{ty}""#));
    let ok = with_type(&nested(codegen::spec::MAX_LIST_DEPTH));
    let model = load("depth-ok", &[("actions/GetThing.json", Some(&ok))]).unwrap();
    // The deepest accepted nesting also generates.
    codegen::generate(&model, &codegen::Options::external("crate::x")).unwrap();
    for depth in [codegen::spec::MAX_LIST_DEPTH + 1, 5_000, 100_000] {
        let bad = with_type(&nested(depth));
        let got = problems("depth", &[("actions/GetThing.json", Some(&bad))]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("spec/actions/GetThing.json: /input/0/type: `list<list<")
                && got[0].ends_with(&format!(
                    "` nests lists more than {} deep",
                    codegen::spec::MAX_LIST_DEPTH
                ))
                && got[0].len() < 300,
            "{}",
            &got[0][..got[0].len().min(500)]
        );
    }
}

/// A huge bad value in any place the loader or validator quotes gives a short
/// message that still names the file and says how long the value was.
#[test]
fn error_messages_quote_a_bounded_prefix() {
    let huge = "Ü".repeat(600_000); // 1.2 MB
    let long_name = format!("A{}", "b".repeat(1_200_000));
    let mid = "x".repeat(300_000);
    let cases: Vec<(&str, &str, String)> = vec![
        ("actions/GetThing.json", "type", ACTION.replace(r#""type": "uint64""#, &format!(r#""type": "{huge}""#))),
        ("actions/GetThing.json", "type name", ACTION.replace(r#""type": "Thing""#, &format!(r#""type": "{long_name}""#))),
        ("actions/GetThing.json", "member", ACTION.replace(r#""name": "ThingId""#, &format!(r#""name": "{huge}""#))),
        ("actions/GetThing.json", "category", ACTION.replace(r#""category": "things""#, &format!(r#""category": "{huge}""#))),
        ("actions/GetThing.json", "error code", ACTION.replace(r#"["InvalidParameter"]"#, &format!(r#"["{huge}"]"#))),
        ("actions/GetThing.json", "action", ACTION.replace(r#""action": "GetThing""#, &format!(r#""action": "{long_name}""#))),
        ("actions/GetThing.json", "unknown field", ACTION.replace(r#""doc": "Its id.""#, &format!(r#""doc": "Its id.", "{huge}": 1"#))),
        ("actions/GetThing.json", "wrong shape", ACTION.replace(r#""category": "things","#, &format!(r#""category": "things", "rate_limit": "{huge}","#))),
        ("actions/GetThing.json", "rust_name", ACTION.replace(r#""doc": "Its id.""#, &format!(r#""doc": "Its id.", "rust_name": "{huge}""#))),
        ("actions/GetThing.json", "paging", ACTION.replace(r#""errors": ["InvalidParameter"]"#, &format!(r#""errors": ["InvalidParameter"], "pagination": {{ "style": "offset", "page": "{mid}", "size": "{mid}", "max_size": 1, "items": "{mid}", "total": "{mid}" }}"#))),
        ("types/Thing.json", "object", THING.replace(r#""object": "Thing""#, &format!(r#""object": "{long_name}""#))),
        ("service.json", "host", SERVICE.replace(r#""host": "demo.example.com""#, &format!(r#""host": "a/{huge}""#))),
        ("service.json", "endpoint", SERVICE.replace(r#""name": "Main""#, &format!(r#""name": "{huge}""#))),
        ("service.json", "code", SERVICE.replace(r#""code": "InvalidParameter""#, &format!(r#""code": "{huge}""#))),
    ];
    for (file, what, content) in cases {
        let got = problems("bounded", &[(file, Some(&content))]);
        assert!(!got.is_empty(), "{what}: accepted");
        for line in &got {
            assert!(line.starts_with("spec/"), "{what}: {line:.300}");
            assert!(
                line.len() <= 1_100,
                "{what}: {} bytes: {line:.300}",
                line.len()
            );
        }
        assert!(
            got.iter()
                .any(|l| l.contains("bytes in all") || l.contains('…')),
            "{what}: {got:?}"
        );
    }
}

#[test]
fn oversized_files_are_refused_unread() {
    let padding = " ".repeat(codegen::load::MAX_FILE_BYTES as usize);
    let big = format!("{ACTION}{padding}");
    let got = problems("big", &[("actions/GetThing.json", Some(&big))]);
    assert_eq!(
        got,
        [format!(
            "spec/actions/GetThing.json: file is larger than {} bytes; a spec file is far smaller",
            codegen::load::MAX_FILE_BYTES
        )]
    );
}

#[test]
fn credential_like_members_must_be_marked() {
    let member = |name: &str, extra: &str| {
        action_with_input(&format!(
            r#"[{{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." }},
                {{ "name": "{name}", "type": "string", "presence": "optional", "doc": "d."{extra} }}]"#
        ))
    };
    // Every word of the list, in any case and position of a PascalCase name.
    for (name, word) in [
        ("SecretKey", "secret"),
        ("APIKey", "key"),
        ("ApiKey", "key"),
        ("SessionToken", "session"),
        ("AccessTOKEN", "token"),
        ("UserPassword", "password"),
        ("Passwd", "passwd"),
        ("AdminPwd", "pwd"),
        ("RequestSignature", "signature"),
        ("UserSig", "sig"),
        ("Credential", "credential"),
        ("AuthHeader", "auth"),
        ("Cookie", "cookie"),
        ("Passphrase", "passphrase"),
        ("PrivateData", "private"),
        ("Apikey", "apikey"),
        ("Authorization", "authorization"),
        ("client_secret", "secret"),
    ] {
        assert_eq!(
            problems("secret", &[("actions/GetThing.json", Some(&member(name, "")))]),
            [format!("spec/actions/GetThing.json: /input/1/name: member `{name}` sounds like a credential (`{word}`): mark it `sensitive`, or say in `not_sensitive` why it holds no secret")],
            "{name}"
        );
        assert_eq!(
            problems(
                "secret-ok",
                &[(
                    "actions/GetThing.json",
                    Some(&member(name, r#", "sensitive": true"#))
                )]
            ),
            Vec::<String>::new()
        );
    }
    // Words that merely contain a listed one are not matched.
    for name in ["Keyboard", "Monkey", "Signal", "Tokenizer", "Authority"] {
        assert_eq!(
            problems(
                "not-secret",
                &[("actions/GetThing.json", Some(&member(name, "")))]
            ),
            Vec::<String>::new(),
            "{name}"
        );
    }
    assert_eq!(
        problems(
            "reason",
            &[(
                "actions/GetThing.json",
                Some(&member("SessionId", r#", "not_sensitive": "a call id""#))
            )]
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        problems("reason-empty", &[("actions/GetThing.json", Some(&member("SessionId", r#", "not_sensitive": " ""#)))]),
        ["spec/actions/GetThing.json: /input/1/not_sensitive: say why the member holds no secret, or leave `not_sensitive` out"]
    );
    assert_eq!(
        problems("reason-both", &[("actions/GetThing.json", Some(&member("Token", r#", "sensitive": true, "not_sensitive": "why""#)))]),
        ["spec/actions/GetThing.json: /input/1/not_sensitive: a member is either `sensitive` or `not_sensitive`, not both"]
    );
}

/// Member names that collide with generated code unless escaped.
const COLLIDING: &[&str] = &[
    "Self",
    "Super",
    "Crate",
    "Type",
    "New",
    "Send",
    "Build",
    "Options",
    "AsBuilder",
    "IntoPaginator",
    "Default",
    "Clone",
    "Into",
    "Fmt",
    "SetName",
    "Name",
    "SetType",
    "SetSetName",
    "RequestId",
    "RequestID",
    "SetThingId",
    "SetKey",
    "SetValue",
    "Key",
    "Value",
    "ThingId",
];

/// Values the fuzz loop plants into spec files: names that collide with
/// generated code, keywords, bad types, huge and deep values.
fn planted(rng: &mut fastrand::Rng) -> serde_json::Value {
    use serde_json::json;
    const WORDS: &[&str] = &[
        "Self",
        "self",
        "Super",
        "Crate",
        "Type",
        "New",
        "Send",
        "Build",
        "Options",
        "AsBuilder",
        "IntoPaginator",
        "Default",
        "Clone",
        "Into",
        "Fmt",
        "SetName",
        "Name",
        "SetType",
        "RequestId",
        "RequestID",
        "Execute",
        "Builder",
        "Endpoint",
        "Call",
        "Unknown",
        "Option",
        "Result",
        "String",
        "Vec",
        "Box",
        "ErrorCode",
        "Thing",
        "Tag",
        "Owner",
        "ThingKind",
        "ThingState",
        "string",
        "int64",
        "uint64",
        "float",
        "bool",
        "list<Tag>",
        "list<list<",
        "list<>",
        "",
        " ",
        "é",
        "🦀",
        "a-b",
        "1Up",
        "SecretKey",
        "Token",
        "InvalidParameter",
        "things",
        "names",
        "page_number",
        "cursor",
        "offset",
        "new_",
        "set_name",
    ];
    match rng.usize(0..10) {
        0 => json!("x".repeat(rng.usize(100..50_000))),
        1 => {
            let depth = rng.usize(1..20_000);
            json!(format!(
                "{}string{}",
                "list<".repeat(depth),
                ">".repeat(depth)
            ))
        }
        2 => json!(rng.i64(..)),
        3 => json!(rng.bool()),
        4 => serde_json::Value::Null,
        5 => json!([]),
        6 => json!({}),
        _ => json!(WORDS[rng.usize(..WORDS.len())]),
    }
}

/// Applies one random change to a JSON value: replace, delete or duplicate a
/// node somewhere inside it, or add an unknown key.
fn mutate(value: &mut serde_json::Value, rng: &mut fastrand::Rng) {
    use serde_json::Value;
    // Choose a random path, stopping at random, then change the node there.
    let mut pointer = String::new();
    let mut at = &*value;
    for _ in 0..rng.usize(0..6) {
        let (step, next) = match at {
            Value::Object(map) if !map.is_empty() => {
                let (key, next) = map.iter().nth(rng.usize(..map.len())).unwrap();
                (key.replace('~', "~0").replace('/', "~1"), next)
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.usize(..items.len());
                (i.to_string(), &items[i])
            }
            _ => break,
        };
        pointer = format!("{pointer}/{step}");
        at = next;
    }
    let node = value.pointer_mut(&pointer).unwrap();
    match (rng.usize(0..4), node) {
        (0, Value::Object(map)) if !map.is_empty() => {
            let key = map.keys().nth(rng.usize(..map.len())).cloned().unwrap();
            map.remove(&key);
        }
        (1, Value::Object(map)) => {
            let key = if rng.bool() {
                "surprise".to_owned()
            } else {
                "k".repeat(rng.usize(1..50_000))
            };
            map.insert(key, planted(rng));
        }
        (2, Value::Array(items)) if !items.is_empty() => {
            let copy = items[rng.usize(..items.len())].clone();
            items.push(copy);
        }
        (_, node) => *node = planted(rng),
    }
}

/// Spec files of the fixtures, as (path under the spec, text).
fn fixture_files(name: &str) -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/spec")
        .join(name);
    let mut out = Vec::new();
    for sub in ["", "actions", "types"] {
        for entry in fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Bounded fuzz loop over the loader, the validator and the generator: mutated
/// fixture specs never panic, every problem names a file of the spec and stays
/// short, and accepted specs generate code whose impl blocks define each method
/// once. Generation runs `rustfmt`, a few hundred milliseconds each, so only the
/// first few accepted specs are generated.
#[test]
fn fuzzed_specs_fail_cleanly_or_generate() {
    let bases = [fixture_files("full"), fixture_files("names")];
    let dir = std::env::temp_dir().join(format!("ccc-fuzz-{}", std::process::id()));
    let mut rng = fastrand::Rng::with_seed(0x5eed_2026);
    let started = std::time::Instant::now();
    let (mut rejected, mut accepted, mut runs, mut generated) = (0, 0, 0, 0);
    // A fixed number of cases, with a time cap so a slow machine stays bounded.
    while runs < 200 && started.elapsed() < std::time::Duration::from_secs(5) {
        runs += 1;
        let mut files = bases[rng.usize(..bases.len())].clone();
        let mut renamed = false;
        for _ in 0..rng.usize(1..4) {
            let i = rng.usize(..files.len());
            match rng.usize(0..10) {
                // Rename a member to a name that collides with generated code:
                // accepted, it must generate code that defines nothing twice.
                2 | 3 => {
                    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&files[i].1)
                    else {
                        continue;
                    };
                    let list = ["input", "output", "members"][rng.usize(..3)];
                    if let Some(serde_json::Value::Array(members)) = value.get_mut(list) {
                        if !members.is_empty() {
                            let m = rng.usize(..members.len());
                            let name = COLLIDING[rng.usize(..COLLIDING.len())];
                            members[m]["name"] = serde_json::json!(name);
                            renamed = true;
                        }
                    }
                    files[i].1 = serde_json::to_string_pretty(&value).unwrap();
                }
                // Text-level damage: cut the file or drop it.
                0 => {
                    let text = &mut files[i].1;
                    let mut cut = rng.usize(..=text.len());
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                }
                1 => {
                    files.remove(i);
                    if files.is_empty() {
                        break;
                    }
                }
                _ => {
                    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&files[i].1)
                    else {
                        continue;
                    };
                    mutate(&mut value, &mut rng);
                    files[i].1 = serde_json::to_string_pretty(&value).unwrap();
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in &files {
            let full = dir.join(path);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            fs::write(full, text).unwrap();
        }
        let generate = generated < 3 || (renamed && generated < 8);
        generated += usize::from(generate);
        let outcome = std::panic::catch_unwind(|| {
            codegen::load(&dir).map(|model| {
                generate
                    .then(|| codegen::generate(&model, &codegen::Options::external("crate::fuzz")))
            })
        });
        let prefix = dir.to_string_lossy().replace('\\', "/");
        match outcome {
            Err(_) => {
                let shown: Vec<String> = files
                    .iter()
                    .map(|(p, t)| format!("{p}:\n{t:.3000}"))
                    .collect();
                panic!("panic on case {runs}; files:\n{}", shown.join("\n"))
            }
            Ok(Err(diags)) => {
                rejected += 1;
                assert!(!diags.0.is_empty());
                for d in &diags.0 {
                    let shown = d.to_string();
                    assert!(d.file.starts_with(&prefix), "case {runs}: {shown:.300}");
                    assert!(
                        shown.len() <= 1_400,
                        "case {runs}: {} bytes: {shown:.300}",
                        shown.len()
                    );
                }
            }
            Ok(Ok(generated)) => {
                accepted += 1;
                let Some(generated) = generated else {
                    continue;
                };
                let files = generated.unwrap_or_else(|e| panic!("case {runs}: accepted but {e}"));
                for f in files {
                    assert_methods_unique(&f.path, &f.contents);
                }
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
    eprintln!(
        "fuzz: {runs} cases, {rejected} rejected, {accepted} accepted, {generated} generated, {:?}",
        started.elapsed()
    );
    assert!(runs >= 30, "only {runs} cases ran");
    assert!(
        rejected > 0 && accepted > 0,
        "{rejected} rejected, {accepted} accepted"
    );
}

/// No `impl` block of a generated file defines a method twice (what a name
/// collision would produce).
fn assert_methods_unique(path: &str, source: &str) {
    for block in source.split("\nimpl").skip(1) {
        let body = block.split("\n}\n").next().unwrap_or_default();
        let mut seen = std::collections::BTreeSet::new();
        for line in body.lines() {
            let Some(rest) = ["    pub fn ", "    pub async fn ", "    fn "]
                .iter()
                .find_map(|p| line.strip_prefix(p))
            else {
                continue;
            };
            let name = rest.split(['(', '<']).next().unwrap();
            assert!(
                seen.insert(name.to_owned()),
                "{path}: `{name}` twice in impl{}",
                &block[..block.len().min(80)]
            );
        }
    }
}

/// `ACTION` whose `ThingId` names the scalar shape `ThingId`, and that shape
/// defined as `ty` (`None`: no shape file).
fn with_shape(ty: Option<&str>) -> Vec<(&'static str, Option<String>)> {
    let action = ACTION.replace(r#""type": "uint64""#, r#""type": "ThingId""#);
    let shape = ty
        .map(|ty| format!(r#"{{ "scalar": "ThingId", "type": "{ty}", "doc": "Id of a thing." }}"#));
    vec![
        ("actions/GetThing.json", Some(action)),
        ("types/ThingId.json", shape),
    ]
}

fn shape_problems(case: &str, files: &[(&'static str, Option<String>)]) -> Vec<String> {
    let files: Vec<(&str, Option<&str>)> = files.iter().map(|(p, c)| (*p, c.as_deref())).collect();
    problems(case, &files)
}

#[test]
fn a_scalar_shape_resolves_to_its_wire_type() {
    let mut files = with_shape(Some("ThingNumber"));
    files.push((
        "types/ThingNumber.json",
        Some(r#"{ "scalar": "ThingNumber", "type": "uint64", "doc": "A number." }"#.into()),
    ));
    let files: Vec<(&str, Option<&str>)> = files.iter().map(|(p, c)| (*p, c.as_deref())).collect();
    let model = load("shape-ok", &files).unwrap();
    let names: Vec<(&str, &codegen::spec::TypeRef)> = model
        .scalars
        .iter()
        .map(|s| (s.name.as_str(), &s.wire))
        .collect();
    use codegen::spec::TypeRef;
    assert_eq!(
        names,
        [
            ("ThingId", &TypeRef::Uint64),
            ("ThingNumber", &TypeRef::Uint64)
        ]
    );
    let field = &model.actions[0].input[0];
    assert_eq!(field.ty, TypeRef::Uint64, "wire logic sees the scalar");
    assert_eq!(field.shape.as_deref(), Some("ThingId"));
    assert_eq!(field.declared(), TypeRef::Named("ThingId".into()));
}

#[test]
fn a_shape_of_an_unknown_type() {
    assert_eq!(
        shape_problems("shape-unknown", &with_shape(Some("ThingNumber"))),
        ["spec/types/ThingId.json: /type: unknown type `ThingNumber`: no types/ThingNumber.json"]
    );
    // A member naming a shape that does not exist is an unknown type like any other.
    assert_eq!(
        shape_problems("shape-missing", &with_shape(None)),
        ["spec/actions/GetThing.json: /input/0/type: unknown type `ThingId`: no types/ThingId.json"]
    );
}

#[test]
fn a_shape_of_a_type_that_is_not_scalar() {
    let expect = |what: &str| {
        vec![format!(
            "spec/types/ThingId.json: /type: `{what}` is not a scalar: a shape stands for string, int64, uint64, float, bool or another shape"
        )]
    };
    // An object, an enum, a list: each refused at the shape's `type`, and the
    // member using the shape adds no second complaint.
    let colour = r#"{ "enum": "Colour", "repr": "string", "doc": "A colour.", "values": [{ "value": "red", "name": "Red", "doc": "Red." }] }"#;
    let cases: [(&str, Option<&str>, &str); 3] = [
        ("Thing", None, "Thing"),
        ("Colour", Some(colour), "Colour"),
        ("list<uint64>", None, "list<uint64>"),
    ];
    for (ty, extra, what) in cases {
        let mut files = with_shape(Some(ty));
        if let Some(extra) = extra {
            files.push(("types/Colour.json", Some(extra.into())));
        }
        let mut got = shape_problems(&format!("shape-{what}").replace(['<', '>'], "_"), &files);
        // The enum is only reached through the broken shape.
        got.retain(|p| !p.contains("unused type `Colour`"));
        assert_eq!(got, expect(what), "{ty}");
    }
    // Text that is no type at all is reported as such.
    assert_eq!(
        shape_problems("shape-text", &with_shape(Some("list<"))),
        ["spec/types/ThingId.json: /type: `list<` is not a type: expected string, int64, uint64, float, bool, date, datetime, datetime_iso, binary, a type name or list<T>"]
    );
}

#[test]
fn a_cycle_of_shapes() {
    let mut files = with_shape(Some("ThingNumber"));
    files.push((
        "types/ThingNumber.json",
        Some(r#"{ "scalar": "ThingNumber", "type": "ThingId", "doc": "A number." }"#.into()),
    ));
    assert_eq!(
        shape_problems("shape-cycle", &files),
        [
            "spec/types/ThingId.json: /type: scalar shapes form a cycle: ThingId -> ThingNumber -> ThingId",
            "spec/types/ThingNumber.json: /type: scalar shapes form a cycle: ThingNumber -> ThingId -> ThingNumber",
        ]
    );
    // A shape naming itself is the shortest cycle.
    assert_eq!(
        shape_problems("shape-self", &with_shape(Some("ThingId"))),
        ["spec/types/ThingId.json: /type: scalar shapes form a cycle: ThingId -> ThingId"]
    );
}

#[test]
fn a_shape_needs_a_doc_and_a_use() {
    let mut files = with_shape(Some("uint64"));
    files[1].1 =
        Some(r#"{ "scalar": "ThingId", "type": "uint64", "doc": " ", "correction": "" }"#.into());
    files.push((
        "types/Spare.json",
        Some(r#"{ "scalar": "Spare", "type": "string", "doc": "Unused." }"#.into()),
    ));
    assert_eq!(
        shape_problems("shape-doc", &files),
        [
            "spec/types/Spare.json: /scalar: unused type `Spare`: no action refers to it",
            "spec/types/ThingId.json: /correction: say why the shape differs from upstream, or leave `correction` out",
            "spec/types/ThingId.json: /doc: missing documentation: every item needs a doc in our own words",
        ]
    );
    // A type file names what it is.
    let mut files = with_shape(Some("uint64"));
    files[1].1 = Some(r#"{ "shape": "ThingId", "type": "uint64", "doc": "Id." }"#.into());
    assert_eq!(
        shape_problems("shape-key", &files),
        [
            "spec/actions/GetThing.json: /input/0/type: unknown type `ThingId`: no types/ThingId.json",
            "spec/types/ThingId.json: a type file needs an `object`, an `enum` or a `scalar` key naming the type",
        ]
    );
}

/// The base action written in YAML.
const ACTION_YAML: &str = "\
action: GetThing
summary: Get a thing.
doc: Reads one thing.
reference: https://demo.example.com/GetThing
category: things
input:
  - name: ThingId
    type: uint64
    presence: required
    doc: Its id.
output:
  - name: Thing
    type: Thing
    presence: required
    doc: The thing.
errors: [InvalidParameter]
";

#[test]
fn yaml_entries_load_like_json_ones() {
    let json = load("yaml-json", &[]).unwrap();
    for (service, action, thing) in [
        ("service.yaml", "actions/GetThing.yaml", "types/Thing.yml"),
        ("service.yml", "actions/GetThing.yml", "types/Thing.yaml"),
    ] {
        let thing_yaml = "object: Thing\ndoc: A thing.\nmembers:\n  - {name: Name, type: string, presence: required, doc: Its name.}\n";
        // JSON is YAML too: the service file in YAML syntax or not, both load.
        let yaml = load(
            "yaml",
            &[
                ("service.json", None),
                (service, Some(SERVICE)),
                ("actions/GetThing.json", None),
                (action, Some(ACTION_YAML)),
                ("types/Thing.json", None),
                (thing, Some(thing_yaml)),
            ],
        )
        .unwrap_or_else(|e| panic!("{e:#?}"));
        let show = |m: &codegen::Model| {
            let mut m = m.clone();
            m.root.clear();
            m.service_file.clear();
            for a in &mut m.actions {
                a.file.clear();
            }
            for o in &mut m.objects {
                o.file.clear();
            }
            format!("{m:?}")
        };
        assert_eq!(show(&yaml), show(&json), "{action}");
    }
}

#[test]
fn invalid_yaml_names_line_and_column() {
    // A flow sequence left open, a tab where YAML wants spaces, a stray
    // scalar: each is reported at its line and column.
    let cases = [
        (
            ACTION_YAML.replace("errors: [InvalidParameter]", "errors: [InvalidParameter"),
            "line 17, column 1",
        ),
        (
            ACTION_YAML.replace("  - name: Thing\n", "  - name: Thing\n\tbad: 1\n"),
            "line 13, column 1",
        ),
        (
            ACTION_YAML.replace(
                "summary: Get a thing.",
                "summary: Get a thing.\n  \"x\" y: z",
            ),
            "line 3, column",
        ),
    ];
    for (i, (text, at)) in cases.iter().enumerate() {
        let got = problems(
            &format!("yaml-syntax-{i}"),
            &[
                ("actions/GetThing.json", None),
                ("actions/GetThing.yaml", Some(text)),
            ],
        );
        assert_eq!(got.len(), 1, "case {i}: {got:?}");
        assert!(
            got[0].starts_with(&format!("spec/actions/GetThing.yaml: {at}"))
                && got[0].contains(": invalid YAML: "),
            "case {i}: {got:?}"
        );
    }
}

#[test]
fn yaml_field_of_the_wrong_shape_names_its_pointer() {
    let cases = [
        (
            "category: things",
            "category: things\nrate_limit: fast",
            "/rate_limit: invalid type: string \"fast\"",
        ),
        (
            "    presence: required\n    doc: Its id.",
            "    presence: sometimes\n    doc: Its id.",
            "/input/0/presence: unknown variant `sometimes`",
        ),
        (
            "    doc: The thing.",
            "    doc: The thing.\n    requird: true",
            "/output/0/requird: unknown field `requird`",
        ),
        (
            "errors: [InvalidParameter]",
            "errors: InvalidParameter",
            "/errors: invalid type: string \"InvalidParameter\", expected a sequence",
        ),
        (
            "    doc: Its id.",
            "    doc: [Its, id]",
            "/input/0/doc: invalid type: sequence, expected a string",
        ),
    ];
    for (i, (from, to, want)) in cases.iter().enumerate() {
        let text = ACTION_YAML.replacen(from, to, 1);
        let got = problems(
            &format!("yaml-shape-{i}"),
            &[
                ("actions/GetThing.json", None),
                ("actions/GetThing.yaml", Some(&text)),
            ],
        );
        assert_eq!(got.len(), 1, "case {i}: {got:?}");
        assert!(
            got[0].starts_with(&format!("spec/actions/GetThing.yaml: {want}")),
            "case {i}: {got:?}"
        );
    }
    // Old presence flags in YAML get the same advice as in JSON.
    let old = ACTION_YAML.replace(
        "    presence: required\n    doc: Its id.",
        "    required: true\n    doc: Its id.",
    );
    assert_eq!(
        problems("yaml-old", &[("actions/GetThing.json", None), ("actions/GetThing.yaml", Some(&old))]),
        ["spec/actions/GetThing.yaml: /input/0/required: `required`, `optional` and `nullable` were replaced by one `presence`: write `\"presence\": \"required\"` instead of `required`"]
    );
}

/// A key given twice would silently keep the last value; both formats refuse
/// it, at any depth, naming the key: JSON at the key's line and column, YAML
/// at the start of the object that holds it (and with its path).
#[test]
fn duplicate_keys_are_refused_in_yaml_and_json() {
    let yaml_cases = [
        (
            "summary: Get a thing.",
            "summary: Get a thing.\nsummary: Again.",
            "line 1, column 1",
        ),
        (
            "    doc: Its id.",
            "    doc: Its id.\n    doc: Twice.",
            "line 7, column 5",
        ),
    ];
    for (i, (from, to, at)) in yaml_cases.iter().enumerate() {
        let text = ACTION_YAML.replacen(from, to, 1);
        let got = problems(
            &format!("yaml-dup-{i}"),
            &[
                ("actions/GetThing.json", None),
                ("actions/GetThing.yaml", Some(&text)),
            ],
        );
        assert_eq!(got.len(), 1, "case {i}: {got:?}");
        assert!(
            got[0].starts_with(&format!("spec/actions/GetThing.yaml: {at}: invalid YAML: "))
                && got[0].contains("duplicate key `"),
            "case {i}: {got:?}"
        );
    }
    let json = ACTION.replace(
        r#""doc": "Its id.""#,
        r#""doc": "Its id.", "doc": "Twice.""#,
    );
    let got = problems("json-dup", &[("actions/GetThing.json", Some(&json))]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("spec/actions/GetThing.json: line 4, column ")
            && got[0].contains("invalid JSON: duplicate key `doc`"),
        "{got:?}"
    );
}

#[test]
fn one_entry_in_two_formats_is_refused() {
    assert_eq!(
        problems("two-formats", &[("actions/GetThing.yaml", Some(ACTION_YAML))]),
        ["spec/actions/GetThing.yaml: `GetThing` is also written as GetThing.json: keep one format per entry"]
    );
    assert_eq!(
        problems("two-services", &[("service.yml", Some(SERVICE))]),
        ["spec/service.yml: the service is described twice (service.json, service.yml): keep one"]
    );
    assert_eq!(
        problems("yaml-name", &[("actions/GetThing.json", None), ("actions/Other.yaml", Some(ACTION_YAML))]),
        ["spec/actions/Other.yaml: /action: `GetThing` must live in a file named `GetThing.yaml`"]
    );
}

/// Aliases cannot blow a small YAML file up into a huge value (the parser
/// caps repetitions), and deep nesting fails cleanly instead of overflowing.
#[test]
fn hostile_yaml_fails_cleanly() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let deep = format!("action: {}x{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let block = format!("action: x\ninput:\n{}x\n", "- ".repeat(20_000));
    let started = std::time::Instant::now();
    for (i, text) in [bomb, deep, block].iter().enumerate() {
        let got = problems(
            &format!("yaml-hostile-{i}"),
            &[
                ("actions/GetThing.json", None),
                ("actions/GetThing.yaml", Some(text)),
            ],
        );
        assert!(!got.is_empty(), "case {i}");
        assert!(got.iter().all(|p| p.len() < 1_000), "case {i}: {got:?}");
        assert!(
            got[0].starts_with("spec/actions/GetThing.yaml: "),
            "case {i}: {got:?}"
        );
    }
    // Generous: each takes well under a second; quadratic parsing took minutes.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn what_the_docs_deprecate_carries_a_note() {
    let bad = action_with_input(
        r#"[{ "name": "ThingId", "type": "uint64", "presence": "required", "doc": "Its id." },
            { "name": "OldId", "type": "uint64", "presence": "optional", "doc": "Old id; Deprecated." },
            { "name": "LegacyId", "type": "uint64", "presence": "optional", "doc": "旧 ID（废弃）" },
            { "name": "OtherId", "type": "uint64", "presence": "optional", "doc": "Obsolete id.", "deprecated": " " },
            { "name": "NewId", "type": "uint64", "presence": "optional", "doc": "Kept.", "deprecated": "use `ThingId`" }]"#,
    )
    .replace(r#""doc": "Reads one thing.""#, r#""doc": "Deprecated: reads one thing.""#);
    assert_eq!(
        problems("deprecated", &[("actions/GetThing.json", Some(&bad))]),
        [
            "spec/actions/GetThing.json: /doc: the docs say this is deprecated: add `deprecated` with what to use instead",
            "spec/actions/GetThing.json: /input/1/doc: the docs say this is deprecated: add `deprecated` with what to use instead",
            "spec/actions/GetThing.json: /input/2/doc: the docs say this is deprecated: add `deprecated` with what to use instead",
            "spec/actions/GetThing.json: /input/3/deprecated: say what to use instead (or why the member stays), or leave `deprecated` out",
        ]
    );
    // With notes, the model carries them to the generated attributes.
    let good = bad
        .replace(
            r#""doc": "Deprecated: reads one thing.""#,
            r#""doc": "Deprecated: reads one thing.", "deprecated": "use `GetThings`""#,
        )
        .replace(
            r#""Old id; Deprecated." }"#,
            r#""Old id; Deprecated.", "deprecated": "use `ThingId`" }"#,
        )
        .replace(
            r#""旧 ID（废弃）" }"#,
            r#""旧 ID（废弃）", "deprecated": "use `ThingId`" }"#,
        )
        .replace(r#""deprecated": " ""#, r#""deprecated": "no longer read""#);
    let model = load("deprecated-ok", &[("actions/GetThing.json", Some(&good))]).unwrap();
    let a = &model.actions[0];
    assert_eq!(a.deprecated.as_deref(), Some("use `GetThings`"));
    let notes: Vec<_> = a.input.iter().map(|f| f.deprecated.as_deref()).collect();
    assert_eq!(
        notes,
        [
            None,
            Some("use `ThingId`"),
            Some("use `ThingId`"),
            Some("no longer read"),
            Some("use `ThingId`")
        ]
    );
}

/// `Thing` with a state enum and a float, for waiters.
const STATEFUL_THING: &str = r#"{
  "object": "Thing", "doc": "A thing.",
  "members": [
    { "name": "Name", "type": "string", "presence": "required", "doc": "Its name." },
    { "name": "State", "type": "ThingState", "presence": "optional", "doc": "Its state." },
    { "name": "Load", "type": "float", "presence": "optional", "doc": "Its load." },
    { "name": "Parts", "type": "list<string>", "presence": "optional", "doc": "Its parts." }
  ]
}"#;

const THING_STATE: &str = r#"{
  "enum": "ThingState", "repr": "uint64", "doc": "Where a thing is.",
  "values": [
    { "value": 0, "name": "Busy", "doc": "Working." },
    { "value": 1, "name": "Ready", "doc": "Done." },
    { "value": 2, "name": "Broken", "doc": "Cannot be done any more." }
  ]
}"#;

/// The base spec with a stateful `Thing` and `waiters` in `service.json`.
fn waiters(case: &str, waiters: &str) -> Result<codegen::Model, Vec<String>> {
    let service = SERVICE.replace(
        r#""errors": ["#,
        &format!(r#""waiters": {waiters}, "errors": ["#),
    );
    load(
        case,
        &[
            ("service.json", Some(&service)),
            ("types/Thing.json", Some(STATEFUL_THING)),
            ("types/ThingState.json", Some(THING_STATE)),
        ],
    )
}

#[test]
fn waiters_are_checked_against_the_action_and_the_state_type() {
    let model = waiters(
        "waiter-ok",
        r#"[{ "name": "thing-ready", "action": "GetThing", "state": "Thing.State",
              "success": [1], "failure": [2], "retry": [0], "doc": "until the thing is ready" },
            { "name": "thing-named", "action": "GetThing", "state": "Thing.Name",
              "success": ["done"], "doc": "until the thing is named done" }]"#,
    )
    .unwrap();
    assert_eq!(model.waiters.len(), 2);
    assert_eq!(model.waiters[0].snake, "thing_ready");
    assert_eq!(model.waiters[0].state_enum.as_deref(), Some("ThingState"));

    let problems = waiters(
        "waiter-bad",
        r#"[{ "name": "Thing_Ready", "action": "GetThing", "state": "Thing.State", "success": [1], "doc": "x" },
            { "name": "no-action", "action": "GetThign", "state": "State", "success": [1], "doc": "x" },
            { "name": "no-member", "action": "GetThing", "state": "Thing.Stat", "success": [1], "doc": "x" },
            { "name": "through-a-list", "action": "GetThing", "state": "Thing.Parts.Name", "success": [1], "doc": "x" },
            { "name": "a-float", "action": "GetThing", "state": "Thing.Load", "success": [1], "doc": "x" },
            { "name": "both", "action": "GetThing", "state": "Thing.State", "success": [1, 2], "failure": [2], "doc": "x" },
            { "name": "not-a-value", "action": "GetThing", "state": "Thing.State", "success": [7], "retry": ["1"], "doc": "x" },
            { "name": "wrong-type", "action": "GetThing", "state": "Thing.Name", "success": [1], "doc": "x" },
            { "name": "no-success", "action": "GetThing", "state": "Thing.State", "success": [], "doc": "" },
            { "name": "both", "action": "GetThing", "state": "Thing.State", "success": [1], "doc": "x" }]"#,
    )
    .unwrap_err();
    // Sorted by file and pointer, as every diagnostic.
    assert_eq!(
        problems,
        [
            "spec/service.json: /waiters/0/name: waiter name `Thing_Ready` is not kebab-case (lower-case words joined by `-`, starting with a letter)",
            "spec/service.json: /waiters/1/action: waiter `no-action`: unknown action `GetThign`: it must be defined under actions/",
            "spec/service.json: /waiters/2/state: waiter `no-member`: unknown member `Stat` in object `Thing` (it has Name, State, Load, Parts)",
            "spec/service.json: /waiters/3/state: waiter `through-a-list`: `Parts` is a `list<string>`, not an object: the path `Thing.Parts.Name` cannot go through it",
            "spec/service.json: /waiters/4/state: waiter `a-float`: the state `Thing.Load` of `GetThing` is a `float`; a waiter reads an integer, a string or an enum",
            "spec/service.json: /waiters/5/failure/0: waiter `both`: `2` is both a success and a failure value",
            "spec/service.json: /waiters/6/retry/0: waiter `not-a-value`: `\"1\"` is not a value of enum `ThingState`, the type of `State` (0, 1, 2)",
            "spec/service.json: /waiters/6/success/0: waiter `not-a-value`: `7` is not a value of enum `ThingState`, the type of `State` (0, 1, 2)",
            "spec/service.json: /waiters/7/success/0: waiter `wrong-type`: `1` is not a string, the type of `Name`",
            "spec/service.json: /waiters/8/doc: waiter `no-success` needs a one-line doc",
            "spec/service.json: /waiters/8/success: waiter `no-success` needs at least one success value",
            "spec/service.json: /waiters/9/name: duplicate waiter `both`",
        ]
    );
}
