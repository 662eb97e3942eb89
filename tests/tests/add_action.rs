//! The README's "Adding an action" workflow, done as a user does it on a copy of
//! the repository: write a new action (and a new type) into the spec, run the
//! generator into `ccc-api`, build, and call the new action against a loopback
//! server. Fails when a step the README lists is missing or wrong.
//!
//! The copy lives in `target/tmp/add-action` and builds with the workspace's
//! target directory, so dependencies already built are reused and files that did
//! not change are not touched (a second run only checks freshness).

use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const ACTION: &str = r#"{
  "$schema": "../../../schema.json",
  "action": "DescribeWaitingQueues",
  "summary": "List the callers waiting in each skill group's queue.",
  "doc": "Reads, per skill group, how many calls are waiting for an agent and how long the oldest has waited.",
  "reference": "https://www.tencentcloud.com/document/api/1229",
  "category": "calls",
  "rate_limit": 10,
  "idempotent": true,
  "input": [
    { "name": "SdkAppId", "type": "uint64", "presence": "required", "doc": "Application id (`SdkAppId`).", "example": 1400000000 },
    { "name": "SkillGroupIds", "type": "list<int64>", "presence": "optional", "doc": "Skill groups to read; all when left out.", "example": [3] }
  ],
  "output": [
    { "name": "Queues", "type": "list<WaitingQueue>", "presence": "required", "doc": "One entry per skill group." },
    { "name": "TotalCount", "type": "int64", "presence": "required", "doc": "Number of entries.", "example": 1 }
  ],
  "errors": ["InvalidParameterValue"],
  "examples": [
    {
      "title": "One queue",
      "input": { "SdkAppId": 1400000000, "SkillGroupIds": [3] },
      "output": { "Response": { "Queues": [{ "SkillGroupId": 3, "Waiting": 2, "LongestWaitSeconds": 41 }], "TotalCount": 1, "RequestId": "a-1" } }
    }
  ]
}
"#;

const TYPE: &str = r#"{
  "$schema": "../../../schema.json",
  "object": "WaitingQueue",
  "doc": "Calls waiting in one skill group's queue.",
  "members": [
    { "name": "SkillGroupId", "type": "int64", "presence": "optional", "doc": "Id of the skill group.", "example": 3 },
    { "name": "Waiting", "type": "int64", "presence": "optional", "doc": "Calls waiting for an agent.", "example": 2 },
    { "name": "LongestWaitSeconds", "type": "int64", "presence": "optional", "doc": "Wait of the oldest call, in seconds.", "example": 41 }
  ]
}
"#;

/// A program using the new action as users would: `client.describe_waiting_queues()`.
const PROBE: &str = r#"
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let endpoint = std::env::args().nth(1).expect("endpoint");
    let client = ccc_api::Client::builder()
        .credentials(ccc_api::Credentials::new(
            std::env::var("PROBE_SECRET_ID").unwrap(),
            std::env::var("PROBE_SECRET_KEY").unwrap(),
        ))
        .endpoint_url(endpoint)
        .build()
        .unwrap();
    let answer = client
        .describe_waiting_queues()
        .sdk_app_id(1400000000)
        .skill_group_ids(vec![3])
        .send()
        .await
        .unwrap();
    let queue: &ccc_api::types::WaitingQueue = &answer.queues[0];
    println!("{} {:?} {:?} {:?}", answer.total_count, queue.skill_group_id, queue.waiting, queue.longest_wait_seconds);
}
"#;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Copies `from` into `to`, writing only files whose contents differ (so that
/// cargo sees unchanged files as fresh), skipping `target` and `generated`.
/// What `from` no longer has is removed from `to` (an entry rewritten in
/// another format must not be found twice by the loader).
fn mirror(from: &Path, to: &Path) {
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
        // `generated` is written by the generator below; copying the repository's
        // version first would touch it on every run and force a rebuild.
        if name == "target" || name == "generated" {
            continue;
        }
        let target = to.join(name);
        if path.is_dir() {
            mirror(&path, &target);
        } else if name == "Cargo.toml" {
            // The copy has no emulator: drop the dev-dependency of ccc-api's example.
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

fn write_if_changed(path: &Path, contents: &[u8]) {
    if fs::read(path).ok().as_deref() != Some(contents) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_action_in_the_spec_is_generated_built_and_answered() {
    let root = repo_root();
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("add-action");
    // The workspace's own target directory: dependencies are not built twice.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_path_buf();

    // A repository of two members: the copies of `ccc-api` and the runtime it
    // stands on, same lock file and profile settings as the workspace.
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .expect("workspace members line");
    write_if_changed(
        &copy.join("Cargo.toml"),
        manifest
            .replace(members, r#"members = ["tencent-cloud-runtime", "ccc-api"]"#)
            .as_bytes(),
    );
    write_if_changed(
        &copy.join("Cargo.lock"),
        &fs::read(root.join("Cargo.lock")).unwrap(),
    );
    mirror(&root.join("ccc-api"), &copy.join("ccc-api"));
    mirror(
        &root.join("tencent-cloud-runtime"),
        &copy.join("tencent-cloud-runtime"),
    );
    mirror(&root.join("spec"), &copy.join("spec"));

    // Step 1 of the README: the new entries.
    let spec = copy.join("spec/ccc/2020-02-10");
    write_if_changed(
        &spec.join("actions/DescribeWaitingQueues.json"),
        ACTION.as_bytes(),
    );
    write_if_changed(&spec.join("types/WaitingQueue.json"), TYPE.as_bytes());

    // Step 2: `cargo xtask codegen` (the same library call, on the copy).
    let files = codegen::generate_from_dir(&spec, &codegen::Options::module_of_crate(true))
        .unwrap_or_else(|e| panic!("the new entries do not validate:\n{e}"));
    let out = copy.join("ccc-api/src/generated");
    codegen::sync(&out, &files, true).unwrap();
    assert!(out.join("operation/describe_waiting_queues.rs").exists());

    // The public API listing names what users gain.
    let runtime = copy.join(codegen::RUNTIME_LIB);
    let deps = [("tencent_cloud_runtime", runtime.as_path())];
    let api =
        codegen::public_api::list(&copy.join("ccc-api/src/lib.rs"), "ccc_api", &deps).unwrap();
    for line in [
        "pub fn ccc_api::Client::describe_waiting_queues(&self) -> ccc_api::operation::describe_waiting_queues::DescribeWaitingQueuesFluentBuilder",
        "pub ccc_api::types::WaitingQueue::longest_wait_seconds: Option<i64>",
    ] {
        assert!(api.lines().any(|l| l == line), "missing from the public API: {line}");
    }

    // Step 3: it builds, as a program using the new method.
    write_if_changed(&copy.join("ccc-api/examples/probe.rs"), PROBE.as_bytes());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let build = tokio::task::spawn_blocking({
        let copy = copy.clone();
        let target_dir = target_dir.clone();
        move || {
            let mut command = Command::new(cargo);
            // Cargo sets `CARGO_MANIFEST_DIR` and friends for this test; build
            // scripts that track them (ring's) would then look dirty to every
            // other build sharing the target directory, which would rebuild them.
            for (name, _) in std::env::vars_os() {
                let name = name.to_string_lossy().into_owned();
                if name.starts_with("CARGO_") && name != "CARGO_HOME" {
                    command.env_remove(&name);
                }
            }
            command
                .args(["build", "--offline", "-p", "ccc-api", "--example", "probe"])
                .current_dir(&copy)
                .env("CARGO_TARGET_DIR", &target_dir)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(
        build.status.success(),
        "the copy does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    eprintln!("built the copy in {:.1?}", started.elapsed());

    // And it answers the new action: signed request, typed answer.
    let server = TestServer::start(|_| {
        Reply::json(
            r#"{"Response":{"Queues":[{"SkillGroupId":3,"Waiting":2,"LongestWaitSeconds":41}],"TotalCount":1,"RequestId":"r-1"}}"#,
        )
    })
    .await;
    let probe = target_dir
        .join("debug/examples")
        .join(format!("probe{}", std::env::consts::EXE_SUFFIX));
    let url = server.url();
    let run = tokio::task::spawn_blocking(move || {
        Command::new(probe)
            .arg(url)
            .env("PROBE_SECRET_ID", TEST_SECRET_ID)
            .env("PROBE_SECRET_KEY", TEST_SECRET_KEY)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        run.status.success(),
        "the probe failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "1 Some(3) Some(2) Some(41)\n"
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].header("x-tc-action"),
        Some("DescribeWaitingQueues")
    );
    assert_eq!(
        received[0].json(),
        serde_json::json!({"SdkAppId": 1400000000, "SkillGroupIds": [3]})
    );
}
