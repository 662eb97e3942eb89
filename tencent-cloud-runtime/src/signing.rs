//! TC3-HMAC-SHA256 request signing, as a pure function of its inputs.
//!
//! The signature covers the exact body bytes and the headers named in
//! `SignedHeaders`, so whatever is signed here must be sent unchanged. The official
//! SDKs sign `content-type;host`; [`sign`] accepts any header list, which is what the
//! published known-answer vector (`content-type;host;x-tc-action`) needs.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The algorithm name that starts the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// What one signature is computed over.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// Tencent Cloud service name, the middle part of the credential scope (`sts`).
    pub service: &'a str,
    /// Unix seconds sent as `X-TC-Timestamp`; its UTC date is the credential date.
    pub timestamp: u64,
    /// HTTP method, upper case (`POST`).
    pub method: &'a str,
    /// Canonical URI; always `/` for API 3.0.
    pub path: &'a str,
    /// Canonical query string; empty for POST.
    pub query: &'a str,
    /// Headers to sign, as `(name, value)`: names are lower-cased and sorted, values
    /// trimmed, exactly as the service rebuilds them.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes exactly as sent.
    pub payload: &'a [u8],
}

/// The outcome of signing, with every intermediate value the algorithm defines so
/// a mismatch with the server can be tracked down step by step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Lower-case hex SHA-256 of the payload.
    pub hashed_payload: String,
    /// The canonical request text.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// `YYYY-MM-DD/<service>/tc3_request`.
    pub credential_scope: String,
    /// Semicolon-separated lower-case header names, sorted.
    pub signed_headers: String,
    /// Lower-case hex HMAC-SHA256 signature.
    pub signature: String,
    /// The full value of the `Authorization` header.
    pub authorization: String,
}

/// The signing key of one SecretKey, UTC date and service: the first three steps
/// of the key chain, the same for every request of that day. Deriving it once a
/// day saves three HMACs per request.
#[derive(Clone)]
pub struct SigningKey {
    day: u64,
    date: String,
    service: String,
    key: [u8; 32],
    /// HMAC keyed with `key`, its pads already absorbed.
    mac: Hmac<Sha256>,
}

impl PartialEq for SigningKey {
    fn eq(&self, other: &Self) -> bool {
        self.day == other.day && self.service == other.service && self.key == other.key
    }
}

impl Eq for SigningKey {}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &self.date)
            .field("service", &self.service)
            .field("key", &"** redacted **")
            .finish()
    }
}

impl SigningKey {
    /// HMAC("TC3" + secret_key, UTC date of `timestamp`) → service → "tc3_request".
    pub fn derive(secret_key: &str, timestamp: u64, service: &str) -> SigningKey {
        let date = utc_date(timestamp);
        let mut key = Vec::with_capacity(3 + secret_key.len());
        key.extend_from_slice(b"TC3");
        key.extend_from_slice(secret_key.as_bytes());
        let secret_date = hmac(&key, date.as_bytes());
        let secret_service = hmac(&secret_date, service.as_bytes());
        let key = hmac(&secret_service, b"tc3_request");
        SigningKey {
            day: timestamp / 86_400,
            date,
            service: service.to_owned(),
            key,
            mac: new_mac(&key),
        }
    }

    /// Whether this key signs requests of `timestamp` for `service`.
    pub fn fits(&self, timestamp: u64, service: &str) -> bool {
        self.service == service && self.day == timestamp / 86_400
    }
}

/// Signs `input` with the key pair; `secret_id` only appears in the `Authorization`
/// value, `secret_key` only feeds the key derivation.
pub fn sign(secret_id: &str, secret_key: &str, input: &SigningInput<'_>) -> Signature {
    let key = SigningKey::derive(secret_key, input.timestamp, input.service);
    sign_with_key(secret_id, &key, input)
}

/// As [`sign`], with a key derived beforehand; the key must [fit](SigningKey::fits)
/// the input's timestamp and service.
pub fn sign_with_key(secret_id: &str, key: &SigningKey, input: &SigningInput<'_>) -> Signature {
    let hashed_payload = hex(&Sha256::digest(input.payload));

    // Names lower-cased (borrowed when they already are), values trimmed,
    // sorted by name as the service rebuilds them.
    let mut headers: Vec<(Cow<'_, str>, &str)> = input
        .headers
        .iter()
        .map(|&(name, value)| {
            let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(name)
            };
            (name, value.trim())
        })
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));

    let mut canonical_request = String::with_capacity(
        input.method.len()
            + input.path.len()
            + input.query.len()
            + 4
            + 64
            + headers
                .iter()
                .map(|(n, v)| 2 * n.len() + v.len() + 3)
                .sum::<usize>(),
    );
    let mut signed_headers = String::with_capacity(32);
    for part in [input.method, "\n", input.path, "\n", input.query, "\n"] {
        canonical_request.push_str(part);
    }
    for (i, (name, value)) in headers.iter().enumerate() {
        canonical_request.push_str(name);
        canonical_request.push(':');
        if name == "x-tc-action" {
            canonical_request.push_str(&value.to_ascii_lowercase());
        } else {
            canonical_request.push_str(value);
        }
        canonical_request.push('\n');
        if i > 0 {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
    }
    for part in ["\n", &signed_headers, "\n", &hashed_payload] {
        canonical_request.push_str(part);
    }

    let mut credential_scope = String::with_capacity(key.date.len() + input.service.len() + 13);
    for part in [&key.date, "/", input.service, "/tc3_request"] {
        credential_scope.push_str(part);
    }
    let canonical_hash = hex(&Sha256::digest(canonical_request.as_bytes()));
    let mut digits = [0u8; 20];
    // Decimal digits are ASCII.
    let timestamp = std::str::from_utf8(decimal(input.timestamp, &mut digits)).unwrap_or_default();
    let mut string_to_sign = String::with_capacity(128);
    for part in [
        ALGORITHM,
        "\n",
        timestamp,
        "\n",
        &credential_scope,
        "\n",
        &canonical_hash,
    ] {
        string_to_sign.push_str(part);
    }

    let mut mac = key.mac.clone();
    mac.update(string_to_sign.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());

    let mut authorization = String::with_capacity(
        ALGORITHM.len()
            + secret_id.len()
            + credential_scope.len()
            + signed_headers.len()
            + signature.len()
            + 40,
    );
    for part in [
        ALGORITHM,
        " Credential=",
        secret_id,
        "/",
        &credential_scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }
    Signature {
        hashed_payload,
        canonical_request,
        string_to_sign,
        credential_scope,
        signed_headers,
        signature,
        authorization,
    }
}

fn new_mac(key: &[u8]) -> Hmac<Sha256> {
    // `new_from_slice` accepts keys of any length for HMAC, so this cannot fail.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Signs a client's API 3.0 POSTs over `content-type;host`, as [`sign_with_key`]
/// would, streamed through the hashes without building the intermediate texts:
/// the client's per-request path.
///
/// Everything in the canonical request but the payload's hash is the same for
/// every request to one host, so its leading blocks are hashed once, here, and
/// each request starts from a copy of that state.
#[derive(Clone)]
pub struct PostSigner {
    host: String,
    /// SHA-256 state after `POST\n/\n\ncontent-type:…\nhost:…\n\ncontent-type;host\n`.
    canonical_prefix: Sha256,
}

impl std::fmt::Debug for PostSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostSigner")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

impl PostSigner {
    /// A signer of POSTs with this `Content-Type` to this `Host` (as sent,
    /// port included when the URL names one).
    pub fn new(content_type: &str, host: &str) -> PostSigner {
        let mut canonical_prefix = Sha256::new();
        for part in [
            b"POST\n/\n\ncontent-type:".as_slice(),
            content_type.trim().as_bytes(),
            b"\nhost:",
            host.trim().as_bytes(),
            b"\n\ncontent-type;host\n",
        ] {
            canonical_prefix.update(part);
        }
        PostSigner {
            host: host.trim().to_owned(),
            canonical_prefix,
        }
    }

    /// The `Host` value it signs.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The `Authorization` value of a request carrying `payload` at
    /// `timestamp`, by `secret_id` with `key`; the key must
    /// [fit](SigningKey::fits) the timestamp.
    pub fn authorization(
        &self,
        secret_id: &str,
        key: &SigningKey,
        timestamp: u64,
        payload: &[u8],
    ) -> String {
        let mut payload_hex = [0u8; 64];
        hex_into(&Sha256::digest(payload), &mut payload_hex);
        let mut canonical = self.canonical_prefix.clone();
        canonical.update(payload_hex);
        let mut canonical_hex = [0u8; 64];
        hex_into(&canonical.finalize(), &mut canonical_hex);
        let mut digits = [0u8; 20];
        let mut mac = key.mac.clone();
        for part in [
            b"TC3-HMAC-SHA256\n".as_slice(),
            decimal(timestamp, &mut digits),
            b"\n",
            key.date.as_bytes(),
            b"/",
            key.service.as_bytes(),
            b"/tc3_request\n",
            &canonical_hex,
        ] {
            mac.update(part);
        }
        let mut signature_hex = [0u8; 64];
        hex_into(&mac.finalize().into_bytes(), &mut signature_hex);
        // The fixed text, the date and the signature take 160 bytes.
        let mut out = String::with_capacity(160 + secret_id.len() + key.service.len());
        out.push_str("TC3-HMAC-SHA256 Credential=");
        out.push_str(secret_id);
        out.push('/');
        out.push_str(&key.date);
        out.push('/');
        out.push_str(&key.service);
        out.push_str("/tc3_request, SignedHeaders=content-type;host, Signature=");
        // Hex digits are ASCII.
        out.push_str(std::str::from_utf8(&signature_hex).unwrap_or_default());
        out
    }
}

/// `n` in decimal, written at the end of `buf`: no allocation per request.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// Lower-case hex of a digest, two digits per byte looked up at once.
fn hex_into(bytes: &[u8], out: &mut [u8; 64]) {
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
}

/// The two lower-case hex digits of every byte value.
static HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 0x0f]];
        i += 1;
    }
    table
};

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        let [high, low] = HEX_PAIRS[usize::from(b)];
        out.push(char::from(high));
        out.push(char::from(low));
    }
    out
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp: the credential date
/// must follow the timestamp, never the local clock's zone.
pub fn utc_date(timestamp: u64) -> String {
    let days = (timestamp / 86_400) as i64;
    // Civil-from-days (proleptic Gregorian), valid for every u64 timestamp / 86400.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client's streamed signer and the step-by-step one agree over a
    /// spread of hosts, services, timestamps (every digit count, day edges,
    /// the largest) and bodies (empty, multi-byte, around the hash's block
    /// sizes).
    #[test]
    fn streamed_authorization_equals_the_full_signature() {
        let hosts = [
            "widgets.intl.tencentcloudapi.com",
            "127.0.0.1:8080",
            "h",
            " sts.tencentcloudapi.com ",
        ];
        let services = ["widgets", "sts", "a-service-with-a-rather-long-name-x"];
        let mut timestamps = vec![0u64, 9, 86_399, 86_400, 1_704_067_199, u64::MAX];
        timestamps.extend((0..20).map(|p| 10u64.pow(p)));
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        timestamps.extend((0..20).map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> (state % 40)
        }));
        let mut bodies: Vec<Vec<u8>> = vec![
            Vec::new(),
            br#"{"SdkAppId":1}"#.to_vec(),
            "{\"Name\":\"任务\"}".as_bytes().to_vec(),
        ];
        bodies.extend([55, 56, 63, 64, 65, 119, 120, 128, 1000].map(|n| vec![b'x'; n]));
        let mut checked = 0;
        for (i, &ts) in timestamps.iter().enumerate() {
            let host = hosts[i % hosts.len()];
            let service = services[i % services.len()];
            for body in &bodies {
                let input = SigningInput {
                    service,
                    timestamp: ts,
                    method: "POST",
                    path: "/",
                    query: "",
                    headers: &[("Content-Type", "application/json"), ("host", host)],
                    payload: body,
                };
                let full = sign("AKIDx", "secret", &input);
                let key = SigningKey::derive("secret", ts, service);
                let fast = PostSigner::new("application/json", host)
                    .authorization("AKIDx", &key, ts, body);
                assert_eq!(fast, full.authorization, "{host} {service} {ts} {body:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, timestamps.len() * bodies.len());
    }

    #[test]
    fn hex_of_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let expected: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&all), expected);
        for chunk in all.chunks(32) {
            let mut out = [0u8; 64];
            hex_into(chunk, &mut out);
            assert_eq!(&out[..], hex(chunk).as_bytes());
        }
    }

    #[test]
    fn decimals() {
        let mut buf = [0u8; 20];
        for n in [
            0u64,
            7,
            9,
            10,
            99,
            100,
            101,
            999,
            1_000,
            1_700_000_000,
            u64::MAX,
        ]
        .into_iter()
        .chain((0..64).flat_map(|p| [1u64 << p, (1u64 << p) - 1, (1u64 << p) + 1]))
        .chain((1..20).map(|p| 10u64.pow(p) - 1))
        {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_709_251_199), "2024-02-29");
        assert_eq!(utc_date(1_709_251_200), "2024-03-01");
        assert_eq!(utc_date(4_102_444_800), "2100-01-01");
        // One second before midnight UTC is still the earlier date in every zone.
        assert_eq!(utc_date(1_551_139_199), "2019-02-25");
        assert_eq!(utc_date(1_551_139_200), "2019-02-26");
    }
}
