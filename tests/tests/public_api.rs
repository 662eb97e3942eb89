//! The public API of `ccc-api`, one item a line (`cargo xtask public-api`), as a
//! snapshot: a change to the spec or the runtime shows in review as the lines
//! users gain, lose or see retyped. Accept an intended change with
//! `INSTA_UPDATE=always cargo test -p ccc-tests --test public_api` (or
//! `cargo insta accept`) and commit the snapshot.

use std::path::Path;

#[test]
fn public_api_of_ccc_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let runtime = root.join(codegen::RUNTIME_LIB);
    let deps = [("tencent_cloud_runtime", runtime.as_path())];
    let api = codegen::public_api::list(&root.join("ccc-api/src/lib.rs"), "ccc_api", &deps)
        .unwrap_or_else(|e| panic!("{e}"));
    // Sanity before the snapshot, so that an empty or truncated listing cannot
    // be accepted by mistake.
    for line in [
        "pub struct ccc_api::Client { private fields }",
        "pub fn ccc_api::Client::builder() -> ccc_api::ClientBuilder",
        "pub mod ccc_api::operation::describe_auto_callout_task",
        "pub ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskRequest::task_id: ccc_api::types::TaskId",
    ] {
        assert!(api.lines().any(|l| l == line), "missing: {line}");
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("public_api", api));
}
