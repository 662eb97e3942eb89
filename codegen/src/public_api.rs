//! The public API of a crate as text, one line per item, sorted: what users can
//! name and call. `cargo xtask public-api [PACKAGE]` prints it for a service
//! crate (`ccc-api` by default), and a snapshot test keeps every one in review, so that a spec change shows what it does to users
//! (added, removed or retyped items, fields, methods, variants), breaking
//! changes included. `codegen --check` only says that the generated code is
//! current; this says what it means.
//!
//! It reads source, not the compiler's output (rustdoc's JSON needs nightly): it
//! parses `lib.rs` with `syn`, follows `mod` declarations to their files,
//! resolves `use` declarations (chains of re-exports and globs included), and
//! walks what the crate root makes reachable through `pub` names. Every item is
//! listed at each public path; its members (fields, variants, methods, derived
//! and written trait impls) once, under its canonical path (the shortest).
//! Paths in signatures that name an item of the crate are rewritten to its
//! canonical path, so moving a type between private modules changes nothing.
//!
//! Not seen from source: auto traits (`Send`, `Sync`), blanket impls of other
//! crates, items made by macros other than the runtime's `error_code_enum!`
//! (expanded by `macros`). Items under `#[cfg(test)]` or
//! `#[cfg(doctest)]` are left out.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit_mut::VisitMut;

mod macros;

/// Re-exports and `mod` chains deeper than this are taken for cycles.
const MAX_DEPTH: usize = 32;

/// Why the public API could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A module's file could not be read (or is not there).
    Read {
        /// The file tried.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file is not valid Rust.
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Read { path, message } => write!(f, "cannot read {}: {message}", path.display()),
            Error::Parse { path, message } => {
                write!(f, "{} does not parse: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for Error {}

/// Lists the public API of the crate whose root file is `lib_rs`, naming the
/// crate `crate_name` (`ccc_api`). `deps` are the crates it re-exports from,
/// by the name it uses for them and their root file
/// (`("tencent_cloud_runtime", "tencent-cloud-runtime/src/lib.rs")`): what it
/// re-exports of them is listed at the paths users write. Lines end with `\n`.
pub fn list(lib_rs: &Path, crate_name: &str, deps: &[(&str, &Path)]) -> Result<String, Error> {
    list_with(lib_rs, crate_name, deps, &|path| {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    })
}

/// The public API of the service crate `package` of the repository at `root`
/// (`ccc-api`, `tencent-cloud-sts`), with every crate of the repository it may
/// re-export from: the runtime, the config crate and every service crate.
pub fn of_service_crate(root: &Path, package: &str) -> Result<String, Error> {
    let services = crate::services::discover(root, "spec").map_err(|message| Error::Read {
        path: root.join("spec"),
        message,
    })?;
    let Some(service) = services.iter().find(|s| s.package() == package) else {
        return Err(Error::Read {
            path: root.join("spec"),
            message: format!(
                "no service crate `{package}`; there are {}",
                services
                    .iter()
                    .map(|s| s.package())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    };
    let mut deps: Vec<(String, PathBuf)> = vec![
        (
            "tencent_cloud_runtime".into(),
            root.join(crate::RUNTIME_LIB),
        ),
        (
            "tencent_cloud_config".into(),
            root.join("tencent-cloud-config/src/lib.rs"),
        ),
    ];
    // A trimmed copy of the repository may lack some crates; what is not
    // there cannot be re-exported either.
    for other in services.iter().filter(|s| s.package() != package) {
        deps.push((
            other.crate_ident(),
            root.join(other.crate_path()).join("src/lib.rs"),
        ));
    }
    deps.retain(|(_, lib)| lib.is_file());
    let deps: Vec<(&str, &Path)> = deps
        .iter()
        .map(|(n, p)| (n.as_str(), p.as_path()))
        .collect();
    list(
        &root.join(service.crate_path()).join("src/lib.rs"),
        &service.crate_ident(),
        &deps,
    )
}

/// [`list`] with the files read by `read` (tests give sources from memory).
pub fn list_with(
    lib_rs: &Path,
    crate_name: &str,
    deps: &[(&str, &Path)],
    read: &dyn Fn(&Path) -> Result<String, String>,
) -> Result<String, Error> {
    let mut krate = Crate::default();
    let file = parse(lib_rs, read)?;
    let dir = lib_rs.parent().unwrap_or(Path::new("")).to_path_buf();
    krate.add_module(Vec::new(), None, file.items, &dir, read, 0)?;
    for (name, dep_lib) in deps {
        let file = parse(dep_lib, read)?;
        let dir = dep_lib.parent().unwrap_or(Path::new("")).to_path_buf();
        let root = krate.add_module(Vec::new(), None, file.items, &dir, read, 0)?;
        krate.externs.insert((*name).to_owned(), root);
    }
    let mut walk = Walk::default();
    walk.export(&krate, 0, crate_name, 0, &mut BTreeSet::new());
    Ok(render(&krate, &walk))
}

fn parse(path: &Path, read: &dyn Fn(&Path) -> Result<String, String>) -> Result<syn::File, Error> {
    let text = read(path).map_err(|message| Error::Read {
        path: path.to_path_buf(),
        message,
    })?;
    syn::parse_file(&text).map_err(|e| Error::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Vis {
    Public,
    /// `pub(crate)`, `pub(super)`, `pub(in ..)`: importable by globs inside the crate.
    Restricted,
    Private,
}

fn vis(v: &syn::Visibility) -> Vis {
    match v {
        syn::Visibility::Public(_) => Vis::Public,
        syn::Visibility::Restricted(_) => Vis::Restricted,
        syn::Visibility::Inherited => Vis::Private,
    }
}

/// Where an item sits: module index and index in that module's items.
type ItemId = (usize, usize);

#[derive(Clone)]
enum Binding {
    Module(usize),
    Item(ItemId),
    /// A `use`: the path as written and whether it starts with `::`.
    Use(Vec<String>, bool),
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Module(usize),
    Item(ItemId),
    External(String),
}

#[derive(Default)]
struct Module {
    parent: Option<usize>,
    /// The root module of the crate it belongs to (what `crate` names).
    root: usize,
    items: Vec<syn::Item>,
    names: BTreeMap<String, Vec<(Vis, Binding)>>,
    globs: Vec<(Vis, Vec<String>, bool)>,
}

#[derive(Default)]
struct Crate {
    modules: Vec<Module>,
    /// Dependency crates by name, as their root modules.
    externs: BTreeMap<String, usize>,
    /// The crate's wrappers of the runtime's item-declaring macros.
    macros: macros::Wrappers,
}

fn cfg_excluded(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|i| i == "test" || i == "doctest")
    })
}

fn item_name_vis(item: &syn::Item) -> Option<(String, &syn::Visibility)> {
    use syn::Item::*;
    let (ident, v) = match item {
        Const(i) => (&i.ident, &i.vis),
        Enum(i) => (&i.ident, &i.vis),
        Fn(i) => (&i.sig.ident, &i.vis),
        Static(i) => (&i.ident, &i.vis),
        Struct(i) => (&i.ident, &i.vis),
        Trait(i) => (&i.ident, &i.vis),
        Type(i) => (&i.ident, &i.vis),
        Union(i) => (&i.ident, &i.vis),
        _ => return None,
    };
    Some((ident.to_string(), v))
}

fn flatten_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Option<String>, Vec<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            out.push((prefix.last().cloned(), prefix.clone()));
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push((Some(n.ident.to_string()), path));
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            out.push((Some(r.rename.to_string()), path));
        }
        syn::UseTree::Glob(_) => out.push((None, prefix.clone())),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, out);
            }
        }
    }
}

impl Crate {
    /// Adds a module with its items; `dir` is where its `mod x;` files live.
    fn add_module(
        &mut self,
        path: Vec<String>,
        parent: Option<usize>,
        items: Vec<syn::Item>,
        dir: &Path,
        read: &dyn Fn(&Path) -> Result<String, String>,
        depth: usize,
    ) -> Result<usize, Error> {
        let index = self.modules.len();
        let root = parent.map_or(index, |p| self.modules[p].root);
        self.modules.push(Module {
            parent,
            root,
            ..Module::default()
        });
        let mut kept = Vec::new();
        for item in self.macros.expand(items) {
            match item {
                syn::Item::Mod(m) if !cfg_excluded(&m.attrs) && depth < MAX_DEPTH => {
                    let name = m.ident.to_string();
                    let child_dir = dir.join(&name);
                    let child_items = match m.content {
                        Some((_, items)) => items,
                        None => {
                            let flat = dir.join(format!("{name}.rs"));
                            let nested = child_dir.join("mod.rs");
                            // A missing `x.rs` falls back to `x/mod.rs`; report the first.
                            match parse(&flat, read) {
                                Ok(f) => f.items,
                                Err(Error::Read { .. }) => match parse(&nested, read) {
                                    Ok(f) => f.items,
                                    Err(Error::Read { message, .. }) => {
                                        return Err(Error::Read {
                                            path: flat,
                                            message,
                                        })
                                    }
                                    Err(e) => return Err(e),
                                },
                                Err(e) => return Err(e),
                            }
                        }
                    };
                    let mut child_path = path.clone();
                    child_path.push(name.clone());
                    let child = self.add_module(
                        child_path,
                        Some(index),
                        child_items,
                        &child_dir,
                        read,
                        depth + 1,
                    )?;
                    self.modules[index]
                        .names
                        .entry(name)
                        .or_default()
                        .push((vis(&m.vis), Binding::Module(child)));
                }
                syn::Item::Use(u) if !cfg_excluded(&u.attrs) => {
                    let mut flat = Vec::new();
                    flatten_use(&u.tree, &mut Vec::new(), &mut flat);
                    let absolute = u.leading_colon.is_some();
                    let module = &mut self.modules[index];
                    for (name, target) in flat {
                        match name {
                            Some(name) if name != "_" => module
                                .names
                                .entry(name)
                                .or_default()
                                .push((vis(&u.vis), Binding::Use(target, absolute))),
                            Some(_) => {}
                            None => module.globs.push((vis(&u.vis), target, absolute)),
                        }
                    }
                }
                other => {
                    let attrs: &[syn::Attribute] = match &other {
                        syn::Item::Impl(i) => &i.attrs,
                        syn::Item::Macro(m) => &m.attrs,
                        _ => &[],
                    };
                    let excluded =
                        cfg_excluded(attrs) || item_attrs(&other).is_some_and(cfg_excluded);
                    if !excluded {
                        kept.push(other);
                    }
                }
            }
        }
        for (i, item) in kept.iter().enumerate() {
            if let Some((name, v)) = item_name_vis(item) {
                self.modules[index]
                    .names
                    .entry(name)
                    .or_default()
                    .push((vis(v), Binding::Item((index, i))));
            }
        }
        self.modules[index].items = kept;
        Ok(index)
    }

    fn item(&self, id: ItemId) -> &syn::Item {
        &self.modules[id.0].items[id.1]
    }

    /// What `name` means inside module `m`.
    fn lookup(&self, m: usize, name: &str, depth: usize) -> Vec<Target> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let module = &self.modules[m];
        let mut out = Vec::new();
        for (_, binding) in module.names.get(name).into_iter().flatten() {
            match binding {
                Binding::Module(i) => out.push(Target::Module(*i)),
                Binding::Item(id) => out.push(Target::Item(*id)),
                Binding::Use(path, absolute) => {
                    out.extend(self.resolve(m, path, *absolute, depth + 1))
                }
            }
        }
        if out.is_empty() {
            for (_, path, absolute) in &module.globs {
                for target in self.resolve(m, path, *absolute, depth + 1) {
                    if let Target::Module(g) = target {
                        if self.visible_to_globs(g, name) {
                            out.extend(self.lookup(g, name, depth + 1));
                        }
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn visible_to_globs(&self, m: usize, name: &str) -> bool {
        let module = &self.modules[m];
        module
            .names
            .get(name)
            .is_some_and(|b| b.iter().any(|(v, _)| *v != Vis::Private))
            || module.globs.iter().any(|(v, _, _)| *v != Vis::Private)
    }

    /// What `path`, written in module `m`, names. Names that are not the
    /// crate's (std, other crates, generic parameters) are `External`.
    fn resolve(&self, m: usize, path: &[String], absolute: bool, depth: usize) -> Vec<Target> {
        let external = || vec![Target::External(path.join("::"))];
        let Some((first, rest)) = path.split_first() else {
            return vec![Target::Module(m)];
        };
        if depth > MAX_DEPTH {
            return external();
        }
        let dependency = || self.externs.get(first).map(|r| vec![Target::Module(*r)]);
        if absolute {
            match dependency() {
                Some(root) => return self.resolve_rest(root, rest, depth),
                None => return external(),
            }
        }
        let current = match first.as_str() {
            "crate" => vec![Target::Module(self.modules[m].root)],
            "self" => vec![Target::Module(m)],
            "super" => match self.modules[m].parent {
                Some(p) => vec![Target::Module(p)],
                None => return external(),
            },
            name => {
                let found = self.lookup(m, name, depth);
                if found.is_empty() {
                    match dependency() {
                        Some(root) => root,
                        None => return external(),
                    }
                } else {
                    found
                }
            }
        };
        self.resolve_rest(current, rest, depth)
    }

    /// The rest of a path after its first segment, which named `current`.
    fn resolve_rest(&self, mut current: Vec<Target>, rest: &[String], depth: usize) -> Vec<Target> {
        for (i, segment) in rest.iter().enumerate() {
            let mut next = Vec::new();
            for target in &current {
                match target {
                    Target::Module(i) if segment == "super" => {
                        next.extend(self.modules[*i].parent.map(Target::Module))
                    }
                    Target::Module(i) => next.extend(self.lookup(*i, segment, depth + 1)),
                    // Variants and associated items are not listed on their own.
                    Target::Item(_) => {}
                    // `use std::fmt;` then `fmt::Display`: std's path, completed.
                    Target::External(base) => {
                        return vec![Target::External(format!(
                            "{base}::{}",
                            rest[i..].join("::")
                        ))]
                    }
                }
            }
            current = next;
        }
        current
    }
}

fn item_generics(item: &syn::Item) -> Option<&syn::Generics> {
    use syn::Item::*;
    Some(match item {
        Enum(i) => &i.generics,
        Fn(i) => &i.sig.generics,
        Struct(i) => &i.generics,
        Trait(i) => &i.generics,
        Type(i) => &i.generics,
        Union(i) => &i.generics,
        _ => return None,
    })
}

fn item_attrs(item: &syn::Item) -> Option<&[syn::Attribute]> {
    use syn::Item::*;
    Some(match item {
        Const(i) => &i.attrs,
        Enum(i) => &i.attrs,
        Fn(i) => &i.attrs,
        Static(i) => &i.attrs,
        Struct(i) => &i.attrs,
        Trait(i) => &i.attrs,
        Type(i) => &i.attrs,
        Union(i) => &i.attrs,
        Impl(i) => &i.attrs,
        _ => return None,
    })
}

/// The public paths found by walking from the crate root.
#[derive(Default)]
struct Walk {
    items: BTreeMap<ItemId, BTreeSet<String>>,
    modules: BTreeSet<String>,
    external: BTreeSet<String>,
}

impl Walk {
    fn export(
        &mut self,
        krate: &Crate,
        m: usize,
        at: &str,
        depth: usize,
        stack: &mut BTreeSet<usize>,
    ) {
        if depth > MAX_DEPTH || !stack.insert(m) {
            return;
        }
        let module = &krate.modules[m];
        let names: BTreeSet<&str> = module
            .names
            .iter()
            .filter(|(_, b)| b.iter().any(|(v, _)| *v == Vis::Public))
            .map(|(n, _)| n.as_str())
            .collect();
        // `pub use x::*` re-exports every public name of `x` not shadowed here.
        let mut glob_names = Vec::new();
        for (v, path, absolute) in &module.globs {
            if *v != Vis::Public {
                continue;
            }
            for target in krate.resolve(m, path, *absolute, 0) {
                match target {
                    Target::Module(g) => glob_names.extend(
                        krate.modules[g]
                            .names
                            .iter()
                            .filter(|(n, b)| {
                                !module.names.contains_key(*n)
                                    && b.iter().any(|(v, _)| *v == Vis::Public)
                            })
                            .map(|(n, _)| (g, n.clone())),
                    ),
                    Target::External(p) => {
                        self.external.insert(format!("pub use {at}::* = {p}::*"));
                    }
                    Target::Item(_) => {}
                }
            }
        }
        let mut targets: Vec<(String, Vec<Target>)> = names
            .into_iter()
            .map(|n| {
                let found = module.names[n]
                    .iter()
                    .filter(|(v, _)| *v == Vis::Public)
                    .flat_map(|(_, b)| match b {
                        Binding::Module(i) => vec![Target::Module(*i)],
                        Binding::Item(id) => vec![Target::Item(*id)],
                        Binding::Use(p, a) => krate.resolve(m, p, *a, 0),
                    })
                    .collect();
                (n.to_string(), found)
            })
            .collect();
        for (g, n) in glob_names {
            let found = krate.lookup(g, &n, 0);
            targets.push((n, found));
        }
        for (name, found) in targets {
            let path = format!("{at}::{name}");
            for target in found {
                match target {
                    Target::Module(i) => {
                        self.modules.insert(path.clone());
                        self.export(krate, i, &path, depth + 1, stack);
                    }
                    Target::Item(id) => {
                        self.items.entry(id).or_default().insert(path.clone());
                    }
                    Target::External(p) => {
                        self.external.insert(format!("pub use {path} = {p}"));
                    }
                }
            }
        }
        stack.remove(&m);
    }

    /// The path users see first: fewest segments, then alphabetical.
    fn canonical(&self, id: ItemId) -> Option<&String> {
        self.items
            .get(&id)?
            .iter()
            .min_by_key(|p| (p.matches("::").count(), p.as_str()))
    }
}

/// Rewrites paths naming the crate's items to their canonical public paths.
struct Canonical<'a> {
    krate: &'a Crate,
    walk: &'a Walk,
    module: usize,
    /// Generic parameters in scope: never the crate's items.
    params: BTreeSet<String>,
}

impl Canonical<'_> {
    fn with_generics(&mut self, generics: &syn::Generics) {
        for p in &generics.params {
            match p {
                syn::GenericParam::Type(t) => self.params.insert(t.ident.to_string()),
                syn::GenericParam::Const(c) => self.params.insert(c.ident.to_string()),
                syn::GenericParam::Lifetime(_) => false,
            };
        }
    }

    fn public_path(&self, path: &syn::Path) -> Option<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() == 1 && (self.params.contains(&segments[0]) || segments[0] == "Self") {
            return None;
        }
        let found = self
            .krate
            .resolve(self.module, &segments, path.leading_colon.is_some(), 0);
        match found.as_slice() {
            [Target::Item(id)] => self.walk.canonical(*id).cloned(),
            // Another crate's item, named through a `use` (`StdError`, `fmt::Display`)
            // or with a leading `::`: its full path, the same whichever way it was named.
            [Target::External(full)]
                if path.leading_colon.is_some() || *full != segments.join("::") =>
            {
                Some(full.clone())
            }
            _ => None,
        }
    }
}

impl VisitMut for Canonical<'_> {
    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        if let Some(q) = &mut ty.qself {
            self.visit_type_mut(&mut q.ty);
            for s in &mut ty.path.segments {
                self.visit_path_arguments_mut(&mut s.arguments);
            }
        } else {
            self.visit_path_mut(&mut ty.path);
        }
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        if let Some(public) = self.public_path(path) {
            let arguments = path
                .segments
                .last()
                .map(|s| s.arguments.clone())
                .unwrap_or_default();
            let mut segments: syn::punctuated::Punctuated<syn::PathSegment, syn::Token![::]> =
                public
                    .split("::")
                    .map(|s| {
                        syn::PathSegment::from(syn::Ident::new(s, proc_macro2::Span::call_site()))
                    })
                    .collect();
            if let Some(last) = segments.last_mut() {
                last.arguments = arguments;
            }
            *path = syn::Path {
                leading_colon: None,
                segments,
            };
        }
    }

    fn visit_signature_mut(&mut self, sig: &mut syn::Signature) {
        let outer = self.params.clone();
        self.with_generics(&sig.generics);
        syn::visit_mut::visit_signature_mut(self, sig);
        self.params = outer;
    }

    // Const values and default expressions are not part of a signature's types.
    fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}
}

/// Prints tokens on one line with the spacing of rustfmt for signatures.
fn text(tokens: impl ToTokens) -> String {
    let mut out = String::new();
    let mut prev = Prev::Start;
    write_tokens(tokens.into_token_stream(), &mut out, &mut prev);
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Prev {
    Start,
    /// An identifier, literal or lifetime name: a following word needs a space.
    Word,
    /// `)`, `]`, `}` or a closing `>`.
    Close,
    /// Punctuation after which nothing is spaced (`&`, `::`, `'`, `<`, `(`).
    Tight,
    /// Punctuation followed by a space (`,`, `;`, `:`, `=`, `+`, `->`).
    Spaced,
}

fn write_tokens(tokens: TokenStream, out: &mut String, prev: &mut Prev) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if matches!(*prev, Prev::Word | Prev::Close) {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
                *prev = Prev::Word;
            }
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                if g.delimiter() == Delimiter::Brace && *prev != Prev::Start {
                    out.push(' ');
                }
                out.push_str(open);
                *prev = Prev::Tight;
                write_tokens(g.stream(), out, prev);
                // A trailing comma as written in the source is not part of the API.
                if out.ends_with(", ") {
                    out.truncate(out.len() - 2);
                }
                out.push_str(close);
                *prev = Prev::Close;
            }
            TokenTree::Punct(p) => {
                let c = p.as_char();
                let joint = p.spacing() == Spacing::Joint;
                let next = match tokens.get(i + 1) {
                    Some(TokenTree::Punct(n)) => Some(n.as_char()),
                    _ => None,
                };
                let after_joint_colon = out.ends_with(':') && *prev == Prev::Tight;
                match c {
                    ',' | ';' => {
                        out.push(c);
                        *prev = Prev::Spaced;
                    }
                    ':' if joint && next == Some(':') => {
                        out.push(':');
                        *prev = Prev::Tight;
                    }
                    ':' if after_joint_colon => {
                        out.push(':');
                        *prev = Prev::Tight;
                    }
                    ':' => {
                        out.push_str(": ");
                        *prev = Prev::Tight;
                    }
                    '-' if joint && next == Some('>') => {
                        out.push_str(" -");
                        *prev = Prev::Tight;
                    }
                    '>' if out.ends_with(" -") => {
                        out.push_str("> ");
                        *prev = Prev::Tight;
                    }
                    '=' | '+' => {
                        if !out.is_empty() && !out.ends_with(' ') {
                            out.push(' ');
                        }
                        out.push(c);
                        out.push(' ');
                        *prev = Prev::Tight;
                    }
                    '>' => {
                        // As in groups: a trailing comma of generic arguments
                        // is formatting, not API.
                        let kept = out.trim_end().strip_suffix(',').map(str::len);
                        if let Some(len) = kept {
                            out.truncate(len);
                        }
                        out.push('>');
                        *prev = Prev::Close;
                    }
                    '\'' => {
                        if matches!(*prev, Prev::Word | Prev::Close) {
                            out.push(' ');
                        }
                        out.push('\'');
                        *prev = Prev::Tight;
                    }
                    _ => {
                        if matches!(*prev, Prev::Word | Prev::Close) && c != '<' && c != '?' {
                            out.push(' ');
                        }
                        out.push(c);
                        *prev = Prev::Tight;
                    }
                }
                if *prev == Prev::Spaced {
                    out.push(' ');
                    *prev = Prev::Tight;
                }
            }
        }
    }
}

fn where_text(generics: &syn::Generics) -> String {
    match &generics.where_clause {
        Some(w) if !w.predicates.is_empty() => format!(" {}", text(w)),
        _ => String::new(),
    }
}

fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) {
            out.extend(paths.iter().map(text));
        }
    }
    out
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> &'static str {
    if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        "#[non_exhaustive] "
    } else {
        ""
    }
}

fn signature(sig: &syn::Signature, path: &str) -> String {
    let mut sig = sig.clone();
    // `mut` on a parameter binding is not part of the API.
    for input in &mut sig.inputs {
        match input {
            syn::FnArg::Receiver(r) if r.reference.is_none() => r.mutability = None,
            syn::FnArg::Typed(t) => {
                if let syn::Pat::Ident(p) = &mut *t.pat {
                    p.mutability = None;
                }
            }
            _ => {}
        }
    }
    let qualifiers: String = [
        sig.constness.map(|_| "const "),
        sig.asyncness.map(|_| "async "),
        sig.unsafety.map(|_| "unsafe "),
    ]
    .into_iter()
    .flatten()
    .collect();
    let inputs: Vec<String> = sig.inputs.iter().map(text).collect();
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", text(ty)),
    };
    format!(
        "{qualifiers}fn {path}{}({}){output}{}",
        text(&sig.generics),
        inputs.join(", "),
        where_text(&sig.generics)
    )
}

/// Lines keyed by the path they are about, so that a type's members follow it.
#[derive(Default)]
struct Lines(BTreeSet<(String, u8, String)>);

impl Lines {
    fn add(&mut self, about: &str, rank: u8, line: String) {
        self.0.insert((about.to_string(), rank, line));
    }
}

fn render(krate: &Crate, walk: &Walk) -> String {
    let mut lines = Lines::default();
    for m in &walk.modules {
        lines.add(m, 0, format!("pub mod {m}"));
    }
    for e in &walk.external {
        lines.add(e, 0, e.clone());
    }
    for (&id, paths) in &walk.items {
        let Some(canonical) = walk.canonical(id) else {
            continue;
        };
        let mut item = krate.item(id).clone();
        let mut rewrite = Canonical {
            krate,
            walk,
            module: id.0,
            params: BTreeSet::new(),
        };
        if let Some(generics) = item_generics(&item) {
            rewrite.with_generics(generics);
        }
        rewrite.visit_item_mut(&mut item);
        for path in paths {
            item_lines(&item, path, path == canonical, &mut lines);
        }
    }
    for (m, module) in krate.modules.iter().enumerate() {
        for item in &module.items {
            if let syn::Item::Impl(imp) = item {
                impl_lines(krate, walk, m, imp, &mut lines);
            }
        }
    }
    let mut out = String::new();
    for (_, _, line) in lines.0 {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The item's own line at `path`; with `members`, its fields, variants and
/// derived impls too.
fn item_lines(item: &syn::Item, path: &str, members: bool, lines: &mut Lines) {
    let derived = |attrs: &[syn::Attribute], generics: &syn::Generics, lines: &mut Lines| {
        let (imp, ty, wh) = generics.split_for_impl();
        for d in derives(attrs) {
            let _ = wh;
            let line = format!(
                "impl{} {d} for {path}{}{}",
                text(&imp),
                text(&ty),
                where_text(generics)
            );
            lines.add(path, 1, line);
        }
    };
    match item {
        syn::Item::Struct(s) => {
            let private = s.fields.iter().any(|f| vis(&f.vis) != Vis::Public);
            let shape = match (&s.fields, private) {
                (syn::Fields::Unit, _) => "",
                (_, true) => " { private fields }",
                (syn::Fields::Named(_), false) => " { .. }",
                (syn::Fields::Unnamed(_), false) => "(..)",
            };
            lines.add(
                path,
                0,
                format!(
                    "{}pub struct {path}{}{shape}{}",
                    non_exhaustive(&s.attrs),
                    text(&s.generics),
                    where_text(&s.generics)
                ),
            );
            if members {
                derived(&s.attrs, &s.generics, lines);
                for (i, f) in s.fields.iter().enumerate() {
                    if vis(&f.vis) == Vis::Public {
                        let name = f.ident.as_ref().map_or(i.to_string(), |n| n.to_string());
                        let at = format!("{path}::{name}");
                        lines.add(&at, 0, format!("pub {at}: {}", text(&f.ty)));
                    }
                }
            }
        }
        syn::Item::Enum(e) => {
            lines.add(
                path,
                0,
                format!(
                    "{}pub enum {path}{}{}",
                    non_exhaustive(&e.attrs),
                    text(&e.generics),
                    where_text(&e.generics)
                ),
            );
            if members {
                derived(&e.attrs, &e.generics, lines);
                for v in &e.variants {
                    let at = format!("{path}::{}", v.ident);
                    let mut v = v.clone();
                    for f in v.fields.iter_mut() {
                        f.attrs.clear();
                    }
                    let fields = match &v.fields {
                        syn::Fields::Unit => String::new(),
                        syn::Fields::Unnamed(f) => text(f),
                        syn::Fields::Named(f) => format!(" {}", text(f)),
                    };
                    let discriminant = v
                        .discriminant
                        .as_ref()
                        .map_or(String::new(), |(_, e)| format!(" = {}", text(e)));
                    lines.add(
                        &at,
                        0,
                        format!("{}{at}{fields}{discriminant}", non_exhaustive(&v.attrs)),
                    );
                }
            }
        }
        syn::Item::Fn(f) => lines.add(path, 0, format!("pub {}", signature(&f.sig, path))),
        syn::Item::Const(c) => lines.add(path, 0, format!("pub const {path}: {}", text(&c.ty))),
        syn::Item::Static(s) => lines.add(path, 0, format!("pub static {path}: {}", text(&s.ty))),
        syn::Item::Type(t) => lines.add(
            path,
            0,
            format!(
                "pub type {path}{}{} = {}",
                text(&t.generics),
                where_text(&t.generics),
                text(&t.ty)
            ),
        ),
        syn::Item::Union(u) => lines.add(path, 0, format!("pub union {path}{}", text(&u.generics))),
        syn::Item::Trait(t) => {
            let supertraits = if t.supertraits.is_empty() {
                String::new()
            } else {
                format!(": {}", text(&t.supertraits))
            };
            lines.add(
                path,
                0,
                format!(
                    "pub {}trait {path}{}{supertraits}{}",
                    if t.unsafety.is_some() { "unsafe " } else { "" },
                    text(&t.generics),
                    where_text(&t.generics)
                ),
            );
            if !members {
                return;
            }
            for ti in &t.items {
                match ti {
                    syn::TraitItem::Fn(f) => {
                        let at = format!("{path}::{}", f.sig.ident);
                        let provided = if f.default.is_some() { " { .. }" } else { "" };
                        lines.add(&at, 0, format!("pub {}{provided}", signature(&f.sig, &at)));
                    }
                    syn::TraitItem::Type(ty) => {
                        let at = format!("{path}::{}", ty.ident);
                        let bounds = if ty.bounds.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", text(&ty.bounds))
                        };
                        lines.add(&at, 0, format!("type {at}{}{bounds}", text(&ty.generics)));
                    }
                    syn::TraitItem::Const(c) => {
                        let at = format!("{path}::{}", c.ident);
                        lines.add(&at, 0, format!("const {at}: {}", text(&c.ty)));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn names_crate_item(krate: &Crate, m: usize, ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    krate
        .resolve(m, &segments, p.path.leading_colon.is_some(), 0)
        .iter()
        .any(|t| matches!(t, Target::Item(_)))
}

fn impl_lines(krate: &Crate, walk: &Walk, m: usize, imp: &syn::ItemImpl, lines: &mut Lines) {
    let mut imp = imp.clone();
    let path_of = |ty: &syn::Type| -> Option<&String> {
        let syn::Type::Path(p) = ty else { return None };
        if p.qself.is_some() {
            return None;
        }
        let segments: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        match krate
            .resolve(m, &segments, p.path.leading_colon.is_some(), 0)
            .as_slice()
        {
            [Target::Item(id)] => walk.canonical(*id),
            _ => None,
        }
    };
    let self_path = path_of(&imp.self_ty).cloned();
    if self_path.is_none() && names_crate_item(krate, m, &imp.self_ty) {
        // An impl for a type users cannot name.
        return;
    }
    let trait_target = imp.trait_.as_ref().map(|(_, path, _)| {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        krate.resolve(m, &segments, path.leading_colon.is_some(), 0)
    });
    // A trait of the crate that users cannot name makes the impl invisible to them.
    let trait_path = match &trait_target {
        Some(t) => match t.as_slice() {
            [Target::Item(id)] => match walk.canonical(*id) {
                Some(p) => Some(Some(p.clone())),
                None => return,
            },
            _ => Some(None),
        },
        None => None,
    };
    let about = match (&self_path, &trait_path) {
        (Some(p), _) => p.clone(),
        (None, Some(Some(t))) => t.clone(),
        _ => return,
    };
    let mut rewrite = Canonical {
        krate,
        walk,
        module: m,
        params: BTreeSet::new(),
    };
    rewrite.with_generics(&imp.generics);
    rewrite.visit_item_impl_mut(&mut imp);
    let header = format!(
        "impl{}{} {}{}",
        text(&imp.generics),
        match &imp.trait_ {
            Some((bang, path, _)) => format!(
                " {}{} for",
                if bang.is_some() { "!" } else { "" },
                text(path)
            ),
            None => String::new(),
        },
        text(&imp.self_ty),
        where_text(&imp.generics)
    );
    if imp.trait_.is_some() {
        let mut associated = Vec::new();
        for item in &imp.items {
            match item {
                syn::ImplItem::Type(t) => {
                    associated.push(format!("type {} = {};", t.ident, text(&t.ty)))
                }
                syn::ImplItem::Const(c) => associated.push(format!(
                    "const {}: {} = {};",
                    c.ident,
                    text(&c.ty),
                    text(&c.expr)
                )),
                _ => {}
            }
        }
        let body = if associated.is_empty() {
            String::new()
        } else {
            format!(" {{ {} }}", associated.join(" "))
        };
        lines.add(&about, 1, format!("{header}{body}"));
        return;
    }
    // Inherent impl: its public functions and constants, under the type.
    let context = if imp.generics.params.is_empty() && imp.generics.where_clause.is_none() {
        String::new()
    } else {
        format!(" [{header}]")
    };
    for item in &imp.items {
        match item {
            syn::ImplItem::Fn(f) if vis(&f.vis) == Vis::Public && !cfg_excluded(&f.attrs) => {
                let at = format!("{about}::{}", f.sig.ident);
                lines.add(&at, 0, format!("pub {}{context}", signature(&f.sig, &at)));
            }
            syn::ImplItem::Const(c) if vis(&c.vis) == Vis::Public => {
                let at = format!("{about}::{}", c.ident);
                lines.add(&at, 0, format!("pub const {at}: {}{context}", text(&c.ty)));
            }
            _ => {}
        }
    }
}
