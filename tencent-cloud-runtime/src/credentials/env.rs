//! Credentials from environment variables, read on every request.

use super::{Credentials, CredentialsFuture, ProvideCredentials};

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional
/// `TENCENTCLOUD_SESSION_TOKEN` / `TENCENTCLOUD_TOKEN` when asked.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider;

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async { Credentials::from_env() })
    }
}
