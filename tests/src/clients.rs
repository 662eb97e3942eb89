//! The client the loopback tests talk through: strict about answers (a
//! deviation from the spec is an error, so a test sees it), with no client-side
//! rate limit and no retries (each call is one request), signing with the
//! emulator's test keys unless told otherwise.

use ccc_api::{Client, Credentials, RateLimit, RetryConfig};
use ccc_emulator::{TEST_SECRET_ID, TEST_SECRET_KEY};

/// A strict, single-attempt client of `url` signing with the test keys.
pub fn strict_client(url: &str) -> Client {
    strict_client_with(url, Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
}

/// A strict, single-attempt client of `url` signing with `credentials`.
pub fn strict_client_with(url: &str, credentials: Credentials) -> Client {
    Client::builder()
        .credentials(credentials)
        .strict_responses(true)
        .endpoint_url(url)
        .rate_limit(RateLimit::Off)
        .retry(RetryConfig::disabled())
        .build()
        .expect("a client of a loopback URL")
}
