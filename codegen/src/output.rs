//! Writing generated files into place, or checking that they are up to date.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// A generated file: its path under the output directory and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// Full contents, header included.
    pub contents: String,
}

/// How a file on disk differs from what the spec gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Missing on disk.
    Added(PathBuf),
    /// Different on disk.
    Modified(PathBuf),
    /// On disk, but no longer generated.
    Removed(PathBuf),
}

impl Change {
    /// The file concerned.
    pub fn path(&self) -> &Path {
        match self {
            Change::Added(p) | Change::Modified(p) | Change::Removed(p) => p,
        }
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added(p) => write!(f, "missing: {}", p.display()),
            Change::Modified(p) => write!(f, "stale: {}", p.display()),
            Change::Removed(p) => write!(f, "no longer generated: {}", p.display()),
        }
    }
}

/// Compares `files` with `out_dir`; with `write`, also brings the directory up to
/// date (writing only changed files, deleting `.rs` files no longer generated).
pub fn sync(out_dir: &Path, files: &[GeneratedFile], write: bool) -> std::io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut wanted = BTreeSet::new();
    for file in files {
        let path = out_dir.join(&file.path);
        wanted.insert(path.clone());
        match fs::read_to_string(&path) {
            Ok(existing) if existing == file.contents => continue,
            Ok(_) => changes.push(Change::Modified(path.clone())),
            Err(_) => changes.push(Change::Added(path.clone())),
        }
        if write {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &file.contents)?;
        }
    }
    for existing in rust_files(out_dir)? {
        if !wanted.contains(&existing) {
            if write {
                fs::remove_file(&existing)?;
            }
            changes.push(Change::Removed(existing));
        }
    }
    Ok(changes)
}

fn rust_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
