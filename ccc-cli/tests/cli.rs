//! `ccc` driven as a user would: a spawned binary, flags, stdin, stdout, stderr
//! and exit codes, against the emulator.

use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ccc(endpoint: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ccc"));
    cmd.arg("--endpoint")
        .arg(endpoint)
        .args(args)
        .env("TENCENTCLOUD_SECRET_ID", TEST_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", TEST_SECRET_KEY)
        .env_remove("TENCENTCLOUD_SESSION_TOKEN")
        .stdin(Stdio::piped())
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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn emulator() -> Emulator {
    Emulator::start(Config::default()).await.unwrap()
}

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
                    r#"["008675500000001"]"#,
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
            Some(r#"{"SdkAppId": 1, "PageNumber": 0}"#),
        )
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("TotalCount  12"), "{stdout}");
    assert!(
        stdout.contains("Numbers:") && stdout.lines().filter(|l| l.starts_with("[]")).count() == 2,
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

#[tokio::test(flavor = "multi_thread")]
async fn mock_serve_runs_the_emulator() {
    use tokio::io::AsyncBufReadExt;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_ccc"))
        .args(["mock", "serve", "--addr", &format!("127.0.0.1:{port}")])
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
        ccc(&url, &["describe-numbers", "--sdk-app-id", "1"], None)
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    child.kill().await.unwrap();
}
