//! HTTPS end to end: `ccc mock serve --tls` as a process, its `try:` line run
//! as printed, `--ca-file` and `TENCENTCLOUD_CA_FILE`, and the certificate
//! file gone once the server is stopped by a signal.
#![cfg(unix)]

use crate::common::{command, run, temp_home, text};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `ccc mock serve --tls`: its URL, the authority file it names
/// and its `try:` line.
struct Served {
    child: Child,
    url: String,
    ca_file: PathBuf,
    try_line: String,
}

fn serve_tls() -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccc"))
        .args(["mock", "serve", "--tls"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut url, mut ca_file, mut try_line) = (None, None, None);
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(u) = line.strip_prefix("CCC emulator listening on ") {
            url = Some(u.to_owned());
        }
        if let Some((_, path)) = line.split_once("to trust: ") {
            ca_file = Some(PathBuf::from(path));
        }
        if let Some(t) = line.strip_prefix("try: ") {
            try_line = Some(t.to_owned());
            break;
        }
    }
    Served {
        child,
        url: url.expect("a listening line"),
        ca_file: ca_file.expect("an authority file"),
        try_line: try_line.expect("a try line"),
    }
}

/// Sends `signal` (`INT`, `TERM`) and waits for the process to end.
fn stop(mut served: Served, signal: &str) -> std::process::ExitStatus {
    let pid = served.child.id().to_string();
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "still serving after SIG{signal}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_try_line_works_verbatim_and_the_file_goes_with_the_server() {
    for signal in ["INT", "TERM"] {
        let served = serve_tls();
        assert!(
            served.url.starts_with("https://127.0.0.1:"),
            "{}",
            served.url
        );
        assert!(served.ca_file.is_file(), "{}", served.ca_file.display());
        assert!(served.try_line.contains("--ca-file"), "{}", served.try_line);
        // Pasted into a shell with no keys and no profile of its own.
        let out = Command::new("sh")
            .args(["-c", &served.try_line])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", temp_home("tls-try"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}\n{}",
            served.try_line,
            text(&out.stderr)
        );
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(answer["Numbers"].is_array(), "{answer}");
        let ca_file = served.ca_file.clone();
        let status = stop(served, signal);
        assert!(status.success(), "SIG{signal}: {status}");
        assert!(!ca_file.exists(), "SIG{signal} left {}", ca_file.display());
    }
}

#[test]
fn the_authority_comes_from_the_flag_or_the_environment() {
    let served = serve_tls();
    let numbers = ["describe-numbers", "--sdk-app-id", "1400000000"];
    let with = |flag: bool, env: Option<&PathBuf>| {
        let mut cmd = command();
        cmd.arg("--endpoint").arg(&served.url);
        if flag {
            cmd.arg("--ca-file").arg(&served.ca_file);
        }
        cmd.env_remove("TENCENTCLOUD_CA_FILE");
        if let Some(path) = env {
            cmd.env("TENCENTCLOUD_CA_FILE", path);
        }
        cmd.args(numbers);
        run(cmd, None)
    };
    let flag = with(true, None);
    assert!(flag.status.success(), "{}", text(&flag.stderr));
    let env = with(false, Some(&served.ca_file));
    assert!(env.status.success(), "{}", text(&env.stderr));
    // Untrusted: a transport error (exit 4) that says why.
    let bare = with(false, None);
    assert_eq!(bare.status.code(), Some(4), "{}", text(&bare.stderr));
    assert!(
        text(&bare.stderr).to_lowercase().contains("certificate"),
        "{}",
        text(&bare.stderr)
    );
    // A file that is not PEM: a configuration error naming the file.
    let not_pem = temp_home("tls-not-pem").join("x.pem");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let mut cmd = command();
    cmd.arg("--endpoint")
        .arg(&served.url)
        .arg("--ca-file")
        .arg(&not_pem)
        .args(numbers);
    let bad = run(cmd, None);
    assert_eq!(bad.status.code(), Some(3), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("x.pem"), "{}", text(&bad.stderr));
    stop(served, "TERM");
}
