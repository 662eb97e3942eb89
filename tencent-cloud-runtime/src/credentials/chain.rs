//! The default credentials chain, in the official SDKs' order: environment,
//! profile file, CVM instance role, TKE OIDC. The first source that answers is
//! asked first next time; when none answers, the error lists every source and why.

use super::{
    CachingProvider, CredentialsFuture, CvmRoleProvider, EnvironmentProvider, OidcRoleProvider,
    ProfileFileProvider, ProvideCredentials,
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
    /// The official order; the OIDC source only when its variables are set.
    pub fn new() -> Self {
        let mut chain = DefaultChain::empty();
        chain = chain.with("environment", EnvironmentProvider);
        chain = chain.with("profile file", ProfileFileProvider::new());
        chain = chain.with(
            "CVM instance role",
            CachingProvider::new(CvmRoleProvider::new()),
        );
        match OidcRoleProvider::from_env() {
            Ok(oidc) => chain.with("TKE OIDC", CachingProvider::new(oidc)),
            Err(e) => chain.with("TKE OIDC", Unavailable(e)),
        }
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

/// A source that could not be set up; reports why when asked.
#[derive(Debug)]
struct Unavailable(CredentialsError);

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
