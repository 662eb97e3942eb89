//! What the runtime knows about a service: everything that differs between two
//! Tencent Cloud APIs on the wire. The generator writes one [`Service`] per spec
//! (`tencent_cloud_sts::SERVICE_DESCRIPTION`, one in every service crate) and the
//! client's one call path reads the name, version and endpoint from it, so the
//! hand-written runtime holds none of them.

/// A Tencent Cloud API service at one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Service {
    /// Service name (`sts`).
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
    /// The crate the description was generated into, with its version
    /// (`tencent-cloud-sts/0.1.0`), set with [`Service::with_client_name`]: sent as
    /// `X-TC-RequestClient` and as the `User-Agent` of the HTTP client the
    /// builder makes. `None` (a description written by hand) sends
    /// [`REQUEST_CLIENT`](crate::REQUEST_CLIENT), the runtime's name; see
    /// [`Service::request_client`].
    pub client_name: Option<&'static str>,
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
            client_name: None,
        }
    }

    /// The same description, naming the crate that carries it and its version
    /// (`product/version`, as in a `User-Agent`); generated code passes
    /// `concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))`.
    /// The official SDKs send `SDK_PYTHON_3.1.185`, `SDK_JAVA_3.1.130` and
    /// the like: the value is free text for Tencent Cloud's statistics, and
    /// the service checks nothing in it. A name that cannot be a header value
    /// makes building a client fail.
    pub const fn with_client_name(mut self, name: &'static str) -> Self {
        self.client_name = Some(name);
        self
    }

    /// What a client of this service sends as `X-TC-RequestClient` and
    /// `User-Agent`: [`Service::client_name`], else
    /// [`REQUEST_CLIENT`](crate::REQUEST_CLIENT) (`tencent-cloud-runtime/<version>`).
    pub fn request_client(&self) -> &'static str {
        self.client_name.unwrap_or(crate::client::REQUEST_CLIENT)
    }

    /// Whether `action` may be sent again after a failure that may have
    /// reached the service: what the spec says when it lists the action,
    /// otherwise whether its name reads
    /// ([`ActionInfo::is_read_action`]).
    pub fn is_idempotent(&self, action: &str) -> bool {
        match self.action(action) {
            Some(known) => known.idempotent,
            None => ActionInfo::is_read_action(action),
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
    /// (`<service>.{region}.tencentcloudapi.com`), when the site has them.
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
        check_region_name(region)?;
        Ok(pattern.replace("{region}", region))
    }
}

/// Whether `region` is a region name as Tencent Cloud names them (lower-case
/// letters, digits and `-`, at most 64 bytes), or why not: anything else
/// would change the meaning of a host built from it.
pub(crate) fn check_region_name(region: &str) -> Result<(), String> {
    let valid = !region.is_empty()
        && region.len() <= 64
        && !region.starts_with('-')
        && !region.ends_with('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(())
    } else {
        let shown: String = region.chars().take(64).collect();
        Err(format!("`{shown}` is not a region name"))
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
    /// The first words of action names that only read (`DescribeCdr`,
    /// `GetCallerIdentity`, `InquiryPriceRunInstances`): an action a service's
    /// description does not list (an untyped [`Client::call`](crate::Client::call)
    /// of an action newer than the spec) is taken as idempotent when its name
    /// begins with one of them, and as not idempotent otherwise.
    ///
    /// The spec importer (`codegen/src/import.rs`, `READ_VERBS` and
    /// `is_read_action`) sets the spec's `idempotent` flag of new actions by
    /// the same list and rule. The generator does not depend on the runtime,
    /// so it keeps its own copy: change both together. Verbs that may consume
    /// something (`Verify*`) are left out on purpose.
    pub const READ_VERBS: &'static [&'static str] = &[
        "Describe", "Get", "List", "Query", "Inquire", "Inquiry", "Search", "Preview", "Check",
    ];

    /// Whether the first word of the action name `name` is one of
    /// [`ActionInfo::READ_VERBS`]: the name starts with the verb, and the
    /// verb is the whole word (the name ends there, or the next character is
    /// an upper-case letter, `_`, `.` or `-`). `DescribeTasks` and `Get`
    /// read; `Getaway`, `Listen`, `Describe2Tasks`, `describeTasks` and
    /// `CreateTask` do not.
    pub fn is_read_action(name: &str) -> bool {
        Self::READ_VERBS.iter().any(|verb| {
            name.strip_prefix(verb).is_some_and(|rest| {
                rest.bytes()
                    .next()
                    .is_none_or(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'.' | b'-'))
            })
        })
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_actions_are_told_by_their_first_word() {
        for name in [
            "DescribeAutoCalloutTasks",
            "Describe",
            "GetCallerIdentity",
            "ListTasks",
            "QueryThing",
            "InquirePriceX",
            "InquiryPriceRunInstances",
            "SearchLog",
            "PreviewTemplate",
            "CheckDomain",
            "DescribeURLs",
            "Get_Thing",
        ] {
            assert!(ActionInfo::is_read_action(name), "{name}");
        }
        for name in [
            "CreateAutoCalloutTask",
            "Getaway",
            "Listen",
            "Checkout",
            "Describe2Tasks",
            "describeTasks",
            "DESCRIBETASKS",
            "VerifyCode",
            "BatchDescribeX",
            "",
        ] {
            assert!(!ActionInfo::is_read_action(name), "{name}");
        }
    }

    #[test]
    fn idempotency_comes_from_the_spec_then_from_the_name() {
        static ACTIONS: [ActionInfo; 2] = [
            ActionInfo::new("CreateThing", None, true),
            ActionInfo::new("DescribeOdd", None, false),
        ];
        static S: Service = Service::new("svc", "2020-01-01", "svc", &[], &ACTIONS, &[]);
        // What the spec says wins over the name.
        assert!(S.is_idempotent("CreateThing"));
        assert!(!S.is_idempotent("DescribeOdd"));
        // Unknown actions: by their first word.
        assert!(S.is_idempotent("DescribeNew"));
        assert!(!S.is_idempotent("CreateNew"));
    }

    #[test]
    fn the_client_name_is_set_in_a_constant() {
        const PLAIN: Service = Service::new("svc", "2020-01-01", "svc", &[], &[], &[]);
        const NAMED: Service = PLAIN.with_client_name("svc-api/0.3.0");
        assert_eq!(PLAIN.client_name, None);
        assert_eq!(PLAIN.request_client(), crate::REQUEST_CLIENT);
        assert_eq!(NAMED.client_name, Some("svc-api/0.3.0"));
        assert_eq!(NAMED.request_client(), "svc-api/0.3.0");
        assert_ne!(PLAIN, NAMED);
    }
}
