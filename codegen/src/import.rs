//! `cargo xtask import` and `cargo xtask add-service`: bring an upstream API
//! description (the tccli `api.json` format: `metadata`, `actions`, `objects`,
//! `version`) into the spec.
//!
//! # What is taken, and how
//!
//! - Types: upstream's `type`/`member` pairs map to spec types: `string`/`string`
//!   → `string`; `string`/`date`, `datetime`, `datetime_iso` → the text formats
//!   of the same names; `int`/`int64` → `int64`, `int`/`uint64` → `uint64`;
//!   `bool` → `bool`; `float` (and `double`) → `float`; `binary` → `binary`;
//!   `list`/`X` → `list<X>`; `object`/`Name` → `Name`. Anything else is a
//!   problem in the upstream file.
//! - Presence: request members are `required` when upstream says `required`,
//!   else `optional`; response members are `optional` unless `output_required`,
//!   then `nullable` with `value_allowed_null`, else `required`; members of
//!   shared types likewise, from `output_required` in a type upstream uses in
//!   answers only (`usage: out`) and from `required` otherwise. Members
//!   upstream marks `disabled`
//!   are imported: they are still on the wire.
//! - Names: an upstream type name that is no Rust type name (`Topic_Simplification`),
//!   would shadow a name generated code uses (`Result`) or is the builder of
//!   another type (`FooBuilder` beside `Foo`) gets a spec name of its own
//!   (`TopicSimplification`, `ResultType`, `FooBuilderType`; type names are not
//!   on the wire). A member whose snake_case name another member of the same
//!   struct already has (`Uui` and `UUI`) gets a `rust_name` with a number
//!   (`uui_2`); keywords and names of builder methods are escaped by validation.
//!   An action name that cannot become a Rust method (a keyword, a method
//!   `Client` has, the same snake_case as another action) cannot be renamed and
//!   is reported.
//! - Idempotency: an action is `idempotent` when its first word is one of
//!   [`READ_VERBS`]; otherwise not.
//! - With `"docs": "upstream"` in `service.json` (what `add-service` writes): docs
//!   come from upstream, HTML turned into plain text that cannot break rustdoc
//!   ([`docs::clean`]): the action's `name` as summary and `document` as doc,
//!   each member's and type's `document`, the service's `serviceNameCN` and
//!   `api_brief`. Members whose name sounds like a credential are marked
//!   `sensitive`; each new action goes in the category of its verb
//!   (`describe`, `create`, ...), added to `service.json`; paging is inferred
//!   where the shapes leave no doubt (see `paging`).
//!
//! # Re-importing keeps local corrections
//!
//! Importing a newer upstream file into an existing spec brings its structure
//! (members added and removed, types and presence) but keeps what people wrote:
//! - docs, summaries, references, categories, rate limits, `idempotent`, error
//!   lists already set and examples already present, in a spec with docs in
//!   our own words (`docs: ours`); with `docs: upstream`, docs follow upstream;
//! - a member's `rust_name`, `sensitive` / `not_sensitive`, and its presence
//!   when it has a `correction`;
//! - a member whose type a person narrowed to an enum or a scalar shape of the
//!   same wire type (a JSON string counts as one wire type, so `string` and
//!   `datetime` are interchangeable), and a shape whose `correction` explains a
//!   different integer type;
//! - pagination already stated, and every enum and shape file;
//! - members only the China site documents, when importing the international
//!   description.
//!
//! # Atomic
//!
//! Everything is computed in memory first. Problems in the upstream file are
//! reported with the file and the JSON pointer of the item
//! (`api.json: /objects/FooRequest/members/3/type: unknown type "xyz"`); with
//! `docs: upstream` the resulting spec is validated as `codegen::load` would,
//! and its problems reported with the spec files they would be in. On any
//! problem nothing is written.

pub mod docs;
mod paging;

use crate::diagnostic::Diagnostics;
use crate::load::{entry_path, is_json, parse_entry, resolve_scalar, Api, Sourced, TypeDef};
use crate::names::{credential_word, is_keyword, is_pascal_ident, is_reserved_client_method};
use crate::names::{is_wire_name, snake_case, words};
use crate::spec::{
    ActionFile, Category, CrateSpec, DocSource, Endpoint, EnumFile, ErrorDef, Member, ObjectFile,
    Presence, Repr, ScalarFile, ServiceFile, TypeRef,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

pub use crate::validate::is_service_name;

/// The first words of action names that only read, so that sending one twice
/// does what sending it once does: such actions are imported `idempotent`
/// (which lets clients retry them after a failure that may have reached the
/// service). `Check*` and `Verify*`-like verbs that may consume something
/// (`VerifyCode`) are left out on purpose; anything else is not idempotent.
pub const READ_VERBS: &[&str] = &[
    "Describe", "Get", "List", "Query", "Inquire", "Inquiry", "Search", "Preview", "Check",
];

/// Whether `action` starts with one of [`READ_VERBS`].
pub fn is_read_action(action: &str) -> bool {
    words(action)
        .first()
        .is_some_and(|w| READ_VERBS.contains(&w.as_str()))
}

/// How to treat what this upstream file adds.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Mark actions and members that this file adds as documented only on the
    /// China site.
    pub china_only: bool,
    /// Upstream error codes: `{"Action": ["Code", ...], "_common": ["Code", ...],
    /// "_docs": {"Code": "what it means"}}` (every key optional).
    pub error_codes: Option<Value>,
    /// Official examples (tccli's `examples.json`), added to actions that have none.
    pub examples: Option<Value>,
    /// The upstream file as problems name it; `api.json` when empty.
    pub source: String,
}

impl ImportOptions {
    fn source(&self) -> &str {
        if self.source.is_empty() {
            "api.json"
        } else {
            &self.source
        }
    }
}

/// Imports `upstream` into the spec at `spec_dir`; returns one line per
/// change. On any problem nothing is written and the error lists every
/// problem, one a line.
pub fn import(
    spec_dir: &Path,
    upstream: &Value,
    options: &ImportOptions,
) -> Result<Vec<String>, String> {
    let service_path = ["service.json", "service.yaml", "service.yml"]
        .iter()
        .map(|n| spec_dir.join(n))
        .find(|p| p.is_file())
        .unwrap_or_else(|| spec_dir.join("service.json"));
    let service: ServiceFile = parse_entry(&service_path)?;
    let plan = plan(spec_dir, &service_path, service, false, upstream, options)
        .map_err(|problems| problems.join("\n"))?;
    plan.write()?;
    Ok(plan.report)
}

/// What `add-service` did.
#[derive(Debug, Clone)]
pub struct Added {
    /// The service name.
    pub service: String,
    /// The API version (`2020-02-10`).
    pub version: String,
    /// The spec directory, relative to the repository root (`spec/cvm/2017-03-12`).
    pub dir: String,
    /// Whether the spec directory was created (else an existing one was updated).
    pub created: bool,
    /// One line per change.
    pub report: Vec<String>,
}

/// `cargo xtask add-service`: writes the spec of the service `upstream`
/// describes to `<root>/spec/<service>/<version>/` (or brings an existing one
/// up to date), with docs from upstream. `service` overrides the name
/// upstream gives. On any problem nothing is written.
pub fn add_service(
    root: &Path,
    upstream: &Value,
    service: Option<&str>,
    options: &ImportOptions,
) -> Result<Added, String> {
    let source = options.source();
    let meta = &upstream["metadata"];
    let (name, at) = match service {
        Some(s) => (Some(s.to_owned()), "--service".to_owned()),
        None => (
            meta["serviceShortName"].as_str().map(str::to_owned),
            format!("{source}: /metadata/serviceShortName"),
        ),
    };
    let mut problems = Vec::new();
    let name = match name {
        Some(n) if is_service_name(&n) => n,
        Some(n) => {
            problems.push(format!(
                "{at}: `{}` is not a valid service name: lower-case ASCII letters and digits, starting with a letter (`cvm`, `ai3d`)",
                crate::diagnostic::excerpt(&n)
            ));
            String::new()
        }
        None => {
            problems.push(format!(
                "{at}: missing: the file names no service; pass --service NAME"
            ));
            String::new()
        }
    };
    let version = meta["apiVersion"].as_str().unwrap_or_default().to_owned();
    if !is_version(&version) {
        problems.push(format!(
            "{source}: /metadata/apiVersion: `{}` is not an API version (YYYY-MM-DD)",
            crate::diagnostic::excerpt(&version)
        ));
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let dir = format!("spec/{name}/{version}");
    let spec_dir = root.join(&dir);
    let existing = ["service.json", "service.yaml", "service.yml"]
        .iter()
        .map(|n| spec_dir.join(n))
        .find(|p| p.is_file());
    let (service_path, service_file, created) = match existing {
        Some(path) => {
            let file: ServiceFile = parse_entry(&path)?;
            (path, file, false)
        }
        None => {
            let others = fs::read_dir(root.join("spec").join(&name))
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .any(|e| e.path().join("service.json").is_file() && e.file_name() != *version);
            let file = new_service_file(&name, &version, meta, others);
            (spec_dir.join("service.json"), file, true)
        }
    };
    let plan = plan(
        &spec_dir,
        &service_path,
        service_file,
        created,
        upstream,
        options,
    )
    .map_err(|problems| problems.join("\n"))?;
    plan.write()?;
    Ok(Added {
        service: name,
        version,
        dir,
        created,
        report: plan.report,
    })
}

/// `YYYY-MM-DD`.
fn is_version(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// The `service.json` of a service `add-service` creates. `beside` says that
/// another version of the service has a spec already: this one then gets a
/// crate of its own, named after its version.
fn new_service_file(name: &str, version: &str, meta: &Value, beside: bool) -> ServiceFile {
    let title = meta["serviceNameCN"]
        .as_str()
        .map(docs::clean)
        .filter(|t| !t.is_empty())
        .map(|t| t.lines().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| name.to_owned());
    let doc = meta["api_brief"]
        .as_str()
        .map(docs::clean)
        .unwrap_or_default();
    let krate = if beside {
        let compact = version.replace('-', "");
        CrateSpec {
            name: Some(format!("tencent-cloud-{name}-{compact}")),
            path: Some(format!("services/{name}-{compact}")),
            ..CrateSpec::default()
        }
    } else {
        CrateSpec::default()
    };
    ServiceFile {
        schema: Some("../../schema.json".into()),
        service: name.to_owned(),
        version: version.to_owned(),
        title,
        doc,
        endpoints: vec![
            Endpoint {
                name: "China".into(),
                host: format!("{name}.tencentcloudapi.com"),
                default: true,
                regional_host: Some(format!("{name}.{{region}}.tencentcloudapi.com")),
                doc: "The China site: the nearest entry point, or one region's own endpoint."
                    .into(),
            },
            Endpoint {
                name: "International".into(),
                host: format!("{name}.intl.tencentcloudapi.com"),
                default: false,
                regional_host: None,
                doc: "The international site.".into(),
            },
        ],
        categories: Vec::new(),
        errors: Vec::new(),
        waiters: Vec::new(),
        docs: DocSource::Upstream,
        krate,
    }
}

/// The files an import writes, in order, and its report.
struct Plan {
    files: Vec<(PathBuf, String)>,
    report: Vec<String>,
}

impl Plan {
    fn write(&self) -> Result<(), String> {
        for (path, text) in &self.files {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }
}

/// `/a/b` pointer segment for `key` (RFC 6901).
fn seg(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The upstream file, checked: every object's members have known types and
/// valid names, every action names existing objects.
struct Upstream<'a> {
    actions: &'a Map<String, Value>,
    objects: &'a Map<String, Value>,
    /// Upstream object name → spec type name.
    names: BTreeMap<String, String>,
}

fn check_upstream<'a>(
    source: &str,
    upstream: &'a Value,
    problems: &mut Vec<String>,
) -> Option<Upstream<'a>> {
    let Some(root) = upstream.as_object() else {
        problems.push(format!("{source}: /: not an upstream description: expected a JSON object with `actions` and `objects`"));
        return None;
    };
    let actions = root.get("actions").and_then(Value::as_object);
    let objects = root.get("objects").and_then(Value::as_object);
    if actions.is_none() {
        problems.push(format!("{source}: /actions: missing or not an object"));
    }
    if objects.is_none() {
        problems.push(format!("{source}: /objects: missing or not an object"));
    }
    let (actions, objects) = (actions?, objects?);
    for (name, object) in objects {
        let at = format!("/objects/{}", seg(name));
        let Some(members) = object.get("members").and_then(Value::as_array) else {
            problems.push(format!("{source}: {at}/members: missing or not a list"));
            continue;
        };
        let mut seen = BTreeSet::new();
        for (i, m) in members.iter().enumerate() {
            let at = format!("{at}/members/{i}");
            let Some(member_name) = m.get("name").and_then(Value::as_str) else {
                problems.push(format!("{source}: {at}/name: missing or not a string"));
                continue;
            };
            if !is_wire_name(member_name) {
                problems.push(format!(
                    "{source}: {at}/name: `{}` is not a valid member name (letters, digits, underscores)",
                    crate::diagnostic::excerpt(member_name)
                ));
            } else if !seen.insert(member_name) {
                problems.push(format!(
                    "{source}: {at}/name: duplicate member `{member_name}`"
                ));
            }
            match upstream_type(m) {
                Ok((_, Some(object))) if !objects.contains_key(&object) => problems.push(format!(
                    "{source}: {at}/member: unknown object \"{}\": no /objects/{}",
                    crate::diagnostic::excerpt(&object),
                    seg(&crate::diagnostic::excerpt(&object))
                )),
                Ok(_) => {}
                Err((key, message)) => problems.push(format!("{source}: {at}/{key}: {message}")),
            }
        }
    }
    let mut methods: BTreeMap<String, &str> = BTreeMap::new();
    for (name, action) in actions {
        let at = format!("/actions/{}", seg(name));
        if !is_pascal_ident(name) {
            problems.push(format!(
                "{source}: {at}: `{}` is not a valid action name (PascalCase letters and digits)",
                crate::diagnostic::excerpt(name)
            ));
            continue;
        }
        let snake = snake_case(name);
        if is_keyword(&snake) {
            problems.push(format!(
                "{source}: {at}: `{name}` gives the Rust keyword `{snake}` as module and method name, and actions cannot be renamed"
            ));
        } else if is_reserved_client_method(&snake) {
            problems.push(format!(
                "{source}: {at}: `{name}` gives the method `{snake}`, which `Client` already has, and actions cannot be renamed"
            ));
        } else if let Some(other) = methods.insert(snake.clone(), name) {
            problems.push(format!(
                "{source}: {at}: `{name}` and `{other}` give the same Rust name `{snake}`, and actions cannot be renamed"
            ));
        }
        for key in ["input", "output"] {
            match action.get(key).and_then(Value::as_str) {
                Some(object) if objects.contains_key(object) => {}
                Some(object) => problems.push(format!(
                    "{source}: {at}/{key}: unknown object \"{}\"",
                    crate::diagnostic::excerpt(object)
                )),
                None => problems.push(format!("{source}: {at}/{key}: missing or not a string")),
            }
        }
    }
    Some(Upstream {
        actions,
        objects,
        names: type_names(objects),
    })
}

/// The spec type of an upstream member, and the upstream object it refers
/// to; or the key at fault and why.
fn upstream_type(m: &Value) -> Result<(String, Option<String>), (&'static str, String)> {
    let ty = m.get("type").and_then(Value::as_str).unwrap_or_default();
    let member = m.get("member").and_then(Value::as_str).unwrap_or_default();
    let scalar = |name: &str| -> Option<&'static str> {
        Some(match name {
            "string" => "string",
            "int64" | "int" | "integer" => "int64",
            "uint64" => "uint64",
            "bool" | "boolean" => "bool",
            "float" | "double" => "float",
            "binary" => "binary",
            "date" => "date",
            "datetime" => "datetime",
            "datetime_iso" => "datetime_iso",
            _ => return None,
        })
    };
    let unknown = |key: &'static str, text: &str| {
        (
            key,
            format!("unknown type \"{}\"", crate::diagnostic::excerpt(text)),
        )
    };
    match ty {
        "list" | "object" => {
            let base = match scalar(member) {
                Some(s) if ty == "list" => (s.to_owned(), None),
                Some(_) => return Err(unknown("member", member)),
                None if !member.is_empty()
                    && member
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic())
                    && member
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    (member.to_owned(), Some(member.to_owned()))
                }
                None => return Err(unknown("member", member)),
            };
            Ok(if ty == "list" {
                (format!("list<{}>", base.0), base.1)
            } else {
                base
            })
        }
        // For a scalar, `member` names the precise type (`int`/`uint64`,
        // `string`/`datetime`); `type` alone decides only without one.
        "string" | "int" | "integer" | "bool" | "boolean" | "float" | "double" | "binary" => {
            match (scalar(member), member) {
                (Some(s), _) => Ok((s.to_owned(), None)),
                (None, "") => Ok((scalar(ty).unwrap_or("string").to_owned(), None)),
                (None, other) => Err(unknown("member", other)),
            }
        }
        other => Err(unknown("type", other)),
    }
}

/// The spec name of every upstream object: its own when that is a valid type
/// name that shadows nothing, else a PascalCase form with a suffix where
/// needed. Deterministic, so re-importing gives the same names.
pub(crate) fn type_names(objects: &Map<String, Value>) -> BTreeMap<String, String> {
    let ok = |name: &str| {
        is_pascal_ident(name)
            && !crate::validate::RESERVED_TYPE_NAMES.contains(&name)
            && !name
                .strip_suffix("Builder")
                .is_some_and(|base| objects.contains_key(base))
    };
    let mut out = BTreeMap::new();
    let mut used = BTreeSet::new();
    for name in objects.keys().filter(|n| ok(n)) {
        used.insert(name.clone());
        out.insert(name.clone(), name.clone());
    }
    for name in objects.keys().filter(|n| !ok(n)) {
        let mut base: String = words(name)
            .iter()
            .map(|w| {
                let mut cs = w.chars();
                cs.next()
                    .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default()
            })
            .collect::<String>()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_uppercase()) {
            base = format!("T{base}");
        }
        let candidates = std::iter::once(base.clone())
            .chain(std::iter::once(format!("{base}Type")))
            .chain((2..).map(|n| format!("{base}Type{n}")));
        for candidate in candidates {
            if ok(&candidate) && !used.contains(&candidate) && !objects.contains_key(&candidate) {
                used.insert(candidate.clone());
                out.insert(name.clone(), candidate);
                break;
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Input,
    Output,
    Object,
}

/// The members of upstream object `name` as spec members (docs from upstream
/// when `with_docs`), and the spec names of the types they refer to.
fn convert_members(
    up: &Upstream,
    name: &str,
    side: Side,
    with_docs: bool,
    types: &mut BTreeSet<String>,
) -> Vec<Member> {
    let mut out = Vec::new();
    let members = up.objects[name]["members"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let usage = up.objects[name]["usage"].as_str().unwrap_or_default();
    for m in &members {
        let member_name = m["name"].as_str().unwrap_or_default().to_owned();
        if side == Side::Output && member_name == "RequestId" {
            continue;
        }
        let Ok((mut ty, object)) = upstream_type(m) else {
            continue;
        };
        if let Some(object) = object {
            let spec_name = up.names.get(&object).cloned().unwrap_or(object.clone());
            ty = ty.replace(&object, &spec_name);
            types.insert(spec_name);
        }
        let doc = if with_docs {
            let mut doc = docs::clean(m["document"].as_str().unwrap_or_default());
            if m["disabled"].as_bool() == Some(true) {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str("Upstream marks this member disabled (deprecated).");
            }
            doc
        } else {
            String::new()
        };
        out.push(member(m, usage, member_name, ty, side, doc));
    }
    out
}

/// A spec member from upstream member `m` of an object whose `usage` is
/// `usage` (`in`, `out`, `both`; empty for requests and responses).
///
/// Presence: in a request, `required`; in a response, `output_required`; in a
/// shared type, what its usage reads: `output_required` for one only in
/// answers (`required` when upstream gives only that), `required` for one only
/// in requests, and `required` too for one in both directions (what a request
/// needs; an answer that lacks it is read with a deviation). A required member that upstream says may be `null`
/// (`value_allowed_null`) is `nullable` outside requests.
fn member(m: &Value, usage: &str, name: String, ty: String, side: Side, doc: String) -> Member {
    let flag = |key: &str| m[key].as_bool().unwrap_or(false);
    let has = |key: &str| m.get(key).is_some_and(Value::is_boolean);
    let object_required = match usage {
        "out" if has("output_required") => flag("output_required"),
        "in" | "out" => flag("required"),
        // Sent and read: a request cannot do without what upstream requires
        // in it, and an answer that lacks it is read with a deviation.
        _ if has("required") => flag("required"),
        _ => flag("output_required"),
    };
    let presence = match side {
        Side::Input if flag("required") => Presence::Required,
        Side::Input => Presence::Optional,
        Side::Output if !flag("output_required") => Presence::Optional,
        Side::Object if !object_required => Presence::Optional,
        Side::Output | Side::Object if flag("value_allowed_null") => Presence::Nullable,
        Side::Output | Side::Object => Presence::Required,
    };
    let example = m["example"].as_str().and_then(|text| example(&ty, text));
    Member {
        name,
        ty,
        presence,
        doc,
        example,
        china_only: false,
        rust_name: None,
        sensitive: false,
        not_sensitive: None,
        correction: None,
        deprecated: deprecation(m),
    }
}

/// Whether upstream retires member `m`: marked `disabled`, or its text says
/// so (`deprecated`, `obsolete`, `废弃`); the note names the member to use
/// instead when the text does (`use Callers`, `使用Callers`).
fn deprecation(m: &Value) -> Option<String> {
    let text = m["document"].as_str().unwrap_or_default();
    // ASCII case only, so byte offsets in `lower` are offsets in `text`.
    let lower = text.to_ascii_lowercase();
    let said = ["deprecated", "obsolete", "废弃", "弃用"]
        .iter()
        .any(|w| lower.contains(w));
    if !said && !m["disabled"].as_bool().unwrap_or(false) {
        return None;
    }
    let instead = ["use ", "使用"].iter().find_map(|w| {
        let at = lower.find(w)? + w.len();
        let name: String = text
            .get(at..)?
            .trim_start_matches([' ', '`'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        name.starts_with(|c: char| c.is_ascii_uppercase())
            .then_some(name)
    });
    Some(match instead {
        Some(name) => format!("use `{name}`"),
        None => "deprecated by the service's documentation".to_owned(),
    })
}

/// The members of upstream object `name`, as spec members with empty docs
/// (for spec-diff, which compares structure).
pub(crate) fn members_of(
    objects: &Map<String, Value>,
    name: Option<&str>,
    side: Side,
    types: &mut BTreeSet<String>,
) -> Result<Vec<Member>, String> {
    let name = name.ok_or("an action without input or output object")?;
    let object = objects
        .get(name)
        .ok_or(format!("upstream object `{name}` is missing"))?;
    let names = type_names(objects);
    let usage = object["usage"].as_str().unwrap_or_default();
    let mut out = Vec::new();
    for m in object["members"].as_array().into_iter().flatten() {
        let member_name = m["name"].as_str().unwrap_or_default().to_owned();
        if side == Side::Output && member_name == "RequestId" {
            continue;
        }
        let (mut ty, object) = upstream_type(m).map_err(|(key, message)| {
            format!("upstream object `{name}`, member `{member_name}`, {key}: {message}")
        })?;
        if let Some(object) = object {
            let spec_name = names.get(&object).cloned().unwrap_or(object.clone());
            ty = ty.replace(&object, &spec_name);
            types.insert(spec_name);
        }
        out.push(member(m, usage, member_name, ty, side, String::new()));
    }
    Ok(out)
}

/// The upstream object behind spec type `spec_name`.
fn upstream_name<'a>(up: &'a Upstream, spec_name: &str) -> Option<&'a str> {
    up.names
        .iter()
        .find(|(_, s)| s.as_str() == spec_name)
        .map(|(u, _)| u.as_str())
}

/// Gives a member whose snake_case name an earlier member of the same struct
/// already has a numbered `rust_name` (`uui_2`). Names people chose stay.
fn assign_rust_names(members: &mut [Member]) {
    let mut taken: BTreeSet<String> = members.iter().filter_map(|m| m.rust_name.clone()).collect();
    let derived: BTreeSet<String> = members.iter().map(|m| snake_case(&m.name)).collect();
    for m in members.iter_mut() {
        if m.rust_name.is_some() {
            continue;
        }
        let snake = snake_case(&m.name);
        if taken.insert(snake.clone()) {
            continue;
        }
        let name = (2..)
            .map(|n| format!("{snake}_{n}"))
            .find(|c| !taken.contains(c) && !derived.contains(c))
            .unwrap_or_default();
        taken.insert(name.clone());
        m.rust_name = Some(name);
    }
}

/// Marks members whose name sounds like a credential `sensitive`, unless a
/// person said otherwise.
fn mark_secrets(members: &mut [Member]) {
    for m in members {
        if !m.sensitive && m.not_sensitive.is_none() && credential_word(&m.name).is_some() {
            m.sensitive = true;
        }
    }
}

/// The category id of `action`: its first word in lower case.
fn verb_category(action: &str) -> String {
    words(action)
        .first()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_else(|| "actions".into())
}

/// The text of `value` as written to `path` (JSON or YAML by extension).
fn render<T: Serialize>(path: &Path, value: &T) -> Result<String, String> {
    if is_json(path) {
        Ok(serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n")
    } else {
        serde_norway::to_string(value).map_err(|e| e.to_string())
    }
}

fn same<T: Serialize>(a: &T, b: &T) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Computes every file of the import in memory; with `docs: upstream` also
/// validates the result.
fn plan(
    spec_dir: &Path,
    service_path: &Path,
    mut service: ServiceFile,
    service_is_new: bool,
    upstream: &Value,
    options: &ImportOptions,
) -> Result<Plan, Vec<String>> {
    let source = options.source();
    let mut problems = Vec::new();
    let up = check_upstream(source, upstream, &mut problems);
    if let Some(codes) = &options.error_codes {
        if !codes.is_object() {
            problems.push("errors file: /: expected an object of action names and codes".into());
        }
    }
    let Some(up) = up.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    let with_docs = service.docs == DocSource::Upstream;
    let original_service = service.clone();
    let schema = service.schema.as_ref().map(|s| format!("../{s}"));
    let types = read_types(spec_dir).map_err(|e| vec![e])?;
    let named = named_types(&types);
    let mut diags = Diagnostics::default();
    let common: Vec<ErrorDef> = crate::load::read_common_errors(spec_dir, &mut diags);
    let common_codes: BTreeSet<String> = common.iter().map(|e| e.code.clone()).collect();
    let examples = options.examples.as_ref().map(|e| &e["actions"]);

    let mut report = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut new_actions: BTreeMap<String, (PathBuf, ActionFile)> = BTreeMap::new();
    let mut new_types: BTreeMap<String, (PathBuf, TypeDef)> = BTreeMap::new();
    let mut wanted_types = BTreeSet::new();
    let mut categories_used = BTreeSet::new();

    for (name, action) in up.actions {
        let input = convert_members(
            &up,
            action["input"].as_str().unwrap_or_default(),
            Side::Input,
            with_docs,
            &mut wanted_types,
        );
        let output = convert_members(
            &up,
            action["output"].as_str().unwrap_or_default(),
            Side::Output,
            with_docs,
            &mut wanted_types,
        );
        let path = entry_path(&spec_dir.join("actions"), name);
        let existing = if path.exists() {
            match parse_entry::<ActionFile>(&path) {
                Ok(a) => Some(a),
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            }
        } else {
            None
        };
        let is_new = existing.is_none();
        let before = existing.clone();
        let mut file = existing.unwrap_or_else(|| ActionFile {
            schema: schema.clone(),
            action: name.clone(),
            summary: String::new(),
            doc: String::new(),
            reference: format!(
                "https://console.tencentcloud.com/api/explorer?Product={}&Version={}&Action={name}",
                service.service, service.version
            ),
            category: String::new(),
            rate_limit: None,
            idempotent: is_read_action(name),
            china_only: options.china_only,
            deprecated: None,
            input: Vec::new(),
            output: Vec::new(),
            errors: Vec::new(),
            pagination: None,
            examples: Vec::new(),
        });
        let mut changes = Vec::new();
        merge(
            &mut file.input,
            input,
            &named,
            options,
            with_docs,
            &mut changes,
        );
        merge(
            &mut file.output,
            output,
            &named,
            options,
            with_docs,
            &mut changes,
        );
        assign_rust_names(&mut file.input);
        assign_rust_names(&mut file.output);
        if with_docs {
            mark_secrets(&mut file.input);
            mark_secrets(&mut file.output);
            let summary = docs::clean(action["name"].as_str().unwrap_or_default());
            file.summary = summary.lines().collect::<Vec<_>>().join(" ");
            let mut doc = docs::clean(action["document"].as_str().unwrap_or_default());
            match action["status"].as_str() {
                Some("deprecated") => doc.push_str("\n\nUpstream marks this action deprecated."),
                Some("offline") => doc.push_str("\n\nUpstream marks this action offline."),
                _ => {}
            }
            file.doc = doc.trim().to_owned();
            let retired = action["status"].as_str() == Some("deprecated")
                || crate::validate::says_deprecated(&format!("{} {}", file.summary, file.doc));
            if file.deprecated.is_none() && retired {
                file.deprecated = deprecation(action)
                    .or(Some("deprecated by the service's documentation".to_owned()));
            }
            if file.category.is_empty() {
                file.category = verb_category(name);
            }
            categories_used.insert(file.category.clone());
            if file.pagination.is_none() {
                file.pagination = paging::infer(&file, &named);
                if let Some(p) = &file.pagination {
                    changes.push(format!("paged by {} / {}", p.page, p.size));
                }
            }
        }
        if file.errors.is_empty() {
            if let Some(codes) = options
                .error_codes
                .as_ref()
                .and_then(|e| e[name].as_array())
            {
                let mut seen = BTreeSet::new();
                file.errors = codes
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .filter(|c| seen.insert(c.clone()))
                    .collect();
                if !file.errors.is_empty() {
                    changes.push(format!("errors: {}", file.errors.join(", ")));
                }
            }
        }
        if file.examples.is_empty() {
            if let Some(list) = examples.and_then(|e| e.get(name.as_str())) {
                let (imported, left_out) =
                    crate::examples::convert_all(&file.input, &named, list, with_docs);
                changes.extend(left_out);
                if !imported.is_empty() {
                    changes.push(format!("{} example(s)", imported.len()));
                    file.examples = imported;
                }
            }
        }
        let changed = match &before {
            None => true,
            Some(b) => !same(b, &file),
        };
        if is_new {
            report.push(format!("added action {name}"));
        } else if changed && changes.is_empty() {
            changes.push("docs updated".into());
        }
        if changed {
            report.extend(changes.iter().map(|c| format!("{name}: {c}")));
            match render(&path, &file) {
                Ok(text) => files.push((path.clone(), text)),
                Err(e) => problems.push(format!("{}: {e}", display(&path))),
            }
        }
        new_actions.insert(name.clone(), (path, file));
    }

    // Object types reachable from the actions (enums and shapes are written by people).
    let mut queue: Vec<String> = wanted_types.iter().cloned().collect();
    let mut done = BTreeSet::new();
    while let Some(type_name) = queue.pop() {
        if !done.insert(type_name.clone()) || named.contains_key(&type_name) {
            continue;
        }
        let Some(upstream_object) = upstream_name(&up, &type_name) else {
            continue;
        };
        let mut nested = BTreeSet::new();
        let members = convert_members(&up, upstream_object, Side::Object, with_docs, &mut nested);
        queue.extend(nested);
        let path = entry_path(&spec_dir.join("types"), &type_name);
        let existing = if path.exists() {
            match parse_entry::<ObjectFile>(&path) {
                Ok(o) => Some(o),
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            }
        } else {
            None
        };
        let is_new = existing.is_none();
        let before = existing.clone();
        let mut file = existing.unwrap_or_else(|| ObjectFile {
            schema: schema.clone(),
            object: type_name.clone(),
            doc: String::new(),
            members: Vec::new(),
        });
        let mut changes = Vec::new();
        merge(
            &mut file.members,
            members,
            &named,
            options,
            with_docs,
            &mut changes,
        );
        assign_rust_names(&mut file.members);
        if with_docs {
            mark_secrets(&mut file.members);
            file.doc = docs::clean(
                up.objects[upstream_object]["document"]
                    .as_str()
                    .unwrap_or_default(),
            );
        }
        let changed = match &before {
            None => true,
            Some(b) => !same(b, &file),
        };
        if is_new {
            report.push(format!("added type {type_name}"));
        } else if changed && changes.is_empty() {
            changes.push("docs updated".into());
        }
        if changed {
            report.extend(changes.iter().map(|c| format!("{type_name}: {c}")));
            match render(&path, &file) {
                Ok(text) => files.push((path.clone(), text)),
                Err(e) => problems.push(format!("{}: {e}", display(&path))),
            }
        }
        new_types.insert(type_name, (path, TypeDef::Object(file)));
    }

    // service.json: the service's docs, categories and error codes.
    if with_docs {
        let meta = &upstream["metadata"];
        if let Some(title) = meta["serviceNameCN"]
            .as_str()
            .map(docs::clean)
            .filter(|t| !t.is_empty())
        {
            service.title = title.lines().collect::<Vec<_>>().join(" ");
        }
        if let Some(doc) = meta["api_brief"]
            .as_str()
            .map(docs::clean)
            .filter(|t| !t.is_empty())
        {
            service.doc = doc;
        }
        for id in &categories_used {
            if !service.categories.iter().any(|c| &c.id == id) {
                let verb = id
                    .chars()
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + &id[1..])
                    .unwrap_or_default();
                service.categories.push(Category {
                    id: id.clone(),
                    title: format!("{verb} actions"),
                    doc: format!("The actions whose name starts with `{verb}`."),
                });
                report.push(format!("service: added category {id}"));
            }
        }
    }
    if let Some(codes) = &options.error_codes {
        let known: BTreeSet<String> = service.errors.iter().map(|e| e.code.clone()).collect();
        let common_listed: BTreeSet<&str> = codes["_common"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut added = BTreeSet::new();
        for (action, list) in codes.as_object().into_iter().flatten() {
            if action.starts_with('_') || !up.actions.contains_key(action) {
                continue;
            }
            for code in list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !known.contains(code)
                    && !common_codes.contains(code)
                    && added.insert(code.to_owned())
                {
                    let doc = if with_docs {
                        codes["_docs"][code]
                            .as_str()
                            .map(docs::clean)
                            .unwrap_or_default()
                    } else {
                        String::new()
                    };
                    service.errors.push(ErrorDef {
                        code: code.to_owned(),
                        common: common_listed.contains(code),
                        doc,
                    });
                    report.push(format!("service: added error code {code}"));
                }
            }
        }
    }
    if service_is_new || !same(&original_service, &service) {
        if service_is_new {
            report.insert(
                0,
                format!("added service {} {}", service.service, service.version),
            );
        }
        match render(service_path, &service) {
            Ok(text) => files.insert(0, (service_path.to_path_buf(), text)),
            Err(e) => problems.push(format!("{}: {e}", display(service_path))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // With upstream docs nothing is left for a person to add: the result must
    // be a valid spec.
    if with_docs {
        let mut api = if service_is_new {
            Api {
                root: spec_dir.to_path_buf(),
                service: Sourced {
                    file: display(service_path),
                    item: service.clone(),
                },
                actions: BTreeMap::new(),
                types: BTreeMap::new(),
            }
        } else {
            match crate::load::read_dir(spec_dir, &mut diags) {
                Some(api) => api,
                None => return Err(diags.0.iter().map(|d| d.to_string()).collect()),
            }
        };
        let mut service = service.clone();
        crate::load::merge_common_errors(&mut service, common, &display(service_path), &mut diags);
        api.service = Sourced {
            file: display(service_path),
            item: service,
        };
        for (name, (path, item)) in new_actions {
            api.actions.insert(
                name,
                Sourced {
                    file: display(&path),
                    item,
                },
            );
        }
        for (name, (path, item)) in new_types {
            api.types.insert(
                name,
                Sourced {
                    file: display(&path),
                    item,
                },
            );
        }
        let complete = diags.is_empty();
        crate::validate::validate(&api, complete, &mut diags);
        if !diags.is_empty() {
            diags.0.sort();
            diags.0.dedup();
            return Err(diags.0.iter().map(|d| d.to_string()).collect());
        }
    }
    Ok(Plan { files, report })
}

/// An upstream example string as a JSON value of the member's type, when it is one.
fn example(ty: &str, text: &str) -> Option<Value> {
    let text = text.trim();
    let parsed = serde_json::from_str::<Value>(text).ok();
    match TypeRef::parse(ty).ok()? {
        TypeRef::String | TypeRef::Text(_) => match parsed {
            Some(Value::String(s)) => Some(Value::String(s)),
            _ if !text.is_empty() => Some(Value::String(text.to_owned())),
            _ => None,
        },
        TypeRef::Int64 | TypeRef::Uint64 => parsed.filter(|v| v.is_i64() || v.is_u64()),
        TypeRef::Float => parsed.filter(Value::is_number),
        TypeRef::Bool => parsed.filter(Value::is_boolean),
        TypeRef::List(_) => parsed.filter(Value::is_array),
        TypeRef::Named(_) => parsed.filter(Value::is_object),
    }
}

/// Brings `current` to `upstream`'s structure, keeping what people wrote.
fn merge(
    current: &mut Vec<Member>,
    upstream: Vec<Member>,
    named: &NamedTypes,
    options: &ImportOptions,
    with_docs: bool,
    changes: &mut Vec<String>,
) {
    let mut old: BTreeMap<String, Member> =
        current.drain(..).map(|m| (m.name.clone(), m)).collect();
    let upstream_names: BTreeSet<String> = upstream.iter().map(|m| m.name.clone()).collect();
    for mut new in upstream {
        match old.remove(&new.name) {
            None => {
                new.china_only = options.china_only;
                changes.push(format!("added member {}", new.name));
                current.push(new);
            }
            Some(mut m) => {
                if fit(&m.ty, &new.ty, named) == Fit::Differs {
                    changes.push(format!("{}: type {} -> {}", m.name, m.ty, new.ty));
                    m.ty = new.ty;
                }
                if m.correction.is_none() && m.presence != new.presence {
                    changes.push(format!(
                        "{}: presence {} -> {}",
                        m.name,
                        m.presence.as_str(),
                        new.presence.as_str()
                    ));
                    m.presence = new.presence;
                }
                if m.example.is_none() && new.example.is_some() {
                    m.example = new.example;
                    changes.push(format!("{}: example added", m.name));
                }
                if m.deprecated.is_none() && new.deprecated.is_some() {
                    changes.push(format!("{}: deprecated", m.name));
                    m.deprecated = new.deprecated;
                }
                if with_docs {
                    m.doc = new.doc;
                }
                current.push(m);
            }
        }
    }
    // Members this file does not describe: China-only ones stay (another file
    // documents them), others are gone upstream.
    for (name, m) in old {
        if m.china_only && !options.china_only && !upstream_names.contains(&name) {
            current.push(m);
        } else {
            changes.push(format!("removed member {name}"));
        }
    }
}

/// A type a person may write in place of upstream's scalar: an enum or a scalar
/// shape, with the wire scalar it stands for.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    /// The wire scalar.
    pub wire: TypeRef,
    /// A shape whose integer type deliberately differs from upstream's.
    pub corrected: bool,
}

/// Enums and scalar shapes by name.
pub(crate) type NamedTypes = BTreeMap<String, Named>;

/// The enums and resolvable scalar shapes among `types`.
pub(crate) fn named_types(types: &BTreeMap<String, TypeDef>) -> NamedTypes {
    let mut out = BTreeMap::new();
    for (name, def) in types {
        let named = match def {
            TypeDef::Enum(e) => Named {
                wire: match e.repr {
                    Repr::Uint64 => TypeRef::Uint64,
                    Repr::Int64 => TypeRef::Int64,
                    Repr::String => TypeRef::String,
                },
                corrected: false,
            },
            TypeDef::Scalar(s) => match resolve_scalar(name, |n| types.get(n)) {
                Ok(wire) => Named {
                    wire,
                    corrected: s.correction.is_some(),
                },
                Err(_) => continue,
            },
            TypeDef::Object(_) => continue,
        };
        out.insert(name.clone(), named);
    }
    out
}

/// The enum and scalar type definitions under `spec_dir/types`.
pub(crate) fn read_types(spec_dir: &Path) -> Result<BTreeMap<String, TypeDef>, String> {
    let mut out = BTreeMap::new();
    for path in entry_files(&spec_dir.join("types")) {
        if let Ok(e) = parse_entry::<EnumFile>(&path) {
            out.insert(e.name.clone(), TypeDef::Enum(e));
        } else if let Ok(s) = parse_entry::<ScalarFile>(&path) {
            out.insert(s.scalar.clone(), TypeDef::Scalar(s));
        }
    }
    Ok(out)
}

/// How a spec member's type compares with upstream's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fit {
    /// The same wire type: equal, or an enum or shape of upstream's scalar.
    Same,
    /// A shape whose `correction` explains why its integer type differs.
    Corrected(String),
    /// A real difference.
    Differs,
}

/// Compares `mine` (the spec's type text) with `theirs` (upstream's), looking
/// through lists, enums and scalar shapes.
pub(crate) fn fit(mine: &str, theirs: &str, named: &NamedTypes) -> Fit {
    match (TypeRef::parse(mine), TypeRef::parse(theirs)) {
        (Ok(a), Ok(b)) => fit_types(&a, &b, named),
        _ if mine == theirs => Fit::Same,
        _ => Fit::Differs,
    }
}

/// Whether two scalars have the same wire type: equal, or both JSON strings
/// (`string` and a text format such as `datetime`, which only documents the
/// string's form).
fn same_wire(a: &TypeRef, b: &TypeRef) -> bool {
    let text = |t: &TypeRef| matches!(t, TypeRef::String | TypeRef::Text(_));
    a == b || (text(a) && text(b))
}

fn fit_types(mine: &TypeRef, theirs: &TypeRef, named: &NamedTypes) -> Fit {
    match (mine, theirs) {
        _ if same_wire(mine, theirs) => Fit::Same,
        (TypeRef::List(a), TypeRef::List(b)) => fit_types(a, b, named),
        (TypeRef::Named(n), prim) => match named.get(n) {
            Some(x) if same_wire(&x.wire, prim) => Fit::Same,
            Some(x) if x.corrected && x.wire.is_integer() && prim.is_integer() => {
                Fit::Corrected(n.clone())
            }
            _ => Fit::Differs,
        },
        _ => Fit::Differs,
    }
}

/// Writes an entry in the format of its extension. A YAML entry that changes
/// is written anew, so comments in it are not kept.
pub(crate) fn write<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let text = render(path, value)?;
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn entry_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| crate::load::EXTENSIONS.iter().any(|x| e == *x))
        })
        .collect();
    out.sort();
    out
}
