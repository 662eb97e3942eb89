//! `ccc` driven as a user would: a spawned binary, flags, stdin, stdout, stderr
//! and exit codes, against the emulator.

mod common;

// The output forms at scale, tccli's forms, and HTTPS to the emulator: parts of
// this one test binary (each binary links the whole client and emulator).
#[path = "cli/output_scales.rs"]
mod output_scales;
#[path = "cli/parity.rs"]
mod parity;
#[path = "cli/tls.rs"]
mod tls;

use ccc_emulator::{TEST_SECRET_ID, TEST_SECRET_KEY};
use common::{ccc, emulator, text};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

#[tokio::test(flavor = "multi_thread")]
async fn create_then_describe_a_task() {
    let e = emulator().await;
    let url = e.url();
    let created = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            ccc(
                &url,
                &[
                    "create-auto-callout-task",
                    "--sdk-app-id",
                    "1400000000",
                    "--not-before",
                    "0",
                    "--ivr-id",
                    "3",
                    "--callers",
                    r#"["0086075586013388"]"#,
                    "--callees",
                    r#"["008613900000001"]"#,
                    "--name",
                    "from the shell",
                ],
                None,
            )
        }
    })
    .await
    .unwrap();
    assert!(created.status.success(), "{}", text(&created.stderr));
    let created: Value = serde_json::from_slice(&created.stdout).unwrap();
    let id = created["TaskId"].as_u64().unwrap().to_string();

    let out = tokio::task::spawn_blocking(move || {
        ccc(
            &url,
            &[
                "describe-auto-callout-task",
                "--sdk-app-id",
                "1400000000",
                "--task-id",
                &id,
            ],
            None,
        )
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let task: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(task["Name"], "from the shell");
    assert_eq!(task["State"], 1);
    assert_eq!(task["IvrId"], 3);
    assert!(task["RequestId"].as_str().unwrap().starts_with("emulator-"));
}

#[tokio::test(flavor = "multi_thread")]
async fn input_json_from_stdin_and_table_output() {
    let e = emulator().await;
    let url = e.url();
    let out = tokio::task::spawn_blocking(move || {
        ccc(
            &url,
            &[
                "--output",
                "table",
                "describe-numbers",
                "--cli-input-json",
                "-",
                "--page-size",
                "2",
            ],
            Some(r#"{"SdkAppId": 9, "PageNumber": 0}"#),
        )
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("TotalCount") && l.contains("12")),
        "{stdout}"
    );
    assert!(
        stdout.contains("Numbers:")
            && stdout.lines().filter(|l| l.contains("008675500")).count() == 2,
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_go_to_stderr_with_an_exit_code_per_kind() {
    let e = emulator().await;
    let url = e.url();
    let (missing, bad_value, service) = tokio::task::spawn_blocking(move || {
        (
            ccc(
                &url,
                &["describe-auto-callout-task", "--sdk-app-id", "1"],
                None,
            ),
            ccc(
                &url,
                &[
                    "describe-auto-callout-task",
                    "--sdk-app-id",
                    "1",
                    "--task-id",
                    "three",
                ],
                None,
            ),
            ccc(
                &url,
                &[
                    "describe-auto-callout-task",
                    "--sdk-app-id",
                    "1",
                    "--task-id",
                    "424242",
                ],
                None,
            ),
        )
    })
    .await
    .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("missing required flag: --task-id"),
        "{}",
        text(&missing.stderr)
    );
    assert_eq!(bad_value.status.code(), Some(2));
    assert!(text(&bad_value.stderr).contains("--task-id: `three` is not a non-negative integer"));
    assert_eq!(service.status.code(), Some(1));
    let stderr = text(&service.stderr);
    assert!(
        stderr.contains("error: InvalidParameterValue: task 424242 does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("request id: emulator-"), "{stderr}");
    assert!(service.stdout.is_empty());

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = tokio::task::spawn_blocking(move || {
        ccc(
            &format!("http://127.0.0.1:{port}"),
            &["--timeout", "3", "describe-numbers", "--sdk-app-id", "1"],
            None,
        )
    })
    .await
    .unwrap();
    assert_eq!(down.status.code(), Some(4), "{}", text(&down.stderr));
}

#[test]
fn help_comes_from_the_spec() {
    let out = ccc(
        "http://127.0.0.1:1",
        &["describe-auto-callout-task", "--help"],
        None,
    );
    let help = text(&out.stdout);
    assert!(help.contains("--sdk-app-id"), "{help}");
    assert!(help.contains("[uint64, required]"), "{help}");
    assert!(
        help.contains("Id of the task, as returned by `CreateAutoCalloutTask`"),
        "{help}"
    );
    let top = text(&ccc("http://127.0.0.1:1", &["--help"], None).stdout);
    assert!(
        top.contains("describe-auto-callout-task")
            && top.contains("mock")
            && top.contains("completions"),
        "{top}"
    );
}

#[test]
fn completions_cover_every_action() {
    let out = Command::new(env!("CARGO_BIN_EXE_ccc"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let script = text(&out.stdout);
    assert!(
        script.contains("describe-auto-callout-task")
            && script.contains("create-predictive-dialing-campaign")
    );
}

/// `ccc mock serve EXTRA` on a free port; `describe-numbers` against it.
async fn serve_and_describe_numbers(extra: &[&str]) -> String {
    use tokio::io::AsyncBufReadExt;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_ccc"))
        .args(["mock", "serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().unwrap();
    assert_eq!(
        first,
        format!("CCC emulator listening on http://127.0.0.1:{port}")
    );
    let url = format!("http://127.0.0.1:{port}");
    let out = tokio::task::spawn_blocking(move || {
        ccc(
            &url,
            &["describe-numbers", "--sdk-app-id", "1400000000"],
            None,
        )
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    child.kill().await.unwrap();
    text(&out.stdout)
}

#[tokio::test(flavor = "multi_thread")]
async fn mock_serve_runs_the_emulator() {
    let numbers = serve_and_describe_numbers(&[]).await;
    assert!(numbers.contains("\"Numbers\""), "{numbers}");
}

/// `--site china` makes the emulator answer as the China site does:
/// `CostType`, documented only there, is in its numbers and not in the
/// international site's.
#[tokio::test(flavor = "multi_thread")]
async fn mock_serve_answers_as_the_site_it_is_told() {
    let international = serve_and_describe_numbers(&[]).await;
    assert!(international.contains("\"Number\""), "{international}");
    assert!(!international.contains("CostType"), "{international}");
    let china = serve_and_describe_numbers(&["--site", "china"]).await;
    assert!(china.contains("\"CostType\""), "{china}");
}

/// Runs `ccc ARGS` with its stdout a pipe whose reader is already gone: a shell
/// waits for a line on stdin (sent only after the reader is closed), then becomes
/// `ccc`. `input` follows that line on stdin.
fn with_stdout_gone(endpoint: &str, args: &[&str], input: &str) -> Output {
    let mut child = Command::new("sh")
        .args(["-c", r#"read ready && exec "$0" "$@""#])
        .arg(env!("CARGO_BIN_EXE_ccc"))
        .arg("--endpoint")
        .arg(endpoint)
        .args(args)
        .env("TENCENTCLOUD_SECRET_ID", TEST_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", TEST_SECRET_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("go\n{input}").as_bytes()).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_ends_every_output_quietly() {
    let e = emulator().await;
    let url = e.url();
    let outputs = tokio::task::spawn_blocking(move || {
        let cases: [(&[&str], &str); 5] = [
            (&["describe-numbers", "--sdk-app-id", "1"], ""),
            (
                &[
                    "--output",
                    "table",
                    "describe-numbers",
                    "--cli-input-json",
                    "-",
                ],
                r#"{"SdkAppId": 1}"#,
            ),
            (&["completions", "bash"], ""),
            (&["completions", "zsh"], ""),
            (&["demo"], ""),
        ];
        cases.map(|(args, input)| (args, with_stdout_gone(&url, args, input)))
    })
    .await
    .unwrap();
    for (args, out) in outputs {
        assert_eq!(
            out.status.code(),
            Some(141),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
    // Help goes through the argument parser's own printing: quiet, too.
    let help = with_stdout_gone("http://127.0.0.1:1", &["--help"], "");
    assert!(help.stderr.is_empty(), "{}", text(&help.stderr));
}

#[test]
fn numeric_flags_out_of_range_are_usage_errors() {
    let cases: [(&[&str], &str); 12] = [
        (
            &[
                "--timeout",
                "18446744073709551615",
                "describe-numbers",
                "--sdk-app-id",
                "1",
            ],
            "--timeout",
        ),
        (
            &[
                "--timeout",
                "18446744073709551616",
                "describe-numbers",
                "--sdk-app-id",
                "1",
            ],
            "--timeout",
        ),
        (
            &["--timeout", "0", "describe-numbers", "--sdk-app-id", "1"],
            "--timeout",
        ),
        (
            &["--timeout=-1", "describe-numbers", "--sdk-app-id", "1"],
            "--timeout",
        ),
        (
            &[
                "--timeout",
                "86401",
                "describe-numbers",
                "--sdk-app-id",
                "1",
            ],
            "--timeout",
        ),
        (
            &["mock", "serve", "--latency-ms", "18446744073709551615"],
            "--latency-ms",
        ),
        (
            &["mock", "serve", "--rate-limited", "1.5"],
            "--rate-limited",
        ),
        (
            &["mock", "serve", "--rate-limited", "NaN"],
            "--rate-limited",
        ),
        (
            &["mock", "serve", "--server-errors", "inf"],
            "--server-errors",
        ),
        (&["mock", "serve", "--dropped=-0.1"], "--dropped"),
        (&["create-ai-call", "--temperature", "nan"], "--temperature"),
        (
            &["describe-numbers", "--sdk-app-id", "18446744073709551616"],
            "--sdk-app-id",
        ),
    ];
    for (args, flag) in cases {
        let out = ccc("http://127.0.0.1:1", args, None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(flag) && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_longest_timeout_is_accepted() {
    let e = emulator().await;
    let url = e.url();
    let out = tokio::task::spawn_blocking(move || {
        ccc(
            &url,
            &[
                "--timeout",
                "86400",
                "describe-numbers",
                "--sdk-app-id",
                "1",
            ],
            None,
        )
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `ccc describe-numbers` against `url` succeeds within `within`.
fn answers_within(url: &str, within: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + within;
    loop {
        if ccc(
            url,
            &["--timeout", "5", "describe-numbers", "--sdk-app-id", "1"],
            None,
        )
        .status
        .success()
        {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn mock_serve_keeps_serving_with_stdout_gone() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut child = Command::new("sh")
        .args(["-c", r#"read ready && exec "$0" "$@""#])
        .arg(env!("CARGO_BIN_EXE_ccc"))
        .args(["mock", "serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.stdin.take().unwrap().write_all(b"go\n").unwrap();
    let served = answers_within(&url, std::time::Duration::from_secs(30));
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(served && running, "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn mock_serve_reports_failed_accepts_and_keeps_serving() {
    use std::io::{BufRead, BufReader};
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    // Few file descriptors: a few dozen idle connections exhaust them.
    let mut child = Command::new("sh")
        .args(["-c", r#"ulimit -n 48 && exec "$0" "$@""#])
        .arg(env!("CARGO_BIN_EXE_ccc"))
        .args(["mock", "serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("CCC emulator listening"), "{first}");
    let (lines, errors) = std::sync::mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let idle: Vec<std::net::TcpStream> = (0..100)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    let reported = errors
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_default();
    assert!(
        reported.contains("cannot accept a connection") && reported.contains("retrying"),
        "{reported}"
    );
    drop(idle);
    let served = answers_within(&url, std::time::Duration::from_secs(30));
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(served, "not serving after the descriptors were freed");
    assert!(running, "the emulator exited");
    let rest: Vec<String> = errors.try_iter().collect();
    assert!(rest.iter().all(|l| !l.contains("panicked")), "{rest:?}");
}
