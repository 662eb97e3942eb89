//! What the client's unit tests share: two services as generated code
//! describes them, a service's own client type, and fixed credentials.

use super::{Client, ClientBuilder, ServiceClient};
use crate::credentials::Credentials;
use crate::options::RequestOptions;
use crate::service::{Endpoint, PublicSite, Service};
use reqwest::header::{HeaderMap, HeaderValue};

/// A service with two sites, the second with regional hosts, as generated
/// code describes one (service crates depend on the runtime, not the other
/// way round).
pub(super) static WIDGETS: Service = Service::new(
    "widgets",
    "2020-02-10",
    "widgets",
    &[
        Endpoint::new("International", "widgets.intl.tencentcloudapi.com", true),
        Endpoint::new("China", "widgets.tencentcloudapi.com", false)
            .with_regional_host("widgets.{region}.tencentcloudapi.com"),
    ],
    &[],
    &[],
);

/// A second service, whose default site has regional hosts.
pub(super) static STS: Service = Service::new(
    "sts",
    "2018-08-13",
    "sts",
    &[
        Endpoint::new("China", "sts.tencentcloudapi.com", true)
            .with_regional_host("sts.{region}.tencentcloudapi.com"),
        Endpoint::new("International", "sts.intl.tencentcloudapi.com", false),
    ],
    &[],
    &[],
);

/// A service's own client type, as generated code declares one.
#[derive(Debug)]
pub(super) struct StsClient(pub(super) Client);

impl From<Client> for StsClient {
    fn from(c: Client) -> Self {
        StsClient(c)
    }
}

impl ServiceClient for StsClient {
    fn default_service() -> Option<&'static Service> {
        Some(&STS)
    }
}

/// The sites of [`WIDGETS`], as a generated `Site` names them.
#[derive(Clone, Copy)]
pub(super) enum Site {
    China,
}

impl PublicSite for Site {
    fn site_name(self) -> &'static str {
        match self {
            Site::China => "China",
        }
    }
}

/// A runtime client builder for [`WIDGETS`].
pub(super) fn builder() -> ClientBuilder {
    Client::builder().service(&WIDGETS)
}

pub(super) fn creds() -> Credentials {
    Credentials::new("AKIDtest", "secretkey-xyz").with_token("token-abc")
}

/// The headers of an attempt as sent, signature included.
pub(super) fn signed_headers(
    c: &Client,
    timestamp: u64,
    credentials: &Credentials,
    options: &RequestOptions,
) -> HeaderMap {
    let action = HeaderValue::from_static("DescribeAutoCalloutTask");
    let mut h = c.inner().headers(&action, timestamp, options).unwrap();
    c.inner()
        .sign(&mut h, timestamp, credentials, b"{}")
        .unwrap();
    h
}
