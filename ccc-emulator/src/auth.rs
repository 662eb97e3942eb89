//! Checking a request's signature as the service does, in every form the
//! official clients send, with this code's own hashing (not a client's signer):
//!
//! - **TC3-HMAC-SHA256** in the `Authorization` header, over a `POST` (JSON body,
//!   or form-encoded) or a `GET` (parameters in the query string, flattened as
//!   `A.0.B=...`, the query signed as sent). The canonical request is rebuilt from
//!   whatever `SignedHeaders` lists, over the headers as received.
//! - **HmacSHA1 / HmacSHA256** (the older method): `SecretId`, `Timestamp`,
//!   `Nonce`, `SignatureMethod` (default `HmacSHA1`) and `Signature` among the
//!   parameters, in the query or a form-encoded `POST` body; the string to sign is
//!   `METHOD + host + path + "?" + k=v&...` over the other parameters sorted by
//!   name, values decoded; the signature is the base64 of its HMAC.
//!
//! Local endpoints carry a port, which real ones never do, and clients differ in
//! how they treat it. For a `host:port` endpoint the emulator therefore accepts:
//! - the `host` header signed with its port (as received) or without it (as the
//!   Node SDK signs it); the same for the host in the older method's string;
//! - as the credential scope's service, `ccc` always, and — only when the host is
//!   an IP address or `localhost` — also the first dot-separated label of the
//!   `Host` header, with or without the port (`127` for `127.0.0.1:8787`, as the
//!   Node SDK derives it from the endpoint; `localhost:8787` or `localhost`).
//!
//! A signature that still fails is answered with what the server compared: the
//! canonical request's hash, the signed headers with their values as received,
//! and the scope. Secrets (the key, a session token) never appear.

use crate::http::Request;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::num::IntErrorKind;
use std::time::{SystemTime, UNIX_EPOCH};

/// How far a request's timestamp may be from the server's clock.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// Why a signature was refused: the error code and message to answer with.
pub type AuthError = (&'static str, String);

/// Parameters of the older signature method and of the request envelope, which
/// are not the action's own.
pub const COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Region",
    "Token",
    "Language",
    "RequestClient",
];

/// A request whose signature checked out.
#[derive(Debug, Clone, PartialEq)]
pub struct Signed {
    /// The `SecretId` it was signed with.
    pub secret_id: String,
    /// The session token sent with it (`X-TC-Token`, or the `Token`
    /// parameter of the older method), for temporary keys.
    pub token: Option<String>,
    /// `X-TC-Action` or the `Action` parameter.
    pub action: String,
    /// `X-TC-Version` or the `Version` parameter.
    pub version: String,
    /// The action's parameters.
    pub params: Params,
}

/// The action's parameters as sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Params {
    /// A JSON body.
    Json(bytes::Bytes),
    /// Flattened `name=value` pairs (query string or form body), decoded, with
    /// the [`COMMON_PARAMS`] removed.
    Flat(Vec<(String, String)>),
}

/// Checks the signature of `request` against the key pairs (`SecretId` →
/// `SecretKey`), in whichever form it was signed. `service` is the one the
/// endpoint stands for (`ccc`), accepted in a TC3 scope as described above;
/// `None` accepts whatever service the scope names (a test server standing in
/// for several services).
pub fn verify(
    request: &Request,
    keys: &HashMap<String, String>,
    service: Option<&str>,
) -> Result<Signed, AuthError> {
    verify_with(request, &|id| keys.get(id).cloned(), service)
}

/// [`verify`] with the `SecretKey` of a `SecretId` looked up by `key_of`
/// (the emulator adds the temporary keys it issued to its fixed ones).
pub fn verify_with(
    request: &Request,
    key_of: &dyn Fn(&str) -> Option<String>,
    service: Option<&str>,
) -> Result<Signed, AuthError> {
    if request.header("authorization").is_some() {
        return tc3(request, key_of, service);
    }
    let form = form_params(request);
    if form.iter().any(|(k, _)| k == "Signature") {
        return older(request, &form, key_of);
    }
    Err((
        "AuthFailure.InvalidAuthorization",
        "the request has no Authorization header and no Signature parameter".into(),
    ))
}

/// The action a request names (header, or parameter of the older method),
/// before its signature is checked: for the per-action fault knobs.
pub fn action_name(request: &Request) -> String {
    match request.header("x-tc-action") {
        Some(action) => action.to_owned(),
        None => form_params(request)
            .into_iter()
            .find(|(k, _)| k == "Action")
            .map(|(_, v)| v)
            .unwrap_or_default(),
    }
}

/// Whether the body is form-encoded.
fn is_form(request: &Request) -> bool {
    request
        .header("content-type")
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
}

/// The decoded pairs of the query string (a `GET`) or of a form-encoded body.
fn form_params(request: &Request) -> Vec<(String, String)> {
    let raw: &[u8] = if request.method == "GET" {
        request.query().as_bytes()
    } else if is_form(request) {
        &request.body
    } else {
        b""
    };
    form_urlencoded::parse(raw).into_owned().collect()
}

/// The host as received and, when it carries a port, without it.
fn host_variants(host: &str) -> Vec<&str> {
    let mut variants = vec![host];
    if let Some(bare) = strip_port(host) {
        variants.push(bare);
    }
    variants
}

/// `host` without its `:port`, if it has one (`[::1]:80` → `[::1]`).
fn strip_port(host: &str) -> Option<&str> {
    let (bare, port) = host.rsplit_once(':')?;
    let ipv6_inside = bare.contains(':') && !bare.ends_with(']');
    (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && !ipv6_inside).then_some(bare)
}

/// Whether the scope's `service` is accepted for a request to the endpoint of
/// `expected` sent to `host`.
fn service_accepted(service: &str, expected: &str, host: &str) -> bool {
    if service == expected {
        return true;
    }
    let bare = strip_port(host).unwrap_or(host);
    let local = bare == "localhost"
        || bare
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok();
    local
        && host_variants(host)
            .iter()
            .any(|h| h.split('.').next() == Some(service))
}

/// Checks a timestamp (seconds, as text) against the server's clock.
fn check_timestamp(raw: &str, name: &str) -> Result<i64, AuthError> {
    let timestamp = match raw.trim().parse::<i64>() {
        Ok(t) => t,
        // A number, just far outside any clock: as stale as a timestamp gets.
        Err(e)
            if matches!(
                e.kind(),
                IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
            ) =>
        {
            return Err((
                "AuthFailure.SignatureExpire",
                format!("{name} is more than 5 minutes from server time"),
            ))
        }
        Err(_) => {
            return Err((
                "InvalidParameter",
                format!("{name} is not a number of seconds"),
            ))
        }
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    if now.abs_diff(timestamp) > MAX_CLOCK_SKEW_SECS.unsigned_abs() {
        return Err((
            "AuthFailure.SignatureExpire",
            format!("{name} {timestamp} is more than 5 minutes from server time {now}"),
        ));
    }
    Ok(timestamp)
}

/// A header value as shown in an error: secrets hidden, long values cut.
fn shown(name: &str, value: &str) -> String {
    if matches!(name, "authorization" | "x-tc-token") {
        return "<hidden>".into();
    }
    let cut: String = value.chars().take(100).collect();
    if cut.len() < value.len() {
        format!("{cut:?}...")
    } else {
        format!("{cut:?}")
    }
}

fn tc3(
    request: &Request,
    key_of: &dyn Fn(&str) -> Option<String>,
    expected: Option<&str>,
) -> Result<Signed, AuthError> {
    let auth = request.header("authorization").unwrap_or_default();
    let Some(rest) = auth.strip_prefix("TC3-HMAC-SHA256 ") else {
        return Err((
            "AuthFailure.InvalidAuthorization",
            "Authorization is not TC3-HMAC-SHA256".into(),
        ));
    };
    let mut parts = HashMap::new();
    for part in rest.split(',') {
        if let Some((k, v)) = part.trim().split_once('=') {
            parts.insert(k, v);
        }
    }
    let (Some(credential), Some(signed), Some(signature)) = (
        parts.get("Credential"),
        parts.get("SignedHeaders"),
        parts.get("Signature"),
    ) else {
        return Err((
            "AuthFailure.InvalidAuthorization",
            "Authorization lacks Credential, SignedHeaders or Signature".into(),
        ));
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, "tc3_request"] = scope[..] else {
        return Err((
            "AuthFailure.InvalidAuthorization",
            format!("malformed credential scope {credential}"),
        ));
    };
    let Some(secret_key) = key_of(secret_id) else {
        return Err((
            "AuthFailure.SecretIdNotFound",
            format!("SecretId {secret_id} does not exist"),
        ));
    };
    let Some(raw_timestamp) = request.header("x-tc-timestamp") else {
        return Err((
            "MissingParameter",
            "the request has no X-TC-Timestamp header".into(),
        ));
    };
    let timestamp = check_timestamp(raw_timestamp, "X-TC-Timestamp")?;
    let host = request.header("host").unwrap_or_default();
    if let Some(expected) = expected.filter(|e| !service_accepted(service, e, host)) {
        return Err((
            "AuthFailure.SignatureFailure",
            format!(
                "the credential scope names service `{service}`; this endpoint is `{expected}`"
            ),
        ));
    }
    // Each header once, in ascending order, as the signing documentation asks; this
    // also keeps the canonical request no larger than the request head.
    let names: Vec<&str> = signed.split(';').collect();
    if names.windows(2).any(|w| w[0] >= w[1]) {
        return Err((
            "AuthFailure.SignatureFailure",
            "SignedHeaders must list each header once, in ascending order".into(),
        ));
    }
    let mut values = Vec::with_capacity(names.len());
    for name in &names {
        let Some(value) = request.header(name) else {
            return Err((
                "AuthFailure.SignatureFailure",
                format!("signed header {name} was not sent"),
            ));
        };
        values.push(if *name == "x-tc-action" {
            value.trim().to_ascii_lowercase()
        } else {
            value.trim().to_owned()
        });
    }
    let canonical = |host_value: &str| {
        let mut c = format!(
            "{}\n{}\n{}\n",
            request.method,
            request.path(),
            request.query()
        );
        for (name, value) in names.iter().zip(&values) {
            c.push_str(name);
            c.push(':');
            c.push_str(if *name == "host" { host_value } else { value });
            c.push('\n');
        }
        c.push('\n');
        c.push_str(signed);
        c.push('\n');
        c.push_str(&hex(&Sha256::digest(&request.body)));
        hex(&Sha256::digest(c.as_bytes()))
    };
    let k_date = hmac256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac256(&k_date, service.as_bytes());
    let k_signing = hmac256(&k_service, b"tc3_request");
    let mut hashes = Vec::new();
    for host_value in host_variants(host) {
        let hash = canonical(host_value);
        let to_sign = format!("TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n{hash}");
        if hex(&hmac256(&k_signing, to_sign.as_bytes())) == *signature {
            return Ok(Signed {
                secret_id: secret_id.to_owned(),
                token: request.header("x-tc-token").map(str::to_owned),
                action: request.header("x-tc-action").unwrap_or_default().to_owned(),
                version: request
                    .header("x-tc-version")
                    .unwrap_or_default()
                    .to_owned(),
                params: if request.method == "GET" || is_form(request) {
                    Params::Flat(action_params(form_params(request)))
                } else {
                    Params::Json(request.body.clone())
                },
            });
        }
        if names.contains(&"host") || hashes.is_empty() {
            hashes.push(hash);
        }
    }
    let seen: Vec<String> = names
        .iter()
        .zip(&values)
        .map(|(n, v)| format!("{n}={}", shown(n, v)))
        .collect();
    Err((
        "AuthFailure.SignatureFailure",
        format!(
            "the signature does not match the request: the server hashed the canonical \
             request {} to {} (host with and without its port), over signed headers {} with \
             scope {date}/{service}/tc3_request and timestamp {timestamp}",
            format_args!(
                "{} {}",
                request.method,
                request.target.chars().take(200).collect::<String>()
            ),
            hashes.join(" / "),
            seen.join(", "),
        ),
    ))
}

/// The pairs without the envelope's [`COMMON_PARAMS`].
fn action_params(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .filter(|(k, _)| !COMMON_PARAMS.contains(&k.as_str()))
        .collect()
}

fn older(
    request: &Request,
    form: &[(String, String)],
    key_of: &dyn Fn(&str) -> Option<String>,
) -> Result<Signed, AuthError> {
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let missing = |name: &str| {
        (
            "MissingParameter",
            format!("the request has no {name} parameter"),
        )
    };
    let secret_id = get("SecretId").ok_or_else(|| missing("SecretId"))?;
    let Some(secret_key) = key_of(secret_id) else {
        return Err((
            "AuthFailure.SecretIdNotFound",
            format!("SecretId {secret_id} does not exist"),
        ));
    };
    let timestamp = check_timestamp(
        get("Timestamp").ok_or_else(|| missing("Timestamp"))?,
        "Timestamp",
    )?;
    let method = get("SignatureMethod").unwrap_or("HmacSHA1");
    let mut sorted: Vec<&(String, String)> =
        form.iter().filter(|(k, _)| k != "Signature").collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let joined = sorted
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let signature = get("Signature").unwrap_or_default();
    let host = request.header("host").unwrap_or_default();
    let mut compared = Vec::new();
    for host_value in host_variants(host) {
        let to_sign = format!("{}{host_value}{}?{joined}", request.method, request.path());
        let mac = match method {
            "HmacSHA1" => hmac1(secret_key.as_bytes(), to_sign.as_bytes()),
            "HmacSHA256" => hmac256(secret_key.as_bytes(), to_sign.as_bytes()),
            other => {
                return Err((
                    "AuthFailure.SignatureFailure",
                    format!("SignatureMethod `{other}` is not HmacSHA1 or HmacSHA256"),
                ))
            }
        };
        if base64::engine::general_purpose::STANDARD.encode(mac) == signature {
            return Ok(Signed {
                secret_id: secret_id.to_owned(),
                token: get("Token").map(str::to_owned),
                action: get("Action").unwrap_or_default().to_owned(),
                version: get("Version").unwrap_or_default().to_owned(),
                params: Params::Flat(action_params(form.to_vec())),
            });
        }
        compared.push(hex(&Sha256::digest(to_sign.as_bytes())));
    }
    let shown_string: String = format!("{}{host}{}?{joined}", request.method, request.path())
        .chars()
        .take(300)
        .collect();
    Err((
        "AuthFailure.SignatureFailure",
        format!(
            "the {method} signature does not match the request: the server signed {shown_string:?} \
             (sha256 {}; host with and without its port) at timestamp {timestamp}",
            compared.join(" / ")
        ),
    ))
}

fn hmac256(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn hmac1(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <Hmac<sha1::Sha1> as Mac>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_local_services() {
        for (host, bare) in [
            ("127.0.0.1:8787", Some("127.0.0.1")),
            ("localhost:1", Some("localhost")),
            ("[::1]:80", Some("[::1]")),
            ("[::1]", None),
            ("::1", None),
            ("ccc.tencentcloudapi.com", None),
            ("host:", None),
            ("host:8a", None),
        ] {
            assert_eq!(strip_port(host), bare, "{host}");
        }
        for (service, host, accepted) in [
            ("ccc", "ccc.tencentcloudapi.com", true),
            ("ccc", "127.0.0.1:1", true),
            ("127", "127.0.0.1:8787", true),
            ("127", "127.0.0.1", true),
            ("localhost", "localhost:8787", true),
            ("localhost:8787", "localhost:8787", true),
            ("10", "127.0.0.1:8787", false),
            ("cvm", "localhost:8787", false),
            ("ccc", "", true),
            ("", "", false),
            ("emulator", "emulator.internal:8787", false),
            ("[::1]:80", "[::1]:80", true),
        ] {
            assert_eq!(
                service_accepted(service, "ccc", host),
                accepted,
                "{service} {host}"
            );
        }
    }
}
