//! Trimmed copies of the repository for the end-to-end tests that change the
//! spec, generate, and build as a user would (`add_action`, `add_service`).
//!
//! A copy lives under the tests' `CARGO_TARGET_TMPDIR` and builds with the
//! workspace's own target directory, so dependencies already built are reused;
//! files are written only when their contents differ, so a second run finds
//! them fresh and rebuilds nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Copies `from` into `to`, writing only files whose contents differ, skipping
/// `target` and `generated` (which the generator writes in the copy). What
/// `from` no longer has is removed from `to` (an entry rewritten in another
/// format must not be found twice by the loader). `ccc-emulator` lines are
/// left out of manifests: the copies do not hold the emulator.
pub fn mirror(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(to).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "target" || name == "generated" || from.join(name).exists() {
            continue;
        }
        if path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        } else {
            fs::remove_file(&path).unwrap();
        }
    }
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "target" || name == "generated" {
            continue;
        }
        let target = to.join(name);
        if path.is_dir() {
            mirror(&path, &target);
        } else if name == "Cargo.toml" {
            let manifest: String = fs::read_to_string(&path)
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with("ccc-emulator"))
                .map(|l| format!("{l}\n"))
                .collect();
            write_if_changed(&target, manifest.as_bytes());
        } else {
            write_if_changed(&target, &fs::read(&path).unwrap());
        }
    }
}

/// Writes `contents` to `path` unless it already holds them.
pub fn write_if_changed(path: &Path, contents: &[u8]) {
    if fs::read(path).ok().as_deref() != Some(contents) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
}

/// A copy of the repository at `copy` holding the crates every service crate
/// stands on (the runtime, the config crate, the generated service crates
/// under `services/`), the spec, and `extra` directories, as one workspace with
/// the repository's lock file and profile settings. Its members are those
/// crates and `extra`.
pub fn workspace_copy(copy: &Path, extra: &[&str]) {
    let root = repo_root();
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let start = manifest.find("members = [").expect("workspace members");
    let end = start
        + manifest[start..]
            .find(']')
            .expect("end of the members list")
        + 1;
    let mut members = vec![
        "tencent-cloud-runtime",
        "tencent-cloud-config",
        "services/*",
    ];
    members.extend_from_slice(extra);
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    write_if_changed(
        &copy.join("Cargo.toml"),
        manifest
            .replace(
                &manifest[start..end],
                &format!("members = [{}]", list.join(", ")),
            )
            .as_bytes(),
    );
    write_if_changed(
        &copy.join("Cargo.lock"),
        &fs::read(root.join("Cargo.lock")).unwrap(),
    );
    for dir in [
        "tencent-cloud-runtime",
        "tencent-cloud-config",
        "services",
        "spec",
    ]
    .iter()
    .chain(extra)
    {
        mirror(&root.join(dir), &copy.join(dir));
    }
}

/// The workspace's target directory, which the copies build into: the parent
/// of an integration test's `CARGO_TARGET_TMPDIR` (given, since only
/// integration tests have it).
pub fn shared_target_dir(target_tmpdir: &Path) -> PathBuf {
    target_tmpdir
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// `cargo <args>` in `dir`, offline, into `target_dir`.
pub fn cargo(dir: &Path, target_dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    // Cargo sets `CARGO_MANIFEST_DIR` and friends for this test; build
    // scripts that track them (ring's) would then look dirty to every other
    // build sharing the target directory, which would rebuild them.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("CARGO_") && name != "CARGO_HOME" {
            command.env_remove(&name);
        }
    }
    command
        .arg(args[0])
        .arg("--offline")
        .args(&args[1..])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .unwrap()
}

/// Builds the example `probe` of `package` in the copy at `copy`, failing the
/// test with cargo's messages when it does not build.
pub fn build_probe(copy: &Path, target_dir: &Path, package: &str) {
    let started = std::time::Instant::now();
    let build = cargo(
        copy,
        target_dir,
        &["build", "-p", package, "--example", "probe"],
    );
    assert!(
        build.status.success(),
        "{package} does not build in the copy:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    eprintln!("built {package} in the copy in {:.1?}", started.elapsed());
}

/// Runs the probe built by [`build_probe`] against `url` with the key pair
/// in `PROBE_SECRET_ID` / `PROBE_SECRET_KEY`; its standard output, failing
/// the test with its standard error when it fails.
pub fn run_probe(target_dir: &Path, url: &str, secret_id: &str, secret_key: &str) -> String {
    let probe = target_dir
        .join("debug/examples")
        .join(format!("probe{}", std::env::consts::EXE_SUFFIX));
    let run = Command::new(probe)
        .arg(url)
        .env("PROBE_SECRET_ID", secret_id)
        .env("PROBE_SECRET_KEY", secret_key)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "the probe failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}
