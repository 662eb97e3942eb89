//! Repository tasks:
//! - `cargo xtask codegen` regenerates the checked-in code from the spec and
//!   `spec/schema.json` from the spec types; `--check` writes nothing and
//!   fails, naming the files, when either is stale.
//! - `cargo xtask import API_JSON [--errors ERRORS_JSON] [--china-only]` brings an
//!   upstream description's structure into the spec, keeping what people wrote.
//! - `cargo xtask add-service API_JSON [--examples EXAMPLES_JSON] [--errors ERRORS_JSON]
//!   [--service NAME]` writes the spec of the service an upstream description
//!   describes to `spec/<service>/<version>/` (docs from upstream; everything
//!   decided automatically, see `codegen::import`), or brings an existing one
//!   up to date, then generates the repository's code and names the crate.
//! - `cargo xtask check-upstream DIR` imports every `*/v*/api.json` under `DIR`
//!   (tccli's `services/` directory) into a scratch spec tree and loads and
//!   generates each, in process, reporting failures and the time taken.
//! - `cargo xtask spec-diff API_JSON` lists drift between the spec and upstream.
//! - `cargo xtask import-examples EXAMPLES_JSON` adds the official examples to
//!   actions that have none, repairing what it can and saying what it repaired.
//!
//! The three work on any service under `spec/`: the one the upstream file names
//! (its `metadata.serviceShortName`; for examples, the `Host` of their requests),
//! or the one given with `--service NAME`.
//! - `cargo xtask public-api [PACKAGE]` prints the public API of a service
//!   crate (`ccc-api` by default), one item a line (what
//!   `tests/tests/public_api.rs` snapshots for every service crate).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask add-service API_JSON [--examples EXAMPLES_JSON] [--errors ERRORS_JSON] [--service NAME]
       cargo xtask check-upstream DIR
       cargo xtask import API_JSON [--errors ERRORS_JSON] [--china-only] [--service NAME]
       cargo xtask spec-diff API_JSON [--service NAME]
       cargo xtask import-examples EXAMPLES_JSON [--service NAME]
       cargo xtask public-api [PACKAGE]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import", path, rest @ ..] => import(path, rest),
        ["add-service", path, rest @ ..] => add_service(path, rest),
        ["check-upstream", dir] => check_upstream(Path::new(dir)),
        ["spec-diff", path, rest @ ..] => spec_diff(path, rest),
        ["import-examples", path, rest @ ..] => import_examples(path, rest),
        ["public-api"] => public_api("ccc-api"),
        ["public-api", package] => public_api(package),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn read_json(path: &str) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// The spec directory of the service an upstream file describes: `flag` (from
/// `--service`) if given, else what `upstream` says about itself. Paths on the
/// command line are relative to where cargo was run; the spec's to the
/// repository root.
fn spec_dir(flag: Option<&str>, upstream: &serde_json::Value) -> Result<PathBuf, String> {
    let named = upstream["metadata"]["serviceShortName"].as_str();
    let from_host = || {
        // Examples carry no metadata, but their requests name the host.
        let actions = upstream["actions"].as_object()?;
        let input = actions
            .values()
            .flat_map(|v| v.as_array())
            .flatten()
            .next()?;
        let text = input["input"].as_str()?;
        let host = text.lines().find_map(|l| l.strip_prefix("Host:"))?;
        host.trim().split('.').next()
    };
    let Some(service) = flag.or(named).or_else(from_host) else {
        return Err("cannot tell which service the file describes; pass --service NAME".into());
    };
    let root = repository_root();
    let found = codegen::services::discover(&root, "spec")?;
    match found.iter().find(|s| s.service == service) {
        Some(s) => Ok(root.join(&s.dir)),
        None => Err(format!(
            "no spec/{service}/<version>/service.json; services: {}",
            found
                .iter()
                .map(|s| s.service.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The value of `--service` among `rest`, and whether anything else is there.
fn service_flag<'a>(rest: &[&'a str]) -> Result<Option<&'a str>, String> {
    match rest {
        [] => Ok(None),
        ["--service", name] => Ok(Some(name)),
        _ => Err(format!("unknown arguments {}\n{USAGE}", rest.join(" "))),
    }
}

fn import(path: &str, rest: &[&str]) -> ExitCode {
    let mut options = codegen::import::ImportOptions::default();
    let mut service = None;
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        match *flag {
            "--china-only" => options.china_only = true,
            "--service" => match it.next() {
                Some(name) => service = Some(*name),
                None => return fail("--service needs a name"),
            },
            "--errors" => match it.next().map(|p| read_json(p)) {
                Some(Ok(v)) => options.error_codes = Some(v),
                Some(Err(e)) => return fail(&e),
                None => return fail("--errors needs a path"),
            },
            other => return fail(&format!("unknown argument {other}\n{USAGE}")),
        }
    }
    options.source = path.to_owned();
    let upstream = match read_json(path) {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    let dir = match spec_dir(service, &upstream) {
        Ok(dir) => dir,
        Err(e) => return fail(&e),
    };
    match codegen::import::import(&dir, &upstream, &options) {
        Ok(report) => {
            for line in &report {
                println!("{line}");
            }
            println!(
                "{} change(s); new entries need docs before `cargo xtask codegen` accepts them",
                report.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn add_service(path: &str, rest: &[&str]) -> ExitCode {
    let mut options = codegen::import::ImportOptions {
        source: path.to_owned(),
        ..Default::default()
    };
    let mut service = None;
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let value = it.next();
        let Some(value) = value else {
            return fail(&format!("{flag} needs a value\n{USAGE}"));
        };
        match *flag {
            "--service" => service = Some(*value),
            "--errors" => match read_json(value) {
                Ok(v) => options.error_codes = Some(v),
                Err(e) => return fail(&e),
            },
            "--examples" => match read_json(value) {
                Ok(v) => options.examples = Some(v),
                Err(e) => return fail(&e),
            },
            other => return fail(&format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let upstream = match read_json(path) {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    let root = repository_root();
    let started = std::time::Instant::now();
    let added = match codegen::import::add_service(&root, &upstream, service, &options) {
        Ok(added) => added,
        Err(e) => return fail(&e),
    };
    for line in &added.report {
        println!("{line}");
    }
    println!(
        "{} {} ({} change(s)) in {:.1} s",
        if added.created { "wrote" } else { "updated" },
        added.dir,
        added.report.len(),
        started.elapsed().as_secs_f64()
    );
    let started = std::time::Instant::now();
    if let Err(e) = std::env::set_current_dir(&root) {
        return fail(&format!("cannot enter {}: {e}", root.display()));
    }
    match codegen::run_jobs_of(Path::new("."), false, |spec| spec == added.dir) {
        Ok(changes) => println!(
            "generated: {} file(s) changed in {:.1} s",
            changes.len(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => return fail(&e.to_string()),
    }
    match codegen::services::discover(Path::new("."), "spec") {
        Ok(found) => {
            if let Some(s) = found.iter().find(|s| s.dir == added.dir) {
                println!(
                    "crate: {} in {} (cargo build -p {})",
                    s.package(),
                    s.crate_path(),
                    s.package()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Imports every upstream description under `dir` into a scratch spec tree,
/// then loads and generates it, reporting what fails.
fn check_upstream(dir: &Path) -> ExitCode {
    let mut files = Vec::new();
    for service in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        for version in std::fs::read_dir(service.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let api = version.path().join("api.json");
            if version.file_name().to_string_lossy().starts_with('v') && api.is_file() {
                files.push(api);
            }
        }
    }
    files.sort();
    let common = repository_root()
        .join("spec")
        .join(codegen::load::COMMON_ERRORS_FILE);
    let scratch = std::env::temp_dir().join(format!("check-upstream-{}", std::process::id()));
    let started = std::time::Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let slowest = std::sync::Mutex::new((0.0f64, String::new()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(api) = files.get(i) else { break };
                let shown = api.display().to_string();
                let root = scratch.join(i.to_string());
                let one = std::time::Instant::now();
                let result = check_one(api, &root, &common);
                if std::env::var_os("CHECK_UPSTREAM_KEEP").is_none() {
                    let _ = std::fs::remove_dir_all(&root);
                }
                let secs = one.elapsed().as_secs_f64();
                {
                    let mut s = slowest.lock().unwrap_or_else(|e| e.into_inner());
                    if secs > s.0 {
                        *s = (secs, shown.clone());
                    }
                }
                match result {
                    Ok(summary) => println!("ok   {shown}: {summary} in {secs:.1} s"),
                    Err(e) => {
                        println!("FAIL {shown}:\n{e}");
                        failures
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(shown);
                    }
                }
            });
        }
    });
    if std::env::var_os("CHECK_UPSTREAM_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    } else {
        println!("kept the scratch specs in {}", scratch.display());
    }
    let failures = failures.into_inner().unwrap_or_default();
    let slowest = slowest.into_inner().unwrap_or_default();
    println!(
        "{} of {} descriptions passed in {:.1} s (slowest: {} in {:.1} s)",
        files.len() - failures.len(),
        files.len(),
        started.elapsed().as_secs_f64(),
        slowest.1,
        slowest.0
    );
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        for f in &failures {
            eprintln!("failed: {f}");
        }
        ExitCode::FAILURE
    }
}

fn check_one(api: &Path, root: &Path, common: &Path) -> Result<String, String> {
    let upstream = read_json(&api.to_string_lossy())?;
    let examples = api.with_file_name("examples.json");
    let options = codegen::import::ImportOptions {
        source: api.display().to_string(),
        examples: if examples.is_file() {
            Some(read_json(&examples.to_string_lossy())?)
        } else {
            None
        },
        ..Default::default()
    };
    std::fs::create_dir_all(root.join("spec")).map_err(|e| e.to_string())?;
    if common.is_file() {
        std::fs::copy(
            common,
            root.join("spec").join(codegen::load::COMMON_ERRORS_FILE),
        )
        .map_err(|e| e.to_string())?;
    }
    let added = codegen::import::add_service(root, &upstream, None, &options)?;
    let model = codegen::load(&root.join(&added.dir)).map_err(|d| d.to_string())?;
    let package = format!("tencent-cloud-{}", model.service);
    let files = codegen::generate(&model, &codegen::Options::whole_crate(&package, true))
        .map_err(|e| e.to_string())?;
    let paged = model
        .actions
        .iter()
        .filter(|a| a.pagination.is_some())
        .count();
    Ok(format!(
        "{} actions ({paged} paged), {} types, {} files",
        model.actions.len(),
        model.objects.len(),
        files.len()
    ))
}

fn spec_diff(path: &str, rest: &[&str]) -> ExitCode {
    let found = read_json(path).and_then(|v| {
        service_flag(rest)
            .and_then(|s| spec_dir(s, &v))
            .map(|d| (v, d))
    });
    let (upstream, dir) = match found {
        Ok(found) => found,
        Err(e) => return fail(&e),
    };
    let api = match codegen::load_unvalidated(&dir) {
        Ok(api) => api,
        Err(d) => return fail(&d.to_string()),
    };
    match codegen::spec_diff(&api, &upstream) {
        Ok(lines) => {
            for line in &lines {
                println!("{line}");
            }
            let drift = lines
                .iter()
                .filter(|l| !l.starts_with(codegen::SPEC_DIFF_NOTE))
                .count();
            if drift == 0 {
                println!("no drift against {path}");
                ExitCode::SUCCESS
            } else {
                eprintln!("{drift} difference(s) against {path}");
                ExitCode::FAILURE
            }
        }
        Err(e) => fail(&e),
    }
}

fn import_examples(path: &str, rest: &[&str]) -> ExitCode {
    let found = read_json(path).and_then(|v| {
        service_flag(rest)
            .and_then(|s| spec_dir(s, &v))
            .map(|d| (v, d))
    });
    let (upstream, dir) = match found {
        Ok(found) => found,
        Err(e) => return fail(&e),
    };
    match codegen::examples::import_examples(&dir, &upstream) {
        Ok(report) => {
            for line in &report.imported {
                println!("imported {line}");
            }
            for (action, reason) in &report.unusable {
                println!("left out {action}: {reason}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn public_api(package: &str) -> ExitCode {
    let root = repository_root();
    match codegen::public_api::of_service_crate(&root, package) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

/// Brings `spec/schema.json` up to date with the spec types (or, with
/// `check`, only says whether it is).
fn schema(check: bool) -> Result<Vec<codegen::Change>, codegen::Error> {
    let path = Path::new(codegen::spec::SCHEMA_PATH);
    let (dir, name) = (
        path.parent().unwrap_or(path),
        path.file_name().unwrap_or_default(),
    );
    let file = codegen::GeneratedFile {
        path: name.to_string_lossy().into_owned(),
        contents: codegen::spec::json_schema(),
    };
    codegen::sync(dir, &[file], !check)
        .map_err(|e| codegen::Error::Emit(format!("{}: {e}", path.display())))
}

fn repository_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn codegen(check: bool) -> ExitCode {
    let root = repository_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    match codegen::run_jobs(Path::new("."), check).and_then(|mut changes| {
        changes.extend(schema(check)?);
        Ok(changes)
    }) {
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        Ok(changes) if check && !changes.is_empty() => {
            eprintln!("generated code is out of date with the spec:");
            for c in &changes {
                eprintln!("  {c}");
            }
            eprintln!("run `cargo xtask codegen` and commit the result");
            ExitCode::FAILURE
        }
        Ok(changes) => {
            if check {
                println!("generated code is up to date");
            } else if changes.is_empty() {
                println!("generated code was already up to date");
            } else {
                for c in &changes {
                    println!("  {c}");
                }
                println!("{} file(s) updated", changes.len());
            }
            ExitCode::SUCCESS
        }
    }
}
