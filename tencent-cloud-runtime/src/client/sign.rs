//! The headers of an attempt and its signature: the protocol's `X-TC-*`
//! headers in the order the official SDKs send them, the hooks that may add
//! their own, and the TC3-HMAC-SHA256 `Authorization` over the result.

use super::Inner;
use crate::credentials::Credentials;
use crate::error::{BuildError, CredentialsError, SdkError};
use crate::hooks::BeforeAttempt;
use crate::options::RequestOptions;
use crate::signing::SigningKey;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use std::sync::Arc;

/// The content type the official SDKs send and sign, without a charset.
pub(super) const JSON: &str = "application/json";

static X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
static X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
static X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
static X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
static X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
static X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
static X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");

impl Inner {
    /// The signing key for `credentials` on the day of `timestamp`, derived once
    /// a day per key.
    fn signing_key(&self, credentials: &Credentials, timestamp: u64) -> Arc<SigningKey> {
        if let Ok(cache) = self.signing_key.lock() {
            if let Some((c, key)) = cache.as_ref() {
                if c.same_key(credentials) && key.fits(timestamp, self.service.signing_name) {
                    return key.clone();
                }
            }
        }
        let key = Arc::new(SigningKey::derive(
            credentials.secret_key(),
            timestamp,
            self.service.signing_name,
        ));
        if let Ok(mut cache) = self.signing_key.lock() {
            *cache = Some((credentials.clone(), key.clone()));
        }
        key
    }

    /// The headers of an attempt but the secrets, in the order the official
    /// SDKs send them. `Host` is left to the transport, which derives it from
    /// the endpoint URL as [`Inner::host`] is (over HTTP/2 it becomes
    /// `:authority`, and a separate `host` header would be a second one).
    pub(super) fn headers(
        &self,
        action: &HeaderValue,
        timestamp: u64,
        options: &RequestOptions,
    ) -> Result<HeaderMap, SdkError<String>> {
        // Room for these and the three reqwest adds, without regrowth.
        let mut headers = HeaderMap::with_capacity(16);
        self.protocol_headers(&mut headers, action, timestamp);
        if let Some(region) = options.region.as_ref().or(self.region.as_ref()) {
            headers.insert(
                X_TC_REGION.clone(),
                HeaderValue::from_str(region.trim())
                    .map_err(|_| invalid_header("the region", "X-TC-Region"))?,
            );
        }
        if let Some(language) = options.language.or(self.language) {
            headers.insert(
                X_TC_LANGUAGE.clone(),
                HeaderValue::from_static(language.as_str()),
            );
        }
        headers.insert(X_TC_REQUEST_CLIENT.clone(), self.request_client.clone());
        Ok(headers)
    }

    /// The headers the signature and the service's routing depend on; set
    /// before the hooks run and again after.
    fn protocol_headers(&self, headers: &mut HeaderMap, action: &HeaderValue, timestamp: u64) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        headers.insert(X_TC_ACTION.clone(), action.clone());
        headers.insert(X_TC_TIMESTAMP.clone(), HeaderValue::from(timestamp));
        headers.insert(X_TC_VERSION.clone(), self.version.clone());
    }

    /// Adds `Authorization` (TC3 over `content-type;host`) and the session
    /// token, both marked sensitive so that `Debug` hides them.
    pub(super) fn sign(
        &self,
        headers: &mut HeaderMap,
        timestamp: u64,
        credentials: &Credentials,
        body: &[u8],
    ) -> Result<(), SdkError<String>> {
        // An unsigned request (STS's OIDC exchange) says so as the service
        // expects: `Authorization: SKIP`, and no token.
        let mut authorization = if self.skip_signing {
            HeaderValue::from_static("SKIP")
        } else {
            let key = self.signing_key(credentials, timestamp);
            let text = self
                .signer
                .authorization(credentials.secret_id(), &key, timestamp, body);
            // Handed over without a copy; checked as any header value.
            HeaderValue::from_maybe_shared(Bytes::from(text))
                .map_err(|_| unusable_credentials("SecretId", "Authorization"))?
        };
        authorization.set_sensitive(true);
        headers.insert(AUTHORIZATION, authorization);
        match credentials.token() {
            Some(token) => {
                let mut token = HeaderValue::from_str(token)
                    .map_err(|_| unusable_credentials("session token", "X-TC-Token"))?;
                token.set_sensitive(true);
                headers.insert(X_TC_TOKEN.clone(), token);
            }
            // A hook may not send a token of its own.
            None => {
                headers.remove(&X_TC_TOKEN);
            }
        }
        Ok(())
    }

    /// Runs the hooks that see an attempt before it is signed, then restores
    /// what the protocol depends on. Out of line: most clients have none.
    #[inline(never)]
    pub(super) fn before_hooks(
        &self,
        action: &str,
        number: u32,
        headers: &mut HeaderMap,
        action_header: &HeaderValue,
        timestamp: u64,
    ) -> Result<(), SdkError<String>> {
        let mut shown = crate::headers::Headers(std::mem::take(headers));
        let mut before = BeforeAttempt {
            action,
            attempt: number,
            headers: &mut shown,
        };
        let verdict = self.hooks.before(&mut before);
        *headers = shown.0;
        verdict.map_err(|refused| SdkError::Build(BuildError::Refused(refused.to_string())))?;
        // What the protocol depends on is not a hook's to change.
        headers.remove(HOST);
        self.protocol_headers(headers, action_header, timestamp);
        Ok(())
    }
}

/// `value` as a header value without a copy, if it can be one:
/// `HeaderValue::from_static` takes visible ASCII and tabs only (and panics
/// on anything else, where `from_str` would take bytes above 127 too).
pub(super) fn static_header(value: &'static str) -> Option<HeaderValue> {
    value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        .then(|| HeaderValue::from_static(value))
}

/// The error for a value of the request (`what`) that `header` cannot
/// carry.
pub(super) fn invalid_header(what: &'static str, header: &'static str) -> SdkError<String> {
    SdkError::Build(BuildError::InvalidHeader { what, header })
}

/// The error for credentials whose `part` (SecretId, session token) `header`
/// cannot carry. Names the part, never its value.
#[cold]
fn unusable_credentials(part: &str, header: &str) -> SdkError<String> {
    SdkError::Credentials(CredentialsError::new(
        "the credentials provider",
        format!(
            "its {part} cannot be sent in the `{header}` header: it holds a line break \
             or another character an HTTP header may not carry"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{builder, creds, signed_headers, WIDGETS};
    use super::super::{Language, REQUEST_CLIENT};
    use super::*;
    use crate::credentials::Credentials;
    use crate::service::Service;

    #[test]
    fn header_set_matches_the_official_sdks() {
        let c = builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:9000")
            .region("ap-singapore")
            .language(Language::EnUs)
            .build()
            .unwrap();
        let h = signed_headers(&c, 1_700_000_000, &creds(), &RequestOptions::default());
        let mut names: Vec<&str> = h.keys().map(|k| k.as_str()).collect();
        names.sort_unstable();
        // `Host` comes from the transport (as `:authority` over HTTP/2).
        assert_eq!(
            names,
            [
                "authorization",
                "content-type",
                "x-tc-action",
                "x-tc-language",
                "x-tc-region",
                "x-tc-requestclient",
                "x-tc-timestamp",
                "x-tc-token",
                "x-tc-version",
            ]
        );
        assert_eq!(h["content-type"], "application/json");
        // A description that names no crate sends the runtime's name.
        assert_eq!(
            REQUEST_CLIENT,
            concat!("tencent-cloud-runtime/", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(h["x-tc-requestclient"], REQUEST_CLIENT);
        assert_eq!(h["x-tc-version"], "2020-02-10");
        assert_eq!(h["x-tc-timestamp"], "1700000000");
        assert_eq!(h["x-tc-language"], "en-US");
        let auth = h["authorization"].to_str().unwrap();
        assert!(auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDtest/2023-11-14/widgets/tc3_request, SignedHeaders=content-type;host, Signature="), "{auth}");
        // The headers' Debug output hides the secrets.
        let shown = format!("{h:?}");
        // Per-request options override the client's region and language.
        let o = RequestOptions::new()
            .region("ap-guangzhou")
            .language(Language::EnUs);
        let h2 = signed_headers(&c, 1, &creds(), &o);
        assert_eq!(h2["x-tc-region"], "ap-guangzhou");
        assert!(
            !shown.contains("token-abc") && !shown.contains("Signature="),
            "{shown}"
        );
    }

    #[test]
    fn the_request_client_names_the_service_crate() {
        static NAMED: Service = Service::new("widgets", "2020-02-10", "widgets", &[], &[], &[])
            .with_client_name("widgets-api/1.2.3");
        let c = builder()
            .service(&NAMED)
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let h = signed_headers(&c, 1, &creds(), &RequestOptions::default());
        assert_eq!(h["x-tc-requestclient"], "widgets-api/1.2.3");
        assert_eq!(NAMED.request_client(), "widgets-api/1.2.3");
        assert_eq!(WIDGETS.request_client(), REQUEST_CLIENT);
        // A name no header can carry is refused when the client is built,
        // not panicked on or sent.
        for bad in ["widgets-api/1\r\nX: y", "widgets-äpi/1", "a\u{7f}"] {
            let service: &'static Service = Box::leak(Box::new(
                Service::new("widgets", "2020-02-10", "widgets", &[], &[], &[])
                    .with_client_name(bad),
            ));
            let e = builder()
                .service(service)
                .endpoint_url("http://127.0.0.1:9")
                .credentials(creds())
                .build()
                .unwrap_err();
            assert!(e.reason.contains("client name"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn optional_headers_are_absent_when_unset() {
        let c = builder()
            .credentials(Credentials::new("id", "key"))
            .build()
            .unwrap();
        let h = signed_headers(
            &c,
            1,
            &Credentials::new("id", "key"),
            &RequestOptions::default(),
        );
        for name in ["x-tc-region", "x-tc-token", "x-tc-language"] {
            assert!(!h.contains_key(name), "{name}");
        }
    }
}
