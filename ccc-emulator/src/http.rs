//! The one HTTP server stack of the project, on hyper: HTTP/1.1 (keep-alive,
//! `Content-Length` and chunked bodies) and HTTP/2 (prior knowledge, or chosen
//! through ALPN over TLS), with limits on what a client may send so that no
//! client can stall or exhaust the server for the others.
//!
//! [`serve`] accepts connections and hands each complete request to a
//! [`Handler`]; the emulator is one handler, the scripted fault server of the
//! tests another. Limits and the answers they give:
//!
//! - request head larger than [`Limits::max_head`]: `431` (hyper's answer);
//!   malformed head or `Content-Length`: `400`;
//! - no complete head within [`Limits::head_timeout`] of the connection being
//!   ready for one (idle keep-alive included): the connection is closed (over
//!   HTTP/2, only a connection that sends nothing at first; later an idle one is
//!   kept while it answers pings, within the connection limit);
//! - body larger than [`Limits::max_body`] (declared, or counted while a chunked
//!   body arrives): [`Handler::refuse`] with [`Refusal::TooLarge`], before more is
//!   read; body not received within [`Limits::body_timeout`]: [`Refusal::TimedOut`];
//!   a body that breaks off or is badly chunked: [`Refusal::Malformed`];
//! - at most [`Limits::max_connections`] connections at once (and [`MAX_STREAMS`]
//!   requests at once on an HTTP/2 one): more wait in the listen backlog. A failed `accept` is reported on stderr and retried with
//!   back-off instead of ending the server.

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::future::Future;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Requests in flight at once on one HTTP/2 connection.
pub const MAX_STREAMS: u32 = 4;

/// Largest request head accepted by default.
pub const MAX_HEAD: usize = 16 * 1024;

/// A response body: whole, streamed, or broken off by an error (which ends the
/// connection, as a server that dies mid-answer would).
pub type Body = BoxBody<Bytes, std::io::Error>;

/// A response to send.
pub type Response = hyper::Response<Body>;

/// What a client may send, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Largest request head (request line and headers), in bytes.
    pub max_head: usize,
    /// How long a connection may take to send a complete request head once it
    /// is ready for one: an idle keep-alive connection is closed after it.
    pub head_timeout: Duration,
    /// How long a client may take to send a request body once its head arrived.
    pub body_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 1 << 20,
            max_head: MAX_HEAD,
            head_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// A complete request as received.
#[derive(Debug, Clone)]
pub struct Request {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The request target as sent over HTTP/1.1 (`/`, `/?Action=...`, or an
    /// absolute URL through a proxy); the path and query over HTTP/2.
    pub target: String,
    /// Header names lower-case, in arrival order. Over HTTP/2 the authority
    /// is given as a `host` header, as HTTP/1.1 clients send it.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Bytes,
}

impl Request {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path and query, without the scheme and host of an absolute target.
    fn path_and_query(&self) -> &str {
        let Some(rest) = self.target.split_once("://").map(|(_, r)| r) else {
            return &self.target;
        };
        rest.find(['/', '?']).map_or("/", |at| &rest[at..])
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        let pq = self.path_and_query();
        match pq.split_once('?').map_or(pq, |(p, _)| p) {
            "" => "/",
            path => path,
        }
    }

    /// The query string as sent (without `?`; empty when there is none).
    pub fn query(&self) -> &str {
        self.path_and_query().split_once('?').map_or("", |(_, q)| q)
    }
}

/// Why a request's body was not read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Over the body limit; the declared length when there was one.
    TooLarge(Option<u64>),
    /// Not received within the body timeout.
    TimedOut,
    /// Broken off or badly framed.
    Malformed(String),
}

/// Answers requests.
pub trait Handler: Send + Sync + 'static {
    /// The answer to a complete request; `None` closes the connection without one.
    fn handle(&self, request: Request) -> impl Future<Output = Option<Response>> + Send;

    /// Called for each accepted connection (before any TLS handshake).
    fn connected(&self) {}

    /// The answer to a request whose body was refused; the connection then closes.
    fn refuse(&self, refusal: Refusal, limits: &Limits) -> Response {
        match refusal {
            Refusal::TooLarge(_) => response(
                413,
                "text/plain",
                format!("request body over {} bytes\n", limits.max_body),
            ),
            Refusal::TimedOut => response(408, "text/plain", "request not received in time\n"),
            Refusal::Malformed(why) => response(400, "text/plain", format!("{why}\n")),
        }
    }
}

/// A whole body.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// A response with a whole body.
pub fn response(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response {
    let mut r = hyper::Response::new(full(body));
    *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    if let Ok(v) = hyper::header::HeaderValue::from_str(content_type) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

/// The connection was closed on purpose (the handler answered `None`).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped without an answer")
    }
}

impl std::error::Error for Dropped {}

/// Shortest and longest pause after a failed `accept`.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

/// How connections are opened: plain TCP, or TLS first.
#[derive(Clone)]
pub enum Transport {
    /// HTTP/1.1 or HTTP/2 with prior knowledge, in the clear.
    Plain,
    /// TLS (HTTP/1.1 or HTTP/2 through ALPN), handshake within the head timeout.
    #[cfg(feature = "tls")]
    Tls(tokio_rustls::TlsAcceptor),
}

/// Accepts connections on `listener` and serves them with `handler` until the
/// returned future is dropped (or the listener fails for good, which it does
/// not: failed accepts are retried).
pub async fn serve<H: Handler>(
    listener: TcpListener,
    limits: Limits,
    transport: Transport,
    handler: Arc<H>,
) {
    let slots = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let mut backoff = ACCEPT_BACKOFF.0;
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                backoff = ACCEPT_BACKOFF.0;
                handler.connected();
                let _ = stream.set_nodelay(true);
                let handler = handler.clone();
                let transport = transport.clone();
                tokio::spawn(async move {
                    match transport {
                        Transport::Plain => {
                            if let Some(protocol) = sniff(&stream, limits.head_timeout).await {
                                serve_connection(stream, protocol, limits, handler).await;
                            }
                        }
                        #[cfg(feature = "tls")]
                        Transport::Tls(acceptor) => {
                            let handshake =
                                tokio::time::timeout(limits.head_timeout, acceptor.accept(stream));
                            if let Ok(Ok(tls)) = handshake.await {
                                let protocol = match tls.get_ref().1.alpn_protocol() {
                                    Some(b"h2") => Protocol::Http2,
                                    _ => Protocol::Http1,
                                };
                                serve_connection(tls, protocol, limits, handler).await;
                            }
                        }
                    }
                    drop(slot);
                });
            }
            Err(e) => {
                // Not `eprintln!`: a closed stderr must not end the loop with a panic.
                let _ = writeln!(
                    std::io::stderr(),
                    "ccc-emulator: cannot accept a connection: {e}; retrying in {backoff:?}"
                );
                tokio::time::sleep(backoff).await;
                backoff = backoff.saturating_mul(2).min(ACCEPT_BACKOFF.1);
            }
        }
    }
}

/// The HTTP version a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Http1,
    Http2,
}

/// The connection preface of HTTP/2 with prior knowledge.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Which protocol a plain connection speaks, from its first bytes (left unread);
/// `None` when it sends none within `timeout` (an idle connection is closed).
async fn sniff(stream: &tokio::net::TcpStream, timeout: Duration) -> Option<Protocol> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut buf = [0u8; 24];
    loop {
        let n = match tokio::time::timeout_at(deadline, stream.peek(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => n,
            _ => return None,
        };
        if buf[..n] != H2_PREFACE[..n] {
            return Some(Protocol::Http1);
        }
        if n == H2_PREFACE.len() {
            return Some(Protocol::Http2);
        }
        // Part of the preface so far: `peek` would answer at once again.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Serves one connection.
async fn serve_connection<I, H>(io: I, protocol: Protocol, limits: Limits, handler: Arc<H>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    let service = hyper::service::service_fn(move |request| {
        let handler = handler.clone();
        async move {
            match receive(request, &limits).await {
                Ok(request) => handler.handle(request).await.ok_or(Dropped),
                Err(refusal) => {
                    let mut answer = handler.refuse(refusal, &limits);
                    answer.headers_mut().insert(
                        hyper::header::CONNECTION,
                        hyper::header::HeaderValue::from_static("close"),
                    );
                    Ok(answer)
                }
            }
        }
    });
    let io = TokioIo::new(io);
    let _ = match protocol {
        Protocol::Http1 => {
            hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.head_timeout)
                // hyper refuses a head that does not fit its read buffer (8 KiB at least).
                .max_buf_size(limits.max_head.max(8192))
                // A client may close its side and still wait for the answer.
                .half_close(true)
                .serve_connection(io, service)
                .await
        }
        Protocol::Http2 => {
            hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                .timer(TokioTimer::new())
                .max_header_list_size(u32::try_from(limits.max_head).unwrap_or(u32::MAX))
                // Each stream may hold a body of up to `max_body` bytes: few
                // per connection keep memory within a small multiple of HTTP/1.1's.
                .max_concurrent_streams(MAX_STREAMS)
                // Peers that stop answering pings are dropped.
                .keep_alive_interval(limits.head_timeout)
                .keep_alive_timeout(limits.head_timeout)
                .serve_connection(io, service)
                .await
        }
    };
}

/// Reads the body of `request` within the limits.
async fn receive(request: hyper::Request<Incoming>, limits: &Limits) -> Result<Request, Refusal> {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > limits.max_body as u64) {
        return Err(Refusal::TooLarge(declared));
    }
    let collected = tokio::time::timeout(
        limits.body_timeout,
        Limited::new(body, limits.max_body).collect(),
    )
    .await
    .map_err(|_| Refusal::TimedOut)?;
    let body = match collected {
        Ok(c) => c.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(Refusal::TooLarge(declared))
        }
        Err(e) => return Err(Refusal::Malformed(format!("bad request body: {e}"))),
    };
    let mut headers: Vec<(String, String)> = Vec::with_capacity(parts.headers.len() + 1);
    if parts.headers.get(hyper::header::HOST).is_none() {
        if let Some(authority) = parts.uri.authority() {
            headers.push(("host".into(), authority.to_string()));
        }
    }
    headers.extend(parts.headers.iter().map(|(n, v)| {
        (
            n.as_str().to_owned(),
            String::from_utf8_lossy(v.as_bytes()).trim().to_owned(),
        )
    }));
    Ok(Request {
        method: parts.method.as_str().to_owned(),
        target: match parts.version {
            hyper::Version::HTTP_2 => parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            _ => parts.uri.to_string(),
        },
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::Request;

    #[test]
    fn paths_and_queries_of_each_target_form() {
        for (target, path, query) in [
            ("/", "/", ""),
            ("/?A=1&B.0=2", "/", "A=1&B.0=2"),
            ("/x/y?", "/x/y", ""),
            ("http://ccc.example.invalid/", "/", ""),
            ("http://h:1/p?q=1", "/p", "q=1"),
            ("http://h:1?q=1", "/", "q=1"),
            ("http://h", "/", ""),
            ("*", "*", ""),
        ] {
            let r = Request {
                method: "GET".into(),
                target: target.into(),
                headers: Vec::new(),
                body: Default::default(),
            };
            assert_eq!((r.path(), r.query()), (path, query), "{target}");
        }
    }
}
