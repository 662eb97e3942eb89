//! The STS actions the credential sources call (`AssumeRole`,
//! `AssumeRoleWithWebIdentity`, `GetCallerIdentity`), served beside CCC: a
//! request is STS's when it names STS's version. Requests are checked as STS
//! checks them: signed ones with the signature's scope naming `sts`, the web
//! identity exchange unsigned (`Authorization: SKIP`); bodies are decoded with
//! the generated request types, so a missing or mistyped member is refused.

use crate::auth;
use ccc_api::sts::operation::{
    assume_role::AssumeRoleRequest, assume_role_with_web_identity::AssumeRoleWithWebIdentityRequest,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Whether the request is for STS (its `X-TC-Version` is STS's).
pub(crate) fn is_sts(version: Option<&str>) -> bool {
    version == Some(ccc_api::sts::VERSION)
}

/// The answer to an STS request: the `Response` object, or an error code and
/// message.
pub(crate) fn answer(
    request: &crate::http::Request,
    keys: &HashMap<String, String>,
) -> Result<Value, (&'static str, String)> {
    let action = request.header("x-tc-action").unwrap_or_default();
    let unsigned = request.header("authorization") == Some("SKIP");
    let body: &[u8] =
        if action == "AssumeRoleWithWebIdentity" {
            if !unsigned {
                return Err((
                    "InvalidParameter",
                    "AssumeRoleWithWebIdentity is sent unsigned (Authorization: SKIP)".into(),
                ));
            }
            &request.body
        } else {
            // The signature's scope must name `sts` (or, for a loopback endpoint,
            // what the official clients derive from its host).
            let signed = auth::verify(request, keys, Some(ccc_api::sts::SERVICE))?;
            match signed.params {
                auth::Params::Json(_) => &request.body,
                auth::Params::Flat(_) => return Err((
                    "InvalidParameter",
                    "the emulator's STS takes a JSON body (POST), as the credential sources send"
                        .into(),
                )),
            }
        };
    let invalid = |e: serde_json::Error| ("InvalidParameter", format!("{action}: {e}"));
    match action {
        "AssumeRole" => {
            let request: AssumeRoleRequest = serde_json::from_slice(body).map_err(invalid)?;
            Ok(credentials(request.duration_seconds.unwrap_or(7200)))
        }
        "AssumeRoleWithWebIdentity" => {
            let request: AssumeRoleWithWebIdentityRequest =
                serde_json::from_slice(body).map_err(invalid)?;
            if request.web_identity_token.trim().is_empty() {
                return Err((
                    "InvalidParameter.WebIdentityTokenError",
                    "the identity token is empty".into(),
                ));
            }
            let seconds = u64::try_from(request.duration_seconds.unwrap_or(7200)).unwrap_or(0);
            Ok(credentials(seconds))
        }
        "GetCallerIdentity" => Ok(json!({
            "Arn": "qcs::cam::uin/100000000001:uin/100000000001",
            "AccountId": "100000000001",
            "UserId": "100000000001",
            "PrincipalId": "100000000001",
            "Type": "CAMUser",
        })),
        _ => Err((
            "InvalidAction",
            format!("`{action}` is not an action of sts the emulator serves"),
        )),
    }
}

/// Fresh temporary keys valid for `seconds` (1 to 43,200).
fn credentials(seconds: u64) -> Value {
    static ISSUED: AtomicU64 = AtomicU64::new(1);
    let n = ISSUED.fetch_add(1, Ordering::Relaxed);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let expires = now.saturating_add(seconds.clamp(1, 43_200));
    json!({
        "Credentials": {
            "TmpSecretId": format!("AKIDEMULATORSTS{n:020}"),
            "TmpSecretKey": format!("EMULATORSTSKEY{n:018}"),
            "Token": format!("emulator-sts-token-{n}"),
        },
        "ExpiredTime": expires,
        "Expiration": iso8601(expires),
    })
}

/// `secs` since 1970 as `YYYY-MM-DDThh:mm:ssZ`: the signer's UTC date and
/// the time of day.
fn iso8601(secs: u64) -> String {
    let rest = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        ccc_api::signing::utc_date(secs),
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso8601_matches_known_dates() {
        assert_eq!(super::iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso8601(1_543_914_376), "2018-12-04T09:06:16Z");
        assert_eq!(super::iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }
}
