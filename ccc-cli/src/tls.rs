//! One more certificate authority to trust: `--ca-file PATH`, else the
//! environment variable [`CA_FILE_ENV`] — for `ccc mock serve --tls`, or a
//! proxy that re-signs HTTPS.
//!
//! The name follows the `TENCENTCLOUD_` variables the SDKs and tccli read
//! (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_REGION`), as aws-cli pairs
//! `--ca-bundle` with `AWS_CA_BUNDLE`. It is not `SSL_CERT_FILE` or
//! `REQUESTS_CA_BUNDLE`: to OpenSSL, Python and curl those *replace* the
//! trusted roots, and setting one for the emulator would break every other
//! tool's HTTPS in that shell; this one *adds* to the roots built into `ccc`
//! (as Node's `NODE_EXTRA_CA_CERTS`). Neither tccli nor the official SDKs
//! read a variable for it (the Python SDK takes a bundle in code only).

use std::io::Read;
use std::path::{Path, PathBuf};

/// The environment variable naming a PEM file of authorities to trust too.
pub const CA_FILE_ENV: &str = "TENCENTCLOUD_CA_FILE";

/// Most bytes read from the file: a bundle of every public root is ~250 KiB.
const MAX_CA_FILE: u64 = 4 << 20;

/// The file to trust: the flag's, else the environment's (empty is unset).
pub fn ca_file(flag: Option<&String>) -> Option<PathBuf> {
    flag.cloned()
        .or_else(|| std::env::var(CA_FILE_ENV).ok())
        .filter(|p| !p.trim().is_empty())
        .map(PathBuf::from)
}

/// An HTTP client trusting the roots built into `ccc` and every certificate
/// of the PEM file `path`; otherwise as the library makes its own: no
/// redirects followed, HTTP/1.1 as the official SDKs speak.
pub fn http_client(path: &Path) -> Result<reqwest::Client, String> {
    let shown = path.display();
    let mut pem = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CA_FILE + 1).read_to_end(&mut pem))
        .map_err(|e| format!("--ca-file {shown}: {e}"))?;
    if pem.len() as u64 > MAX_CA_FILE {
        return Err(format!(
            "--ca-file {shown}: larger than {} MiB",
            MAX_CA_FILE >> 20
        ));
    }
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("--ca-file {shown}: {e}"))?;
    if certificates.is_empty() {
        return Err(format!(
            "--ca-file {shown}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        ));
    }
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("ccc-cli/", env!("CARGO_PKG_VERSION")))
        .http1_only();
    for c in certificates {
        builder = builder.add_root_certificate(c);
    }
    builder
        .build()
        .map_err(|e| format!("--ca-file {shown}: cannot set up HTTPS: {e}"))
}
