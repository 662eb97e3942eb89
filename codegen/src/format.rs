//! Printing generated tokens as source that `cargo fmt --check` accepts.
//!
//! prettyplease turns tokens into readable code; rustfmt then settles the few
//! percent of lines where the two disagree, so the checked-in files are exactly
//! what `cargo fmt` would leave. All files go through one rustfmt process.

use std::fs;
use std::process::Command;

/// Formats each `(tokens-as-file)` with prettyplease, then rustfmt (edition 2021).
pub(crate) fn format_all(
    files: Vec<(String, proc_macro2::TokenStream)>,
) -> Result<Vec<String>, String> {
    let mut pretty = Vec::with_capacity(files.len());
    for (path, tokens) in files {
        let file: syn::File = syn::parse2(tokens).map_err(|e| {
            format!("generated code for {path} does not parse (a codegen bug): {e}")
        })?;
        pretty.push((path, prettyplease::unparse(&file)));
    }
    rustfmt(pretty)
}

/// Runs rustfmt over the files laid out as they will be on disk (rustfmt follows
/// `mod` declarations, so the module tree must resolve).
fn rustfmt(sources: Vec<(String, String)>) -> Result<Vec<String>, String> {
    let dir = scratch_dir()?;
    let paths: Vec<_> = sources.iter().map(|(path, _)| dir.join(path)).collect();
    for (path, (_, source)) in paths.iter().zip(&sources) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(path, source).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into());
    let output = Command::new(&rustfmt)
        .args(["--edition", "2021"])
        .args(&paths)
        .output()
        .map_err(|e| {
            format!("cannot run `{rustfmt}` (install it with `rustup component add rustfmt`): {e}")
        });
    let result = output.and_then(|out| {
        if out.status.success() {
            paths
                .iter()
                .map(|p| {
                    fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
                })
                .collect()
        } else {
            Err(format!(
                "rustfmt failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    });
    let _ = fs::remove_dir_all(&dir);
    result
}

fn scratch_dir() -> Result<std::path::PathBuf, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ccc-codegen-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // rustfmt looks for rustfmt.toml upwards from each file; an empty one here
    // pins the defaults, which is also what the repository uses.
    fs::write(dir.join("rustfmt.toml"), "")
        .map_err(|e| format!("cannot write rustfmt.toml: {e}"))?;
    Ok(dir)
}
