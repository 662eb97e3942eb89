//! Finding every service under the spec tree: `spec/<service>/<version>/` with a
//! `service.json`. A new service needs no list to be edited; `cargo xtask
//! codegen` picks it up.

use std::path::Path;

/// One service's spec directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDir {
    /// Service name: the directory under the spec root (`sts`).
    pub service: String,
    /// API version: the directory under the service (`2018-08-13`).
    pub version: String,
    /// The spec directory relative to the repository root (`spec/sts/2018-08-13`).
    pub dir: String,
}

/// Every `<spec_root>/<service>/<version>/service.json` under `root`, sorted by
/// service. A service with more than one version is refused: each service is
/// one module of the crate.
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
    let mut found = Vec::new();
    for service in read(&root.join(spec_root))? {
        let versions: Vec<String> = read(&root.join(spec_root).join(&service))?
            .into_iter()
            .filter(|v| {
                root.join(spec_root)
                    .join(&service)
                    .join(v)
                    .join("service.json")
                    .is_file()
            })
            .collect();
        match versions.as_slice() {
            [] => {}
            [version] => found.push(ServiceDir {
                dir: format!("{spec_root}/{service}/{version}"),
                service,
                version: version.clone(),
            }),
            more => {
                return Err(format!(
                    "{spec_root}/{service}: one version per service, found {}",
                    more.join(", ")
                ))
            }
        }
    }
    Ok(found)
}
