//! HTTP/1.1 by default, as the official SDKs speak; HTTP/2 only when asked.
//!
//! - Over TLS the client offers only `http/1.1` in ALPN unless told otherwise:
//!   a loopback listener reads the TLS ClientHello (no certificate needed: the
//!   handshake never completes) and lists the protocols offered.
//! - Over plain HTTP the request line says `HTTP/1.1`, with one `Host`.
//! - With `Http2::PriorKnowledge` the call reaches an h2c server, whose request
//!   has `:authority` and no `host` header, and whose signature (over
//!   `content-type;host`, host = `:authority`) checks out.

use ccc_api::{Client, Credentials, Http2, RetryConfig};
use ccc_tests::server::{verify, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ANSWER: &str = r#"{"Response":{"Name":"t","RequestId":"r-1"}}"#;

fn builder(url: &str) -> ccc_api::ClientBuilder {
    Client::builder()
        .endpoint_url(url)
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_secs(30))
}

async fn describe(client: &Client) -> Result<String, ccc_api::Error> {
    let task = client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await?;
    Ok(task.name)
}

/// The ALPN protocols of a TLS ClientHello, or why they cannot be read.
fn alpn_of(hello: &[u8]) -> Result<Vec<String>, String> {
    struct Cursor<'a>(&'a [u8]);
    impl<'a> Cursor<'a> {
        fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
            if self.0.len() < n {
                return Err(format!("{n} bytes wanted, {} left", self.0.len()));
            }
            let (head, rest) = self.0.split_at(n);
            self.0 = rest;
            Ok(head)
        }
        fn number(&mut self, n: usize) -> Result<usize, String> {
            Ok(self
                .take(n)?
                .iter()
                .fold(0, |a, b| a << 8 | usize::from(*b)))
        }
        fn vector(&mut self, len_bytes: usize) -> Result<Cursor<'a>, String> {
            let n = self.number(len_bytes)?;
            Ok(Cursor(self.take(n)?))
        }
    }
    let mut record = Cursor(hello);
    if record.number(1)? != 22 {
        return Err("not a handshake record".into());
    }
    record.take(2)?; // record version
    let mut handshake = record.vector(2)?;
    if handshake.number(1)? != 1 {
        return Err("not a ClientHello".into());
    }
    let mut body = handshake.vector(3)?;
    body.take(2 + 32)?; // version, random
    body.vector(1)?; // session id
    body.vector(2)?; // cipher suites
    body.vector(1)?; // compression methods
    let mut extensions = body.vector(2)?;
    while !extensions.0.is_empty() {
        let kind = extensions.number(2)?;
        let mut data = extensions.vector(2)?;
        if kind == 16 {
            let mut list = data.vector(2)?;
            let mut out = Vec::new();
            while !list.0.is_empty() {
                out.push(String::from_utf8_lossy(list.vector(1)?.0).into_owned());
            }
            return Ok(out);
        }
    }
    Ok(Vec::new())
}

/// Connects `client` to a listener that keeps the first TLS record it is sent.
async fn offered_protocols(configure: impl FnOnce(&str) -> Client) -> Vec<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    let client = configure(&url);
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut hello = Vec::new();
        // A record is at most 5 + 2^14 bytes; read until it is whole.
        loop {
            let mut buf = [0u8; 4096];
            let n = socket.read(&mut buf).await.unwrap();
            hello.extend_from_slice(&buf[..n]);
            let whole = hello.len() >= 5
                && hello.len() >= 5 + (usize::from(hello[3]) << 8 | usize::from(hello[4]));
            if n == 0 || whole || hello.len() > 5 + (1 << 14) {
                break;
            }
        }
        hello
    });
    // The handshake cannot complete: the listener has no certificate.
    assert!(describe(&client).await.is_err());
    let hello = server.await.unwrap();
    alpn_of(&hello).unwrap_or_else(|e| panic!("{e}: {hello:?}"))
}

#[tokio::test]
async fn tls_offers_http1_only_by_default() {
    let default = offered_protocols(|url| builder(url).build().unwrap()).await;
    assert_eq!(default, ["http/1.1"]);
    let negotiate =
        offered_protocols(|url| builder(url).http2(Http2::Negotiate).build().unwrap()).await;
    assert_eq!(negotiate, ["h2", "http/1.1"]);
}

#[test]
fn alpn_parser_refuses_what_it_cannot_read() {
    let cases: [(&[u8], &str); 4] = [
        (b"", "wanted"),
        (b"\x17\x03\x03\x00\x01\x00", "not a handshake record"),
        (b"\x16\x03\x01\x00\x04\x02\x00\x00\x00", "not a ClientHello"),
        (b"\x16\x03\x01\x00\x09\x01\x00\x00\x05\x03\x03", "wanted"),
    ];
    for (bytes, expected) in cases {
        let e = alpn_of(bytes).unwrap_err();
        assert!(e.contains(expected), "{bytes:?}: {e}");
    }
}

/// A plain-HTTP server that answers one request and returns its head.
async fn http1_request_head(client: impl FnOnce(&str) -> Client) -> (String, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let client = client(&format!("http://{addr}"));
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
            let mut byte = [0u8; 1];
            if socket.read(&mut byte).await.unwrap() == 0 {
                break;
            }
            head.push(byte[0]);
        }
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ANSWER}",
            ANSWER.len()
        );
        socket.write_all(answer.as_bytes()).await.unwrap();
        String::from_utf8(head).unwrap()
    });
    assert_eq!(describe(&client).await.unwrap(), "t");
    (server.await.unwrap(), addr.to_string())
}

#[tokio::test]
async fn plain_http_is_http1_with_one_host() {
    let (head, addr) = http1_request_head(|url| builder(url).build().unwrap()).await;
    assert!(head.starts_with("POST / HTTP/1.1\r\n"), "{head}");
    let lower = head.to_ascii_lowercase();
    let hosts: Vec<_> = lower.lines().filter(|l| l.starts_with("host:")).collect();
    assert_eq!(hosts, [format!("host: {addr}")], "{head}");
    // `Negotiate` changes nothing without TLS.
    let (head, _) =
        http1_request_head(|url| builder(url).http2(Http2::Negotiate).build().unwrap()).await;
    assert!(head.starts_with("POST / HTTP/1.1\r\n"), "{head}");
}

/// What an h2c server saw of one request.
struct H2Request {
    parts: http::request::Parts,
    body: Vec<u8>,
}

async fn h2c_server() -> (String, tokio::task::JoinHandle<H2Request>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut connection = h2::server::handshake(socket).await.unwrap();
        let (request, mut respond) = connection.accept().await.unwrap().unwrap();
        let (parts, mut stream) = request.into_parts();
        let mut body = Vec::new();
        while let Some(chunk) = stream.data().await {
            let chunk = chunk.unwrap();
            let _ = stream.flow_control().release_capacity(chunk.len());
            body.extend_from_slice(&chunk);
        }
        let head = http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(())
            .unwrap();
        let mut send = respond.send_response(head, false).unwrap();
        send.send_data(bytes::Bytes::from_static(ANSWER.as_bytes()), true)
            .unwrap();
        // Drive the connection until the client is done with it.
        tokio::spawn(async move { while connection.accept().await.is_some() {} });
        H2Request { parts, body }
    });
    (url, task)
}

#[tokio::test]
async fn http2_with_prior_knowledge_sends_no_host_header() {
    let (url, server) = h2c_server().await;
    let client = builder(&url).http2(Http2::PriorKnowledge).build().unwrap();
    assert_eq!(describe(&client).await.unwrap(), "t");
    let H2Request { parts, body } = server.await.unwrap();
    assert_eq!(parts.version, http::Version::HTTP_2);
    assert!(!parts.headers.contains_key("host"), "{:?}", parts.headers);
    let authority = parts.uri.authority().unwrap().as_str().to_owned();
    assert_eq!(format!("http://{authority}"), url);
    assert_eq!(parts.headers["x-tc-action"], "DescribeAutoCalloutTask");
    assert_eq!(
        parts.headers["user-agent"],
        ccc_api::SERVICE_DESCRIPTION.request_client()
    );
    // The signature covers host = `:authority`.
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
        .collect();
    headers.push(("host".into(), authority));
    let keys = HashMap::from([(TEST_SECRET_ID.to_owned(), TEST_SECRET_KEY.to_owned())]);
    let request = ccc_emulator::http::Request {
        method: "POST".into(),
        target: "/".into(),
        headers,
        body: body.into(),
    };
    let signed = verify(&request, &keys);
    assert!(signed.is_ok(), "{:?}", signed.err());
}
