//! Repository tasks:
//! - `cargo xtask codegen` regenerates the checked-in code from the spec and
//!   `spec/schema.json` from the spec types; `--check` writes nothing and
//!   fails, naming the files, when either is stale.
//! - `cargo xtask import API_JSON [--errors ERRORS_JSON] [--china-only]` brings an
//!   upstream description's structure into the spec, keeping what people wrote.
//! - `cargo xtask spec-diff API_JSON` lists drift between the spec and upstream.
//! - `cargo xtask import-examples EXAMPLES_JSON` adds the official examples to
//!   actions that have none, repairing what it can and saying what it repaired.
//!
//! The three work on any service under `spec/`: the one the upstream file names
//! (its `metadata.serviceShortName`; for examples, the `Host` of their requests),
//! or the one given with `--service NAME`.
//! - `cargo xtask public-api` prints the public API of `ccc-api`, one item a line
//!   (what `tests/tests/public_api.rs` snapshots).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask import API_JSON [--errors ERRORS_JSON] [--china-only] [--service NAME]
       cargo xtask spec-diff API_JSON [--service NAME]
       cargo xtask import-examples EXAMPLES_JSON [--service NAME]
       cargo xtask public-api";

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
        ["spec-diff", path, rest @ ..] => spec_diff(path, rest),
        ["import-examples", path, rest @ ..] => import_examples(path, rest),
        ["public-api"] => public_api(),
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
        Ok(lines) if lines.is_empty() => {
            println!("no drift against {path}");
            ExitCode::SUCCESS
        }
        Ok(lines) => {
            for line in &lines {
                println!("{line}");
            }
            eprintln!("{} difference(s) against {path}", lines.len());
            ExitCode::FAILURE
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

fn public_api() -> ExitCode {
    let root = repository_root();
    let runtime = root.join(codegen::RUNTIME_LIB);
    let deps = [("tencent_cloud_runtime", runtime.as_path())];
    match codegen::public_api::list(&root.join("ccc-api/src/lib.rs"), "ccc_api", &deps) {
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
