//! The emulator accepts requests exactly as the official clients sign them
//! (reproduced here byte by byte, so the suite guards it without the SDKs; the
//! SDKs themselves are driven by `tests/official/`), says what it compared when
//! a signature fails, and serves chunked bodies, HTTP/2 and HTTPS.

use base64::Engine as _;
use ccc_api::signing::{sign, SigningInput};
use ccc_api::{Client, Credentials, RateLimit};
use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
use ccc_tests::wire::{error_code, now, raw};
use hmac::{Hmac, Mac};
use std::net::SocketAddr;

async fn emulator() -> Emulator {
    Emulator::start(Config::default()).await.unwrap()
}

/// A TC3 request as a client sends it: `host_header` on the wire, `signed_host`
/// and `service` in the signature, parameters in the JSON `body` (POST) or the
/// `query` (GET).
struct Tc3<'a> {
    method: &'a str,
    host_header: &'a str,
    signed_host: &'a str,
    service: &'a str,
    query: &'a str,
    content_type: &'a str,
    body: &'a [u8],
    secret_key: &'a str,
}

impl Tc3<'_> {
    fn bytes(&self, action: &str) -> Vec<u8> {
        // One reading of the clock for the signature and the header: two could
        // straddle a second and no longer match.
        let timestamp = now();
        let auth = sign(
            TEST_SECRET_ID,
            self.secret_key,
            &SigningInput {
                service: self.service,
                timestamp,
                method: self.method,
                path: "/",
                query: self.query,
                headers: &[
                    ("content-type", self.content_type),
                    ("host", self.signed_host),
                ],
                payload: self.body,
            },
        )
        .authorization;
        let target = if self.query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", self.query)
        };
        let mut out = format!(
            "{} {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: {}\r\nX-TC-Action: {action}\r\nX-TC-Version: {}\r\nX-TC-Timestamp: {}\r\nAuthorization: {auth}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.method, self.host_header, self.content_type, ccc_api::VERSION, timestamp, self.body.len()
        )
        .into_bytes();
        out.extend_from_slice(self.body);
        out
    }
}

/// The node SDK's form: POST, `host` signed without the port, the scope's
/// service the endpoint's first label.
fn node_form<'a>(host_header: &'a str, signed_host: &'a str, service: &'a str) -> Tc3<'a> {
    Tc3 {
        method: "POST",
        host_header,
        signed_host,
        service,
        query: "",
        content_type: "application/json",
        body: br#"{"SdkAppId":1400000000}"#,
        secret_key: TEST_SECRET_KEY,
    }
}

#[tokio::test]
async fn node_sdk_signing_is_accepted_for_local_endpoints_only() {
    let e = emulator().await;
    let port = e.addr().port();
    let ip = format!("127.0.0.1:{port}");
    let local = format!("localhost:{port}");
    let named = format!("ccc.example:{port}");
    // (Host on the wire, host signed, scope service, accepted)
    let cases: Vec<(&str, &str, &str, bool)> = vec![
        (&ip, "127.0.0.1", "127", true),
        (&ip, &ip, "127", true),
        (&ip, "127.0.0.1", "ccc", true),
        (&ip, &ip, "ccc", true),
        (&local, "localhost", &local, true),
        (&local, "localhost", "localhost", true),
        (&local, &local, "ccc", true),
        (&named, "ccc.example", "ccc", true),
        (&named, &named, "ccc", true),
        // A name is no local endpoint: its first label is no service.
        (&named, "ccc.example", "ccc.example", false),
        (&ip, "127.0.0.1", "cvm", false),
        (&ip, "127.0.0.2", "ccc", false),
        (&ip, "127.0.0.1:1", "ccc", false),
        (&local, "localhost", "127", false),
    ];
    for (host_header, signed_host, service, accepted) in &cases {
        let answer = raw(
            e.addr(),
            &node_form(host_header, signed_host, service).bytes("DescribeNumbers"),
        )
        .await;
        let code = error_code(&answer);
        if *accepted {
            assert_eq!(
                code, None,
                "{host_header} {signed_host} {service}: {answer:.400}"
            );
            assert!(answer.contains("\"TotalCount\""), "{answer:.400}");
        } else {
            assert_eq!(
                code.as_deref(),
                Some("AuthFailure.SignatureFailure"),
                "{host_header} {signed_host} {service}: {answer:.400}"
            );
        }
    }
    assert_eq!(cases.len(), 14);
}

#[tokio::test]
async fn a_failed_signature_says_what_was_compared_and_no_secret() {
    let e = emulator().await;
    let host = e.addr().to_string();
    let mut request = node_form(&host, "127.0.0.1", "ccc");
    request.secret_key = "NOT-THE-KEY-0000000000000000000";
    let answer = raw(e.addr(), &request.bytes("DescribeNumbers")).await;
    assert_eq!(
        error_code(&answer).as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    for part in [
        "canonical request",
        "content-type=\\\"application/json\\\"",
        &format!("host=\\\"{host}\\\""),
        "/ccc/tc3_request",
        "timestamp",
    ] {
        assert!(answer.contains(part), "{part}: {answer}");
    }
    // The canonical request's hash, 64 hex digits, once per host form.
    let hashes = answer
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == 64)
        .count();
    assert_eq!(hashes, 2, "{answer}");
    for secret in [TEST_SECRET_KEY, "NOT-THE-KEY"] {
        assert!(!answer.contains(secret), "{answer}");
    }
}

#[tokio::test]
async fn get_requests_signed_over_the_query_string() {
    let e = emulator().await;
    let host = e.addr().to_string();
    // As the SDKs flatten lists and objects; values encoded as Python's urlencode does.
    let query = format!(
        "SdkAppId=1400000000&NotBefore={}&IvrId=1&Name=get+task&Callees.0=008613900000001&Callees.1=008613900000002&Callers.0=0086075586013388&Variables.0.Key=k&Variables.0.Value=%E2%98%83",
        now()
    );
    let request = Tc3 {
        method: "GET",
        host_header: &host,
        signed_host: &host,
        service: "ccc",
        query: &query,
        content_type: "application/x-www-form-urlencoded",
        body: b"",
        secret_key: TEST_SECRET_KEY,
    };
    let created = raw(e.addr(), &request.bytes("CreateAutoCalloutTask")).await;
    assert_eq!(error_code(&created), None, "{created}");
    let body = created.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let answer: serde_json::Value = serde_json::from_str(body).unwrap();
    let task_id = answer["Response"]["TaskId"].as_u64().unwrap();
    // What was created is what the query said, with its types.
    let client = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(e.url())
        .rate_limit(RateLimit::Off)
        .build()
        .unwrap();
    let task = client
        .describe_auto_callout_task()
        .sdk_app_id(1400000000)
        .task_id(task_id)
        .send()
        .await
        .unwrap();
    assert_eq!(task.name, "get task");
    assert_eq!(task.callees.len(), 2);
    assert_eq!(task.callees[1].callee, "008613900000002");
    assert_eq!(task.callers, ["0086075586013388"]);

    // Typed refusals as for a JSON body.
    for (query, code) in [
        ("SdkAppId=abc", "InvalidParameterValue"),
        ("SdkAppId=1&Nope=1", "UnknownParameter"),
        ("PageSize=1", "MissingParameter"),
        ("SdkAppId=1&SdkAppId.0=1", "InvalidParameter"),
    ] {
        let request = Tc3 { query, ..request };
        let answer = raw(e.addr(), &request.bytes("DescribeNumbers")).await;
        assert_eq!(
            error_code(&answer).as_deref(),
            Some(code),
            "{query}: {answer}"
        );
    }
}

/// A request of the older signature method: parameters in the query (GET) or a
/// form body (POST), signed over `METHOD host path ? sorted k=v`.
fn older(
    method: &str,
    sign_method: &str,
    host: &str,
    params: &[(&str, &str)],
    key: &str,
) -> Vec<u8> {
    let nonce = "4711".to_owned();
    let timestamp = now().to_string();
    let mut all: Vec<(&str, &str)> = params.to_vec();
    all.extend([
        ("Nonce", nonce.as_str()),
        ("Timestamp", timestamp.as_str()),
        ("SecretId", TEST_SECRET_ID),
        ("Version", ccc_api::VERSION),
        ("Region", "ap-singapore"),
        ("SignatureMethod", sign_method),
    ]);
    all.sort();
    let joined: Vec<String> = all.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let to_sign = format!("{method}{host}/?{}", joined.join("&"));
    let mac = match sign_method {
        "HmacSHA1" => {
            let mut m = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).unwrap();
            m.update(to_sign.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        _ => {
            let mut m = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
            m.update(to_sign.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
    };
    let signature = base64::engine::general_purpose::STANDARD.encode(mac);
    let mut encoded = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &all {
        encoded.append_pair(k, v);
    }
    encoded.append_pair("Signature", &signature);
    let form = encoded.finish();
    if method == "GET" {
        format!("GET /?{form} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
    } else {
        format!(
            "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        )
        .into_bytes()
    }
}

#[tokio::test]
async fn the_older_hmac_signature_methods() {
    let e = emulator().await;
    let host = e.addr().to_string();
    let params = [
        ("Action", "CreateCCCSkillGroup"),
        ("SdkAppId", "1400000000"),
        ("SkillGroupType", "0"),
        ("MaxConcurrency", "1"),
    ];
    let mut cases = 0;
    for method in ["GET", "POST"] {
        for sign_method in ["HmacSHA1", "HmacSHA256"] {
            // Host signed with the port (Python) and without it.
            for signed_host in [host.as_str(), "127.0.0.1"] {
                let name = format!("{method}-{sign_method}-{signed_host}");
                let mut with_name = params.to_vec();
                with_name.push(("SkillGroupName", &name));
                let mut request = older(
                    method,
                    sign_method,
                    signed_host,
                    &with_name,
                    TEST_SECRET_KEY,
                );
                if signed_host != host {
                    // Sent to the emulator's address all the same.
                    let text = String::from_utf8(request).unwrap().replace(
                        &format!("Host: {signed_host}\r\n"),
                        &format!("Host: {host}\r\n"),
                    );
                    request = text.into_bytes();
                }
                let answer = raw(e.addr(), &request).await;
                assert_eq!(error_code(&answer), None, "{name}: {answer}");
                assert!(answer.contains("\"SkillGroupId\""), "{name}: {answer}");
                let wrong = older(method, sign_method, &host, &with_name, "WRONG");
                let answer = raw(e.addr(), &wrong).await;
                assert_eq!(
                    error_code(&answer).as_deref(),
                    Some("AuthFailure.SignatureFailure"),
                    "{name}: {answer}"
                );
                assert!(answer.contains(&format!("{method}{host}/?")), "{answer}");
                cases += 2;
            }
        }
    }
    assert_eq!(cases, 16);
    // An unknown method, a stale timestamp, an unknown key.
    for (tamper, code) in [
        ("SignatureMethod=HmacSHA1", "AuthFailure.SignatureFailure"),
        ("Timestamp=", "AuthFailure.SignatureExpire"),
        ("SecretId=", "AuthFailure.SecretIdNotFound"),
    ] {
        let request =
            String::from_utf8(older("GET", "HmacSHA1", &host, &params, TEST_SECRET_KEY)).unwrap();
        let replacement = match tamper {
            "SignatureMethod=HmacSHA1" => "SignatureMethod=HmacMD5".to_owned(),
            "Timestamp=" => "Timestamp=1000&Old=".to_owned(),
            _ => "SecretId=AKIDnobody&Old=".to_owned(),
        };
        let request = request.replacen(tamper, &replacement, 1);
        let answer = raw(e.addr(), request.as_bytes()).await;
        assert_eq!(
            error_code(&answer).as_deref(),
            Some(code),
            "{tamper}: {answer}"
        );
    }
}

fn signed_head(addr: SocketAddr, body: &[u8]) -> String {
    let host = addr.to_string();
    let timestamp = now();
    let auth = sign(
        TEST_SECRET_ID,
        TEST_SECRET_KEY,
        &SigningInput {
            service: "ccc",
            timestamp,
            method: "POST",
            path: "/",
            query: "",
            headers: &[("content-type", "application/json"), ("host", &host)],
            payload: body,
        },
    )
    .authorization;
    format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nX-TC-Action: DescribeNumbers\r\nX-TC-Version: {}\r\nX-TC-Timestamp: {}\r\nAuthorization: {auth}\r\nConnection: close\r\n",
        ccc_api::VERSION,
        timestamp
    )
}

#[tokio::test]
async fn chunked_request_bodies() {
    let e = Emulator::start(Config {
        max_body: 64,
        ..Config::default()
    })
    .await
    .unwrap();
    let body = br#"{"SdkAppId":1400000000}"#;
    for split in [1, 5, body.len()] {
        let mut request = signed_head(e.addr(), body);
        request.push_str("Transfer-Encoding: chunked\r\n\r\n");
        for chunk in body.chunks(split) {
            request.push_str(&format!(
                "{:x}\r\n{}\r\n",
                chunk.len(),
                String::from_utf8_lossy(chunk)
            ));
        }
        request.push_str("0\r\n\r\n");
        let answer = raw(e.addr(), request.as_bytes()).await;
        assert!(answer.contains("\"TotalCount\""), "{split}: {answer}");
    }
    // Over the limit while it arrives: refused, before the rest is read.
    let mut request = signed_head(e.addr(), body);
    request.push_str("Transfer-Encoding: chunked\r\n\r\n");
    for _ in 0..10 {
        request.push_str("10\r\n0123456789abcdef\r\n");
    }
    request.push_str("0\r\n\r\n");
    let answer = raw(e.addr(), request.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 413") && answer.contains("RequestSizeLimitExceeded"),
        "{answer}"
    );
}

fn client_over(e: &Emulator, http: reqwest::Client) -> Client {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(e.url())
        .rate_limit(RateLimit::Off)
        .http_client(http)
        .build()
        .unwrap()
}

#[tokio::test]
async fn http2_with_prior_knowledge() {
    let e = emulator().await;
    let http = reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let answer = http.get(e.url()).send().await.unwrap();
    assert_eq!(answer.version(), reqwest::Version::HTTP_2);
    let numbers = client_over(&e, http)
        .describe_numbers()
        .sdk_app_id(1400000000)
        .send()
        .await
        .unwrap();
    assert!(numbers.total_count > 0);
}

#[tokio::test]
async fn https_with_the_generated_certificate() {
    let e = Emulator::start(Config {
        tls: true,
        ..Config::default()
    })
    .await
    .unwrap();
    assert!(e.url().starts_with("https://127.0.0.1:"), "{}", e.url());
    let pem = e.certificate_pem().unwrap();
    let trusting = || {
        reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
            .https_only(true)
            .build()
            .unwrap()
    };
    // ALPN picks HTTP/2.
    let answer = trusting().get(e.url()).send().await.unwrap();
    assert_eq!(answer.version(), reqwest::Version::HTTP_2);
    let numbers = client_over(&e, trusting())
        .describe_numbers()
        .sdk_app_id(1400000000)
        .send()
        .await
        .unwrap();
    assert!(numbers.total_count > 0);
    // Over HTTP/1.1 too, and a client that does not trust it is refused.
    let h1 = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .http1_only()
        .build()
        .unwrap();
    let answer = h1.get(e.url()).send().await.unwrap();
    assert_eq!(answer.version(), reqwest::Version::HTTP_11);
    assert!(reqwest::Client::new().get(e.url()).send().await.is_err());
}
