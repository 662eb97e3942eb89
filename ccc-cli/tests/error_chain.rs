//! `ccc` prints an error with each of its causes on its own line, once.

use std::process::Command;

#[test]
fn a_transport_error_prints_its_causes_once_each() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Command::new(env!("CARGO_BIN_EXE_ccc"))
        .args(["--endpoint", &format!("http://127.0.0.1:{port}")])
        .args(["--timeout", "5", "describe-numbers", "--sdk-app-id", "1"])
        .env("TENCENTCLOUD_SECRET_ID", "AKIDTEST")
        .env("TENCENTCLOUD_SECRET_KEY", "TESTKEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines[0].starts_with("error: could not connect"), "{stderr}");
    let causes: Vec<&str> = lines[1..]
        .iter()
        .map(|l| {
            l.strip_prefix("  caused by: ")
                .unwrap_or_else(|| panic!("{stderr}"))
        })
        .collect();
    assert!(causes.len() >= 2, "{stderr}");
    assert!(stderr.to_lowercase().contains("refused"), "{stderr}");
    for (i, cause) in causes.iter().enumerate() {
        assert!(!lines[0].contains(cause), "{stderr}");
        for deeper in &causes[i + 1..] {
            assert!(!cause.contains(deeper), "{stderr}");
        }
    }
}
