//! The settings a builder made by [`ClientBuilder::from_env`] reads from
//! the environment when the code leaves them unset: the region, the
//! endpoint URL (the service's own variable first) and the language.

use super::builder::{Config, Language};
use crate::error::ConfigError;
use crate::service::Service;
use std::sync::Arc;

/// The region, as tccli (`options_define.py`: `ENV_REGION`) and the Terraform
/// provider read it.
const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// An endpoint URL for every service; no official tool reads one (the
/// Terraform provider's `TENCENTCLOUD_DOMAIN` is a domain suffix, not a URL),
/// so the name is ours, after `AWS_ENDPOINT_URL`.
const ENV_ENDPOINT_URL: &str = "TENCENTCLOUD_ENDPOINT_URL";
/// The language of messages; ours too, no official tool reads one.
const ENV_LANGUAGE: &str = "TENCENTCLOUD_LANGUAGE";

/// Where a builder made by [`ClientBuilder::from_env`] looks variables up.
pub(super) type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

impl Config {
    /// Takes from `lookup` each setting the code left unset (see
    /// [`ClientBuilder::from_env`]); returns the variable the endpoint URL came
    /// from, if it came from one.
    pub(super) fn apply_env(
        &mut self,
        service: &Service,
        lookup: &(dyn Fn(&str) -> Option<String> + Send + Sync),
    ) -> Result<Option<String>, ConfigError> {
        // Empty values count as unset, as for the credentials' variables.
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if self.region.is_none() {
            if let Some(region) = get(ENV_REGION) {
                // The rule regional hosts are built with.
                crate::service::check_region_name(&region)
                    .map_err(|reason| ConfigError::in_variable(ENV_REGION, reason))?;
                self.region = Some(region);
            }
        }
        if self.language.is_none() {
            if let Some(tag) = get(ENV_LANGUAGE) {
                let Some(language) = Language::from_tag(&tag) else {
                    let shown: String = tag.chars().take(64).collect();
                    return Err(ConfigError::in_variable(
                        ENV_LANGUAGE,
                        format!("`{shown}` is not a language: use en-US or zh-CN"),
                    ));
                };
                self.language = Some(language);
            }
        }
        let endpoint_in_code =
            self.endpoint_url.is_some() || self.site.is_some() || self.regional_endpoint;
        if endpoint_in_code {
            return Ok(None);
        }
        let own = format!("{ENV_ENDPOINT_URL}_{}", env_suffix(service.name));
        for variable in [own.as_str(), ENV_ENDPOINT_URL] {
            if let Some(url) = get(variable) {
                self.endpoint_url = Some(url);
                return Ok(Some(variable.to_owned()));
            }
        }
        Ok(None)
    }
}

/// A service's name as the end of an environment variable's name: ASCII
/// letters in capitals, digits, and `_` for anything else (`sts` → `STS`).
fn env_suffix(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{builder, creds, Site, WIDGETS};
    use super::*;
    use crate::client::ClientBuilder;

    /// A lookup over fixed pairs, in place of the process environment.
    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    /// A builder for [`WIDGETS`] reading `pairs` as its environment.
    fn from_vars(pairs: &[(&str, &str)]) -> ClientBuilder {
        ClientBuilder::from_lookup(vars(pairs))
            .service(&WIDGETS)
            .credentials(creds())
    }

    #[test]
    fn settings_come_from_the_environment_when_code_leaves_them_unset() {
        let c = from_vars(&[
            ("TENCENTCLOUD_REGION", " ap-guangzhou "),
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:8787"),
            ("TENCENTCLOUD_LANGUAGE", "en-us"),
        ])
        .build()
        .unwrap();
        assert_eq!(c.inner().region.as_deref(), Some("ap-guangzhou"));
        assert_eq!(c.endpoint(), "http://127.0.0.1:8787/");
        assert_eq!(c.inner().language, Some(Language::EnUs));

        // The service's own variable before the shared one.
        let c = from_vars(&[
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("TENCENTCLOUD_ENDPOINT_URL_WIDGETS", "http://127.0.0.1:2"),
            ("TENCENTCLOUD_ENDPOINT_URL_STS", "http://127.0.0.1:3"),
        ])
        .build()
        .unwrap();
        assert_eq!(c.endpoint(), "http://127.0.0.1:2/");

        // Code wins over the environment, setting by setting; a wrong value
        // the code overrides is never read.
        let env = [
            ("TENCENTCLOUD_REGION", "NOT A REGION"),
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("TENCENTCLOUD_LANGUAGE", "klingon"),
        ];
        let c = from_vars(&env)
            .region("ap-singapore")
            .language(Language::ZhCn)
            .site(Site::China)
            .build()
            .unwrap();
        assert_eq!(c.inner().region.as_deref(), Some("ap-singapore"));
        assert_eq!(c.inner().language, Some(Language::ZhCn));
        assert_eq!(c.endpoint(), "https://widgets.tencentcloudapi.com/");
        for code in [
            from_vars(&env).endpoint_url("http://127.0.0.1:9"),
            from_vars(&env).site(Site::China),
        ] {
            let c = code.region("ap-guangzhou").language(Language::EnUs).build();
            assert!(!c.unwrap().endpoint().contains(":1/"));
        }
        // A regional endpoint set in code takes the region from the
        // environment, and keeps its endpoint.
        let c = from_vars(&[
            ("TENCENTCLOUD_REGION", "ap-beijing"),
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
        ])
        .site(Site::China)
        .regional_endpoint(true)
        .build()
        .unwrap();
        assert_eq!(
            c.endpoint(),
            "https://widgets.ap-beijing.tencentcloudapi.com/"
        );

        // Unset or empty: the defaults.
        for env in [
            &[][..],
            &[("TENCENTCLOUD_REGION", " "), ("TENCENTCLOUD_LANGUAGE", "")],
        ] {
            let c = from_vars(env).build().unwrap();
            assert_eq!(c.inner().region, None);
            assert_eq!(c.inner().language, None);
            assert_eq!(c.endpoint(), "https://widgets.intl.tencentcloudapi.com/");
        }
        // `new()` reads none of them.
        let c = builder().credentials(creds()).build().unwrap();
        assert_eq!(c.endpoint(), "https://widgets.intl.tencentcloudapi.com/");
    }

    #[test]
    fn a_wrong_value_in_the_environment_names_its_variable() {
        let cases = [
            ("TENCENTCLOUD_REGION", "AP-GUANGZHOU", "not a region name"),
            (
                "TENCENTCLOUD_REGION",
                "ap-guangzhou.evil.example",
                "not a region name",
            ),
            ("TENCENTCLOUD_REGION", "ap\ngz", "not a region name"),
            ("TENCENTCLOUD_LANGUAGE", "fr-FR", "use en-US or zh-CN"),
            ("TENCENTCLOUD_LANGUAGE", "en", "use en-US or zh-CN"),
            (
                "TENCENTCLOUD_ENDPOINT_URL",
                "127.0.0.1:8787",
                "endpoint URL",
            ),
            (
                "TENCENTCLOUD_ENDPOINT_URL",
                "ftp://x/",
                "scheme must be http or https",
            ),
            (
                "TENCENTCLOUD_ENDPOINT_URL",
                "https://u:p@x/",
                "user name or password",
            ),
            (
                "TENCENTCLOUD_ENDPOINT_URL_WIDGETS",
                "not a url",
                "endpoint URL",
            ),
        ];
        for (variable, value, says) in cases {
            let e = from_vars(&[(variable, value)]).build().unwrap_err();
            assert_eq!(e.variable.as_deref(), Some(variable), "{value}: {e}");
            assert!(e.reason.contains(says), "{value}: {e}");
            let shown = e.to_string();
            assert!(shown.contains(variable), "{shown}");
            // Never the password of a URL.
            assert!(!shown.contains("u:p"), "{shown}");
        }
        // An endpoint URL set in code names no variable when wrong.
        let e = from_vars(&[]).endpoint_url("ftp://x/").build().unwrap_err();
        assert_eq!(e.variable, None);
    }

    #[test]
    fn service_names_end_variable_names_in_capitals() {
        assert_eq!(env_suffix("widgets"), "WIDGETS");
        assert_eq!(env_suffix("tke-2"), "TKE_2");
        assert_eq!(Language::from_tag("ZH-cn"), Some(Language::ZhCn));
        assert_eq!(Language::from_tag("zh"), None);
    }
}
