//! Reading a spec directory: `service`, `actions/*`, `types/*`, each entry in
//! JSON (`.json`) or YAML (`.yaml`, `.yml`), one schema for both.
//!
//! Every file is read and parsed even when an earlier one fails, so one run shows
//! every problem. Invalid JSON or YAML (duplicate keys included) is reported
//! with line and column; a field of the wrong shape with its JSON pointer.
//!
//! YAML is read with `serde_norway`: `serde_yaml` is archived, and of its
//! maintained forks `serde_norway` is the one most projects moved to; it keeps
//! serde_yaml's API and brings its own maintained port of libyaml
//! (`unsafe-libyaml-norway`), where `serde_yaml_ng` still builds on the
//! unmaintained `unsafe-libyaml`.

use crate::diagnostic::{excerpt, Diagnostics};
use crate::spec::{ActionFile, EnumFile, ErrorDef, ObjectFile, ScalarFile, ServiceFile, TypeRef};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A spec item and the file it came from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    /// The file, as shown in diagnostics and generated headers.
    pub file: String,
    /// The item.
    pub item: T,
}

/// A type definition.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A structure.
    Object(ObjectFile),
    /// A set of documented values.
    Enum(EnumFile),
    /// A named scalar shape.
    Scalar(ScalarFile),
}

impl TypeDef {
    /// The JSON pointer of the key naming the type (`/object`, `/enum`, `/scalar`).
    pub fn name_pointer(&self) -> &'static str {
        match self {
            TypeDef::Object(_) => "/object",
            TypeDef::Enum(_) => "/enum",
            TypeDef::Scalar(_) => "/scalar",
        }
    }
}

/// Why a scalar shape does not stand for a wire scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// Its `type` names no type.
    Unknown(String),
    /// Its `type` (or a shape it leads to) is a list, an object or an enum, or no type at all.
    NotScalar(String),
    /// The chain of shapes comes back to itself; the names in order.
    Cycle(Vec<String>),
}

/// Follows scalar shape `name` (and any shape it names) to the wire scalar it
/// stands for. `lookup` finds a type definition by name. Every user of shapes
/// (validation, import, spec-diff) resolves them here, so they agree.
pub fn resolve_scalar<'a>(
    name: &str,
    lookup: impl Fn(&str) -> Option<&'a TypeDef>,
) -> Result<TypeRef, ShapeError> {
    let mut chain = vec![name.to_owned()];
    let mut current = name.to_owned();
    loop {
        let def = match lookup(&current) {
            Some(TypeDef::Scalar(s)) => s,
            Some(_) => return Err(ShapeError::NotScalar(current)),
            None => return Err(ShapeError::Unknown(current)),
        };
        match TypeRef::parse(&def.ty) {
            Ok(TypeRef::Named(next)) => {
                if chain.contains(&next) {
                    chain.push(next);
                    return Err(ShapeError::Cycle(chain));
                }
                chain.push(next.clone());
                current = next;
            }
            Ok(TypeRef::List(_)) | Err(_) => return Err(ShapeError::NotScalar(def.ty.clone())),
            Ok(scalar) => return Ok(scalar),
        }
    }
}

/// The whole spec of one service version, as loaded.
#[derive(Debug, Clone)]
pub struct Api {
    /// The directory it was loaded from, as given.
    pub root: PathBuf,
    /// `service.json`.
    pub service: Sourced<ServiceFile>,
    /// Actions by wire name.
    pub actions: BTreeMap<String, Sourced<ActionFile>>,
    /// Types by name.
    pub types: BTreeMap<String, Sourced<TypeDef>>,
}

/// Reads every file of the spec in `root`. Structural problems are collected in
/// `diags`; `None` when `service.json` itself is unusable.
pub(crate) fn read_dir(root: &Path, diags: &mut Diagnostics) -> Option<Api> {
    let display = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let service_path = service_file(root, diags);
    let mut service = read_json::<ServiceFile>(&service_path, &display(&service_path), diags);
    if let Some(service) = &mut service {
        let common = read_common_errors(root, diags);
        merge_common_errors(service, common, &display(&service_path), diags);
    }

    for entry in list(root, diags) {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if entry.is_dir() {
            if name != "actions" && name != "types" {
                diags.push(
                    &display(&entry),
                    "",
                    "unexpected directory: a spec holds service.json, actions/ and types/",
                );
            }
        } else if !SERVICE_FILES.contains(&name.as_str()) {
            diags.push(
                &display(&entry),
                "",
                "unexpected file: a spec holds service.json, actions/ and types/",
            );
        }
    }

    let mut actions = BTreeMap::new();
    for path in entry_files(&root.join("actions"), diags) {
        let file = display(&path);
        let Some(value) = read_value(&path, &file, diags) else {
            continue;
        };
        if !presence_is_stated(
            &value,
            &[("input", Side::Input), ("output", Side::Output)],
            &file,
            diags,
        ) {
            continue;
        }
        let Some(action) = from_value::<ActionFile>(value, &file, diags) else {
            continue;
        };
        check_file_name(&path, &file, &action.action, "/action", diags);
        if let Some(first) = actions.get(&action.action) {
            let first: &Sourced<ActionFile> = first;
            diags.push(
                &file,
                "/action",
                format!(
                    "duplicate action `{}`, first defined in {}",
                    excerpt(&action.action),
                    first.file
                ),
            );
            continue;
        }
        actions.insert(action.action.clone(), Sourced { file, item: action });
    }

    let mut types = BTreeMap::new();
    for path in entry_files(&root.join("types"), diags) {
        let file = display(&path);
        let Some(value) = read_value(&path, &file, diags) else {
            continue;
        };
        let (def, name) = if value.get("object").is_some() {
            if !presence_is_stated(&value, &[("members", Side::Object)], &file, diags) {
                continue;
            }
            match from_value::<ObjectFile>(value, &file, diags) {
                Some(o) => (TypeDef::Object(o.clone()), o.object),
                None => continue,
            }
        } else if value.get("enum").is_some() {
            match from_value::<EnumFile>(value, &file, diags) {
                Some(e) => (TypeDef::Enum(e.clone()), e.name),
                None => continue,
            }
        } else if value.get("scalar").is_some() {
            match from_value::<ScalarFile>(value, &file, diags) {
                Some(s) => (TypeDef::Scalar(s.clone()), s.scalar),
                None => continue,
            }
        } else {
            diags.push(
                &file,
                "",
                "a type file needs an `object`, an `enum` or a `scalar` key naming the type",
            );
            continue;
        };
        let key = def.name_pointer();
        check_file_name(&path, &file, &name, key, diags);
        if let Some(first) = types.get(&name) {
            let first: &Sourced<TypeDef> = first;
            diags.push(
                &file,
                key,
                format!(
                    "duplicate type `{}`, first defined in {}",
                    excerpt(&name),
                    first.file
                ),
            );
            continue;
        }
        types.insert(name, Sourced { file, item: def });
    }

    Some(Api {
        root: root.to_path_buf(),
        service: Sourced {
            file: display(&service_path),
            item: service?,
        },
        actions,
        types,
    })
}

fn check_file_name(path: &Path, file: &str, name: &str, pointer: &str, diags: &mut Diagnostics) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem != name {
        diags.push(
            file,
            pointer,
            format!(
                "`{}` must live in a file named `{}.{}`",
                excerpt(name),
                excerpt(name),
                path.extension()
                    .map(|e| e.to_string_lossy())
                    .unwrap_or_default()
            ),
        );
    }
}

fn list(dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            paths
        }
        Err(e) => {
            diags.push(
                &dir.to_string_lossy(),
                "",
                format!("cannot read directory: {e}"),
            );
            Vec::new()
        }
    }
}

/// The file of the error codes every Tencent Cloud API 3.0 action may return
/// (authentication, rate limits, parameters), shared by every service. It sits
/// in the spec root: the directory above the service's directory
/// (`spec/common-errors.json` for `spec/ccc/2020-02-10`). The loader merges its
/// codes into every service's error list, marked `common`, so that each
/// service's `ErrorCode` has them and each action may list them. A spec
/// directory without the file two levels up (a test fixture, a scratch copy)
/// has only the codes its `service.json` lists, which may then mark codes
/// `common` themselves.
pub const COMMON_ERRORS_FILE: &str = "common-errors.json";

/// `common-errors.json`: `{"doc": "...", "errors": [{"code": "...", "doc":
/// "..."}]}`; each entry is an [`ErrorDef`] whose `common` is implied.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonErrorsFile {
    /// What the file is.
    #[serde(default)]
    pub doc: String,
    /// The codes, with what each means.
    pub errors: Vec<ErrorDef>,
}

/// Where the common error codes of the spec in `spec_dir` live, if it has a
/// spec root two levels up (see [`COMMON_ERRORS_FILE`]).
pub fn common_errors_path(spec_dir: &Path) -> Option<PathBuf> {
    let root = spec_dir.parent()?.parent()?;
    Some(root.join(COMMON_ERRORS_FILE))
}

/// The common error codes for the spec in `spec_dir` (none without the file),
/// each marked `common`. Problems in the file are reported against it, and
/// the entries at fault left out.
pub(crate) fn read_common_errors(spec_dir: &Path, diags: &mut Diagnostics) -> Vec<ErrorDef> {
    let Some(path) = common_errors_path(spec_dir).filter(|p| p.is_file()) else {
        return Vec::new();
    };
    let file = path.to_string_lossy().replace('\\', "/");
    let Some(parsed) = read_json::<CommonErrorsFile>(&path, &file, diags) else {
        return Vec::new();
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, mut e) in parsed.errors.into_iter().enumerate() {
        let valid = e.code.split('.').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !valid {
            diags.push(
                &file,
                format!("/errors/{i}/code"),
                format!(
                    "`{}` is not an error code (Word or Word.Word)",
                    excerpt(&e.code)
                ),
            );
        } else if !seen.insert(e.code.clone()) {
            diags.push(
                &file,
                format!("/errors/{i}/code"),
                format!("duplicate error code `{}`", excerpt(&e.code)),
            );
        } else if e.doc.trim().is_empty() {
            diags.push(&file, format!("/errors/{i}/doc"), "missing documentation");
        } else {
            e.common = true;
            out.push(e);
        }
    }
    out
}

/// Adds `common` to `service`'s error list. A code the service lists itself
/// that is also common is reported: one definition per code.
pub(crate) fn merge_common_errors(
    service: &mut ServiceFile,
    common: Vec<ErrorDef>,
    file: &str,
    diags: &mut Diagnostics,
) {
    for (i, e) in service.errors.iter().enumerate() {
        if common.iter().any(|c| c.code == e.code) {
            diags.push(
                file,
                format!("/errors/{i}/code"),
                format!(
                    "`{}` is a common error code, defined in {COMMON_ERRORS_FILE} for every service; remove it here",
                    excerpt(&e.code)
                ),
            );
        }
    }
    service.errors.extend(common);
}

/// The extensions of spec entries; JSON and YAML entries mix freely.
pub const EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

/// The names `service` may have, one per extension.
const SERVICE_FILES: [&str; 3] = ["service.json", "service.yaml", "service.yml"];

/// The file of entry `name` in `dir`: the existing one in whichever format it
/// is written, `<name>.json` when there is none.
pub fn entry_path(dir: &Path, name: &str) -> PathBuf {
    EXTENSIONS
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| dir.join(format!("{name}.json")))
}

/// An entry file decoded into `T`, JSON or YAML by its extension, for tools
/// and tests that read entries as data (the loader itself reports problems
/// with more detail).
pub fn parse_entry<T: DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let parsed = if is_json(path) {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_norway::from_str(&text).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether `path` names a JSON entry (otherwise YAML).
pub(crate) fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

/// The service file of `root`: the one present, `service.json` when none is
/// (reading it then says it is missing). Two are an error.
fn service_file(root: &Path, diags: &mut Diagnostics) -> PathBuf {
    let present: Vec<PathBuf> = SERVICE_FILES
        .iter()
        .map(|n| root.join(n))
        .filter(|p| p.is_file())
        .collect();
    if present.len() > 1 {
        let names: Vec<String> = present
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        diags.push(
            &root.join(&names[1]).to_string_lossy().replace('\\', "/"),
            "",
            format!(
                "the service is described twice ({}): keep one",
                names.join(", ")
            ),
        );
    }
    present
        .into_iter()
        .next()
        .unwrap_or_else(|| root.join("service.json"))
}

/// The entries in `dir` (`.json`, `.yaml`, `.yml`), sorted. Anything else is
/// reported, and so is one name written in two formats (`X.json` and
/// `X.yaml`): which one counts would be a guess.
fn entry_files(dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut by_stem: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut out = Vec::new();
    for p in list(dir, diags) {
        let shown = p.to_string_lossy().replace('\\', "/");
        let entry = p
            .extension()
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x))
            && p.is_file();
        if !entry {
            diags.push(
                &shown,
                "",
                "unexpected entry: only .json, .yaml and .yml files belong here",
            );
            continue;
        }
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(first) = by_stem.get(&stem) {
            diags.push(
                &shown,
                "",
                format!(
                    "`{}` is also written as {}: keep one format per entry",
                    excerpt(&stem),
                    first.file_name().unwrap_or_default().to_string_lossy()
                ),
            );
            continue;
        }
        by_stem.insert(stem, p.clone());
        out.push(p);
    }
    out
}

/// Largest spec file read; the biggest real one is a few KiB, and a limit keeps
/// memory bounded whatever lands in the directory.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

fn read_value(path: &Path, file: &str, diags: &mut Diagnostics) -> Option<Value> {
    let mut text = String::new();
    let read = fs::File::open(path).and_then(|f| {
        use std::io::Read;
        f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text)
    });
    if let Err(e) = read {
        diags.push(file, "", format!("cannot read file: {e}"));
        return None;
    }
    if text.len() as u64 > MAX_FILE_BYTES {
        diags.push(
            file,
            "",
            format!("file is larger than {MAX_FILE_BYTES} bytes; a spec file is far smaller"),
        );
        return None;
    }
    if !is_json(path) {
        if let Err(line) = flow_depth_within(&text, MAX_YAML_NESTING) {
            diags.push(
                file,
                format!("line {line}, column 1"),
                format!("invalid YAML: nests deeper than {MAX_YAML_NESTING} levels"),
            );
            return None;
        }
    }
    let parsed = if is_json(path) {
        serde_json::from_str::<Strict>(&text).map_err(|e| {
            let location = format!("line {}, column {}", e.line(), e.column());
            (location, e.to_string(), "JSON")
        })
    } else {
        // A duplicate key is placed at the start of the object that holds it.
        serde_norway::from_str::<Strict>(&text).map_err(|e| {
            let location = e.location().map_or(String::new(), |l| {
                format!("line {}, column {}", l.line(), l.column())
            });
            (location, e.to_string(), "YAML")
        })
    };
    match parsed {
        Ok(Strict(v)) => Some(v),
        Err((location, message, format)) => {
            // Both parsers append " at line L column C"; the location already says it.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            diags.push(file, location, format!("invalid {format}: {message}"));
            None
        }
    }
}

/// Deepest `[` / `{` nesting a YAML entry may have; real entries nest a few
/// levels, and serde stops at 128 anyway.
const MAX_YAML_NESTING: usize = 256;

/// Whether the brackets of `text` nest at most `max` deep (quotes not
/// considered, so this can only over-count); otherwise the line where they go
/// deeper. libyaml's time grows with the square of the nesting depth, so a
/// small file of brackets would hold the generator for minutes: this linear
/// scan refuses it first.
fn flow_depth_within(text: &str, max: usize) -> Result<(), usize> {
    let (mut depth, mut line) = (0usize, 1);
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(line);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    Ok(())
}

/// A JSON value read from JSON or YAML text, refusing a key that appears twice
/// in one object: `serde_json::Value` would keep the last silently, hiding the
/// first from review. The parsers report the error with line and column.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // Not a number (YAML's `.nan`, `.inf`) has no JSON form: null, as serde_json does.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{}`",
                    excerpt(&key)
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

fn from_value<T: DeserializeOwned>(value: Value, file: &str, diags: &mut Diagnostics) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let pointer = pointer_of(e.path());
            diags.push(file, pointer, e.into_inner().to_string());
            None
        }
    }
}

fn read_json<T: DeserializeOwned>(path: &Path, file: &str, diags: &mut Diagnostics) -> Option<T> {
    let value = read_value(path, file, diags)?;
    from_value(value, file, diags)
}

/// Where a member sits, which decided what the old presence flags meant.
#[derive(Clone, Copy)]
enum Side {
    Input,
    Output,
    Object,
}

/// The presence flags of the old entry format, replaced by `presence`.
const OLD_FLAGS: [&str; 3] = ["required", "optional", "nullable"];

/// Whether every member in the `lists` of `value` states its `presence` and
/// none still carries an old flag. Each member that does not is reported with
/// the value to write, so an entry in the old format is migrated by reading the
/// errors; such an entry is not decoded further (that would only add
/// "unknown field" noise for the same members).
fn presence_is_stated(
    value: &Value,
    lists: &[(&str, Side)],
    file: &str,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    for (list, side) in lists {
        let Some(Value::Array(members)) = value.get(*list) else {
            continue;
        };
        for (i, member) in members.iter().enumerate() {
            let Value::Object(member) = member else {
                continue;
            };
            let flag = |name: &str| member.get(name).and_then(Value::as_bool).unwrap_or(false);
            let old: Vec<&str> = OLD_FLAGS
                .into_iter()
                .filter(|f| member.contains_key(*f))
                .collect();
            let meant = match side {
                Side::Input if flag("required") => "required",
                Side::Input => "optional",
                Side::Output if flag("optional") => "optional",
                Side::Output if flag("nullable") => "nullable",
                Side::Output => "required",
                Side::Object if !flag("required") => "optional",
                Side::Object if flag("nullable") => "nullable",
                Side::Object => "required",
            };
            let at = format!("/{list}/{i}");
            match (old.first(), member.contains_key("presence")) {
                (None, true) => continue,
                (Some(first), true) => diags.push(
                    file,
                    format!("{at}/{first}"),
                    format!("`{}` is the old form of `presence`: remove it", old.join("`, `")),
                ),
                (Some(first), false) => diags.push(
                    file,
                    format!("{at}/{first}"),
                    format!(
                        "`required`, `optional` and `nullable` were replaced by one `presence`: write `\"presence\": \"{meant}\"` instead of `{}`",
                        old.join("`, `")
                    ),
                ),
                (None, false) => diags.push(
                    file,
                    at,
                    format!(
                        "missing `presence`: `required`, `optional` or `nullable` (a member without flags in the old form meant `\"presence\": \"{meant}\"` here)"
                    ),
                ),
            }
            ok = false;
        }
    }
    ok
}

/// `output[3].type` → `/output/3/type`.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        out.push('/');
        match seg {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&excerpt(key)),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}
