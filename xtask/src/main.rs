//! Repository tasks:
//! - `cargo xtask codegen` regenerates the checked-in code from the spec and
//!   `spec/schema.json` from the spec types; `--check` writes nothing and
//!   fails, naming the files, when either is stale.
//! - `cargo xtask import API_JSON [--errors ERRORS_JSON] [--china-only]` brings an
//!   upstream description's structure into the spec, keeping what people wrote.
//! - `cargo xtask spec-diff API_JSON` lists drift between the spec and upstream.
//! - `cargo xtask import-examples EXAMPLES_JSON` adds the official examples to
//!   actions that have none, repairing what it can and saying what it repaired.
//! - `cargo xtask public-api` prints the public API of `ccc-api`, one item a line
//!   (what `tests/tests/public_api.rs` snapshots).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask import API_JSON [--errors ERRORS_JSON] [--china-only]
       cargo xtask spec-diff API_JSON
       cargo xtask import-examples EXAMPLES_JSON
       cargo xtask public-api";

/// The spec the import and drift tasks work on.
const SPEC: &str = "spec/ccc/2020-02-10";

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
        ["spec-diff", path] => spec_diff(path),
        ["import-examples", path] => import_examples(path),
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

/// Paths on the command line are relative to where cargo was run; the spec's to
/// the repository root.
fn spec_dir() -> PathBuf {
    repository_root().join(SPEC)
}

fn import(path: &str, rest: &[&str]) -> ExitCode {
    let mut options = codegen::import::ImportOptions::default();
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        match *flag {
            "--china-only" => options.china_only = true,
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
    match codegen::import::import(&spec_dir(), &upstream, &options) {
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

fn spec_diff(path: &str) -> ExitCode {
    let upstream = match read_json(path) {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    let api = match codegen::load_unvalidated(&spec_dir()) {
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

fn import_examples(path: &str) -> ExitCode {
    let upstream = match read_json(path) {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    match codegen::examples::import_examples(&spec_dir(), &upstream) {
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
    let lib = repository_root().join("ccc-api/src/lib.rs");
    match codegen::public_api::list(&lib, "ccc_api") {
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
