//! Printing generated tokens as source that `cargo fmt --check` accepts.
//!
//! prettyplease turns tokens into readable code; rustfmt then settles the few
//! percent of lines where the two disagree, so the checked-in files are exactly
//! what `cargo fmt` would leave. All files of a job go through one rustfmt
//! process.
//!
//! Formatting is most of what `cargo xtask codegen` costs, and it is the same
//! work every run when the spec has not changed, so the repository's runs keep
//! each file's formatted text in a cache (`target/codegen-cache`), keyed by the
//! generated tokens and the generator binary that made them: a file whose
//! tokens are unchanged is neither printed nor formatted again. A rebuilt
//! generator (new code, new prettyplease) starts the cache afresh.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;

/// Formats each `(path, tokens-as-file)` with prettyplease, then rustfmt
/// (edition 2021), taking what `cache` (a directory) already holds for the
/// same tokens.
pub(crate) fn format_all(
    files: Vec<(String, proc_macro2::TokenStream)>,
    cache: Option<&Path>,
) -> Result<Vec<String>, String> {
    let stamp = cache.map(|_| generator_stamp());
    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    let mut out: Vec<Option<String>> = vec![None; files.len()];
    let mut todo = Vec::new();
    for (i, (path, tokens)) in files.into_iter().enumerate() {
        let key = stamp.map(|stamp| key_of(stamp, &path, &tokens));
        if let (Some(dir), Some(key)) = (cache, key) {
            if let Some(hit) = cached(dir, &path, key) {
                out[i] = Some(hit);
                continue;
            }
        }
        let mut setters = Vec::new();
        let tokens = crate::setters_macro::take_bodies(tokens, &mut setters);
        let file: syn::File = syn::parse2(tokens).map_err(|e| {
            format!("generated code for {path} does not parse (a codegen bug): {e}")
        })?;
        let text = crate::setters_macro::put_bodies(pretty(file), &setters);
        todo.push((i, path, key, text));
    }
    if !todo.is_empty() {
        let sources = todo
            .iter()
            .map(|(_, p, _, s)| (p.clone(), s.clone()))
            .collect();
        let formatted = rustfmt(sources, &paths)?;
        for ((i, path, key, _), text) in todo.into_iter().zip(formatted) {
            if let (Some(dir), Some(key)) = (cache, key) {
                // A cache that cannot be written only costs the next run time.
                let _ = store(dir, &path, key, &text);
            }
            out[i] = Some(text);
        }
    }
    out.into_iter()
        .collect::<Option<Vec<String>>>()
        .ok_or_else(|| "a generated file was neither formatted nor cached (a codegen bug)".into())
}

/// `file` printed by prettyplease, with the bodies of its item-making
/// `macro_rules!` (`() => { items };`, as the request setters are written)
/// printed as code too: prettyplease keeps a macro's tokens as one run of
/// text, and rustfmt then leaves a body it did not write alone.
fn pretty(mut file: syn::File) -> String {
    let mut bodies = Vec::new();
    for item in &mut file.items {
        let syn::Item::Macro(m) = item else { continue };
        if m.ident.is_none() {
            continue;
        }
        let Some(body) = items_of_macro_rules(&m.mac.tokens) else {
            continue;
        };
        let marker = quote::format_ident!("__codegen_macro_body_{}", bodies.len());
        m.mac.tokens = quote::quote!(() => { #marker };);
        bodies.push((marker.to_string(), body));
    }
    let mut text = prettyplease::unparse(&file);
    for (marker, body) in bodies {
        let wrapped: syn::File = syn::parse_quote!(impl __Body { #body });
        let printed = prettyplease::unparse(&wrapped);
        // The impl's lines without its first and last, one level in.
        let lines: Vec<&str> = printed.lines().collect();
        let inner = lines
            .get(1..lines.len().saturating_sub(1))
            .unwrap_or_default();
        let Some(at) = text.find(&marker) else {
            continue;
        };
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent = &text[line_start..at];
        let replaced: String = inner
            .iter()
            .map(|l| {
                let l = l.strip_prefix("    ").unwrap_or(l);
                if l.is_empty() {
                    "\n".to_owned()
                } else {
                    format!("{indent}{l}\n")
                }
            })
            .collect();
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        text.replace_range(line_start..line_end, &replaced);
    }
    text
}

/// The body of `() => { body };` when it is a list of impl items.
fn items_of_macro_rules(tokens: &proc_macro2::TokenStream) -> Option<proc_macro2::TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Group(matcher), TokenTree::Punct(eq), TokenTree::Punct(gt), TokenTree::Group(body), rest @ ..]
            if matcher.delimiter() == Delimiter::Parenthesis
                && matcher.stream().is_empty()
                && eq.as_char() == '='
                && gt.as_char() == '>'
                && body.delimiter() == Delimiter::Brace
                && rest.len() <= 1 =>
        {
            let body = body.stream();
            syn::parse2::<syn::File>(quote::quote!(impl __Body { #body })).ok()?;
            Some(body)
        }
        _ => None,
    }
}

/// What identifies the generator binary: its size and modification time.
fn generator_stamp() -> u64 {
    let mut h = DefaultHasher::new();
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|p| fs::metadata(p).ok())
    {
        meta.len().hash(&mut h);
        if let Ok(modified) = meta.modified() {
            modified.hash(&mut h);
        }
    }
    std::env::var("RUSTFMT").ok().hash(&mut h);
    h.finish()
}

/// The cache key of one file: the generator, its path and its tokens.
fn key_of(stamp: u64, path: &str, tokens: &proc_macro2::TokenStream) -> u64 {
    let mut h = DefaultHasher::new();
    stamp.hash(&mut h);
    path.hash(&mut h);
    tokens.to_string().hash(&mut h);
    h.finish()
}

/// The cache file of `path`: one per generated file, so the cache stays as
/// small as the generated code.
fn cache_file(dir: &Path, path: &str) -> std::path::PathBuf {
    dir.join(format!("{}.rs", path.replace(['/', '\\'], "__")))
}

/// The formatted text cached for `path` under `key`, if any.
fn cached(dir: &Path, path: &str, key: u64) -> Option<String> {
    let text = fs::read_to_string(cache_file(dir, path)).ok()?;
    let (first, body) = text.split_once('\n')?;
    (first == format!("// {key:016x}")).then(|| body.to_owned())
}

fn store(dir: &Path, path: &str, key: u64, text: &str) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(cache_file(dir, path), format!("// {key:016x}\n{text}"))
}

/// Runs rustfmt over `sources` laid out as they will be on disk (rustfmt follows
/// `mod` declarations, so the module tree must resolve: the job's other files,
/// `all`, are there empty).
fn rustfmt(sources: Vec<(String, String)>, all: &[String]) -> Result<Vec<String>, String> {
    let dir = scratch_dir()?;
    for other in all.iter().filter(|p| !sources.iter().any(|(s, _)| s == *p)) {
        let path = dir.join(other);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, "").map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn files(body: proc_macro2::TokenStream) -> Vec<(String, proc_macro2::TokenStream)> {
        vec![
            (
                "lib.rs".into(),
                quote!(
                    pub mod a;
                    pub fn root() {}
                ),
            ),
            ("a.rs".into(), body),
        ]
    }

    #[test]
    fn cached_and_fresh_formatting_agree_file_by_file() {
        let dir = std::env::temp_dir().join(format!("codegen-cache-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let first = quote!(
            pub fn a() -> u32 {
                1
            }
        );
        let second = quote!(
            pub fn a() -> u32 {
                2
            }
        );
        let fresh = format_all(files(first.clone()), None).unwrap();
        assert_eq!(format_all(files(first.clone()), Some(&dir)).unwrap(), fresh);
        // Served from the cache, then one file changed: only it is formatted
        // again (the other stays a placeholder for rustfmt), with the same text
        // as a run without a cache.
        assert_eq!(format_all(files(first), Some(&dir)).unwrap(), fresh);
        let changed = format_all(files(second.clone()), Some(&dir)).unwrap();
        assert_eq!(changed, format_all(files(second), None).unwrap());
        assert_eq!(changed[0], fresh[0]);
        assert!(changed[1].contains('2'), "{}", changed[1]);
        let _ = fs::remove_dir_all(&dir);
    }
}
