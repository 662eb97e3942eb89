//! The forms tccli users type, through the `ccc` binary against the emulator:
//! `--cli-unfold-argument`, `help` and `help --detail`, `--version`, paging
//! members left to their defaults, `--output text` in tccli's layout, and
//! the exit codes documented.

use crate::common::{blocking, ccc, command, emulator, run, text};
use serde_json::Value;

fn ccc_alone(args: &[&str]) -> std::process::Output {
    let mut cmd = command();
    cmd.args(args);
    run(cmd, None)
}

#[test]
fn version_and_help_as_tccli_has_them() {
    let version = ccc_alone(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        text(&version.stdout).trim(),
        format!("ccc {}", env!("CARGO_PKG_VERSION"))
    );

    let help = ccc_alone(&["help"]);
    assert!(help.status.success(), "{}", text(&help.stderr));
    let help = text(&help.stdout);
    for part in [
        "USAGE",
        "OPTIONS",
        "AVAILABLE ACTIONS",
        "<DescribeIvrAudioList>",
        "Exit codes",
        "255",
        "ccc help --detail",
    ] {
        assert!(help.contains(part), "{part} missing:\n{help}");
    }

    let detail = text(&ccc_alone(&["help", "--detail"]).stdout);
    assert!(
        detail.contains("    DescribeIvrAudioList (describe-ivr-audio-list)\n    List the IVR audio files of an application.\n"),
        "{detail}"
    );
    // tccli's `ACTION help` is `help ACTION`; `--detail` adds every member's docs.
    let one = ccc_alone(&["DescribeIvrAudioList", "help"]);
    assert!(one.status.success(), "{}", text(&one.stderr));
    assert_eq!(
        one.stdout,
        ccc_alone(&["help", "describe-ivr-audio-list"]).stdout
    );
    assert!(text(&one.stdout).contains("--page-size"));
    let long = ccc_alone(&["help", "describe-ivr-audio-list", "--detail"]);
    assert!(long.stdout.len() > one.stdout.len());
    let unknown = ccc_alone(&["help", "describe-ivr-audio-lst"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("describe-ivr-audio-list"));

    // The exit codes, with the reason they differ from tccli's, in --help too.
    let root = text(&ccc_alone(&["--help"]).stdout);
    assert!(
        root.contains("Exit codes") && root.contains("tccli ends with 255"),
        "{root}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unfolded_arguments_build_nested_members() {
    let e = emulator().await;
    let url = e.url();
    blocking(move || {
        let created = ccc(
            &url,
            &[
                "CreateStaff",
                "--cli-unfold-argument",
                "--SdkAppId",
                "1400000000",
                "--Staffs.0.Mail",
                "unfold0@example.com",
                "--Staffs.0.Name",
                "Unfold Zero",
                "--Staffs.0.StaffNumber",
                "9100",
                "--Staffs.1.Mail",
                "unfold1@example.com",
                "--Staffs.1.Name",
                "Unfold One",
                "--Staffs.1.StaffNumber",
                "9101",
            ],
            None,
        );
        assert!(created.status.success(), "{}", text(&created.stderr));
        for (mail, name) in [
            ("unfold0@example.com", "Unfold Zero"),
            ("unfold1@example.com", "Unfold One"),
        ] {
            let found = ccc(
                &url,
                &[
                    "describe-staff-info-list",
                    "--sdk-app-id",
                    "1400000000",
                    "--staff-mail",
                    mail,
                ],
                None,
            );
            let found: Value = serde_json::from_slice(&found.stdout).unwrap();
            assert_eq!(found["StaffList"][0]["Name"], name, "{found}");
        }
        // tccli's rule: indexes run from 0 with no gap; a usage error otherwise.
        let gap = ccc(
            &url,
            &[
                "CreateStaff",
                "--cli-unfold-argument",
                "--SdkAppId",
                "1400000000",
                "--Staffs.1.Mail",
                "x@example.com",
            ],
            None,
        );
        assert_eq!(gap.status.code(), Some(2), "{}", text(&gap.stderr));
        assert!(
            text(&gap.stderr).contains("--Staffs: the indexes of a list run from 0"),
            "{}",
            text(&gap.stderr)
        );
        // Without the flag a dotted path is an unknown flag.
        let plain = ccc(
            &url,
            &[
                "CreateStaff",
                "--SdkAppId",
                "1400000000",
                "--Staffs.0.Mail",
                "x@example.com",
            ],
            None,
        );
        assert_eq!(plain.status.code(), Some(2));
        assert!(
            text(&plain.stderr).contains("needs --cli-unfold-argument"),
            "{}",
            text(&plain.stderr)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn paging_members_with_defaults_are_not_required() {
    let e = emulator().await;
    let url = e.url();
    blocking(move || {
        let out = ccc(
            &url,
            &[
                "--debug",
                "describe-ivr-audio-list",
                "--sdk-app-id",
                "1400000000",
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        // The paginator's first page, with the largest page size.
        assert!(
            text(&out.stderr).contains(r#""PageNumber":0,"PageSize":50"#),
            "{}",
            text(&out.stderr)
        );
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(answer["FileInfo"].is_array(), "{answer}");
        // Given, they are sent as given; members without a default stay required.
        let paged = ccc(
            &url,
            &[
                "--debug",
                "describe-ivr-audio-list",
                "--sdk-app-id",
                "1400000000",
                "--page-size",
                "1",
            ],
            None,
        );
        assert!(text(&paged.stderr).contains(r#""PageSize":1"#));
        let missing = ccc(&url, &["describe-ivr-audio-list"], None);
        assert_eq!(missing.status.code(), Some(2));
        assert!(
            text(&missing.stderr).contains("missing required flag: --sdk-app-id"),
            "{}",
            text(&missing.stderr)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn text_output_is_laid_out_as_tccli_lays_it_out() {
    let e = emulator().await;
    let url = e.url();
    let (json, txt) = blocking(move || {
        let args = [
            "describe-staff-info-list",
            "--sdk-app-id",
            "1400000000",
            "--page-size",
            "10",
            "--page-number",
            "0",
        ];
        let json = ccc(&url, &args, None);
        let mut text_args = vec!["--output", "text"];
        text_args.extend(args);
        (json, ccc(&url, &text_args, None))
    })
    .await;
    assert!(txt.status.success(), "{}", text(&txt.stderr));
    let answer: Value = serde_json::from_slice(&json.stdout).unwrap();
    let shown = text(&txt.stdout);
    let lines: Vec<&str> = shown.lines().collect();
    // First the scalars, by name (RequestId, TotalCount), values only.
    let first: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(first.len(), 2, "{shown}");
    assert_eq!(first[1], answer["TotalCount"].to_string());
    // Then each staff member: STAFFLIST and its scalar members, sorted by name.
    let staff = answer["StaffList"].as_array().unwrap();
    let mut columns: Vec<&String> = staff
        .iter()
        .flat_map(|s| s.as_object().unwrap().iter())
        .filter(|(_, v)| !v.is_array() && !v.is_object())
        .map(|(k, _)| k)
        .collect();
    columns.sort();
    columns.dedup();
    let rows: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("STAFFLIST\t"))
        .collect();
    assert_eq!(rows.len(), staff.len(), "{shown}");
    let expected: Vec<String> = columns
        .iter()
        .map(|c| match &staff[0][c.as_str()] {
            Value::String(s) => s.clone(),
            Value::Null => "None".into(),
            Value::Bool(b) => {
                if *b {
                    "True".into()
                } else {
                    "False".into()
                }
            }
            other => other.to_string(),
        })
        .collect();
    assert_eq!(
        rows[0].split('\t').skip(1).collect::<Vec<_>>(),
        expected,
        "{shown}"
    );
    // A member's list of objects follows its line, named in capitals.
    if staff[0]["SkillGroupList"]
        .as_array()
        .is_some_and(|l| !l.is_empty())
    {
        let at = lines.iter().position(|l| l == rows[0]).unwrap();
        assert!(lines[at + 1].starts_with("SKILLGROUPLIST\t"), "{shown}");
    }
}
