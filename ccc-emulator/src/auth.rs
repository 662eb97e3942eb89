//! Checking a request's TC3-HMAC-SHA256 signature as the service does: rebuild
//! the canonical request from whatever `SignedHeaders` lists, over the headers as
//! received, with this code's own hashing (not the client's signer).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::num::IntErrorKind;
use std::time::{SystemTime, UNIX_EPOCH};

/// How far a request's timestamp may be from the server's clock.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// Why a signature was refused: the error code and message to answer with.
pub type AuthError = (&'static str, String);

/// Checks the signature of a POST to `/` with these headers (names lower-case) and
/// body against the key pairs (`SecretId` → `SecretKey`).
pub fn verify(
    headers: &[(String, String)],
    body: &[u8],
    keys: &HashMap<String, String>,
) -> Result<(), AuthError> {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(auth) = get("authorization") else {
        return Err((
            "AuthFailure.InvalidAuthorization",
            "the request has no Authorization header".into(),
        ));
    };
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
    let Some(secret_key) = keys.get(secret_id) else {
        return Err((
            "AuthFailure.SecretIdNotFound",
            format!("SecretId {secret_id} does not exist"),
        ));
    };
    let Some(raw_timestamp) = get("x-tc-timestamp") else {
        return Err((
            "MissingParameter",
            "the request has no X-TC-Timestamp header".into(),
        ));
    };
    let timestamp = match raw_timestamp.trim().parse::<i64>() {
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
                "X-TC-Timestamp is more than 5 minutes from server time".into(),
            ))
        }
        Err(_) => {
            return Err((
                "InvalidParameter",
                "X-TC-Timestamp is not a number of seconds".into(),
            ))
        }
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    if now.abs_diff(timestamp) > MAX_CLOCK_SKEW_SECS.unsigned_abs() {
        return Err((
            "AuthFailure.SignatureExpire",
            format!("X-TC-Timestamp {timestamp} is more than 5 minutes from server time {now}"),
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
    let mut canonical = String::from("POST\n/\n\n");
    for name in names {
        let Some(value) = get(name) else {
            return Err((
                "AuthFailure.SignatureFailure",
                format!("signed header {name} was not sent"),
            ));
        };
        let value = if name == "x-tc-action" {
            value.trim().to_ascii_lowercase()
        } else {
            value.trim().to_owned()
        };
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(&value);
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(signed);
    canonical.push('\n');
    canonical.push_str(&hex(&Sha256::digest(body)));
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = mac(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = mac(&k_date, service.as_bytes());
    let k_signing = mac(&k_service, b"tc3_request");
    if hex(&mac(&k_signing, to_sign.as_bytes())) != *signature {
        return Err((
            "AuthFailure.SignatureFailure",
            "the signature does not match the request".into(),
        ));
    }
    Ok(())
}

fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
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
