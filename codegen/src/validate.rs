//! Semantic checks over the loaded spec, producing the [`Model`] to emit. Every
//! problem is collected; nothing is emitted while any remains.

use crate::diagnostic::excerpt;
use crate::diagnostic::Diagnostics;
use crate::load::{resolve_scalar, Api, ShapeError, TypeDef};
use crate::model::{Action, Enum, Field, Model, Object, Presence, Scalar, Variant, VariantValue};
use crate::names::{
    cannot_be_raw, credential_word, escape, is_keyword, is_pascal_ident,
    is_reserved_builder_method, is_reserved_client_method, is_reserved_data_builder_method,
    is_wire_name, pascal_case, snake_case, RESPONSE_FIELDS,
};
use crate::spec::{DocSource, Member, Repr, TypeRef};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Type names that would shadow what generated code in the `types` module uses
/// unqualified (the std prelude, serde's traits, the runtime's enum helpers), and
/// `Self`, the one PascalCase keyword. Types keep their names in the public API,
/// so a clash is an error rather than a rename.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Deserializer",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Serialize",
    "Serializer",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "UnknownValue",
    "Unpin",
    "Vec",
    "WireEnum",
];

/// Where a member sits: requests refuse `nullable`, and names are checked per side.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Input,
    Output,
    Object,
}

/// Checks `api` and resolves it into a [`Model`]. `complete` says whether every
/// file loaded; only then is an unreferenced type reported.
pub fn validate(api: &Api, complete: bool, diags: &mut Diagnostics) -> Option<Model> {
    let svc = &api.service.item;
    let sfile = api.service.file.as_str();
    let docs = svc.docs;

    if !is_service_name(&svc.service) {
        diags.push(
            sfile,
            "/service",
            "service name must be lower-case ASCII letters and digits, starting with a letter (`ccc`, `ai3d`)",
        );
    }
    if svc.version.trim().is_empty() {
        diags.push(sfile, "/version", "version must not be empty");
    }
    need_doc(docs, diags, sfile, "/title", &svc.title);
    need_doc(docs, diags, sfile, "/doc", &svc.doc);
    if svc.endpoints.is_empty() {
        diags.push(sfile, "/endpoints", "at least one endpoint is needed");
    } else if svc.endpoints.iter().filter(|e| e.default).count() != 1 {
        diags.push(
            sfile,
            "/endpoints",
            "exactly one endpoint must be marked `default`",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, e) in svc.endpoints.iter().enumerate() {
        let at = format!("/endpoints/{i}");
        if !is_pascal_ident(&e.name) || e.name == "Self" {
            diags.push(
                sfile,
                format!("{at}/name"),
                format!(
                    "`{}` is not a valid variant name (PascalCase)",
                    excerpt(&e.name)
                ),
            );
        } else if !seen.insert(e.name.clone()) {
            diags.push(
                sfile,
                format!("{at}/name"),
                format!("duplicate endpoint `{}`", excerpt(&e.name)),
            );
        }
        if e.host.trim().is_empty() || e.host.contains('/') || e.host.contains(' ') {
            diags.push(
                sfile,
                format!("{at}/host"),
                format!("`{}` is not a host name", excerpt(&e.host)),
            );
        }
        if let Some(pattern) = &e.regional_host {
            // One `{region}`, and a host name once it is filled in.
            let filled = pattern.replacen("{region}", "ap-guangzhou", 1);
            if pattern.matches("{region}").count() != 1
                || !filled
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                diags.push(
                    sfile,
                    format!("{at}/regional_host"),
                    format!(
                        "`{}` is not a host name with one `{{region}}` in it",
                        excerpt(pattern)
                    ),
                );
            }
        }
        need_doc(docs, diags, sfile, &format!("{at}/doc"), &e.doc);
    }
    let mut categories = BTreeSet::new();
    for (i, c) in svc.categories.iter().enumerate() {
        let at = format!("/categories/{i}");
        let kebab = !c.id.is_empty()
            && c.id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !kebab {
            diags.push(
                sfile,
                format!("{at}/id"),
                format!("`{}` is not a kebab-case id", excerpt(&c.id)),
            );
        } else if !categories.insert(c.id.clone()) {
            diags.push(
                sfile,
                format!("{at}/id"),
                format!("duplicate category `{}`", excerpt(&c.id)),
            );
        }
        need_doc(docs, diags, sfile, &format!("{at}/title"), &c.title);
        need_doc(docs, diags, sfile, &format!("{at}/doc"), &c.doc);
    }
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut variants: HashMap<String, String> = HashMap::new();
    for (i, e) in svc.errors.iter().enumerate() {
        let at = format!("/errors/{i}");
        let valid = e.code.split('.').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !valid {
            diags.push(
                sfile,
                format!("{at}/code"),
                format!(
                    "`{}` is not an error code (Word or Word.Word)",
                    excerpt(&e.code)
                ),
            );
        } else if codes.insert(e.code.clone(), i).is_some() {
            diags.push(
                sfile,
                format!("{at}/code"),
                format!("duplicate error code `{}`", excerpt(&e.code)),
            );
        } else if matches!(pascal_case(&e.code).as_str(), "Unknown" | "Self") {
            diags.push(
                sfile,
                format!("{at}/code"),
                format!(
                    "`{}` gives the Rust variant `{}`, which error-code enums cannot have (`Unknown` holds codes not listed)",
                    excerpt(&e.code),
                    pascal_case(&e.code)
                ),
            );
        } else if let Some(other) = variants.insert(pascal_case(&e.code), e.code.clone()) {
            diags.push(
                sfile,
                format!("{at}/code"),
                format!(
                    "`{}` and `{}` give the same Rust variant name",
                    excerpt(&e.code),
                    excerpt(&other)
                ),
            );
        }
        need_doc(docs, diags, sfile, &format!("{at}/doc"), &e.doc);
    }

    // Actions.
    let mut actions = Vec::new();
    let mut method_names: HashMap<String, String> = HashMap::new();
    for (name, sourced) in &api.actions {
        let file = sourced.file.as_str();
        let a = &sourced.item;
        if !is_pascal_ident(name) {
            diags.push(
                file,
                "/action",
                format!(
                    "`{}` is not a valid action name (PascalCase letters and digits)",
                    excerpt(name)
                ),
            );
        }
        let snake = snake_case(name);
        if is_keyword(&snake) {
            diags.push(
                file,
                "/action",
                format!("`{}` gives the Rust keyword `{snake}` as module and method name; actions cannot be renamed, so choose another", excerpt(name)),
            );
        } else if is_reserved_client_method(&snake) {
            diags.push(
                file,
                "/action",
                format!(
                    "`{}` gives the method `{snake}`, which `Client` already has",
                    excerpt(name)
                ),
            );
        }
        if let Some(other) = method_names.insert(snake.clone(), name.clone()) {
            diags.push(
                file,
                "/action",
                format!(
                    "`{}` and `{}` give the same Rust name `{}`",
                    excerpt(name),
                    excerpt(&other),
                    excerpt(&snake)
                ),
            );
        }
        need_doc(docs, diags, file, "/summary", &a.summary);
        need_doc(docs, diags, file, "/doc", &a.doc);
        if !a.reference.starts_with("https://") {
            diags.push(
                file,
                "/reference",
                "reference must be the https:// URL of the public reference page",
            );
        }
        if !categories.contains(&a.category) {
            diags.push(
                file,
                "/category",
                format!(
                    "unknown category `{}`; service.json defines {}",
                    excerpt(&a.category),
                    excerpt(&format!("{categories:?}"))
                ),
            );
        }
        if a.rate_limit == Some(0) {
            diags.push(
                file,
                "/rate_limit",
                "rate_limit must be at least 1 request per second",
            );
        }
        let mut own = BTreeSet::new();
        for (i, code) in a.errors.iter().enumerate() {
            if !codes.contains_key(code) {
                diags.push(
                    file,
                    format!("/errors/{i}"),
                    format!(
                        "unknown error code `{}`: add it to service.json first",
                        excerpt(code)
                    ),
                );
            } else if !own.insert(code.clone()) {
                diags.push(
                    file,
                    format!("/errors/{i}"),
                    format!("duplicate error code `{}`", excerpt(code)),
                );
            }
        }
        check_deprecation(
            &format!("{} {}", a.summary, a.doc),
            a.deprecated.as_deref(),
            file,
            "",
            diags,
        );
        let input = fields(docs, &a.input, Context::Input, file, "/input", api, diags);
        let output = fields(
            docs,
            &a.output,
            Context::Output,
            file,
            "/output",
            api,
            diags,
        );
        if let Some(p) = &a.pagination {
            check_pagination(p, &input, &output, api, file, diags);
        }
        for (i, ex) in a.examples.iter().enumerate() {
            let at = format!("/examples/{i}");
            need_doc(docs, diags, file, &format!("{at}/title"), &ex.title);
            if !ex.input.is_object() {
                diags.push(
                    file,
                    format!("{at}/input"),
                    "example input must be the JSON object of the request parameters",
                );
            }
            if !ex.output.get("Response").is_some_and(|r| r.is_object()) {
                diags.push(
                    file,
                    format!("{at}/output"),
                    "example output must be the full answer, {\"Response\": {...}}",
                );
            }
            if ex.repaired.as_deref().is_some_and(|r| r.trim().is_empty()) {
                diags.push(
                    file,
                    format!("{at}/repaired"),
                    "say what was repaired, or leave `repaired` out",
                );
            }
        }
        actions.push(Action {
            file: file.to_owned(),
            name: name.clone(),
            snake,
            summary: a.summary.trim().to_owned(),
            doc: a.doc.trim().to_owned(),
            reference: a.reference.clone(),
            category: a.category.clone(),
            rate_limit: a.rate_limit,
            idempotent: a.idempotent,
            china_only: a.china_only,
            deprecated: a.deprecated.clone(),
            input,
            output,
            errors: a.errors.clone(),
            pagination: a.pagination.clone(),
            examples: a.examples.clone(),
        });
    }

    // Types.
    let mut objects = Vec::new();
    let mut enums = Vec::new();
    let mut scalars = Vec::new();
    for (name, sourced) in &api.types {
        let file = sourced.file.as_str();
        let pointer = sourced.item.name_pointer();
        if !is_pascal_ident(name) {
            diags.push(
                file,
                pointer,
                format!(
                    "`{}` is not a valid type name (PascalCase letters and digits)",
                    excerpt(name)
                ),
            );
        } else if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            diags.push(
                file,
                pointer,
                format!("`{name}` would shadow a Rust or runtime name; choose another"),
            );
        }
        // Each object's builder is `<Name>Builder` in the same module.
        if let Some(base) = name.strip_suffix("Builder") {
            if matches!(api.types.get(base), Some(s) if matches!(s.item, TypeDef::Object(_))) {
                diags.push(
                    file,
                    pointer,
                    format!(
                        "`{name}` is the name of the builder of object `{base}`; choose another"
                    ),
                );
            }
        }
        match &sourced.item {
            TypeDef::Object(o) => {
                need_doc(docs, diags, file, "/doc", &o.doc);
                let fields = fields(
                    docs,
                    &o.members,
                    Context::Object,
                    file,
                    "/members",
                    api,
                    diags,
                );
                objects.push(Object {
                    file: file.to_owned(),
                    name: name.clone(),
                    doc: o.doc.trim().to_owned(),
                    fields,
                });
            }
            TypeDef::Enum(e) => {
                need_doc(docs, diags, file, "/doc", &e.doc);
                let variants = enum_variants(docs, e, file, diags);
                enums.push(Enum {
                    file: file.to_owned(),
                    name: name.clone(),
                    repr: e.repr,
                    doc: e.doc.trim().to_owned(),
                    variants,
                });
            }
            TypeDef::Scalar(sc) => {
                need_doc(docs, diags, file, "/doc", &sc.doc);
                if sc
                    .correction
                    .as_deref()
                    .is_some_and(|c| c.trim().is_empty())
                {
                    diags.push(
                        file,
                        "/correction",
                        "say why the shape differs from upstream, or leave `correction` out",
                    );
                }
                if let Some(scalar) = scalar(name, sc, api, file, diags) {
                    scalars.push(scalar);
                }
            }
        }
    }

    let waiters =
        crate::waiters::check(&svc.waiters, sfile, docs, &actions, &objects, &enums, diags);
    if complete {
        check_usage(api, &actions, &objects, diags);
    }
    if docs == DocSource::Upstream {
        box_recursion(&mut objects);
    }
    check_recursion(&objects, diags);

    if !diags.is_empty() {
        return None;
    }
    let mut errors = svc.errors.clone();
    errors.sort_by(|a, b| a.code.cmp(&b.code));
    let mut model = Model {
        root: api.root.to_string_lossy().replace('\\', "/"),
        service_file: api
            .service
            .file
            .rsplit('/')
            .next()
            .unwrap_or("service.json")
            .to_owned(),
        service: svc.service.clone(),
        version: svc.version.clone(),
        title: svc.title.trim().to_owned(),
        doc: svc.doc.trim().to_owned(),
        docs: svc.docs,
        endpoints: svc.endpoints.clone(),
        categories: svc.categories.clone(),
        errors,
        actions,
        objects,
        enums,
        scalars,
        waiters,
    };
    if docs == DocSource::Upstream {
        generic_docs(&mut model);
    }
    Some(model)
}

/// Whether `name` can name a service: its crate (`tencent-cloud-<name>`), its
/// directory and its signing name. Lower-case ASCII letters and digits,
/// starting with a letter, as every Tencent Cloud service name is (`ccc`,
/// `dbbrain`, `ai3d`).
pub fn is_service_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// For an upstream-documented spec: a generic line wherever upstream gave no
/// doc, so that generated code keeps a doc on every public item
/// (`#![deny(missing_docs)]`).
fn generic_docs(model: &mut Model) {
    fn fill(text: &mut String, generic: impl FnOnce() -> String) {
        if text.trim().is_empty() {
            *text = generic();
        }
    }
    let service = model.service.clone();
    fill(&mut model.title, || service.clone());
    fill(&mut model.doc, || {
        format!("The Tencent Cloud API `{service}`.")
    });
    for e in &mut model.endpoints {
        fill(&mut e.doc, || format!("The site `{}`.", e.name));
    }
    for c in &mut model.categories {
        fill(&mut c.title, || c.id.clone());
        fill(&mut c.doc, || {
            format!("The actions of category `{}`.", c.id)
        });
    }
    for e in &mut model.errors {
        fill(&mut e.doc, || format!("The error code `{}`.", e.code));
    }
    let fields = |fields: &mut Vec<Field>| {
        for f in fields {
            fill(&mut f.doc, || format!("The `{}` member.", f.wire));
        }
    };
    for a in &mut model.actions {
        fill(&mut a.summary, || format!("Calls `{}`.", a.name));
        fill(&mut a.doc, || format!("The `{}` action.", a.name));
        for ex in &mut a.examples {
            fill(&mut ex.title, || "Example".to_owned());
        }
        fields(&mut a.input);
        fields(&mut a.output);
    }
    for o in &mut model.objects {
        fill(&mut o.doc, || format!("The `{}` type.", o.name));
        fields(&mut o.fields);
    }
    for e in &mut model.enums {
        fill(&mut e.doc, || format!("The `{}` values.", e.name));
        for v in &mut e.variants {
            fill(&mut v.doc, || format!("The value `{}`.", v.name));
        }
    }
    for sc in &mut model.scalars {
        fill(&mut sc.doc, || format!("The `{}` shape.", sc.name));
    }
}

/// Resolves scalar shape `name`, reporting at its `type` why it stands for no
/// wire scalar: an unknown name, a list, object or enum, or a cycle of shapes.
fn scalar(
    name: &str,
    sc: &crate::spec::ScalarFile,
    api: &Api,
    file: &str,
    diags: &mut Diagnostics,
) -> Option<Scalar> {
    let ty = match TypeRef::parse(&sc.ty) {
        Ok(ty) => ty,
        Err(e) => {
            diags.push(file, "/type", e);
            return None;
        }
    };
    let message = match resolve_scalar(name, |n| api.types.get(n).map(|s| &s.item)) {
        Ok(wire) => {
            return Some(Scalar {
                file: file.to_owned(),
                name: name.to_owned(),
                doc: sc.doc.trim().to_owned(),
                ty,
                wire,
            })
        }
        Err(ShapeError::Unknown(n)) => {
            format!("unknown type `{}`: no types/{}.json", excerpt(&n), excerpt(&n))
        }
        Err(ShapeError::NotScalar(n)) => format!(
            "`{}` is not a scalar: a shape stands for string, int64, uint64, float, bool or another shape",
            excerpt(&n)
        ),
        Err(ShapeError::Cycle(chain)) => format!(
            "scalar shapes form a cycle: {}",
            excerpt(&chain.join(" -> "))
        ),
    };
    diags.push(file, "/type", message);
    None
}

/// With docs in our own words (`docs: ours`), every item needs one; an
/// upstream-documented spec takes what upstream gave, and [`generic_docs`]
/// fills the gaps.
fn need_doc(docs: DocSource, diags: &mut Diagnostics, file: &str, pointer: &str, text: &str) {
    if docs == DocSource::Ours && text.trim().is_empty() {
        diags.push(
            file,
            pointer,
            "missing documentation: every item needs a doc in our own words",
        );
    }
}

fn fields(
    docs: DocSource,
    members: &[Member],
    ctx: Context,
    file: &str,
    base: &str,
    api: &Api,
    diags: &mut Diagnostics,
) -> Vec<Field> {
    let mut out = Vec::new();
    // Whether each field's Rust name came from `rust_name` (kept as written)
    // rather than from the wire name (escaped where it would collide).
    let mut explicit = Vec::new();
    let mut wire_seen = BTreeSet::new();
    for (i, m) in members.iter().enumerate() {
        let at = format!("{base}/{i}");
        if !is_wire_name(&m.name) {
            diags.push(
                file,
                format!("{at}/name"),
                format!(
                    "`{}` is not a valid member name (letters, digits, underscores)",
                    excerpt(&m.name)
                ),
            );
            continue;
        }
        if !wire_seen.insert(m.name.clone()) {
            diags.push(
                file,
                format!("{at}/name"),
                format!("duplicate member `{}`", excerpt(&m.name)),
            );
            continue;
        }
        let rust = match &m.rust_name {
            Some(name) => {
                let snake = !name.is_empty()
                    && name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !snake {
                    diags.push(
                        file,
                        format!("{at}/rust_name"),
                        format!("`{}` is not a snake_case Rust name", excerpt(name)),
                    );
                }
                name.clone()
            }
            None => snake_case(&m.name),
        };
        if ctx == Context::Output && m.name == "RequestId" {
            diags.push(
                file,
                format!("{at}/name"),
                "`RequestId` is part of every response; leave it out of the spec",
            );
        }
        need_doc(docs, diags, file, &format!("{at}/doc"), &m.doc);
        if m.correction.as_deref().is_some_and(|c| c.trim().is_empty()) {
            diags.push(
                file,
                format!("{at}/correction"),
                "say why the member differs from upstream, or leave `correction` out",
            );
        }
        check_secrecy(m, file, &at, diags);
        check_deprecation(&m.doc, m.deprecated.as_deref(), file, &at, diags);
        if ctx == Context::Input && m.presence == Presence::Nullable {
            diags.push(
                file,
                format!("{at}/presence"),
                "a request member is `required` or `optional`; `nullable` describes what a server sends",
            );
        }
        let mut ty = match TypeRef::parse(&m.ty) {
            Ok(ty) => ty,
            Err(e) => {
                diags.push(file, format!("{at}/type"), e);
                continue;
            }
        };
        let mut shape = None;
        if let Some(named) = ty.named() {
            if let Some(TypeDef::Scalar(_)) = api.types.get(named).map(|s| &s.item) {
                // A broken shape is reported once, in its own file.
                if let Ok(wire) = resolve_scalar(named, |n| api.types.get(n).map(|s| &s.item)) {
                    shape = Some(named.to_owned());
                    ty = ty.with_bottom(wire);
                }
            } else if !api.types.contains_key(named) {
                diags.push(
                    file,
                    format!("{at}/type"),
                    format!(
                        "unknown type `{}`: no types/{}.json",
                        excerpt(named),
                        excerpt(named)
                    ),
                );
            }
        }
        explicit.push((i, m.rust_name.is_some()));
        out.push(Field {
            wire: m.name.clone(),
            rust,
            ty,
            presence: m.presence,
            doc: m.doc.trim().to_owned(),
            example: m.example.clone(),
            sensitive: m.sensitive,
            shape,
            boxed: false,
            deprecated: m.deprecated.clone(),
            china_only: m.china_only,
        });
    }
    escape_rust_names(&mut out, &explicit, ctx, file, base, diags);
    out
}

/// An action or member whose docs say it is deprecated carries a
/// `deprecated` note (so users get the compiler's warning, not only the
/// text), and a note says something.
fn check_deprecation(doc: &str, note: Option<&str>, file: &str, at: &str, diags: &mut Diagnostics) {
    match note {
        Some(n) if n.trim().is_empty() => diags.push(
            file,
            format!("{at}/deprecated"),
            "say what to use instead (or why the member stays), or leave `deprecated` out",
        ),
        Some(_) => {}
        None if says_deprecated(doc) => diags.push(
            file,
            format!("{at}/doc"),
            "the docs say this is deprecated: add `deprecated` with what to use instead",
        ),
        None => {}
    }
}

/// Whether `doc` deprecates what it describes: the word itself, `obsolete`,
/// or upstream's Chinese for it, in any case.
pub(crate) fn says_deprecated(doc: &str) -> bool {
    let lower = doc.to_ascii_lowercase();
    ["deprecated", "obsolete", "废弃", "弃用"]
        .iter()
        .any(|w| lower.contains(w))
}

/// A member marked `sensitive` is redacted from `Debug`; one whose name sounds
/// like a credential must be marked, or say in `not_sensitive` why not.
fn check_secrecy(m: &Member, file: &str, at: &str, diags: &mut Diagnostics) {
    match &m.not_sensitive {
        Some(why) if why.trim().is_empty() => diags.push(
            file,
            format!("{at}/not_sensitive"),
            "say why the member holds no secret, or leave `not_sensitive` out",
        ),
        Some(_) if m.sensitive => diags.push(
            file,
            format!("{at}/not_sensitive"),
            "a member is either `sensitive` or `not_sensitive`, not both",
        ),
        Some(_) => {}
        None if m.sensitive => {}
        None => {
            if let Some(word) = credential_word(&m.name) {
                diags.push(
                    file,
                    format!("{at}/name"),
                    format!(
                        "member `{}` sounds like a credential (`{word}`): mark it `sensitive`, or say in `not_sensitive` why it holds no secret",
                        excerpt(&m.name)
                    ),
                );
            }
        }
    }
}

/// Gives every field a Rust name that cannot collide with what the emitters
/// generate next to it, and reports what still collides.
///
/// A name derived from the wire name is escaped with [`escape`] when it is a
/// keyword that cannot be a raw identifier (`self`), a method the builders
/// already have (`new`, `send`, `build`, `options`, `clone`, ...), the field
/// every response has (`request_id`), or the setter of another member
/// (`set_name` next to `name`). A `rust_name` is kept as written: a collision
/// there is an error, since the author chose the name.
fn escape_rust_names(
    fields: &mut [Field],
    explicit: &[(usize, bool)],
    ctx: Context,
    file: &str,
    base: &str,
    diags: &mut Diagnostics,
) {
    let reserved = |name: &str| {
        cannot_be_raw(name)
            || match ctx {
                Context::Input => is_reserved_builder_method(name),
                Context::Output => {
                    RESPONSE_FIELDS.contains(&name)
                        || is_reserved_data_builder_method(name)
                        || RESPONSE_FIELDS.iter().any(|r| name == format!("set_{r}"))
                }
                Context::Object => is_reserved_data_builder_method(name),
            }
    };
    // Every kind of struct has a builder with a setter per member. A name can
    // only equal the setter of a shorter one, so deciding in order of length
    // settles each name against setters that are already final.
    let mut order: Vec<usize> = (0..fields.len()).collect();
    order.sort_by_key(|&i| (fields[i].rust.len(), i));
    let mut setters = BTreeSet::new();
    for i in order {
        let (f, (_, chosen)) = (&mut fields[i], explicit[i]);
        while !chosen && (reserved(&f.rust) || setters.contains(&f.rust)) {
            f.rust = escape(&f.rust);
        }
        setters.insert(format!("set_{}", f.rust));
    }
    // What each field puts in the namespace it shares with the others: the
    // field itself, and its two builder methods.
    // Each name with the member it came from and whether it is a setter.
    let mut taken: HashMap<String, (&str, bool)> = HashMap::new();
    for (f, &(i, chosen)) in fields.iter().zip(explicit) {
        let at = format!("{base}/{i}/{}", if chosen { "rust_name" } else { "name" });
        if reserved(&f.rust) {
            diags.push(
                file,
                &at,
                format!(
                    "Rust name `{}` of member `{}` collides with generated code (a keyword, a builder method or a response field); choose another",
                    excerpt(&f.rust),
                    excerpt(&f.wire)
                ),
            );
        }
        let setter = (format!("set_{}", f.rust), true);
        for (name, is_setter) in [(f.rust.clone(), false), setter] {
            let Some((other, other_setter)) = taken.insert(name.clone(), (&f.wire, is_setter))
            else {
                continue;
            };
            let message = if !is_setter && !other_setter {
                format!(
                    "members `{}` and `{}` both map to the Rust name `{}`",
                    excerpt(other),
                    excerpt(&f.wire),
                    excerpt(&name)
                )
            } else {
                format!(
                    "members `{}` and `{}` both generate the method `{}`; give one a `rust_name`",
                    excerpt(other),
                    excerpt(&f.wire),
                    excerpt(&name)
                )
            };
            diags.push(file, &at, message);
            // The setters of two same-named fields collide too; once is enough.
            break;
        }
    }
}

fn enum_variants(
    docs: DocSource,
    e: &crate::spec::EnumFile,
    file: &str,
    diags: &mut Diagnostics,
) -> Vec<Variant> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    let mut values = Vec::new();
    if e.values.is_empty() {
        diags.push(
            file,
            "/values",
            "an enum needs at least one documented value",
        );
    }
    for (i, v) in e.values.iter().enumerate() {
        let at = format!("/values/{i}");
        if !is_pascal_ident(&v.name) || v.name == "Self" {
            diags.push(
                file,
                format!("{at}/name"),
                format!(
                    "`{}` is not a valid variant name (PascalCase)",
                    excerpt(&v.name)
                ),
            );
        } else if v.name == "Unknown" {
            diags.push(
                file,
                format!("{at}/name"),
                "`Unknown` is reserved for values the spec does not list",
            );
        } else if !names.insert(v.name.clone()) {
            diags.push(
                file,
                format!("{at}/name"),
                format!("duplicate variant `{}`", excerpt(&v.name)),
            );
        }
        need_doc(docs, diags, file, &format!("{at}/doc"), &v.doc);
        let value = match e.repr {
            Repr::Uint64 => v.value.as_u64().map(VariantValue::Unsigned),
            Repr::Int64 => v.value.as_i64().map(VariantValue::Signed),
            Repr::String => v.value.as_str().map(|s| VariantValue::Text(s.to_owned())),
        };
        let Some(value) = value else {
            let want = match e.repr {
                Repr::Uint64 => "a non-negative integer",
                Repr::Int64 => "an integer",
                Repr::String => "a string",
            };
            diags.push(
                file,
                format!("{at}/value"),
                format!(
                    "value {} is not {want}, as repr requires",
                    excerpt(&v.value.to_string())
                ),
            );
            continue;
        };
        if values.contains(&value) {
            diags.push(
                file,
                format!("{at}/value"),
                format!("duplicate value {}", excerpt(&v.value.to_string())),
            );
            continue;
        }
        values.push(value.clone());
        out.push(Variant {
            name: v.name.clone(),
            value,
            doc: v.doc.trim().to_owned(),
        });
    }
    out
}

/// Every type must be reachable from some action.
fn check_usage(api: &Api, actions: &[Action], objects: &[Object], diags: &mut Diagnostics) {
    let by_name: HashMap<&str, &Object> = objects.iter().map(|o| (o.name.as_str(), o)).collect();
    // The types a field names: its object or enum, or its shape.
    let named = |f: &Field| f.ty.named().or(f.shape.as_deref()).map(str::to_owned);
    let mut used = BTreeSet::new();
    let mut stack: Vec<String> = actions
        .iter()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .filter_map(named)
        .collect();
    while let Some(name) = stack.pop() {
        if !used.insert(name.clone()) {
            continue;
        }
        if let Some(o) = by_name.get(name.as_str()) {
            stack.extend(o.fields.iter().filter_map(named));
        }
        if let Some(TypeDef::Scalar(sc)) = api.types.get(&name).map(|s| &s.item) {
            if let Ok(TypeRef::Named(next)) = TypeRef::parse(&sc.ty) {
                stack.push(next);
            }
        }
    }
    for (name, sourced) in &api.types {
        if !used.contains(name) {
            diags.push(
                &sourced.file,
                sourced.item.name_pointer(),
                format!("unused type `{}`: no action refers to it", excerpt(name)),
            );
        }
    }
}

/// Boxes every member whose object type leads back, without a list in
/// between, to the object the member sits in, so that no type holds itself
/// directly. For upstream-documented specs, where such types occur
/// (an item with an `EscalateNotice` of its own type).
fn box_recursion(objects: &mut [Object]) {
    let direct: HashMap<String, Vec<String>> = objects
        .iter()
        .map(|o| {
            let children = direct_children(o).into_iter().map(str::to_owned).collect();
            (o.name.clone(), children)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(direct.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for o in objects.iter_mut() {
        for f in &mut o.fields {
            if let TypeRef::Named(n) = &f.ty {
                if direct.contains_key(n) && reaches(n, &o.name) {
                    f.boxed = true;
                }
            }
        }
    }
}

/// An object that holds itself other than through a list or a box would
/// have infinite size.
fn check_recursion(objects: &[Object], diags: &mut Diagnostics) {
    let by_name: HashMap<&str, &Object> = objects.iter().map(|o| (o.name.as_str(), o)).collect();
    for o in objects {
        let mut stack: Vec<&str> = direct_children(o);
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if name == o.name {
                diags.push(
                    &o.file,
                    "/members",
                    format!(
                        "`{}` contains itself without a list in between",
                        excerpt(&o.name)
                    ),
                );
                break;
            }
            if seen.insert(name) {
                if let Some(child) = by_name.get(name) {
                    stack.extend(direct_children(child));
                }
            }
        }
    }
}

fn direct_children(o: &Object) -> Vec<&str> {
    o.fields
        .iter()
        .filter(|f| !f.boxed)
        .filter_map(|f| match &f.ty {
            TypeRef::Named(n) => Some(n.as_str()),
            _ => None,
        })
        .collect()
}

/// `max_size` must be a page size the member can hold, agree with the maximum
/// the size member's docs state, and say where it comes from when they state
/// none.
fn check_max_size(p: &crate::spec::Pagination, size: &Field, file: &str, diags: &mut Diagnostics) {
    if p.max_size == 0 || p.max_size > i64::MAX as u64 {
        diags.push(
            file,
            "/pagination/max_size",
            format!("{} is not a page size (1 to {})", p.max_size, i64::MAX),
        );
    }
    match (documented_max(&size.doc), &p.max_size_source) {
        (Some(stated), _) if stated != p.max_size => diags.push(
            file,
            "/pagination/max_size",
            format!(
                "{} differs from the maximum `{}` documents ({stated})",
                p.max_size,
                excerpt(&p.size)
            ),
        ),
        (None, None) => diags.push(
            file,
            "/pagination/max_size_source",
            format!(
                "the docs of `{}` state no maximum page size: say where {} comes from",
                excerpt(&p.size),
                p.max_size
            ),
        ),
        (None, Some(source)) if source.trim().is_empty() => diags.push(
            file,
            "/pagination/max_size_source",
            "must say where `max_size` comes from",
        ),
        _ => {}
    }
}

/// The maximum a size member's docs state: the number after "at most", "up
/// to", "upper limit" or "maximum" (or upstream's Chinese for them: 最大值,
/// 最大, 上限, 不超过, 最多), possibly after `:`, `：`, `为`, `是` or `=`; or
/// the end of a range "20-1000" (a date such as 2024-01-31 is no range).
pub(crate) fn documented_max(doc: &str) -> Option<u64> {
    let number = |text: &str| -> Option<u64> {
        let digits: String = text
            .trim_start_matches(|c: char| c.is_whitespace() || ":：为是=".contains(c))
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    let lower = doc.to_ascii_lowercase();
    for phrase in [
        "at most",
        "up to",
        "upper limit",
        "maximum",
        "最大值",
        "最大",
        "上限",
        "不超过",
        "最多",
    ] {
        if let Some(at) = lower.find(phrase) {
            if let Some(n) = number(&lower[at + phrase.len()..]) {
                return Some(n);
            }
        }
    }
    // A range `A-B`: digits, a dash, digits, and not part of a date (`A-B-C`).
    let bytes = lower.as_bytes();
    (1..bytes.len().saturating_sub(1))
        .filter(|&i| bytes[i] == b'-' && bytes[i - 1].is_ascii_digit())
        .filter(|&i| {
            let after = &bytes[i + 1..];
            let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
            let before = bytes[..i].iter().rev().find(|b| !b.is_ascii_digit());
            after.get(digits) != Some(&b'-') && before != Some(&b'-')
        })
        .find_map(|i| number(&lower[i + 1..]))
}

/// The paging members must exist with fitting types.
fn check_pagination(
    p: &crate::spec::Pagination,
    input: &[Field],
    output: &[Field],
    api: &Api,
    file: &str,
    diags: &mut Diagnostics,
) {
    use crate::spec::PageStyle;
    let find =
        |fields: &[Field], name: &str| fields.iter().find(|f| f.wire == name).map(|f| f.ty.clone());
    let int = |t: &Option<TypeRef>| matches!(t, Some(TypeRef::Int64 | TypeRef::Uint64));
    let page = find(input, &p.page);
    let page_ok = match p.style {
        PageStyle::Cursor => page == Some(TypeRef::String),
        PageStyle::PageNumber | PageStyle::Offset => int(&page),
    };
    if !page_ok {
        diags.push(
            file,
            "/pagination/page",
            format!(
                "`{}` is not an input member of the type this paging style needs",
                excerpt(&p.page)
            ),
        );
    }
    match input.iter().find(|f| f.wire == p.size) {
        Some(size) if int(&Some(size.ty.clone())) => check_max_size(p, size, file, diags),
        _ => diags.push(
            file,
            "/pagination/size",
            format!("`{}` is not an integer input member", excerpt(&p.size)),
        ),
    }
    let items = find(output, &p.items);
    let Some(TypeRef::List(item)) = items else {
        diags.push(
            file,
            "/pagination/items",
            format!("`{}` is not a list output member", excerpt(&p.items)),
        );
        return;
    };
    if let Some(total) = &p.total {
        if !int(&find(output, total)) {
            diags.push(
                file,
                "/pagination/total",
                format!("`{}` is not an integer output member", excerpt(total)),
            );
        }
    }
    match (p.style, &p.item_cursor) {
        (PageStyle::Cursor, Some(cursor)) => {
            let has = match (&*item, item.named().and_then(|n| api.types.get(n))) {
                (TypeRef::Named(_), Some(t)) => match &t.item {
                    TypeDef::Object(o) => o.members.iter().any(|m| &m.name == cursor),
                    TypeDef::Enum(_) | TypeDef::Scalar(_) => false,
                },
                _ => false,
            };
            if !has {
                diags.push(
                    file,
                    "/pagination/item_cursor",
                    format!("the items have no member `{}`", excerpt(cursor)),
                );
            }
        }
        (PageStyle::Cursor, None) => {
            diags.push(file, "/pagination", "cursor paging needs `item_cursor`")
        }
        (_, Some(_)) => diags.push(
            file,
            "/pagination/item_cursor",
            "`item_cursor` is only for cursor paging",
        ),
        (_, None) => {}
    }
    if p.first_page > 1 || (p.first_page != 0 && p.style != PageStyle::PageNumber) {
        diags.push(
            file,
            "/pagination/first_page",
            "`first_page` is 0 or 1, and only for page-number paging",
        );
    }
}
