//! The files of a wholly generated crate besides its code: `Cargo.toml` and
//! `README.md`. Plain text, since neither is Rust; both carry the generated
//! marker in their own comment syntax.

use crate::model::Model;
use crate::output::GeneratedFile;
use crate::GENERATED_MARKER;

/// `Cargo.toml` and `README.md` of `model`'s crate `package`, which sits at
/// `path` (relative to the repository root) and depends on
/// `tencent-cloud-config` when `config` is set.
pub(crate) fn files(model: &Model, package: &str, path: &str, config: bool) -> Vec<GeneratedFile> {
    vec![
        GeneratedFile {
            path: "Cargo.toml".into(),
            contents: manifest(model, package, path, config),
        },
        GeneratedFile {
            path: "README.md".into(),
            contents: readme(model, package),
        },
    ]
}

/// The crate's manifest: workspace-wide package facts, the runtime's
/// features under the same names, and the runtime (and config) by path.
fn manifest(model: &Model, package: &str, path: &str, config: bool) -> String {
    let up = "../".repeat(path.split('/').filter(|p| !p.is_empty()).count());
    let description = toml_string(&format!(
        "Typed async client for the Tencent Cloud API `{}` (version {}), generated from its spec.",
        model.service, model.version
    ));
    let config_dep = if config {
        format!(
            "# The default credentials chain with the sources that assume roles.\n\
             tencent-cloud-config = {{ version = \"0.1.0\", path = \"{up}tencent-cloud-config\" }}\n"
        )
    } else {
        String::new()
    };
    format!(
        r#"# {GENERATED_MARKER} by `cargo xtask codegen` from {root}/service.json. Do not edit by hand.

[package]
name = "{package}"
description = {description}
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
homepage.workspace = true
documentation = "https://docs.rs/{package}"
readme = "README.md"
keywords = ["tencent-cloud", "api", "sdk"]
categories = ["api-bindings", "web-programming::http-client", "asynchronous"]
include = ["/src/**/*.rs", "/README.md", "/Cargo.toml"]

# Generated code has no tests of its own (the repository's tests exercise the
# generator and the runtime), and upstream text in doc comments is no code to
# run: building the library again for them would only cost time.
[lib]
test = false
doctest = false

[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

# Additive features, each turning on the runtime's feature of the same name
# (see the runtime's documentation).
[features]
default = ["rustls-webpki-roots", "gzip"]
rustls-webpki-roots = ["tencent-cloud-runtime/rustls-webpki-roots"]
rustls-native-roots = ["tencent-cloud-runtime/rustls-native-roots"]
http2 = ["tencent-cloud-runtime/http2"]
gzip = ["tencent-cloud-runtime/gzip"]
serde-roundtrip = ["tencent-cloud-runtime/serde-roundtrip"]
test-util = ["serde-roundtrip", "tencent-cloud-runtime/test-util"]

[dependencies]
tencent-cloud-runtime = {{ version = "0.1.0", path = "{up}tencent-cloud-runtime", default-features = false }}
{config_dep}serde.workspace = true
"#,
        root = model.root,
    )
}

/// The crate's README: what it is and how to start.
fn readme(model: &Model, package: &str) -> String {
    let ident = package.replace('-', "_");
    let first_action = model
        .actions
        .iter()
        .find(|a| {
            a.input
                .iter()
                .all(|f| f.presence != crate::spec::Presence::Required)
        })
        .or_else(|| model.actions.first());
    let example = match first_action {
        Some(a) => format!(
            "\n```rust,ignore\nlet client = {ident}::Client::from_env()?;\nlet answer = client.{}().send().await?;\n```\n",
            a.snake
        ),
        None => String::new(),
    };
    format!(
        "<!-- {GENERATED_MARKER} by `cargo xtask codegen` from {root}/service.json. Do not edit by hand. -->\n\n\
         # {package}\n\n\
         Typed async Rust client for {title} (service `{service}`, API version `{version}`),\n\
         generated from its spec by `cargo xtask codegen` over `tencent-cloud-runtime`\n\
         (TC3-HMAC-SHA256 signing, credentials, retries, typed errors).\n\n\
         {doc}\n\n\
         One method per action on `Client`; `Client::from_env()` takes the default credentials\n\
         chain (environment, profile file, CVM role, TKE OIDC) and the region, endpoint URL and\n\
         language from `TENCENTCLOUD_REGION`, `TENCENTCLOUD_ENDPOINT_URL` and\n\
         `TENCENTCLOUD_LANGUAGE`.\n\
         {example}",
        root = model.root,
        title = model.title,
        service = model.service,
        version = model.version,
        doc = model.doc.trim(),
    )
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
