//! The spec file format. These types are the one definition of it: the loader
//! reads entries into them, and `spec/schema.json` (for editors and other
//! tools) is generated from them by [`json_schema`], their doc comments
//! becoming its descriptions.

use crate::diagnostic::excerpt;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `service.json`: the service, its endpoints, categories and error codes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Service name used in signing (`ccc`).
    pub service: String,
    /// API version sent as `X-TC-Version`.
    pub version: String,
    /// Human name of the service.
    #[serde(default)]
    pub title: String,
    /// What the service is.
    #[serde(default)]
    pub doc: String,
    /// Public endpoints; exactly one is the default.
    pub endpoints: Vec<Endpoint>,
    /// Groups of actions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// The error codes of this service's actions. The codes every Tencent
    /// Cloud API may return come from `spec/common-errors.json`, shared by
    /// every service; list here only the service's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorDef>,
    /// States of a resource that programs can wait for by polling a read
    /// action; see [`WaiterDef`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiters: Vec<WaiterDef>,
    /// Who wrote the docs of this spec: `ours` (the default: every item needs a
    /// doc in our own words) or `upstream` (imported from the upstream
    /// description, used as they are; an item upstream left undocumented gets
    /// a generic line).
    #[serde(default, skip_serializing_if = "DocSource::is_ours")]
    pub docs: DocSource,
    /// The crate the service is generated into; see [`CrateSpec`].
    #[serde(
        rename = "crate",
        default,
        skip_serializing_if = "CrateSpec::is_default"
    )]
    pub krate: CrateSpec,
}

/// Where the docs of a spec come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocSource {
    /// Written for this repository, in our own words; validation requires one
    /// on every item.
    #[default]
    Ours,
    /// Taken from the upstream description by `cargo xtask add-service` /
    /// `import`; kept as upstream wrote them.
    Upstream,
}

impl DocSource {
    fn is_ours(&self) -> bool {
        *self == DocSource::Ours
    }
}

/// The crate a service is generated into. Every field has a default, so a
/// `service.json` names none of them unless it differs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrateSpec {
    /// Package name; `tencent-cloud-<service>` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The crate's directory, relative to the repository root;
    /// `services/<service>` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The crate's manifest, `src/lib.rs` and README are written by hand, and
    /// only `src/generated/` is generated (the module `generated`, which the
    /// hand-written `lib.rs` re-exports from). Otherwise the whole crate is
    /// generated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hand_written_root: bool,
    /// The crate does not depend on `tencent-cloud-config` (the default
    /// credentials chain with role assumption): for a service that crate itself
    /// calls (STS), which would otherwise depend on itself. Its clients use the
    /// runtime's chain: environment, profile file, CVM role.
    #[serde(default, skip_serializing_if = "is_false")]
    pub runtime_credentials_only: bool,
    /// Where to also generate the spec as data (`spec_table.rs`) for the tools
    /// built on the service (an emulator, a command line), relative to the
    /// repository root; none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_table: Option<String>,
}

impl CrateSpec {
    fn is_default(&self) -> bool {
        *self == CrateSpec::default()
    }
}

/// A public endpoint (site) of the service.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Variant name of the site (`International`).
    pub name: String,
    /// Host name.
    pub host: String,
    /// Whether clients use it unless told otherwise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// The site's endpoint in one region, with `{region}` standing for the
    /// region (`ccc.{region}.tencentcloudapi.com`); absent when the site has
    /// no regional endpoints. Clients use it when asked to call the region
    /// they name rather than the site's nearest entry point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional_host: Option<String>,
    /// What the site is.
    #[serde(default)]
    pub doc: String,
}

/// A group of related actions.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Kebab-case id that actions name.
    pub id: String,
    /// Human title.
    #[serde(default)]
    pub title: String,
    /// What the group covers.
    #[serde(default)]
    pub doc: String,
}

/// An error code.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// The code as sent (`InvalidParameterValue`, `InternalError.DBError`).
    pub code: String,
    /// Whether every Tencent Cloud API may return it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub common: bool,
    /// What it means.
    #[serde(default)]
    pub doc: String,
}

/// A waiter: a state a resource can be waited for in, by calling an action
/// (usually `Describe*`) until one member of its answer, the state, holds a
/// listed value. Clients get a `wait_until_<name>()` method per waiter, and the
/// command line `ccc wait <name>`.
///
/// Each answer is judged by the state's value: a `success` value ends the wait
/// (reached); a `failure` value ends it too (the awaited state can no longer
/// come); any other value, the `retry` values, values listed nowhere and a
/// missing or `null` state alike, means "call again", so that a state the
/// service adds later never ends a wait early. `retry` lists the states
/// known to be transient, for the docs; it changes nothing else. Values are
/// wire values (`2`, not `Completed`), of the state member's type, and for an
/// enum member values the enum documents; no value may sit in two lists.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiterDef {
    /// Kebab-case name (`auto-callout-task-completed`): the subcommand of
    /// `ccc wait`, and in snake case the client method
    /// (`wait_until_auto_callout_task_completed`).
    pub name: String,
    /// The action polled, defined under `actions/`.
    pub action: String,
    /// The state member of the action's answer: wire names from the answer
    /// down, separated by `.` (`State`, or `Campaign.Status` through an object
    /// member); no list on the way.
    pub state: String,
    /// Values meaning the awaited state was reached.
    pub success: Vec<Value>,
    /// Values meaning the awaited state can no longer be reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure: Vec<Value>,
    /// Values known to be transient: keep polling (as for any value not
    /// listed); stated for the docs and checked like the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry: Vec<Value>,
    /// One line: what is awaited, and what ends the wait early.
    #[serde(default)]
    pub doc: String,
}

/// `actions/<Action>.json`: one action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionFile {
    /// Path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Wire name (`DescribeAutoCalloutTask`).
    pub action: String,
    /// One line: what it does.
    #[serde(default)]
    pub summary: String,
    /// A short explanation.
    #[serde(default)]
    pub doc: String,
    /// Public reference page.
    #[serde(default)]
    pub reference: String,
    /// Category id from `service.json`.
    #[serde(default)]
    pub category: String,
    /// Documented limit, requests per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u32>,
    /// Whether sending it twice has the effect of sending it once.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotent: bool,
    /// Documented only on the China site.
    #[serde(default, skip_serializing_if = "is_false")]
    pub china_only: bool,
    /// The docs deprecate the action: what to use instead. Generated as
    /// `#[deprecated(note = ...)]` on the client's method and the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Request members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input: Vec<Member>,
    /// Response members (`RequestId` is implicit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<Member>,
    /// Error codes the action may return, from `service.json`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// How a list action pages, for paginators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Official request/response examples, kept as data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

/// How a list action pages.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// `page_number` (a page index, from `first_page`), `offset` (items to
    /// skip) or `cursor` (an opaque position taken from the last item).
    pub style: PageStyle,
    /// Input member holding the page index, the offset or the cursor.
    pub page: String,
    /// Input member holding the page size.
    pub size: String,
    /// The largest page size the service accepts, from the size member's docs;
    /// paginators ask for pages of this size unless told otherwise.
    pub max_size: u64,
    /// Where `max_size` comes from, when the size member's docs state no
    /// maximum (required then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size_source: Option<String>,
    /// Output list member holding the items.
    pub items: String,
    /// Output member holding the total number of items, if the action reports one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// With `cursor`: the member of each item that holds its cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_cursor: Option<String>,
    /// With `page_number`: the number of the first page, 0 (the default) or 1
    /// for services that count pages from 1. Paginators start there.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub first_page: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The paging scheme of a list action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PageStyle {
    /// `PageNumber` (from `first_page`, 0 by default) and `PageSize`.
    PageNumber,
    /// `Offset` and `Limit`.
    Offset,
    /// A cursor carried on each item.
    Cursor,
}

/// One official example of an action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What the example shows.
    pub title: String,
    /// The request's parameters, as the JSON body.
    pub input: Value,
    /// The full answer, `{"Response": {...}}`.
    pub output: Value,
    /// What was repaired in upstream's text, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repaired: Option<String>,
}

/// A member of a request, a response or an object.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Wire name, as on the wire (`SdkAppId`).
    pub name: String,
    /// `string`, `int64`, `uint64`, `float`, `bool`, a type name, or `list<T>`;
    /// or text in a documented format, a JSON string on the wire and text in
    /// Rust: `date` (`"YYYY-MM-DD"`), `datetime` (`"YYYY-MM-DD hh:mm:ss"`),
    /// `datetime_iso` (ISO 8601, `"YYYY-MM-DDThh:mm:ssZ"`) or `binary` (base64
    /// text).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the member is always there, may be left out, or may be `null`;
    /// the same value means the same thing in a request, a response and an object.
    pub presence: Presence,
    /// What it holds: meaning, unit, range, which id.
    #[serde(default)]
    pub doc: String,
    /// An example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Documented only on the China site.
    #[serde(default, skip_serializing_if = "is_false")]
    pub china_only: bool,
    /// Rust field name, when the one derived from `name` would collide with
    /// another member's (upstream keeps deprecated twins such as `Uui` / `UUI`).
    /// A derived name that collides with generated code (`new`, `send`, `self`,
    /// the setter of another member) is escaped with a trailing `_` without
    /// this; a name given here is used as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// A secret (password, key, token, login link): generated `Debug` output shows
    /// it as redacted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// Why a member whose name sounds like a credential (`SessionId`, `Key` of a
    /// variable) holds no secret. Validation demands `sensitive` or this for
    /// every such name, so a new secret cannot slip into `Debug` output unnoticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_sensitive: Option<String>,
    /// Why `presence` deliberately differs from upstream's description (the
    /// real service or its own examples disagree with it). Import keeps the
    /// presence of such a member; spec-diff expects the difference and reports
    /// it when it is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
    /// The docs deprecate the member: what to use instead (``use `Callers` ``)
    /// or why it is kept. Generated as `#[deprecated(note = ...)]`;
    /// validation demands it for every member whose docs say it is
    /// deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
}

/// Whether a member is always there, may be left out, or may be `null`. Every
/// member states it, so its meaning never depends on where the member sits
/// (the old `required` / `optional` / `nullable` flags had context-dependent
/// defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Always there and never `null`: a plain field in Rust. A request cannot
    /// be built without it; a response that lacks it is decoded with the
    /// type's default and reported as a deviation.
    Required,
    /// May be left out (a response may also send `null`): `Option` in Rust,
    /// left out of a request when `None`.
    Optional,
    /// Always there but may be `null`: `Option` in Rust, sent as `null` when
    /// `None`. Describes what a server sends, so requests do not use it.
    Nullable,
}

impl Presence {
    /// The value as written in the spec.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Required => "required",
            Presence::Optional => "optional",
            Presence::Nullable => "nullable",
        }
    }
}

/// `types/<Name>.json` with `object`: a structure.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectFile {
    /// Path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Type name.
    pub object: String,
    /// What it is.
    #[serde(default)]
    pub doc: String,
    /// Its members.
    pub members: Vec<Member>,
}

/// `types/<Name>.json` with `scalar`: a named scalar shape, so that one concept
/// (an application id, a page size) has one Rust type in every action and type.
/// Members name it as their `type`; the generated code has `pub type Name = ...;`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScalarFile {
    /// Path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Shape name (`SdkAppId`).
    pub scalar: String,
    /// `string`, `int64`, `uint64`, `float`, `bool`, `date`, `datetime`,
    /// `datetime_iso`, `binary` or another scalar shape.
    #[serde(rename = "type")]
    pub ty: String,
    /// What it is: meaning, unit, range.
    #[serde(default)]
    pub doc: String,
    /// Why the type deliberately differs from what upstream says for some
    /// members of this shape (an id upstream calls `int64` that is never
    /// negative). Import keeps the shape of such members; spec-diff expects the
    /// difference and reports the correction once upstream agrees everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

/// `types/<Name>.json` with `enum`: documented code values.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumFile {
    /// Path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Type name.
    #[serde(rename = "enum")]
    pub name: String,
    /// Wire type of the values.
    pub repr: Repr,
    /// What it is.
    #[serde(default)]
    pub doc: String,
    /// The documented values.
    pub values: Vec<EnumValue>,
}

/// Wire type of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Repr {
    /// Unsigned integer.
    Uint64,
    /// Signed integer.
    Int64,
    /// String.
    String,
}

/// One documented enum value.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value.
    pub value: Value,
    /// Variant name.
    pub name: String,
    /// What it means.
    #[serde(default)]
    pub doc: String,
}

/// Any one spec entry: `service.json`, an action, or a type (an object, an
/// enum or a scalar shape). Only the schema uses it; the loader knows from the
/// directory and the naming key which one to read.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)]
enum SpecEntry {
    Service(ServiceFile),
    Action(ActionFile),
    Object(ObjectFile),
    Enum(EnumFile),
    Scalar(ScalarFile),
}

/// The path of the generated schema, relative to the repository root.
pub const SCHEMA_PATH: &str = "spec/schema.json";

/// The JSON Schema of a spec entry, as written to [`SCHEMA_PATH`] (pretty,
/// ending in a newline), derived from the types above so that the two cannot
/// disagree.
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(SpecEntry);
    schema.insert("title".into(), "Spec entry".into());
    schema.insert(
        "$comment".into(),
        "Generated by `cargo xtask codegen` from codegen/src/spec.rs; do not edit by hand.".into(),
    );
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    unwrap_descriptions(&mut value);
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text + "\n"
}

/// Joins the lines of each description (doc comments are wrapped at 80
/// columns; editors show descriptions as one paragraph).
fn unwrap_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" => {
                        *text = text
                            .split('\n')
                            .map(str::trim)
                            .collect::<Vec<_>>()
                            .join(" ");
                    }
                    _ => unwrap_descriptions(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_descriptions),
        _ => {}
    }
}

/// How deep `list<...>` may nest; the API itself uses one level.
pub const MAX_LIST_DEPTH: usize = 8;

/// A member's type, parsed from its `type` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `string`
    String,
    /// `int64`
    Int64,
    /// `uint64`
    Uint64,
    /// `float`
    Float,
    /// `bool`
    Bool,
    /// Text in a documented format: `date`, `datetime`, `datetime_iso` or
    /// `binary` (see [`TextFormat`]). A JSON string on the wire and text in
    /// Rust, like `string`; the format is documented, not checked, so an
    /// answer in another format still decodes.
    Text(TextFormat),
    /// An object, enum or scalar shape defined under `types/`.
    Named(String),
    /// `list<T>`
    List(Box<TypeRef>),
}

impl TypeRef {
    /// Parses `string`, `int64`, `uint64`, `float`, `bool`, `date`,
    /// `datetime`, `datetime_iso`, `binary`, `Name` or `list<T>`,
    /// with lists nested at most [`MAX_LIST_DEPTH`] deep: the parser, the
    /// emitters and `Drop` all recurse over the nesting, so an unbounded one
    /// would overflow the stack.
    pub fn parse(text: &str) -> Result<TypeRef, String> {
        let mut t = text.trim();
        let mut depth = 0;
        while let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            depth += 1;
            if depth > MAX_LIST_DEPTH {
                return Err(format!(
                    "`{}` nests lists more than {MAX_LIST_DEPTH} deep",
                    excerpt(text)
                ));
            }
            t = inner.trim();
        }
        let mut ty = match t {
            "string" => TypeRef::String,
            "int64" => TypeRef::Int64,
            "uint64" => TypeRef::Uint64,
            "float" => TypeRef::Float,
            "bool" => TypeRef::Bool,
            _ if TextFormat::parse(t).is_some() => TextFormat::parse(t).map_or(TypeRef::String, TypeRef::Text),
            _ if crate::names::is_pascal_ident(t) => TypeRef::Named(t.to_owned()),
            _ => {
                return Err(format!(
                    "`{}` is not a type: expected string, int64, uint64, float, bool, date, datetime, datetime_iso, binary, a type name or list<T>",
                    excerpt(text)
                ))
            }
        };
        for _ in 0..depth {
            ty = TypeRef::List(Box::new(ty));
        }
        Ok(ty)
    }

    /// The named type at the bottom of any list nesting.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::List(t) => t.named(),
            _ => None,
        }
    }

    /// Whether this is `int64` or `uint64`.
    pub fn is_integer(&self) -> bool {
        matches!(self, TypeRef::Int64 | TypeRef::Uint64)
    }

    /// This type with the type at the bottom of any list nesting replaced by `bottom`.
    pub fn with_bottom(&self, bottom: TypeRef) -> TypeRef {
        match self {
            TypeRef::List(t) => TypeRef::List(Box::new(t.with_bottom(bottom))),
            _ => bottom,
        }
    }

    /// The type at the bottom of any list nesting.
    pub fn bottom(&self) -> &TypeRef {
        match self {
            TypeRef::List(t) => t.bottom(),
            t => t,
        }
    }
}

/// The documented format of a [`TypeRef::Text`] member. Every one is a JSON
/// string on the wire and `String` in Rust; the generated docs
/// of such a member state its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextFormat {
    /// `date`: a calendar date, `"YYYY-MM-DD"` (`"2024-01-31"`).
    Date,
    /// `datetime`: a local date and time, `"YYYY-MM-DD hh:mm:ss"`
    /// (`"2024-01-31 08:00:00"`; Beijing time unless the member says otherwise).
    DateTime,
    /// `datetime_iso`: an ISO 8601 date and time, `"YYYY-MM-DDThh:mm:ssZ"` or
    /// with an offset (`"2024-01-31T08:00:00+08:00"`).
    DateTimeIso,
    /// `binary`: bytes as base64 text.
    Binary,
}

impl TextFormat {
    /// Every format, in the order the spec lists them.
    pub const ALL: [TextFormat; 4] = [
        TextFormat::Date,
        TextFormat::DateTime,
        TextFormat::DateTimeIso,
        TextFormat::Binary,
    ];

    /// The format named `text` in a spec `type`.
    pub fn parse(text: &str) -> Option<TextFormat> {
        TextFormat::ALL.into_iter().find(|f| f.name() == text)
    }

    /// The name a spec `type` gives it (`datetime_iso`).
    pub fn name(self) -> &'static str {
        match self {
            TextFormat::Date => "date",
            TextFormat::DateTime => "datetime",
            TextFormat::DateTimeIso => "datetime_iso",
            TextFormat::Binary => "binary",
        }
    }

    /// Its wire form, as the generated docs state it.
    pub fn wire_form(self) -> &'static str {
        match self {
            TextFormat::Date => "a date as the JSON string `YYYY-MM-DD`",
            TextFormat::DateTime => "a date and time as the JSON string `YYYY-MM-DD hh:mm:ss`",
            TextFormat::DateTimeIso => {
                "an ISO 8601 date and time as a JSON string (`YYYY-MM-DDThh:mm:ssZ`, or with an offset)"
            }
            TextFormat::Binary => "bytes as base64 text in a JSON string",
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}
