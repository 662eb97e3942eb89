//! A chain of credential sources, tried in order. [`DefaultChain::new`] holds
//! the sources the runtime has on its own, in the official SDKs' order:
//! environment, profile file, CVM instance role. The sources that assume a
//! role (TKE OIDC) call STS, a service crate over this runtime, so
//! `tencent-cloud-config` appends them. The first source that answers is
//! asked first next time; when none answers, the error lists every source and
//! why.

use super::{
    CachingProvider, CredentialsFuture, CvmRoleProvider, EnvironmentProvider, ProfileFileProvider,
    ProvideCredentials,
};
use crate::error::CredentialsError;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Tries each source in order.
#[derive(Debug)]
pub struct DefaultChain {
    sources: Vec<(&'static str, Box<dyn ProvideCredentials>)>,
    last_good: AtomicUsize,
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultChain {
    /// Environment, profile file, CVM instance role, in the official order
    /// (`tencent_cloud_config::default_chain` appends TKE OIDC).
    pub fn new() -> Self {
        DefaultChain::empty()
            .with("environment", EnvironmentProvider)
            .with("profile file", ProfileFileProvider::new())
            .with(
                "CVM instance role",
                CachingProvider::new(CvmRoleProvider::new()),
            )
    }

    /// A chain of no sources, to build with [`DefaultChain::with`].
    pub fn empty() -> Self {
        DefaultChain {
            sources: Vec::new(),
            last_good: AtomicUsize::new(usize::MAX),
        }
    }

    /// Appends a source.
    pub fn with(mut self, name: &'static str, source: impl ProvideCredentials + 'static) -> Self {
        self.sources.push((name, Box::new(source)));
        self
    }
}

/// A source that could not be set up (its settings are missing or wrong):
/// kept in a chain so that the chain's error says why it gave nothing.
#[derive(Debug)]
pub struct Unavailable(pub CredentialsError);

impl ProvideCredentials for Unavailable {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let e = self.0.clone();
        Box::pin(async move { Err(e) })
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let first = self.last_good.load(Ordering::Relaxed);
            if let Some((_, source)) = self.sources.get(first) {
                if let Ok(c) = source.provide_credentials().await {
                    return Ok(c);
                }
            }
            let mut tried = Vec::new();
            for (i, (name, source)) in self.sources.iter().enumerate() {
                match source.provide_credentials().await {
                    Ok(c) => {
                        self.last_good.store(i, Ordering::Relaxed);
                        return Ok(c);
                    }
                    Err(e) => tried.push(format!("{name}: {}", e.reason)),
                }
            }
            Err(CredentialsError::new(
                "default chain",
                format!("no source had credentials; tried {}", tried.join("; ")),
            ))
        })
    }

    /// The last source that answered, if it has keys at hand.
    fn ready_credentials(&self) -> Option<super::Credentials> {
        let (_, source) = self.sources.get(self.last_good.load(Ordering::Relaxed))?;
        source.ready_credentials()
    }
}
