//! The README's "Adding a service" workflow, done as a user does it on a copy of
//! the repository: `add-service` of an upstream description (a small one in
//! the upstream format, written for this test), the generator, `cargo build -p`
//! of the new crate with no edit by hand, and a program using it against a
//! loopback server that checks the TC3 signature as the service does.
//!
//! The copy lives in `target/tmp/add-service` and builds with the workspace's
//! target directory, so the runtime and its dependencies are not built twice.

use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use ccc_tests::tree_copy::{
    build_probe, repo_root, run_probe, shared_target_dir, workspace_copy, write_if_changed,
};
use std::fs;
use std::path::Path;

/// A program using the new crate as its users would.
const PROBE: &str = r#"
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let endpoint = std::env::args().nth(1).expect("endpoint");
    let client = tencent_cloud_widgets::Client::builder()
        .credentials(tencent_cloud_widgets::Credentials::new(
            std::env::var("PROBE_SECRET_ID").unwrap(),
            std::env::var("PROBE_SECRET_KEY").unwrap(),
        ))
        .endpoint_url(endpoint)
        .build()
        .unwrap();
    let page = client
        .describe_widgets()
        .offset(0)
        .limit(1)
        .made_on("2024-05-01")
        .send()
        .await
        .unwrap();
    let w = &page.widget_set[0];
    println!(
        "{} {} {} {} {:?} {} {} {:?}",
        page.total_count, w.widget_id, w.name, w.created_time, w.updated_time, w.weight, w.turning, w.parts
    );
    let e = client.create_widget().name("gear").send().await.unwrap_err();
    println!("{:?} {:?}", e.raw_code(), e.request_id());
}
"#;

fn fixture(name: &str) -> serde_json::Value {
    let path = repo_root()
        .join("tests/fixtures/upstream/widgets")
        .join(name);
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_service_is_imported_generated_built_and_answered() {
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("add-service");
    let target_dir = shared_target_dir(Path::new(env!("CARGO_TARGET_TMPDIR")));
    workspace_copy(&copy, &[]);

    // `cargo xtask add-service api.json --examples examples.json`: the same
    // library calls, on the copy.
    let options = codegen::import::ImportOptions {
        source: "api.json".into(),
        examples: Some(fixture("examples.json")),
        ..Default::default()
    };
    let added = codegen::import::add_service(&copy, &fixture("api.json"), None, &options)
        .unwrap_or_else(|e| panic!("add-service refused the fixture:\n{e}"));
    assert_eq!(added.dir, "spec/widgets/2024-05-01");
    let service: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(copy.join(&added.dir).join("service.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(service["docs"], "upstream");
    assert_eq!(
        service["endpoints"][0]["host"],
        "widgets.tencentcloudapi.com"
    );
    // `add-service` generates the new service's crate alone.
    let this = |spec: &str| spec == added.dir;
    codegen::run_jobs_of(&copy, false, this).unwrap_or_else(|e| panic!("{e}"));
    let found = codegen::services::discover(&copy, "spec").unwrap();
    let widgets = found.iter().find(|s| s.service == "widgets").unwrap();
    assert_eq!(widgets.package(), "tencent-cloud-widgets");
    assert_eq!(widgets.crate_path(), "services/widgets");
    // Nothing left to do: a second run changes nothing.
    assert!(codegen::run_jobs_of(&copy, true, this).unwrap().is_empty());

    // The public API listing names what users gain.
    let api = codegen::public_api::of_service_crate(&copy, "tencent-cloud-widgets").unwrap();
    for line in [
        "pub fn tencent_cloud_widgets::Client::describe_widgets(&self) -> tencent_cloud_widgets::operation::describe_widgets::DescribeWidgetsFluentBuilder",
        "pub tencent_cloud_widgets::types::Widget::created_time: String",
    ] {
        assert!(api.lines().any(|l| l == line), "missing from the public API: {line}\n{api}");
    }

    // `cargo build -p tencent-cloud-widgets`, as a program using it.
    let crate_dir = copy.join("services/widgets");
    write_if_changed(&crate_dir.join("examples/probe.rs"), PROBE.as_bytes());
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    // The probe's runtime, as a user's program has one.
    let with_dev = format!(
        "{manifest}\n[dev-dependencies]\ntokio = {{ workspace = true, features = [\"macros\", \"rt\"] }}\n"
    );
    write_if_changed(&crate_dir.join("Cargo.toml"), with_dev.as_bytes());
    tokio::task::spawn_blocking({
        let (copy, target_dir) = (copy.clone(), target_dir.clone());
        move || build_probe(&copy, &target_dir, "tencent-cloud-widgets")
    })
    .await
    .unwrap();

    // A signed call over loopback, decoded into the generated types.
    let server = TestServer::start(|request| {
        if request.header("x-tc-action") == Some("CreateWidget") {
            Reply::service_error("InvalidParameterValue", "no such widget kind", "r-2")
        } else {
            Reply::json(
                r#"{"Response":{"TotalCount":1,"WidgetSet":[{"WidgetId":12,"Name":"gear","CreatedTime":"2024-05-01 10:00:00","UpdatedTime":null,"Weight":1.5,"Turning":true,"Parts":["tooth"]}],"RequestId":"r-1"}}"#,
            )
        }
    })
    .await;
    let url = server.url();
    let stdout = tokio::task::spawn_blocking(move || {
        run_probe(&target_dir, &url, TEST_SECRET_ID, TEST_SECRET_KEY)
    })
    .await
    .unwrap();
    assert_eq!(
        stdout,
        "1 12 gear 2024-05-01 10:00:00 None 1.5 true [\"tooth\"]\n\
         Some(\"InvalidParameterValue\") Some(\"r-2\")\n"
    );
    let received = server.received();
    assert_eq!(
        received.len(),
        2,
        "a write is not retried on a service error"
    );
    let list = &received[0];
    assert_eq!(list.signature, Ok(()), "the service's signature check");
    assert_eq!(list.header("x-tc-action"), Some("DescribeWidgets"));
    assert_eq!(list.header("x-tc-version"), Some("2024-05-01"));
    let authorization = list.header("authorization").unwrap();
    assert!(
        authorization.contains("/widgets/tc3_request"),
        "the scope names the service: {authorization}"
    );
    assert!(
        list.header("user-agent")
            .is_some_and(|ua| ua.starts_with("tencent-cloud-widgets/")),
        "{:?}",
        list.header("user-agent")
    );
    assert_eq!(
        list.json(),
        serde_json::json!({"Offset": 0, "Limit": 1, "MadeOn": "2024-05-01"})
    );
    assert_eq!(received[1].json(), serde_json::json!({"Name": "gear"}));
}
