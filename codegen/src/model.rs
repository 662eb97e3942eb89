//! The validated spec, resolved and ready to emit: every type reference parsed,
//! every Rust name chosen, items in a fixed order.

use crate::spec::{Category, Endpoint, ErrorDef, Example, Pagination, Repr, TypeRef};
use serde_json::Value;

/// One service version, validated.
#[derive(Debug, Clone)]
pub struct Model {
    /// The spec directory, as given (named in generated headers).
    pub root: String,
    /// The name of the service description's file in `root`: `service.json`
    /// or its YAML form.
    pub service_file: String,
    /// Service name (`ccc`).
    pub service: String,
    /// API version (`2020-02-10`).
    pub version: String,
    /// Human name of the service.
    pub title: String,
    /// What the service is.
    pub doc: String,
    /// Who wrote the docs: ours, or upstream's taken as they are.
    pub docs: crate::spec::DocSource,
    /// Sites; exactly one is the default.
    pub endpoints: Vec<Endpoint>,
    /// Action groups.
    pub categories: Vec<Category>,
    /// Every error code, sorted by code.
    pub errors: Vec<ErrorDef>,
    /// Actions, sorted by name.
    pub actions: Vec<Action>,
    /// Object types, sorted by name.
    pub objects: Vec<Object>,
    /// Enum types, sorted by name.
    pub enums: Vec<Enum>,
    /// Named scalar shapes, sorted by name.
    pub scalars: Vec<Scalar>,
    /// Waiters, in spec order.
    pub waiters: Vec<Waiter>,
}

impl Model {
    /// The error definition of `code`.
    pub fn error(&self, code: &str) -> Option<&ErrorDef> {
        self.errors.iter().find(|e| e.code == code)
    }
}

/// One action.
#[derive(Debug, Clone)]
pub struct Action {
    /// Source file.
    pub file: String,
    /// Wire name.
    pub name: String,
    /// Rust module and method name.
    pub snake: String,
    /// One line.
    pub summary: String,
    /// Explanation.
    pub doc: String,
    /// Reference page URL.
    pub reference: String,
    /// Category id.
    pub category: String,
    /// Requests per second.
    pub rate_limit: Option<u32>,
    /// Safe to send twice.
    pub idempotent: bool,
    /// Documented only on the China site.
    pub china_only: bool,
    /// Deprecated by the docs: what to use instead.
    pub deprecated: Option<String>,
    /// Request members.
    pub input: Vec<Field>,
    /// Response members, without `RequestId`.
    pub output: Vec<Field>,
    /// Documented error codes, in spec order.
    pub errors: Vec<String>,
    /// How it pages, for list actions.
    pub pagination: Option<Pagination>,
    /// Official examples.
    pub examples: Vec<Example>,
}

/// How present a member is: the spec's value, used as is.
pub use crate::spec::Presence;

/// A member with its Rust name and resolved type.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust field name (a keyword is emitted as a raw identifier).
    pub rust: String,
    /// Resolved type.
    pub ty: TypeRef,
    /// Presence.
    pub presence: Presence,
    /// Doc text.
    pub doc: String,
    /// Example value.
    pub example: Option<Value>,
    /// Shown redacted by `Debug`.
    pub sensitive: bool,
    /// The scalar shape the spec names at the bottom of `ty` (`SdkAppId` for
    /// `list<SdkAppId>`); `ty` itself holds the wire scalar it stands for, so
    /// wire logic needs no lookup and only the Rust type shows the name.
    pub shape: Option<String>,
    /// Held in a `Box`: the member's object type contains the struct the
    /// member sits in without a list in between (allowed for upstream-
    /// documented specs; a recursive type would otherwise have infinite size).
    pub boxed: bool,
    /// Deprecated by the docs: what to use instead.
    pub deprecated: Option<String>,
    /// Documented only on the China site.
    pub china_only: bool,
}

impl Field {
    /// The type as the spec names it: `ty` with its shape, if any, at the bottom.
    /// Rust types come from this, so every member of a shape shows its alias.
    pub fn declared(&self) -> TypeRef {
        match &self.shape {
            Some(shape) => self.ty.with_bottom(TypeRef::Named(shape.clone())),
            None => self.ty.clone(),
        }
    }
}

/// A named scalar shape, emitted as a type alias.
#[derive(Debug, Clone)]
pub struct Scalar {
    /// Source file.
    pub file: String,
    /// Shape name.
    pub name: String,
    /// Doc text.
    pub doc: String,
    /// What it is defined as: a wire scalar or another shape.
    pub ty: TypeRef,
    /// The wire scalar it stands for in the end.
    pub wire: TypeRef,
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Object {
    /// Source file.
    pub file: String,
    /// Type name.
    pub name: String,
    /// Doc text.
    pub doc: String,
    /// Members.
    pub fields: Vec<Field>,
}

/// An enum type.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Source file.
    pub file: String,
    /// Type name.
    pub name: String,
    /// Wire type.
    pub repr: Repr,
    /// Doc text.
    pub doc: String,
    /// Documented values.
    pub variants: Vec<Variant>,
}

/// A documented enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Variant name.
    pub name: String,
    /// Wire value.
    pub value: VariantValue,
    /// Doc text.
    pub doc: String,
}

/// A wire value of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantValue {
    /// For `uint64` enums.
    Unsigned(u64),
    /// For `int64` enums.
    Signed(i64),
    /// For `string` enums.
    Text(String),
}

/// A waiter of `service.json`, resolved against the action it polls.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// Kebab-case name (`auto-callout-task-completed`).
    pub name: String,
    /// Snake-case name (`auto_callout_task_completed`).
    pub snake: String,
    /// Wire name of the action polled.
    pub action: String,
    /// The members from the answer down to the state, the state last.
    pub path: Vec<Field>,
    /// The enum the state member holds, if it is one.
    pub state_enum: Option<String>,
    /// Values meaning reached, each with the enum variant's name if any.
    pub success: Vec<(VariantValue, Option<String>)>,
    /// Values meaning unreachable.
    pub failure: Vec<(VariantValue, Option<String>)>,
    /// Values known to be transient.
    pub retry: Vec<(VariantValue, Option<String>)>,
    /// One line.
    pub doc: String,
}
