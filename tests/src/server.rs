//! A loopback HTTP server for integration tests, on the emulator's HTTP stack
//! ([`ccc_emulator::http::serve`]).
//!
//! It verifies every request's signature with the emulator's checker (not the
//! client's signer): it rebuilds the canonical request from whatever
//! `SignedHeaders` lists, over the headers as received, and answers
//! `AuthFailure.*` like the service when the check fails. Otherwise it answers what
//! the test's responder says, which may be a malformed, truncated or slow answer.

use bytes::Bytes;
use ccc_emulator::http::{self, Handler, Limits, Request, Transport};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

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
    /// Declares `declared` body bytes, sends `body`, then holds the
    /// connection open without sending more.
    Stall { declared: usize, body: Vec<u8> },
    /// Waits, then answers.
    Delayed(Duration, Box<Reply>),
    /// Closes the connection without answering (after reading the request).
    Drop,
    /// `200` with the JSON gzip-compressed (`content-encoding: gzip`).
    Gzip(String),
    /// A status and headers of the test's choosing, then `body` with its
    /// `Content-Length`.
    Headers {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
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
    connections: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The scripted answers as an HTTP handler.
struct Scripted {
    keys: Option<HashMap<String, String>>,
    respond: Arc<Responder>,
    log: Arc<Mutex<Vec<Received>>>,
    connections: Arc<AtomicUsize>,
}

impl Handler for Scripted {
    fn connected(&self) {
        self.connections.fetch_add(1, Ordering::SeqCst);
    }

    async fn handle(&self, request: Request) -> Option<http::Response> {
        let signature = match &self.keys {
            Some(keys) => verify(&request, keys),
            None => Ok(()),
        };
        let req = Received {
            method: request.method,
            path: request.target,
            headers: request.headers,
            body: request.body.to_vec(),
            signature,
        };
        let reply = match &req.signature {
            Ok(()) => (self.respond)(&req),
            Err((code, message)) => Reply::service_error(code, message, "sig-check"),
        };
        if let Ok(mut l) = self.log.lock() {
            l.push(req);
        }
        answer(reply).await
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
        let connections = Arc::new(AtomicUsize::new(0));
        let handler = Arc::new(Scripted {
            keys,
            respond,
            log: received.clone(),
            connections: connections.clone(),
        });
        let limits = Limits {
            max_body: 16 << 20,
            head_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            ..Limits::default()
        };
        let task = tokio::spawn(http::serve(listener, limits, Transport::Plain, handler));
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
        self.connections.load(Ordering::SeqCst)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// A body sent chunk by chunk, each flushed to the socket before the next is
/// made (hyper would otherwise gather chunks that are always ready into its
/// buffer first); an `Err` item breaks the connection off.
fn streamed(
    mut next: impl FnMut() -> Option<std::io::Result<Bytes>> + Send + Sync + 'static,
) -> http::Body {
    let chunks = futures_util::stream::unfold((), move |()| {
        let item = next();
        async move {
            // Pending once: hyper flushes what it holds meanwhile.
            tokio::task::yield_now().await;
            item.map(|i| (i.map(Frame::data), ()))
        }
    });
    BodyExt::boxed(StreamBody::new(chunks))
}

/// The HTTP response of a reply; `None` drops the connection.
async fn answer(reply: Reply) -> Option<http::Response> {
    let mut response = match reply {
        Reply::Body {
            status,
            content_type,
            body,
        } => http::response(status, content_type, body),
        Reply::CutOff { declared, body } => {
            let mut chunks = vec![Err(std::io::Error::other("cut off")), Ok(Bytes::from(body))];
            let mut r = hyper::Response::new(streamed(move || chunks.pop()));
            r.headers_mut()
                .insert("content-length", declared.to_string().parse().ok()?);
            r.headers_mut()
                .insert("content-type", "application/json".parse().ok()?);
            r
        }
        Reply::Stall { declared, body } => {
            let first: std::io::Result<Frame<Bytes>> = Ok(Frame::data(Bytes::from(body)));
            let chunks = futures_util::StreamExt::chain(
                futures_util::stream::iter([first]),
                futures_util::stream::pending(),
            );
            let mut r = hyper::Response::new(BodyExt::boxed(StreamBody::new(chunks)));
            r.headers_mut()
                .insert("content-length", declared.to_string().parse().ok()?);
            r.headers_mut()
                .insert("content-type", "application/json".parse().ok()?);
            r
        }
        Reply::Delayed(wait, reply) => {
            tokio::time::sleep(wait).await;
            return Box::pin(answer(*reply)).await;
        }
        Reply::Drop => return None,
        Reply::Headers {
            status,
            headers,
            body,
        } => {
            let mut r = http::response(status, "application/json", body);
            for (name, value) in headers {
                r.headers_mut().insert(name, value.parse().ok()?);
            }
            r
        }
        Reply::Endless { gzip } => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let zeros = vec![0u8; 1 << 20];
            let mut first = true;
            // Sent until the client hangs up.
            let mut chunk = move || -> std::io::Result<Vec<u8>> {
                Ok(if gzip {
                    use std::io::Write;
                    encoder.write_all(&zeros)?;
                    encoder.flush()?;
                    std::mem::take(encoder.get_mut())
                } else if first {
                    first = false;
                    br#"{"Response":{"Name":""#.to_vec()
                } else {
                    vec![b'a'; 64 * 1024]
                })
            };
            let mut r = hyper::Response::new(streamed(move || Some(chunk().map(Bytes::from))));
            r.headers_mut()
                .insert("content-type", "application/json".parse().ok()?);
            if gzip {
                r.headers_mut()
                    .insert("content-encoding", "gzip".parse().ok()?);
            }
            r
        }
        Reply::Gzip(json) => {
            use std::io::Write;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(json.as_bytes()).ok()?;
            let mut r = http::response(200, "application/json", encoder.finish().ok()?);
            r.headers_mut()
                .insert("content-encoding", "gzip".parse().ok()?);
            r
        }
    };
    // Like the hand-written servers before: keep the connection open for more.
    response.headers_mut().remove("connection");
    Some(response)
}

/// Checks the signature as the service does (the emulator's checker, written
/// apart from the client's signer), for whichever service the scope names; on
/// failure the error code and message.
pub fn verify(request: &Request, keys: &HashMap<String, String>) -> Result<(), (String, String)> {
    ccc_emulator::auth::verify(request, keys, None)
        .map(|_| ())
        .map_err(|(code, message)| (code.to_owned(), message))
}
