//! The emulator's own control endpoint, for test code in any language:
//! `POST /emulator/clock` with a JSON body moves or re-speeds the simulated
//! clock and answers its state. It is no API action (the service has none), so
//! it lives outside `/` and needs no signature: the emulator serves only what the
//! machine's own users can reach.
//!
//! | body | effect |
//! | --- | --- |
//! | `{}` | none; answers `{"Now": UNIX, "Speed": N}` |
//! | `{"Advance": 3600}` | simulated time forward by 3,600 seconds |
//! | `{"AdvanceTo": 1767225600}` | to that Unix time, if ahead |
//! | `{"Speed": 60}` | a simulated minute per real second from now on |
//!
//! ```sh
//! curl -s -X POST http://127.0.0.1:8787/emulator/clock -d '{"Advance": 600}'
//! ```

use crate::clock::Clock;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

/// Where the control endpoint is.
pub const CLOCK_PATH: &str = "/emulator/clock";

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct ClockRequest {
    #[serde(default)]
    advance: Option<u64>,
    #[serde(default)]
    advance_to: Option<i64>,
    #[serde(default)]
    speed: Option<f64>,
}

/// The answer to a request for `target`, if it is the control endpoint: status
/// and JSON body.
pub fn answer(method: &str, target: &str, body: &[u8], clock: &Clock) -> Option<(u16, String)> {
    if target.split('?').next() != Some(CLOCK_PATH) {
        return None;
    }
    if method != "POST" {
        return Some((405, json!({"Error": "POST a JSON object"}).to_string()));
    }
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    let request: ClockRequest = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return Some((400, json!({"Error": e.to_string()}).to_string())),
    };
    if let Some(speed) = request.speed {
        if let Err(e) = clock.set_speed(speed) {
            return Some((400, json!({"Error": e.to_string()}).to_string()));
        }
    }
    if let Some(secs) = request.advance {
        clock.advance(Duration::from_secs(secs));
    }
    if let Some(at) = request.advance_to {
        clock.advance_to(at);
    }
    Some((
        200,
        json!({"Now": clock.now(), "Speed": clock.speed()}).to_string(),
    ))
}
