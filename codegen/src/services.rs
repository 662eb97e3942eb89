//! Finding every service under the spec tree: `spec/<service>/<version>/` with a
//! `service.json`, and the crate each one is generated into. A new service
//! needs no list to be edited: `cargo xtask codegen` picks it up, and the
//! workspace takes every crate under `services/`.

use crate::spec::{CrateSpec, ServiceFile};
use std::path::Path;

/// The directory under the repository root that holds the generated crates of
/// services whose `service.json` names no other place.
pub const SERVICES_DIR: &str = "services";

/// One service's spec directory and its crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDir {
    /// Service name: the directory under the spec root (`sts`).
    pub service: String,
    /// API version: the directory under the service (`2018-08-13`).
    pub version: String,
    /// The spec directory relative to the repository root (`spec/sts/2018-08-13`).
    pub dir: String,
    /// The crate it is generated into (from `service.json`'s `crate`).
    pub krate: CrateSpec,
}

impl ServiceDir {
    /// The crate's package name (`tencent-cloud-sts`).
    pub fn package(&self) -> String {
        package_name(&self.service, &self.krate)
    }

    /// The crate's directory relative to the repository root (`services/sts`).
    pub fn crate_path(&self) -> String {
        crate_path(&self.service, &self.krate)
    }

    /// The crate's name as Rust code spells it (`tencent_cloud_sts`).
    pub fn crate_ident(&self) -> String {
        self.package().replace('-', "_")
    }
}

/// The package name of `service`'s crate: the one `spec` names, or
/// `tencent-cloud-<service>`.
pub fn package_name(service: &str, spec: &CrateSpec) -> String {
    spec.name
        .clone()
        .unwrap_or_else(|| format!("tencent-cloud-{service}"))
}

/// The directory of `service`'s crate: the one `spec` names, or
/// `services/<service>`.
pub fn crate_path(service: &str, spec: &CrateSpec) -> String {
    spec.path
        .clone()
        .unwrap_or_else(|| format!("{SERVICES_DIR}/{service}"))
}

/// Every `<spec_root>/<service>/<version>/service.json` under `root`, sorted by
/// service and version. Several versions of one service may stand side by
/// side as long as their crates differ in name and place.
pub fn discover(root: &Path, spec_root: &str) -> Result<Vec<ServiceDir>, String> {
    let read = |dir: &Path| -> Result<Vec<String>, String> {
        let mut names = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            if entry.path().is_dir() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    };
    let mut found: Vec<ServiceDir> = Vec::new();
    for service in read(&root.join(spec_root))? {
        for version in read(&root.join(spec_root).join(&service))? {
            let dir = format!("{spec_root}/{service}/{version}");
            let file = root.join(&dir).join("service.json");
            if !file.is_file() {
                continue;
            }
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{dir}/service.json: {e}"))?;
            // Only the crate matters here; the loader reports every other
            // problem of the file with its path.
            let krate = serde_json::from_str::<ServiceFile>(&text)
                .map(|s| s.krate)
                .unwrap_or_default();
            let entry = ServiceDir {
                service: service.clone(),
                version,
                dir,
                krate,
            };
            if let Some(other) = found
                .iter()
                .find(|o| o.package() == entry.package() || o.crate_path() == entry.crate_path())
            {
                return Err(format!(
                    "{}/service.json: its crate ({} in {}) is also the crate of {}; give one of them \
                     its own `crate.name` and `crate.path`",
                    entry.dir,
                    entry.package(),
                    entry.crate_path(),
                    other.dir
                ));
            }
            found.push(entry);
        }
    }
    Ok(found)
}
