//! `cargo xtask import`: brings the structure of an upstream API description (the
//! tccli `api.json` format) into the spec.
//!
//! It writes names, types, presence and examples. What a person wrote stays:
//! docs, summaries, references, categories, limits, error lists already set, and a
//! member whose type a person narrowed to an enum of the same wire type. New items
//! arrive with empty docs, which validation then asks for.

use crate::load::{entry_path, is_json, parse_entry, resolve_scalar, TypeDef};
use crate::spec::{
    ActionFile, EnumFile, ErrorDef, Member, ObjectFile, Presence, Repr, ScalarFile, ServiceFile,
    TypeRef,
};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// How to treat what this upstream file adds.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Mark actions and members that this file adds as documented only on the
    /// China site.
    pub china_only: bool,
    /// Upstream error codes per action (`ccc-error-codes.json`), if given.
    pub error_codes: Option<Value>,
}

/// Imports `upstream` into the spec at `spec_dir`; returns one line per change.
pub fn import(
    spec_dir: &Path,
    upstream: &Value,
    options: &ImportOptions,
) -> Result<Vec<String>, String> {
    let mut report = Vec::new();
    // Files one level below service.json point one level further up to the schema.
    let service_text = read(&spec_dir.join("service.json"))?;
    let service: ServiceFile = serde_json::from_str(&service_text)
        .map_err(|e| format!("{}/service.json: {e}", spec_dir.display()))?;
    let schema = |_: usize| service.schema.as_ref().map(|s| format!("../{s}"));
    let actions = upstream["actions"]
        .as_object()
        .ok_or("upstream file has no `actions` object")?;
    let objects = upstream["objects"]
        .as_object()
        .ok_or("upstream file has no `objects` object")?;
    let schema_depth = 0;

    let named = named_types(&read_types(spec_dir)?);

    let mut wanted_types = BTreeSet::new();
    for (name, action) in actions {
        let input = members_of(
            objects,
            action["input"].as_str(),
            Side::Input,
            &mut wanted_types,
        )?;
        let output = members_of(
            objects,
            action["output"].as_str(),
            Side::Output,
            &mut wanted_types,
        )?;
        let path = entry_path(&spec_dir.join("actions"), name);
        let existing = if path.exists() {
            Some(parse_entry::<ActionFile>(&path)?)
        } else {
            None
        };
        let is_new = existing.is_none();
        let mut file = existing.unwrap_or_else(|| ActionFile {
            schema: schema(schema_depth + 1),
            action: name.clone(),
            summary: String::new(),
            doc: String::new(),
            reference: format!(
                "https://console.tencentcloud.com/api/explorer?Product={}&Version={}&Action={name}",
                service.service, service.version
            ),
            category: String::new(),
            rate_limit: None,
            idempotent: name.starts_with("Describe"),
            china_only: options.china_only,
            input: Vec::new(),
            output: Vec::new(),
            errors: Vec::new(),
            pagination: None,
            examples: Vec::new(),
        });
        let mut changes = Vec::new();
        merge(&mut file.input, input, &named, options, &mut changes);
        merge(&mut file.output, output, &named, options, &mut changes);
        if file.errors.is_empty() {
            if let Some(codes) = options
                .error_codes
                .as_ref()
                .and_then(|e| e[name].as_array())
            {
                file.errors = codes
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect();
                if !file.errors.is_empty() {
                    changes.push(format!("errors: {}", file.errors.join(", ")));
                }
            }
        }
        if is_new {
            report.push(format!("added action {name}"));
        }
        if is_new || !changes.is_empty() {
            report.extend(changes.iter().map(|c| format!("{name}: {c}")));
            write(&path, &file)?;
        }
    }

    // Object types reachable from the actions (enums and shapes are written by people).
    let mut queue: Vec<String> = wanted_types.iter().cloned().collect();
    let mut done = BTreeSet::new();
    while let Some(type_name) = queue.pop() {
        if !done.insert(type_name.clone()) || named.contains_key(&type_name) {
            continue;
        }
        let mut nested = BTreeSet::new();
        let members = members_of(objects, Some(&type_name), Side::Object, &mut nested)?;
        queue.extend(nested);
        let path = entry_path(&spec_dir.join("types"), &type_name);
        let existing = if path.exists() {
            Some(parse_entry::<ObjectFile>(&path)?)
        } else {
            None
        };
        let is_new = existing.is_none();
        let mut file = existing.unwrap_or_else(|| ObjectFile {
            schema: schema(schema_depth + 1),
            object: type_name.clone(),
            doc: String::new(),
            members: Vec::new(),
        });
        let mut changes = Vec::new();
        merge(&mut file.members, members, &named, options, &mut changes);
        if is_new {
            report.push(format!("added type {type_name}"));
        }
        if is_new || !changes.is_empty() {
            report.extend(changes.iter().map(|c| format!("{type_name}: {c}")));
            write(&path, &file)?;
        }
    }

    // Error codes named by actions must exist in service.json.
    if let Some(codes) = &options.error_codes {
        let path = spec_dir.join("service.json");
        let mut service: ServiceFile =
            serde_json::from_str(&read(&path)?).map_err(|e| format!("{}: {e}", path.display()))?;
        let known: BTreeSet<String> = service.errors.iter().map(|e| e.code.clone()).collect();
        let common: BTreeSet<&str> = codes["_common"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut added = BTreeSet::new();
        for (action, list) in codes.as_object().into_iter().flatten() {
            if action.starts_with('_') || !actions.contains_key(action) {
                continue;
            }
            for code in list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !known.contains(code) && added.insert(code.to_owned()) {
                    service.errors.push(ErrorDef {
                        code: code.to_owned(),
                        common: common.contains(code),
                        doc: String::new(),
                    });
                    report.push(format!("service: added error code {code}"));
                }
            }
        }
        if !added.is_empty() {
            write(&path, &service)?;
        }
    }
    Ok(report)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Input,
    Output,
    Object,
}

/// The members of upstream object `name`, as spec members with empty docs.
pub(crate) fn members_of(
    objects: &serde_json::Map<String, Value>,
    name: Option<&str>,
    side: Side,
    types: &mut BTreeSet<String>,
) -> Result<Vec<Member>, String> {
    let name = name.ok_or("an action without input or output object")?;
    let object = objects
        .get(name)
        .ok_or(format!("upstream object `{name}` is missing"))?;
    let mut out = Vec::new();
    for m in object["members"].as_array().into_iter().flatten() {
        let member_name = m["name"].as_str().unwrap_or_default().to_owned();
        if side == Side::Output && member_name == "RequestId" {
            continue;
        }
        let element = m["member"].as_str().unwrap_or_default();
        let base = match element {
            "int64" | "uint64" | "string" | "bool" => element.to_owned(),
            "float" | "double" => "float".to_owned(),
            "int" | "integer" => "int64".to_owned(),
            other => {
                types.insert(other.to_owned());
                other.to_owned()
            }
        };
        let ty = if m["type"] == "list" {
            format!("list<{base}>")
        } else {
            base
        };
        let flag = |key: &str| m[key].as_bool().unwrap_or(false);
        let presence = match side {
            Side::Input if flag("required") => Presence::Required,
            Side::Input => Presence::Optional,
            Side::Output if !flag("output_required") => Presence::Optional,
            Side::Object if !flag("required") => Presence::Optional,
            Side::Output | Side::Object if flag("value_allowed_null") => Presence::Nullable,
            Side::Output | Side::Object => Presence::Required,
        };
        let example = m["example"].as_str().and_then(|text| example(&ty, text));
        out.push(Member {
            name: member_name,
            ty,
            presence,
            doc: String::new(),
            example,
            china_only: false,
            rust_name: None,
            sensitive: false,
            not_sensitive: None,
            correction: None,
        });
    }
    Ok(out)
}

/// An upstream example string as a JSON value of the member's type, when it is one.
fn example(ty: &str, text: &str) -> Option<Value> {
    let text = text.trim();
    let parsed = serde_json::from_str::<Value>(text).ok();
    match TypeRef::parse(ty).ok()? {
        TypeRef::String => match parsed {
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

fn fit_types(mine: &TypeRef, theirs: &TypeRef, named: &NamedTypes) -> Fit {
    match (mine, theirs) {
        _ if mine == theirs => Fit::Same,
        (TypeRef::List(a), TypeRef::List(b)) => fit_types(a, b, named),
        (TypeRef::Named(n), prim) => match named.get(n) {
            Some(x) if &x.wire == prim => Fit::Same,
            Some(x) if x.corrected && x.wire.is_integer() && prim.is_integer() => {
                Fit::Corrected(n.clone())
            }
            _ => Fit::Differs,
        },
        _ => Fit::Differs,
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes an entry in the format of its extension. A YAML entry that changes
/// is written anew, so comments in it are not kept.
pub(crate) fn write<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let text = if is_json(path) {
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n"
    } else {
        serde_norway::to_string(value).map_err(|e| e.to_string())?
    };
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
