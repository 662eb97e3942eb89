//! Reuses temporary credentials until shortly before they expire. One refresh
//! runs at a time: requests that need fresh keys while it runs wait for its result
//! instead of asking the source again.

use super::{Credentials, CredentialsFuture, ProvideCredentials};
use std::sync::RwLock;
use std::time::{Duration, SystemTime};

/// How long before expiry credentials are refreshed by default.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// Caches what `inner` provides; permanent keys (no expiry) are kept for good.
#[derive(Debug)]
pub struct CachingProvider<P> {
    inner: P,
    refresh_before: Duration,
    current: RwLock<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
}

impl<P: ProvideCredentials> CachingProvider<P> {
    /// Caches `inner`, refreshing five minutes before expiry.
    pub fn new(inner: P) -> Self {
        CachingProvider {
            inner,
            refresh_before: DEFAULT_REFRESH_BEFORE,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Refresh this long before expiry instead.
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// The cached credentials, if still fresh.
    fn fresh(&self) -> Option<Credentials> {
        let guard = self.current.read().ok()?;
        let c = guard.as_ref()?;
        match c.expires_at() {
            None => Some(c.clone()),
            Some(at) if SystemTime::now() + self.refresh_before < at => Some(c.clone()),
            Some(_) => None,
        }
    }

    /// The expiry of the cached credentials, if any are cached.
    pub fn cached_expiry(&self) -> Option<SystemTime> {
        self.current.read().ok()?.as_ref()?.expires_at()
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachingProvider<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            if let Some(c) = self.fresh() {
                return Ok(c);
            }
            let _refreshing = self.refresh.lock().await;
            // Another task may have refreshed while this one waited.
            if let Some(c) = self.fresh() {
                return Ok(c);
            }
            let c = self.inner.provide_credentials().await?;
            if let Ok(mut slot) = self.current.write() {
                *slot = Some(c.clone());
            }
            Ok(c)
        })
    }
}
