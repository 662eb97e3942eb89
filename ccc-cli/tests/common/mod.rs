//! Running `ccc` as a user would: a spawned binary with arguments, stdin, an
//! environment of its own (a temporary HOME, so no real profile is read) and
//! its stdout, stderr and exit code.

#![allow(dead_code)]

pub mod big_answer;

use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A fresh empty directory for HOME.
pub fn temp_home(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("ccc-home")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `ccc` with the test key pair in the environment and an empty HOME.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ccc"));
    cmd.env("TENCENTCLOUD_SECRET_ID", TEST_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", TEST_SECRET_KEY)
        .env("HOME", temp_home("default"))
        .env_remove("TENCENTCLOUD_SESSION_TOKEN")
        .env_remove("TENCENTCLOUD_CREDENTIALS_FILE")
        .env_remove("TENCENTCLOUD_REGION")
        .env_remove("RUST_LOG");
    cmd
}

/// Runs `cmd` with `stdin` written to it (then closed).
pub fn run(mut cmd: Command, stdin: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn ccc");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// `ccc --endpoint ENDPOINT ARGS`, with the test key pair.
pub fn ccc(endpoint: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = command();
    cmd.arg("--endpoint").arg(endpoint).args(args);
    run(cmd, stdin)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub async fn emulator() -> Emulator {
    Emulator::start(Config::default()).await.unwrap()
}

/// Runs blocking work (spawning `ccc`) off the runtime that serves the emulator.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}
