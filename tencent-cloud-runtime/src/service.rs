//! What the runtime knows about a service: everything that differs between two
//! Tencent Cloud APIs on the wire. The generator writes one [`Service`] per spec
//! (`ccc_api::SERVICE_DESCRIPTION`, [`crate::sts::SERVICE_DESCRIPTION`]) and the
//! client's one call path reads the name, version and endpoint from it, so the
//! hand-written runtime holds none of them.

/// A Tencent Cloud API service at one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Service {
    /// Service name (`ccc`, `sts`).
    pub name: &'static str,
    /// API version, sent as `X-TC-Version`.
    pub version: &'static str,
    /// Name in the credential scope of TC3 signatures; the service name for
    /// every API so far, kept apart because the signing documentation treats
    /// it as its own value.
    pub signing_name: &'static str,
    /// Public endpoints, one per site; the first marked default is used when a
    /// client names no site or URL.
    pub endpoints: &'static [Endpoint],
    /// The spec's facts about each action, sorted by name (what untyped calls
    /// look up: the rate limit and whether repeating is safe).
    pub actions: &'static [ActionInfo],
    /// Wire names of the members the spec marks sensitive, sorted: their values
    /// are redacted wherever an answer's body is kept.
    pub sensitive_members: &'static [&'static str],
}

impl Service {
    /// A description; generated code builds these as constants.
    pub const fn new(
        name: &'static str,
        version: &'static str,
        signing_name: &'static str,
        endpoints: &'static [Endpoint],
        actions: &'static [ActionInfo],
        sensitive_members: &'static [&'static str],
    ) -> Self {
        Service {
            name,
            version,
            signing_name,
            endpoints,
            actions,
            sensitive_members,
        }
    }

    /// The endpoint used when none is chosen (`None` only for a description
    /// listing no endpoint, which the generator refuses).
    pub fn default_endpoint(&self) -> Option<&'static Endpoint> {
        let endpoints = self.endpoints;
        endpoints
            .iter()
            .find(|e| e.default)
            .or_else(|| endpoints.first())
    }

    /// The endpoint of the site named `site` (`International`, `China`).
    pub fn endpoint(&self, site: &str) -> Option<&'static Endpoint> {
        let endpoints = self.endpoints;
        endpoints.iter().find(|e| e.site == site)
    }

    /// The spec's facts about `action`, if it is one of the service's.
    pub fn action(&self, action: &str) -> Option<&'static ActionInfo> {
        let actions = self.actions;
        actions
            .binary_search_by(|a| a.name.cmp(action))
            .ok()
            .map(|i| &actions[i])
    }
}

/// A public endpoint of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// Name of the site it serves (`International`).
    pub site: &'static str,
    /// Host name.
    pub host: &'static str,
    /// Whether clients use it unless told otherwise.
    pub default: bool,
    /// The site's host in one region, `{region}` standing for the region
    /// (`ccc.{region}.tencentcloudapi.com`), when the site has them.
    pub regional_host: Option<&'static str>,
}

impl Endpoint {
    /// An endpoint; generated code builds these as constants.
    pub const fn new(site: &'static str, host: &'static str, default: bool) -> Self {
        Endpoint {
            site,
            host,
            default,
            regional_host: None,
        }
    }

    /// The same endpoint with regional hosts following `pattern`.
    pub const fn with_regional_host(mut self, pattern: &'static str) -> Self {
        self.regional_host = Some(pattern);
        self
    }

    /// The host of this site in `region` (`ap-guangzhou`), or why there is
    /// none: the site has no regional hosts, or the region is not a region
    /// name (lower-case letters, digits and `-`, as Tencent Cloud names them;
    /// anything else would change the host's meaning).
    pub fn host_in(&self, region: &str) -> Result<String, String> {
        let Some(pattern) = self.regional_host else {
            return Err(format!("the site {} has no regional endpoints", self.site));
        };
        let valid = !region.is_empty()
            && region.len() <= 64
            && !region.starts_with('-')
            && !region.ends_with('-')
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            let shown: String = region.chars().take(64).collect();
            return Err(format!("`{shown}` is not a region name"));
        }
        Ok(pattern.replace("{region}", region))
    }
}

/// What the spec says about sending one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionInfo {
    /// Wire name.
    pub name: &'static str,
    /// Documented limit, requests per second.
    pub rate_limit: Option<u32>,
    /// Whether sending it twice has the effect of sending it once.
    pub idempotent: bool,
}

impl ActionInfo {
    /// Facts about one action; generated code builds these as constants.
    pub const fn new(name: &'static str, rate_limit: Option<u32>, idempotent: bool) -> Self {
        ActionInfo {
            name,
            rate_limit,
            idempotent,
        }
    }
}

/// A public site of some service (each generated `Site` enum is one), chosen
/// with [`ClientBuilder::site`](crate::ClientBuilder::site). Sites are Tencent
/// Cloud's, not a service's: the client picks the endpoint of the site with
/// this name from its own service's description.
pub trait PublicSite: Copy {
    /// The site's name, as in the service descriptions (`International`).
    fn site_name(self) -> &'static str;
}
