//! The STS actions the credential sources call (`AssumeRole`,
//! `AssumeRoleWithWebIdentity`, `GetCallerIdentity`), served beside CCC: a
//! request is STS's when it names STS's version. Requests are checked as STS
//! checks them: signed ones with the signature's scope naming `sts`, the web
//! identity exchange unsigned (`Authorization: SKIP`); bodies are decoded with
//! the generated request types, so a missing or mistyped member is refused.
//!
//! The temporary keys it issues are kept ([`Issued`]) and sign later calls to
//! either service, with their session token (`X-TC-Token`), until they
//! expire on the emulator's clock; then they are refused with
//! `AuthFailure.TokenFailure`.

use crate::auth;
use ccc_api::sts::operation::{
    assume_role::AssumeRoleRequest, assume_role_with_web_identity::AssumeRoleWithWebIdentityRequest,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Temporary keys kept at once; beyond it the soonest to expire is forgotten
/// (which bounds memory whatever a client asks for).
pub const MAX_ISSUED: usize = 1024;

/// One issued temporary key.
struct Temporary {
    secret_key: String,
    token: String,
    /// Unix seconds on the emulator's clock.
    expires: i64,
}

/// The temporary keys an emulator issued.
#[derive(Default)]
pub(crate) struct Issued {
    keys: Mutex<HashMap<String, Temporary>>,
}

impl Issued {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Temporary>> {
        match self.keys.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The `SecretKey` of an issued `SecretId`, expired or not.
    pub(crate) fn key_of(&self, secret_id: &str) -> Option<String> {
        self.lock().get(secret_id).map(|t| t.secret_key.clone())
    }

    /// A request signed with an issued key must carry its token and come
    /// before it expires (at `now`, on the emulator's clock); other keys pass.
    pub(crate) fn check(&self, signed: &auth::Signed, now: i64) -> Result<(), auth::AuthError> {
        let keys = self.lock();
        let Some(t) = keys.get(&signed.secret_id) else {
            return Ok(());
        };
        if signed.token.as_deref() != Some(t.token.as_str()) {
            return Err((
                "AuthFailure.TokenFailure",
                format!(
                    "SecretId {} is a temporary key: the request must carry its session token (X-TC-Token)",
                    signed.secret_id
                ),
            ));
        }
        if now >= t.expires {
            return Err((
                "AuthFailure.TokenFailure",
                format!(
                    "the temporary key {} expired at {} (now {now})",
                    signed.secret_id, t.expires
                ),
            ));
        }
        Ok(())
    }

    /// Issues a key valid for `seconds` (1 to 43,200) from `now`: the
    /// `Credentials`, `ExpiredTime` and `Expiration` members of the answer.
    fn issue(&self, seconds: u64, now: i64) -> Value {
        static ISSUED: AtomicU64 = AtomicU64::new(1);
        let n = ISSUED.fetch_add(1, Ordering::Relaxed);
        let seconds = i64::try_from(seconds.clamp(1, 43_200)).unwrap_or(43_200);
        let expires = now.saturating_add(seconds);
        let id = format!("AKIDEMULATORSTS{n:020}");
        let key = format!("EMULATORSTSKEY{n:018}");
        let token = format!("emulator-sts-token-{n}");
        let mut keys = self.lock();
        keys.retain(|_, t| t.expires > now);
        while keys.len() >= MAX_ISSUED {
            let Some(soonest) = keys
                .iter()
                .min_by_key(|(_, t)| t.expires)
                .map(|(id, _)| id.clone())
            else {
                break;
            };
            keys.remove(&soonest);
        }
        keys.insert(
            id.clone(),
            Temporary {
                secret_key: key.clone(),
                token: token.clone(),
                expires,
            },
        );
        json!({
            "Credentials": {"TmpSecretId": id, "TmpSecretKey": key, "Token": token},
            "ExpiredTime": expires,
            "Expiration": iso8601(u64::try_from(expires).unwrap_or(0)),
        })
    }
}

/// Whether the request is for STS (its `X-TC-Version` is STS's).
pub(crate) fn is_sts(version: Option<&str>) -> bool {
    version == Some(ccc_api::sts::VERSION)
}

/// The answer to an STS request: the `Response` object, or an error code and
/// message.
pub(crate) fn answer(
    request: &crate::http::Request,
    keys: &HashMap<String, String>,
    issued: &Issued,
    now: i64,
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
            let key_of = |id: &str| keys.get(id).cloned().or_else(|| issued.key_of(id));
            let signed = auth::verify_with(request, &key_of, Some(ccc_api::sts::SERVICE))?;
            issued.check(&signed, now)?;
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
            Ok(issued.issue(request.duration_seconds.unwrap_or(7200), now))
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
            Ok(issued.issue(seconds, now))
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
    use super::{Issued, MAX_ISSUED};

    #[test]
    fn issued_keys_are_capped_and_forgotten_when_expired() {
        let issued = Issued::default();
        for _ in 0..MAX_ISSUED + 500 {
            issued.issue(60, 1000);
        }
        assert_eq!(issued.lock().len(), MAX_ISSUED);
        // Issuing after they all expired forgets them.
        issued.issue(60, 1060);
        assert_eq!(issued.lock().len(), 1);
    }

    #[test]
    fn iso8601_matches_known_dates() {
        assert_eq!(super::iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso8601(1_543_914_376), "2018-12-04T09:06:16Z");
        assert_eq!(super::iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }
}
