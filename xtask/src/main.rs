//! `cargo xtask codegen` regenerates the checked-in code from the spec;
//! `cargo xtask codegen --check` writes nothing and fails, naming the files, when
//! the checked-in code is stale.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]";

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
    match codegen::run_jobs(Path::new("."), check) {
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
