//! Which site the emulator stands for, and answers cut to it.
//!
//! Tencent Cloud serves CCC from two sites whose documentation differs: some
//! answer members are documented only on the China site (the spec marks them
//! `china_only`). An emulator standing for the international site leaves them
//! out of every answer, so a program tested against it does not come to rely on
//! a member its real site never sends. Actions documented only on the China
//! site are served whole on both, as they are the only source of their answers.

use crate::spec_table::{self, ActionInfo};
use serde_json::Value;

/// The site an emulator stands for (the client's [`ccc_api::Site`]).
pub use ccc_api::Site;

/// Removes from `response` (the object inside `Response`) the members
/// `site` does not document.
pub fn cut(site: Site, action: &ActionInfo, response: &mut Value) {
    if site == Site::China || action.china_only {
        return;
    }
    let Some(map) = response.as_object_mut() else {
        return;
    };
    for m in action.output {
        if m.china_only {
            map.remove(m.name);
        } else if let (Some(object), Some(v)) = (m.object, map.get_mut(m.name)) {
            cut_object(object, v, 0);
        }
    }
}

/// The same inside a value of object type `name` (or lists of it).
fn cut_object(name: &str, value: &mut Value, depth: usize) {
    // Types nest a few levels at most; the bound keeps a cyclic type finite.
    if depth > 16 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                cut_object(name, item, depth + 1);
            }
        }
        Value::Object(map) => {
            let Some(info) = spec_table::type_info(name) else {
                return;
            };
            for f in info.fields {
                if f.china_only {
                    map.remove(f.name);
                } else if let (Some(object), Some(v)) = (f.object, map.get_mut(f.name)) {
                    cut_object(object, v, depth + 1);
                }
            }
        }
        _ => {}
    }
}
