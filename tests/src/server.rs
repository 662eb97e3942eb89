//! A loopback HTTP/1.1 server for integration tests.
//!
//! It verifies every request's TC3-HMAC-SHA256 signature with the emulator's
//! checker (not the client's signer): it rebuilds the canonical request from whatever
//! `SignedHeaders` lists, over the headers as received, and answers
//! `AuthFailure.*` like the service when the check fails. Otherwise it answers what
//! the test's responder says, which may be a malformed, truncated or slow answer.

use ccc_emulator::http::read_request;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// The well-known test key pair.
pub const TEST_SECRET_ID: &str = "AKIDTESTKEY0000000000000000000000000";
/// Secret of [`TEST_SECRET_ID`].
pub const TEST_SECRET_KEY: &str = "TESTSECRETKEY00000000000000000000";

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target (`/`, `/latest/meta-data/...`).
    pub path: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// The outcome of the signature check.
    pub signature: Result<(), (String, String)>,
}

impl Received {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// HTTP status and body, with a correct `Content-Length`.
    Body {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// Declares `declared` body bytes but sends only `body`, then closes.
    CutOff { declared: usize, body: Vec<u8> },
    /// Waits, then answers.
    Delayed(Duration, Box<Reply>),
    /// Closes the connection without answering (after reading the request).
    Drop,
    /// `200` with the JSON gzip-compressed (`content-encoding: gzip`).
    Gzip(String),
    /// A status line and header lines of the test's choosing (no blank line
    /// at the end), then `body` with its `Content-Length`.
    Head { head: String, body: Vec<u8> },
    /// `200` with a chunked body that never ends: JSON-looking bytes, or with
    /// `gzip` a compressed stream of zeros that inflates without bound (a
    /// decompression bomb). Sent until the client stops reading.
    Endless { gzip: bool },
}

impl Reply {
    /// `200` with a JSON body.
    pub fn json(body: impl Into<String>) -> Reply {
        Reply::Body {
            status: 200,
            content_type: "application/json",
            body: body.into().into_bytes(),
        }
    }

    /// The service's error envelope.
    pub fn service_error(code: &str, message: &str, request_id: &str) -> Reply {
        Reply::json(
            serde_json::json!({
                "Response": { "Error": { "Code": code, "Message": message }, "RequestId": request_id }
            })
            .to_string(),
        )
    }
}

type Responder = dyn Fn(&Received) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    connections: Arc<std::sync::atomic::AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Starts on 127.0.0.1 with the test key pair; `respond` answers requests whose
    /// signature checks out.
    pub async fn start(respond: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> TestServer {
        let keys = HashMap::from([(TEST_SECRET_ID.to_owned(), TEST_SECRET_KEY.to_owned())]);
        Self::start_with_keys(keys, respond).await
    }

    /// Starts without checking signatures (a metadata service, an STS stand-in
    /// for unsigned calls).
    pub async fn start_unsigned(
        respond: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        Self::launch(None, Arc::new(respond)).await
    }

    /// Starts with the given `SecretId` → `SecretKey` pairs.
    pub async fn start_with_keys(
        keys: HashMap<String, String>,
        respond: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        Self::launch(Some(keys), Arc::new(respond)).await
    }

    async fn launch(keys: Option<HashMap<String, String>>, respond: Arc<Responder>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let keys = Arc::new(keys);
        let log = received.clone();
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let accepted = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (keys, respond, log) = (keys.clone(), respond.clone(), log.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &keys, &*respond, &log).await;
                });
            }
        });
        TestServer {
            addr,
            connections,
            received,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

async fn serve(
    mut stream: TcpStream,
    keys: &Option<HashMap<String, String>>,
    respond: &Responder,
    log: &Mutex<Vec<Received>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        // Requests on one keep-alive connection, one after another.
        let limit = Duration::from_secs(30);
        let request = match read_request(&mut stream, &mut buf, 16 << 20, limit).await {
            Ok(request) => request,
            Err(_) => return Ok(()),
        };
        let (method, path, headers, body) = (
            request.method,
            request.target,
            request.headers,
            request.body,
        );
        let signature = match keys {
            Some(keys) => verify(&headers, &body, keys),
            None => Ok(()),
        };
        let req = Received {
            method,
            path,
            headers,
            body,
            signature,
        };
        let reply = match &req.signature {
            Ok(()) => respond(&req),
            Err((code, message)) => Reply::service_error(code, message, "sig-check"),
        };
        if let Ok(mut l) = log.lock() {
            l.push(req);
        }
        if !write_reply(&mut stream, reply).await? {
            return Ok(());
        }
    }
}

/// Writes the reply; false when the connection must close.
async fn write_reply(stream: &mut TcpStream, reply: Reply) -> std::io::Result<bool> {
    match reply {
        Reply::Body {
            status,
            content_type,
            body,
        } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
                reason(status),
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            Ok(true)
        }
        Reply::CutOff { declared, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await?;
            Ok(false)
        }
        Reply::Delayed(wait, reply) => {
            tokio::time::sleep(wait).await;
            Box::pin(write_reply(stream, *reply)).await
        }
        Reply::Drop => Ok(false),
        Reply::Head { head, body } => {
            let head = format!("{head}\r\ncontent-length: {}\r\n\r\n", body.len());
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            Ok(true)
        }
        Reply::Endless { gzip } => {
            let encoding = if gzip {
                "content-encoding: gzip\r\n"
            } else {
                ""
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{encoding}transfer-encoding: chunked\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let zeros = vec![0u8; 1 << 20];
            let mut first = true;
            loop {
                let chunk = if gzip {
                    use std::io::Write;
                    encoder.write_all(&zeros)?;
                    encoder.flush()?;
                    std::mem::take(encoder.get_mut())
                } else if first {
                    first = false;
                    br#"{"Response":{"Name":""#.to_vec()
                } else {
                    vec![b'a'; 64 * 1024]
                };
                if chunk.is_empty() {
                    continue;
                }
                let frame = format!("{:x}\r\n", chunk.len());
                // The client hanging up ends the stream.
                if stream.write_all(frame.as_bytes()).await.is_err()
                    || stream.write_all(&chunk).await.is_err()
                    || stream.write_all(b"\r\n").await.is_err()
                {
                    return Ok(false);
                }
            }
        }
        Reply::Gzip(json) => {
            use std::io::Write;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(json.as_bytes())?;
            let body = encoder.finish()?;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            Ok(true)
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Checks the TC3 signature as the service does (the emulator's checker, written
/// apart from the client's signer); on failure the error code and message.
pub fn verify(
    headers: &[(String, String)],
    body: &[u8],
    keys: &HashMap<String, String>,
) -> Result<(), (String, String)> {
    ccc_emulator::auth::verify(headers, body, keys)
        .map_err(|(code, message)| (code.to_owned(), message))
}
