//! The README's "Adding an action" workflow, done as a user does it on a copy of
//! the repository: write a new action (and a new type) into the spec, run the
//! generator into `ccc-api`, build, and call the new action against a loopback
//! server. Fails when a step the README lists is missing or wrong.
//!
//! The copy lives in `target/tmp/add-action` and builds with the workspace's
//! target directory, so dependencies already built are reused and files that did
//! not change are not touched (a second run only checks freshness).

use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use ccc_tests::tree_copy::{
    build_probe, run_probe, shared_target_dir, workspace_copy, write_if_changed,
};
use std::path::Path;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_action_in_the_spec_is_generated_built_and_answered() {
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("add-action");
    let target_dir = shared_target_dir(Path::new(env!("CARGO_TARGET_TMPDIR")));
    // The copies of `ccc-api` and the crates it stands on.
    workspace_copy(&copy, &["ccc-api"]);

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
    let api = codegen::public_api::of_service_crate(&copy, "ccc-api").unwrap();
    for line in [
        "pub fn ccc_api::Client::describe_waiting_queues(&self) -> ccc_api::operation::describe_waiting_queues::DescribeWaitingQueuesFluentBuilder",
        "pub ccc_api::types::WaitingQueue::longest_wait_seconds: Option<i64>",
    ] {
        assert!(api.lines().any(|l| l == line), "missing from the public API: {line}");
    }

    // Step 3: it builds, as a program using the new method.
    write_if_changed(&copy.join("ccc-api/examples/probe.rs"), PROBE.as_bytes());
    tokio::task::spawn_blocking({
        let (copy, target_dir) = (copy.clone(), target_dir.clone());
        move || build_probe(&copy, &target_dir, "ccc-api")
    })
    .await
    .unwrap();

    // And it answers the new action: signed request, typed answer.
    let server = TestServer::start(|_| {
        Reply::json(
            r#"{"Response":{"Queues":[{"SkillGroupId":3,"Waiting":2,"LongestWaitSeconds":41}],"TotalCount":1,"RequestId":"r-1"}}"#,
        )
    })
    .await;
    let url = server.url();
    let stdout = tokio::task::spawn_blocking(move || {
        run_probe(&target_dir, &url, TEST_SECRET_ID, TEST_SECRET_KEY)
    })
    .await
    .unwrap();
    assert_eq!(stdout, "1 Some(3) Some(2) Some(41)\n");
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
