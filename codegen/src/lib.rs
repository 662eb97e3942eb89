//! Loads the JSON spec of a Tencent Cloud API, validates it, and generates a
//! Rust crate from it (one per service; `ccc-api` for CCC).
//!
//! ```text
//! spec dir ──load──▶ Api ──validate──▶ Model ──emit──▶ tokens ──format──▶ files
//! ```
//! Every step is deterministic: items are kept in sorted maps and emitted in name
//! order, so two runs give identical bytes.

pub mod diagnostic;
mod diff;
mod emit;
pub mod examples;
mod format;
pub mod import;
mod krate;
pub mod load;
pub mod model;
pub mod names;
mod output;
pub mod public_api;
pub mod services;
mod setters_macro;
pub mod spec;
mod validate;
mod waiters;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::{CrateRoot, Options};
pub use model::Model;
pub use output::{sync, Change, GeneratedFile};

use std::path::Path;

/// Marks every generated file; tools and reviewers recognise generated code by it.
pub const GENERATED_MARKER: &str = "@generated";

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec has problems; all of them are listed.
    Spec(Diagnostics),
    /// Emitting or formatting failed.
    Emit(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(d) => d.fmt(f),
            Error::Emit(e) => write!(f, "code generation failed: {e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Loads and validates the spec in `dir` (holding `service.json`, `actions/`,
/// `types/`), reporting every problem at once.
pub fn load(dir: &Path) -> Result<Model, Diagnostics> {
    let mut diags = Diagnostics::default();
    let api = load::read_dir(dir, &mut diags);
    // With a file unreadable, "unused type" would only echo that failure.
    let complete = diags.is_empty();
    let model = api.and_then(|api| validate::validate(&api, complete, &mut diags));
    diags.0.sort();
    diags.0.dedup();
    match model {
        Some(model) if diags.is_empty() => Ok(model),
        _ => Err(diags),
    }
}

/// Generates the source files for `model`.
pub fn generate(model: &Model, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    finish(emit::emit(model, options).map_err(Error::Emit)?, None)
}

/// Generates `spec_table.rs`: the spec as data for the command line and the emulator.
pub fn generate_table(model: &Model) -> Result<Vec<GeneratedFile>, Error> {
    finish(emit::emit_table(model), None)
}

/// `files` formatted (through `cache`, a directory, when given) with their
/// headers.
fn finish(
    files: Vec<emit::Unformatted>,
    cache: Option<&Path>,
) -> Result<Vec<GeneratedFile>, Error> {
    let headers: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let header = format!(
                "// {GENERATED_MARKER} by `cargo xtask codegen` from {}. Do not edit by hand.\n\n",
                f.source
            );
            (f.path.clone(), header)
        })
        .collect();
    let formatted = format::format_all(
        files.into_iter().map(|f| (f.path, f.tokens)).collect(),
        cache,
    )
    .map_err(Error::Emit)?;
    Ok(headers
        .into_iter()
        .zip(formatted)
        .map(|((path, header), body)| GeneratedFile {
            path,
            contents: header + &body,
        })
        .collect())
}

/// [`load()`] then [`generate`].
pub fn generate_from_dir(dir: &Path, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    let model = load(dir).map_err(Error::Spec)?;
    generate(&model, options)
}

/// One spec directory and where its code goes, relative to the repository root.
#[derive(Debug, Clone)]
pub struct Job {
    /// Spec directory.
    pub spec: String,
    /// Output directory.
    pub out: String,
    /// What to generate there.
    pub kind: JobKind,
}

impl Job {
    /// The options of a job that generates Rust code.
    pub fn options(&self) -> Option<&Options> {
        match &self.kind {
            JobKind::Code(options) | JobKind::Crate { options, .. } => Some(options),
            JobKind::Table => None,
        }
    }
}

/// What a [`Job`] generates.
#[derive(Debug, Clone)]
pub enum JobKind {
    /// Rust code, placed as the options say.
    Code(Options),
    /// A whole crate: the code under `src/`, and its manifest and README.
    Crate {
        /// Where the code finds the runtime and the config crate.
        options: Options,
        /// The crate's directory relative to the repository root, to find
        /// the runtime and config crates from it.
        path: String,
    },
    /// The spec as data (`spec_table.rs`), for the emulator and the CLI.
    Table,
}

/// The runtime crate's root file, relative to the repository root: the
/// crate every generated service crate re-exports from.
pub const RUNTIME_LIB: &str = "tencent-cloud-runtime/src/lib.rs";

/// What `cargo xtask codegen` generates in the repository at `root`: every
/// service under `spec/` into its crate (see [`services`]: `services/<name>`
/// unless its `service.json` says otherwise; a crate whose root files are
/// hand-written gets only `src/generated`), a spec table where a service asks
/// for one, and the feature fixture and the colliding-names fixture into the
/// tests crate (compiled there with warnings denied).
pub fn repository_jobs(root: &Path) -> Result<Vec<Job>, Error> {
    let mut jobs = Vec::new();
    for s in services::discover(root, "spec").map_err(Error::Emit)? {
        let config = !s.krate.runtime_credentials_only;
        let path = s.crate_path();
        if s.krate.hand_written_root {
            jobs.push(Job {
                spec: s.dir.clone(),
                out: format!("{path}/src/generated"),
                kind: JobKind::Code(Options::module_of_crate(config)),
            });
        } else {
            jobs.push(Job {
                spec: s.dir.clone(),
                out: path.clone(),
                kind: JobKind::Crate {
                    options: Options::whole_crate(&s.package(), config),
                    path,
                },
            });
        }
        if let Some(table) = &s.krate.spec_table {
            jobs.push(Job {
                spec: s.dir.clone(),
                out: table.clone(),
                kind: JobKind::Table,
            });
        }
    }
    for (fixture, module) in [("full", "fixture"), ("names", "fixture_names")] {
        // A trimmed copy of the repository (a user's, or a test's) may have
        // no tests crate.
        if !root.join(format!("tests/fixtures/spec/{fixture}")).is_dir() {
            continue;
        }
        jobs.push(Job {
            spec: format!("tests/fixtures/spec/{fixture}"),
            out: format!("tests/src/{module}"),
            kind: JobKind::Code(Options::external(&format!("crate::{module}"))),
        });
    }
    Ok(jobs)
}

/// Runs every job of the repository at `root`: writes the files, or with
/// `check` only compares. Returns the files that differ.
pub fn run_jobs(root: &Path, check: bool) -> Result<Vec<Change>, Error> {
    run_jobs_of(root, check, |_| true)
}

/// [`run_jobs`] for the jobs of the spec directories `wanted` picks (by
/// their path relative to `root`, `spec/cvm/2017-03-12`): what `add-service`
/// runs, so that adding one service does not regenerate every other.
pub fn run_jobs_of(
    root: &Path,
    check: bool,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    // Formatted files of earlier runs, so that unchanged ones cost nothing.
    let cache = root.join("target").join("codegen-cache");
    for job in repository_jobs(root)?
        .into_iter()
        .filter(|job| wanted(&job.spec))
    {
        // Paths stay relative so that headers and diagnostics name them the same
        // on every machine.
        let spec = Path::new(&job.spec);
        let model = load_at(root, spec)?;
        let cache = Some(cache.join(&job.out));
        let cache = cache.as_deref();
        let files = match &job.kind {
            JobKind::Code(options) => {
                finish(emit::emit(&model, options).map_err(Error::Emit)?, cache)?
            }
            JobKind::Crate { options, path } => {
                let mut files = finish(emit::emit(&model, options).map_err(Error::Emit)?, cache)?;
                let package = options
                    .crate_root
                    .as_ref()
                    .map(|c| c.package.as_str())
                    .unwrap_or_default();
                files.extend(krate::files(
                    &model,
                    package,
                    path,
                    options.config.is_some(),
                ));
                files
            }
            JobKind::Table => finish(emit::emit_table(&model), cache)?,
        };
        let out = root.join(&job.out);
        let found = sync(&out, &files, !check)
            .map_err(|e| Error::Emit(format!("{}: {e}", out.display())))?;
        changes.extend(found);
    }
    Ok(changes)
}

fn load_at(root: &Path, spec: &Path) -> Result<Model, Error> {
    let mut model = load(&root.join(spec)).map_err(Error::Spec)?;
    let shown = spec.to_string_lossy().replace('\\', "/");
    let prefix = root.join(spec).to_string_lossy().replace('\\', "/");
    let relative = |file: &mut String| {
        if let Some(rest) = file.strip_prefix(&prefix) {
            *file = format!("{shown}{rest}");
        }
    };
    model.root = shown.clone();
    for a in &mut model.actions {
        relative(&mut a.file);
    }
    for o in &mut model.objects {
        relative(&mut o.file);
    }
    for e in &mut model.enums {
        relative(&mut e.file);
    }
    Ok(model)
}

pub use diff::{spec_diff, NOTE as SPEC_DIFF_NOTE};

/// Loads the spec in `dir` without validating it (for import and drift checks,
/// which must work on a spec that is still incomplete).
pub fn load_unvalidated(dir: &Path) -> Result<load::Api, Diagnostics> {
    let mut diags = Diagnostics::default();
    match load::read_dir(dir, &mut diags) {
        Some(api) if diags.is_empty() => Ok(api),
        _ => Err(diags),
    }
}
