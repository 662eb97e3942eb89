//! What a tccli or aws-cli user reaches for, tried as they would type it,
//! against the emulator: tccli's forms (scheme-less endpoints, `file://`
//! input, wire names, negative numbers, `localhost` for the emulator, no
//! credentials anywhere), `--query`/`--filter`, `--all`, output formats,
//! request templates, `ccc configure` on tccli's files, `ccc wait`, `--debug`
//! and the help.

mod common;

use common::{blocking, ccc, command, emulator, run, temp_home, text};
use serde_json::Value;
use std::process::{Command, Stdio};

fn host_port(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned()
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

fn create_task(endpoint: &str, extra: &[&str]) -> u64 {
    let mut args = vec![
        "create-auto-callout-task",
        "--sdk-app-id",
        "1400000009",
        "--not-before",
        "0",
        "--ivr-id",
        "3",
        "--callers",
        r#"["008675500000001"]"#,
        "--callees",
        r#"["008613900000001"]"#,
    ];
    // A test that sets its own start drops the default one.
    if extra
        .iter()
        .any(|a| a.eq_ignore_ascii_case("--notbefore") || *a == "--not-before")
    {
        args.drain(3..5);
    }
    args.extend_from_slice(extra);
    json(&ccc(endpoint, &args, None))["TaskId"]
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn tccli_forms_work_as_in_tccli() {
    let e = emulator().await;
    let hp = host_port(&e.url());
    blocking(move || {
        // `--endpoint host:port`, tccli's wire names for the action and flags.
        let out = ccc(
            &hp,
            &["DescribeNumbers", "--SdkAppId", "9", "--PageSize", "3"],
            None,
        );
        assert_eq!(json(&out)["Numbers"].as_array().unwrap().len(), 3);
        // A negative number as a value (`--not-after -5`), a kebab flag after a wire one.
        let id = create_task(&hp, &["--NotBefore", "-10", "--NotAfter", "-5"]);
        let id2 = create_task(&hp, &["--not-before", "-10", "--not-after", "-5"]);
        assert!(id2 > id);
        // --cli-input-json as file://, as a path, inline, and from stdin.
        let dir = temp_home("input");
        let file = dir.join("request.json");
        std::fs::write(
            &file,
            format!(r#"{{"SdkAppId": 1400000009, "TaskId": {id}}}"#),
        )
        .unwrap();
        let uri = format!("file://{}", file.display());
        let inline = format!(r#"{{"SdkAppId": 1400000009, "TaskId": {id}}}"#);
        let cases: [(&str, Option<&str>); 4] = [
            (&uri, None),
            (file.to_str().unwrap(), None),
            (&inline, None),
            ("-", Some(&inline)),
        ];
        for (source, stdin) in cases {
            let out = ccc(
                &hp,
                &["describe-auto-callout-task", "--cli-input-json", source],
                stdin,
            );
            assert_eq!(json(&out)["NotAfter"], -5, "{source}");
        }
        // A file that is not there: a usage error naming it, nothing sent.
        let out = ccc(
            &hp,
            &[
                "describe-auto-callout-task",
                "--cli-input-json",
                "file:///nonexistent/r.json",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("/nonexistent/r.json"),
            "{}",
            text(&out.stderr)
        );
    })
    .await;
}

#[test]
fn mock_serve_takes_a_host_name() {
    use std::io::{BufRead, BufReader};
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccc"))
        .args(["mock", "serve", "--addr", &format!("localhost:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = ccc(
        &format!("localhost:{port}"),
        &["describe-numbers", "--sdk-app-id", "9"],
        None,
    );
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(
        first.trim(),
        format!("CCC emulator listening on http://127.0.0.1:{port}")
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A name that does not resolve, and no port: usage errors.
    for addr in ["no-such-host.invalid:80", "localhost"] {
        let out = run(
            {
                let mut c = command();
                c.args(["mock", "serve", "--addr", addr]);
                c
            },
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{addr}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("--addr"), "{addr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_credentials_it_says_what_it_tried_one_source_a_line() {
    let e = emulator().await;
    let hp = host_port(&e.url());
    let out = blocking(move || {
        let mut cmd = command();
        cmd.env_remove("TENCENTCLOUD_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECRET_KEY")
            .env("HOME", temp_home("nocreds"))
            .args(["--endpoint", &hp, "describe-numbers", "--sdk-app-id", "9"]);
        run(cmd, None)
    })
    .await;
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: no credentials found"),
        "{stderr}"
    );
    for source in [
        "  environment: ",
        "  tccli profile ~/.tccli/default.credential: ",
        "  SDK profile file: ",
        "  CVM instance role: not asked",
        "  TKE OIDC: ",
    ] {
        assert_eq!(
            lines.iter().filter(|l| l.starts_with(source)).count(),
            1,
            "{source}: {stderr}"
        );
    }
    assert!(stderr.contains("ccc configure set secretId"), "{stderr}");
    assert!(stderr.contains("export TENCENTCLOUD_SECRET_ID"), "{stderr}");
    assert!(lines.iter().all(|l| l.len() < 200), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn query_and_filter_select_from_the_answer() {
    let e = emulator().await;
    let url = e.url();
    blocking(move || {
        let args = |q: &'static str, expr: &'static str| {
            vec![
                "describe-numbers",
                "--sdk-app-id",
                "9",
                "--page-size",
                "3",
                q,
                expr,
            ]
        };
        let total = ccc(&url, &args("--query", "TotalCount"), None);
        assert_eq!(json(&total), 12);
        let numbers = ccc(&url, &args("--filter", "Numbers[].Number"), None);
        assert_eq!(
            json(&numbers),
            serde_json::json!(["008675500000000", "008675500000001", "008675500000002"])
        );
        let picked = ccc(
            &url,
            &args("--query", "Numbers[?Number=='008675500000001'] | [0].State"),
            None,
        );
        assert_eq!(json(&picked), 1);
        let bad = ccc(&url, &args("--query", "Numbers[?"), None);
        assert_eq!(bad.status.code(), Some(2));
        assert!(
            text(&bad.stderr).starts_with("error: --query"),
            "{}",
            text(&bad.stderr)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_follows_every_page() {
    let e = emulator().await;
    let url = e.url();
    blocking(move || {
        let one_page = json(&ccc(
            &url,
            &[
                "describe-numbers",
                "--sdk-app-id",
                "9",
                "--page-size",
                "100",
            ],
            None,
        ));
        let expected = one_page["Numbers"].as_array().unwrap().clone();
        assert_eq!(expected.len(), 12);
        // Page sizes that divide the total, that do not, and of one item.
        for size in ["1", "5", "6", "12", "13"] {
            let merged = json(&ccc(
                &url,
                &[
                    "describe-numbers",
                    "--sdk-app-id",
                    "9",
                    "--all",
                    "--page-size",
                    size,
                ],
                None,
            ));
            assert_eq!(merged["Numbers"].as_array().unwrap(), &expected, "{size}");
            assert_eq!(merged["TotalCount"], 12);
            let lines = ccc(
                &url,
                &[
                    "--output",
                    "jsonl",
                    "describe-numbers",
                    "--sdk-app-id",
                    "9",
                    "--all",
                    "--page-size",
                    size,
                ],
                None,
            );
            assert!(lines.status.success(), "{}", text(&lines.stderr));
            let items: Vec<Value> = text(&lines.stdout)
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(items, expected, "{size}");
        }
        // Streaming with a query: what it selects from each page, a page a line.
        let out = ccc(
            &url,
            &[
                "--output",
                "text",
                "describe-numbers",
                "--sdk-app-id",
                "9",
                "--all",
                "--page-size",
                "5",
                "--query",
                "Numbers[].Number",
            ],
            None,
        );
        // A list of scalars is one tab-separated line (tccli's text), a page a line.
        let numbers: Vec<String> = text(&out.stdout)
            .lines()
            .flat_map(|l| l.split('\t'))
            .map(str::to_owned)
            .collect();
        assert_eq!(text(&out.stdout).lines().count(), 3);
        let want: Vec<&str> = expected
            .iter()
            .map(|n| n["Number"].as_str().unwrap())
            .collect();
        assert_eq!(numbers, want);
        // The merged answer, narrowed.
        let count = ccc(
            &url,
            &[
                "describe-numbers",
                "--sdk-app-id",
                "9",
                "--all",
                "--page-size",
                "5",
                "--query",
                "length(Numbers)",
            ],
            None,
        );
        assert_eq!(json(&count), 12);
    })
    .await;
}

/// Every action's template goes back in through `--cli-input-json` and reaches
/// the service whole: never a usage error, an unknown or a missing member.
#[tokio::test(flavor = "multi_thread")]
async fn every_skeleton_is_accepted_back() {
    let e = emulator().await;
    let url = e.url();
    blocking(move || {
        let mut ok = 0;
        for a in ccc_spec::ACTIONS {
            let skeleton = run(
                {
                    let mut c = command();
                    c.args([a.command, "--generate-cli-skeleton"]);
                    c
                },
                None,
            );
            let template = json(&skeleton);
            let keys: Vec<&str> = template
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut members: Vec<&str> = a.input.iter().map(|m| m.name).collect();
            members.sort_unstable();
            assert_eq!(keys, members, "{}", a.name);
            let out = ccc(
                &url,
                &[a.command, "--cli-input-json", &text(&skeleton.stdout)],
                None,
            );
            let stderr = text(&out.stderr);
            assert!(
                matches!(out.status.code(), Some(0 | 1))
                    && !stderr.contains("UnknownParameter")
                    && !stderr.contains("MissingParameter"),
                "{}: {stderr}",
                a.name
            );
            ok += usize::from(out.status.success());
        }
        assert!(ok > ccc_spec::ACTIONS.len() / 2, "{ok} succeeded");
    })
    .await;
    // Nested types are filled in, enums with a documented value.
    let out = run(
        {
            let mut c = command();
            c.args(["create-auto-callout-task", "--generate-cli-skeleton"]);
            c
        },
        None,
    );
    let t = json(&out);
    assert_eq!(
        t["CalleeAttributes"][0]["Variables"][0],
        serde_json::json!({"Key": "", "Value": ""})
    );
    assert_eq!(t["AvailableWorkTimeConfig"][0]["DaysOfWeek"][0], "Monday");
    let out = run(
        {
            let mut c = command();
            c.args(["describe-numbers", "--generate-cli-skeleton", "output"]);
            c
        },
        None,
    );
    assert!(json(&out)["Numbers"][0].get("Number").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn configure_reads_and_writes_tccli_files() {
    let e = emulator().await;
    let hp = host_port(&e.url());
    let home = temp_home("configure");
    blocking({
        let home = home.clone();
        let hp = hp.clone();
        move || {
            let in_home = |args: &[&str], stdin: Option<&str>| {
                let mut c = command();
                c.env_remove("TENCENTCLOUD_SECRET_ID")
                    .env_remove("TENCENTCLOUD_SECRET_KEY")
                    .env("HOME", &home)
                    .args(args);
                run(c, stdin)
            };
            let set = in_home(
                &["configure", "set", "secretId", ccc_emulator::TEST_SECRET_ID, "secretKey", ccc_emulator::TEST_SECRET_KEY, "region", "ap-singapore", "ccc.endpoint", &hp],
                None,
            );
            assert!(set.status.success(), "{}", text(&set.stderr));
            // A call with neither environment nor flags: all from the profile.
            let out = in_home(&["describe-numbers", "--sdk-app-id", "9", "--query", "TotalCount"], None);
            assert_eq!(json(&out), 12);
            let get = in_home(&["configure", "get", "region"], None);
            assert_eq!(text(&get.stdout).trim(), "ap-singapore");
            let get = in_home(&["configure", "get", "secretKey"], None);
            assert_eq!(text(&get.stdout).trim(), "****************0000");
            let list = text(&in_home(&["configure", "list"], None).stdout);
            assert!(list.starts_with("credential:\nsecretId = ****************0000\nsecretKey = ****************0000\nconfigure:\n"), "{list}");
            assert!(list.contains("region = ap-singapore") && list.contains(&format!("ccc.endpoint = {hp}")), "{list}");
            assert!(!list.contains(ccc_emulator::TEST_SECRET_KEY));
            // Interactive, another profile: one answer a line, empty keeps.
            let asked = in_home(&["configure", "--profile", "second"], Some("AKIDSECOND\nsecond-key\n\ntable\n"));
            assert!(asked.status.success(), "{}", text(&asked.stderr));
            assert!(text(&asked.stderr).contains("TencentCloud API secretId"));
            let profiles = in_home(&["configure", "profiles"], None);
            assert_eq!(text(&profiles.stdout), "default\nsecond\n");
            let bad = in_home(&["configure", "set", "region", "x", "--profile", "../etc"], None);
            assert_eq!(bad.status.code(), Some(2));
        }
    })
    .await;
    // The files are tccli's: JSON with its key names, mode 0600.
    let dir = home.join(".tccli");
    let credential: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("default.credential")).unwrap())
            .unwrap();
    assert_eq!(
        credential,
        serde_json::json!({"secretId": ccc_emulator::TEST_SECRET_ID, "secretKey": ccc_emulator::TEST_SECRET_KEY})
    );
    let configure: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("default.configure")).unwrap())
            .unwrap();
    assert_eq!(configure["_sys_param"]["region"], "ap-singapore");
    assert_eq!(configure["ccc"]["endpoint"], hp.as_str());
    let second: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("second.configure")).unwrap())
            .unwrap();
    assert_eq!(second["_sys_param"]["output"], "table");
    assert!(second["_sys_param"].get("region").is_none());
    #[cfg(unix)]
    for name in [
        "default.credential",
        "default.configure",
        "second.credential",
        "second.configure",
    ] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    // A file as tccli writes it (other services, extra keys, its indentation) is read.
    let tccli_home = temp_home("tccli-written");
    std::fs::create_dir_all(tccli_home.join(".tccli")).unwrap();
    std::fs::write(
        tccli_home.join(".tccli/default.credential"),
        format!(
            "{{\n  \"secretId\": \"{}\",\n  \"secretKey\": \"{}\"\n}}",
            ccc_emulator::TEST_SECRET_ID,
            ccc_emulator::TEST_SECRET_KEY
        ),
    )
    .unwrap();
    std::fs::write(
        tccli_home.join(".tccli/default.configure"),
        format!("{{\n  \"_sys_param\": {{\n    \"arrayCount\": 10,\n    \"output\": \"json\",\n    \"region\": \"ap-guangzhou\",\n    \"warning\": \"off\"\n  }},\n  \"aai\": {{\n    \"endpoint\": \"aai.tencentcloudapi.com\",\n    \"version\": \"2018-05-22\"\n  }},\n  \"ccc\": {{\n    \"endpoint\": \"{hp}\",\n    \"version\": \"2020-02-10\"\n  }}\n}}"),
    )
    .unwrap();
    let out = blocking(move || {
        let mut c = command();
        c.env_remove("TENCENTCLOUD_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECRET_KEY")
            .env("HOME", &tccli_home)
            .args([
                "describe-numbers",
                "--sdk-app-id",
                "9",
                "--filter",
                "TotalCount",
            ]);
        run(c, None)
    })
    .await;
    assert_eq!(json(&out), 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_align_by_display_width() {
    use unicode_width::UnicodeWidthStr;
    let e = emulator().await;
    let url = e.url();
    let out = blocking(move || {
        let staff = r#"[{"Mail": "zhang@example.com", "Name": "张三丰", "StaffNumber": "一号", "Phone": "13900000001"},
                        {"Mail": "li@example.com", "Name": "Li", "StaffNumber": "2", "Phone": "13900000002"}]"#;
        let created = ccc(&url, &["create-staff", "--sdk-app-id", "1400000009", "--staffs", staff], None);
        assert!(created.status.success(), "{}", text(&created.stderr));
        ccc(
            &url,
            &["--output", "table", "describe-staff-info-list", "--sdk-app-id", "1400000009", "--page-size", "10", "--page-number", "0"],
            None,
        )
    })
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("张三丰"), "{stdout}");
    // Each table's lines have one display width, whatever their characters.
    for table in stdout.split("\n\n") {
        let widths: Vec<usize> = table
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
            .map(UnicodeWidthStr::width)
            .collect();
        assert!(!widths.is_empty(), "{stdout}");
        assert!(
            widths.iter().all(|w| *w == widths[0]),
            "{widths:?}\n{stdout}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_and_waiter_end_by_outcome() {
    let e = emulator().await;
    let url = e.url();
    blocking(move || {
        let wait = |name: &str, id: u64, extra: &[&str]| {
            let id = id.to_string();
            let mut args = vec![
                "wait",
                name,
                "--sdk-app-id",
                "1400000009",
                "--task-id",
                &id,
                "--delay",
                "0.05",
            ];
            args.extend_from_slice(extra);
            ccc(&url, &args, None)
        };
        let running = create_task(&url, &[]);
        // Reached: the last answer on stdout.
        let out = wait("auto-callout-task-running", running, &[]);
        assert_eq!(json(&out)["State"], 1);
        // Never reached in time: 7, saying what the state still is.
        let out = wait(
            "auto-callout-task-completed",
            running,
            &["--max-wait", "0.3"],
        );
        assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("State is still 1"),
            "{}",
            text(&out.stderr)
        );
        // Can no longer be reached: 6.
        let stop = ccc(
            &url,
            &[
                "stop-auto-callout-task",
                "--sdk-app-id",
                "1400000009",
                "--task-id",
                &running.to_string(),
            ],
            None,
        );
        assert!(stop.status.success(), "{}", text(&stop.stderr));
        let out = wait("auto-callout-task-completed", running, &[]);
        assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
        let out = wait("auto-callout-task-stopped", running, &["--query", "State"]);
        assert_eq!(json(&out), 4);
        // A task that does not exist: the service error, 1.
        let out = wait("auto-callout-task-running", 424242, &[]);
        assert_eq!(out.status.code(), Some(1));
        // tccli's --waiter on the action itself, in its quoting and in JSON.
        let id = running.to_string();
        let describe = [
            "describe-auto-callout-task",
            "--sdk-app-id",
            "1400000009",
            "--task-id",
            id.as_str(),
        ];
        let mut args = describe.to_vec();
        args.extend(["--waiter", "{'expr':'State','to':'4'}", "--query", "State"]);
        assert_eq!(json(&ccc(&url, &args, None)), 4);
        let mut args = describe.to_vec();
        args.extend([
            "--waiter",
            r#"{"expr": "State", "to": 2, "timeout": 0.3, "interval": 0.05}"#,
        ]);
        let out = ccc(&url, &args, None);
        assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("gives 4, not 2"),
            "{}",
            text(&out.stderr)
        );
        let mut args = describe.to_vec();
        args.extend(["--waiter", "{'to': 2}"]);
        assert_eq!(ccc(&url, &args, None).status.code(), Some(2));
        // Paused, resumed while waiting: the wait sees it.
        let paused = create_task(&url, &[]);
        let id = paused.to_string();
        let pause = ccc(
            &url,
            &[
                "pause-auto-callout-task",
                "--sdk-app-id",
                "1400000009",
                "--task-id",
                &id,
            ],
            None,
        );
        assert!(pause.status.success(), "{}", text(&pause.stderr));
        let waiting = {
            let mut c = command();
            c.args([
                "--endpoint",
                &url,
                "wait",
                "auto-callout-task-running",
                "--sdk-app-id",
                "1400000009",
                "--task-id",
                &id,
                "--delay",
                "0.05",
                "--max-wait",
                "120",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
            c.spawn().unwrap()
        };
        std::thread::sleep(std::time::Duration::from_millis(300));
        let resume = ccc(
            &url,
            &[
                "resume-auto-callout-task",
                "--sdk-app-id",
                "1400000009",
                "--task-id",
                &id,
            ],
            None,
        );
        assert!(resume.status.success(), "{}", text(&resume.stderr));
        let out = waiting.wait_with_output().unwrap();
        assert_eq!(json(&out)["State"], 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_shows_the_exchange_with_secrets_redacted() {
    let e = emulator().await;
    let url = e.url();
    let (debug, logged) = blocking(move || {
        let debug = ccc(
            &url,
            &[
                "--debug",
                "modify-staff-password",
                "--sdk-app-id",
                "1400000009",
                "--email",
                "a@example.com",
                "--password",
                "hunter2-very-secret",
            ],
            None,
        );
        let mut c = command();
        c.env("RUST_LOG", "tencent_cloud_runtime=debug").args([
            "--endpoint",
            "127.0.0.1:1",
            "--timeout",
            "3",
            "describe-numbers",
            "--sdk-app-id",
            "9",
        ]);
        (debug, run(c, None))
    })
    .await;
    let stderr = text(&debug.stderr);
    assert!(
        stderr.contains("X-TC-Action: ModifyStaffPassword"),
        "{stderr}"
    );
    assert!(stderr.contains(r#""Password":"***""#), "{stderr}");
    assert!(stderr.contains("debug: response:"), "{stderr}");
    // The headers as they leave, from the library's hook, and the outcome.
    for header in [
        "x-tc-action: ModifyStaffPassword",
        "x-tc-timestamp: ",
        "x-tc-version: 2020-02-10",
        "content-type: application/json",
    ] {
        assert!(stderr.contains(header), "{header}: {stderr}");
    }
    assert!(
        stderr.contains("attempt 1 of ModifyStaffPassword: HTTP 200"),
        "{stderr}"
    );
    assert!(!stderr.contains("Signature="), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!stderr.contains(ccc_emulator::TEST_SECRET_KEY), "{stderr}");
    let stderr = text(&logged.stderr);
    assert_eq!(logged.status.code(), Some(4));
    assert!(
        stderr.contains("tencent_cloud_runtime") && stderr.contains("retrying"),
        "{stderr}"
    );
}

fn help(args: &[&str]) -> String {
    let out = run(
        {
            let mut c = command();
            c.args(args);
            c
        },
        None,
    );
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn help_groups_options_and_shows_types() {
    let h = help(&["describe-auto-callout-task", "-h"]);
    assert!(
        h.contains("Usage: ccc describe-auto-callout-task --sdk-app-id <NUMBER> --task-id <NUMBER> [OPTIONS]"),
        "{h}"
    );
    let (params, global) = (
        h.find("Parameters:").unwrap(),
        h.find("Global options:").unwrap(),
    );
    assert!(params < global, "{h}");
    assert!(
        h[params..global].contains("--task-id") && !h[params..global].contains("--endpoint"),
        "{h}"
    );
    assert!(
        h[global..].contains("--endpoint") && !h[global..].contains("--task-id"),
        "{h}"
    );
    assert!(
        h.contains("Response:") && h.contains("  State  AutoCalloutTaskState"),
        "{h}"
    );
    let h = help(&["create-staff", "--help"]);
    assert!(
        h.contains("--staffs <JSON>") && h.contains("[list<SeatUserInfo>, required]"),
        "{h}"
    );
    let types = &h[h.find("Types of the parameters:").unwrap()..];
    assert!(types.contains("  SeatUserInfo:\n"), "{h}");
    assert!(types.contains("    Mail  string, required"), "{h}");
    assert!(h.contains("Types of the response:"), "{h}");
    // The emulator's command takes only its own options.
    let h = help(&["mock", "serve", "--help"]);
    for client_only in ["--output", "--profile", "--endpoint", "--region", "--query"] {
        assert!(!h.contains(client_only), "{client_only}: {h}");
    }
    assert!(h.contains("--addr"));
    // Exit codes stay documented.
    let h = help(&["--help"]);
    for code in ["141", "  6 ", "  7 ", "  3 "] {
        assert!(h.contains(code), "{code}: {h}");
    }
}

#[test]
fn an_unknown_subcommand_suggests_the_closest_few() {
    for (typed, expected) in [
        ("describe-auto-callout-tsk", "describe-auto-callout-task"),
        ("DescribeNumber", "describe-numbers"),
        ("configur", "configure"),
    ] {
        let out = run(
            {
                let mut c = command();
                c.arg(typed);
                c
            },
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        let tip = stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("tip: the closest: "))
            .unwrap_or_else(|| panic!("{stderr}"));
        let names: Vec<&str> = tip.split(", ").collect();
        assert!(
            (1..=3).contains(&names.len()) && names.contains(&expected),
            "{stderr}"
        );
    }
}
