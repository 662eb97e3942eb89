//! Raw HTTP to an emulator: requests signed with the test key pair but otherwise
//! written byte by byte, so that tests can send what no well-behaved client would.

use ccc_emulator::{TEST_SECRET_ID, TEST_SECRET_KEY};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A complete `Connection: close` request for `action`, signed over
/// `content-type;host;x-tc-action` at `timestamp`.
pub fn signed(action: &str, version: &str, timestamp: u64, body: &[u8], host: &str) -> Vec<u8> {
    let input = ccc_api::signing::SigningInput {
        service: "ccc",
        timestamp,
        method: "POST",
        path: "/",
        query: "",
        headers: &[
            ("content-type", "application/json"),
            ("host", host),
            ("x-tc-action", action),
        ],
        payload: body,
    };
    let auth = ccc_api::signing::sign(TEST_SECRET_ID, TEST_SECRET_KEY, &input).authorization;
    let mut out = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nX-TC-Action: {action}\r\nX-TC-Version: {version}\r\nX-TC-Timestamp: {timestamp}\r\nAuthorization: {auth}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A valid signed request of the current API version, sent now.
pub fn valid(action: &str, body: &[u8], addr: SocketAddr) -> Vec<u8> {
    signed(action, ccc_api::VERSION, now(), body, &addr.to_string())
}

/// Sends `request` on a new connection and returns everything answered until the
/// server closes it (or five seconds pass), as text.
pub async fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
        return String::new();
    };
    // The server may answer and close before reading everything; the answer counts.
    let _ = s.write_all(request).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// The `Code` of the error in an answer, if it is one.
pub fn error_code(answer: &str) -> Option<String> {
    let body = answer.split_once("\r\n\r\n")?.1;
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v["Response"]["Error"]["Code"].as_str().map(str::to_owned)
}
