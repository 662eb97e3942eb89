//! Configuration that needs more than the runtime: the credential sources that
//! assume a CAM role through STS, and the default credentials chain that
//! includes them.
//!
//! Why a crate of its own: STS is a Tencent Cloud service like any other, so
//! its client is generated into its own crate (`tencent-cloud-sts`) over
//! `tencent-cloud-runtime`, and the runtime cannot call it without depending on
//! a crate that depends on it. This crate sits above both, as `aws-config`
//! sits above the AWS SDK's runtime and its STS client. Every generated service
//! crate (except STS itself) depends on it, and its clients take
//! [`default_chain`] when given no credentials, so
//! `ccc_api::Client::from_env()` still finds keys from a TKE pod's identity.
//!
//! - [`AssumeRoleProvider`]: `AssumeRole` with base keys, for cross-account or
//!   narrowed access.
//! - [`OidcRoleProvider`]: the TKE OIDC web-identity flow
//!   (`AssumeRoleWithWebIdentity`), from the `TKE_*` variables.
//! - [`default_chain`]: environment, profile file, CVM role (the runtime's
//!   [`DefaultChain`]) and then TKE OIDC.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod role;

pub use role::{AssumeRoleProvider, OidcRoleProvider, TKE_ENV};

use tencent_cloud_runtime::credentials::{CachingProvider, DefaultChain, Unavailable};

/// The default credentials chain in the official SDKs' order: environment,
/// profile file, CVM instance role, TKE OIDC (the last only when its
/// variables are set; otherwise the chain's error says which are missing).
pub fn default_chain() -> DefaultChain {
    let chain = DefaultChain::new();
    match OidcRoleProvider::from_env() {
        Ok(oidc) => chain.with("TKE OIDC", CachingProvider::new(oidc)),
        Err(e) => chain.with("TKE OIDC", Unavailable(e)),
    }
}
