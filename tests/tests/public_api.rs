//! The public API of `ccc-api`, one item a line (`cargo xtask public-api`), as a
//! snapshot: a change to the spec or the runtime shows in review as the lines
//! users gain, lose or see retyped. Accept an intended change with
//! `INSTA_UPDATE=always cargo test -p ccc-tests --test public_api` (or
//! `cargo insta accept`) and commit the snapshot.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn public_api_of_ccc_api() {
    let api =
        codegen::public_api::of_service_crate(root(), "ccc-api").unwrap_or_else(|e| panic!("{e}"));
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

/// Every other service crate of the repository, each in a snapshot of its own
/// (`public_api__<package>`), found from the spec tree: a new service needs no
/// edit here.
#[test]
fn public_api_of_every_other_service_crate() {
    let services = codegen::services::discover(root(), "spec").unwrap();
    let mut listed = 0;
    for service in services.iter().filter(|s| s.package() != "ccc-api") {
        let package = service.package();
        let api = codegen::public_api::of_service_crate(root(), &package)
            .unwrap_or_else(|e| panic!("{package}: {e}"));
        let ident = service.crate_ident();
        for line in [
            format!("pub struct {ident}::Client {{ private fields }}"),
            format!("pub struct {ident}::Error {{ private fields }}"),
        ] {
            assert!(api.lines().any(|l| l == line), "{package}: missing {line}");
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_snapshot_suffix(package.clone());
        settings.bind(|| insta::assert_snapshot!("public_api", api));
        listed += 1;
    }
    assert!(listed >= 1, "STS at least");
}
