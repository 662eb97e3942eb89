//! HTTP: the `reqwest` client a builder makes (or the one it is given, or a
//! mock in its place), posting an attempt, and reading the answer's body
//! within the size limit, decompressed. Redirects and event streams are
//! refused here, before any body is read.

use super::builder::Config;
#[cfg(feature = "http2")]
use super::builder::Http2;
use crate::error::{
    ConfigError, DecodeError, DecodeErrorKind, SdkError, TransportError, TransportErrorKind,
};
#[cfg(feature = "test-util")]
use crate::mock::Mock;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use std::time::Duration;

/// Where attempts go.
pub(super) enum Transport {
    Http(reqwest::Client),
    /// Answered in memory by scripted rules; see [`crate::mock`].
    #[cfg(feature = "test-util")]
    Mock(Mock),
}

impl Transport {
    pub(super) fn is_mock(&self) -> bool {
        match self {
            Transport::Http(_) => false,
            #[cfg(feature = "test-util")]
            Transport::Mock(_) => true,
        }
    }

    /// The transport a configuration asks for: its mock, else the HTTP
    /// client it was given, else one made here that follows no redirect,
    /// names the service crate as its `User-Agent`, decompresses gzip (with
    /// the feature), speaks HTTP/1.1 unless told otherwise, and applies the
    /// configuration's connect timeout and proxy.
    pub(super) fn for_config(
        config: &mut Config,
        user_agent: &HeaderValue,
    ) -> Result<Transport, ConfigError> {
        #[cfg(feature = "test-util")]
        if let Some(mock) = config.mock.take() {
            return Ok(Transport::Mock(mock));
        }
        if let Some(http) = config.http.take() {
            return Ok(Transport::Http(http));
        }
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent.clone());
        #[cfg(feature = "gzip")]
        {
            b = b.gzip(true);
        }
        #[cfg(feature = "http2")]
        {
            b = match config.http2 {
                None => b.http1_only(),
                Some(Http2::Negotiate) => b,
                Some(Http2::PriorKnowledge) => b.http2_prior_knowledge(),
            };
        }
        #[cfg(not(feature = "http2"))]
        {
            // Another crate of the build may turn reqwest's `http2` on.
            b = b.http1_only();
        }
        if let Some(t) = config.connect_timeout {
            b = b.connect_timeout(t);
        }
        if let Some(p) = &config.proxy {
            let proxy = reqwest::Proxy::all(p)
                .map_err(|e| ConfigError::new(format!("proxy URL `{}`: {e}", redact_url(p))))?;
            b = b.proxy(proxy);
        }
        let http = b
            .build()
            .map_err(|e| ConfigError::new(format!("HTTP client: {e}")))?;
        Ok(Transport::Http(http))
    }
}

/// Posts one attempt to `url` and reads the whole answer, within the
/// attempt's time `limit` and `max_size` bytes of body: its status and body.
/// `status` is set as soon as the answer's head arrives (the hooks see it
/// even when the body then fails). A redirect, or an answer from another
/// origin, is an error; so is an event stream, left unread.
#[allow(clippy::too_many_arguments)]
pub(super) async fn exchange(
    http: &reqwest::Client,
    url: &reqwest::Url,
    action: &str,
    headers: HeaderMap,
    body: &Bytes,
    limit: Duration,
    max_size: usize,
    status: &mut Option<u16>,
) -> Result<(u16, Vec<u8>), SdkError<String>> {
    // Built directly rather than through `RequestBuilder`, which would
    // copy every header into a map of its own.
    let mut request = reqwest::Request::new(reqwest::Method::POST, url.clone());
    *request.headers_mut() = headers;
    *request.body_mut() = Some(body.clone().into());
    let exchange = async {
        let response = http.execute(request).await.map_err(|e| {
            SdkError::Transport(TransportError::new(TransportErrorKind::Request, e))
        })?;
        let code = response.status().as_u16();
        *status = Some(code);
        if response.status().is_redirection() || !same_origin(response.url(), url) {
            return Err(SdkError::Decode(redirect_error(&response)));
        }
        if is_event_stream(response.headers()) {
            // Not read at all: an event stream may never end. Dropping
            // the answer closes its connection.
            return Err(SdkError::Decode(streaming_error(action, code)));
        }
        Ok((code, read_body(response, max_size).await?))
    };
    // The attempt's time limit covers connecting, sending and reading the
    // whole answer. A timer in this future keeps it, not reqwest's
    // per-request timeout, which would allocate a map of request
    // extensions and a boxed timer for every request.
    tokio::time::timeout(limit, exchange)
        .await
        .map_err(|elapsed| SdkError::Transport(TransportError::elapsed(elapsed)))?
}

/// Reads a body of at most `limit` bytes (after decompression), stopping as soon
/// as it grows past: an endless or inflating answer costs no more memory than
/// the limit. A body that arrives in one piece is kept without a copy.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, SdkError<String>> {
    let too_large = || SdkError::Transport(TransportError::too_large(limit));
    let cut_off = |e| SdkError::Transport(body_error(e));
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let expected = response.content_length().unwrap_or(0) as usize;
    let Some(first) = response.chunk().await.map_err(cut_off)? else {
        return Ok(Vec::new());
    };
    if first.len() > limit {
        return Err(too_large());
    }
    let Some(second) = response.chunk().await.map_err(cut_off)? else {
        return Ok(first.into());
    };
    let mut body = Vec::with_capacity(expected.clamp(first.len() + second.len(), limit));
    let mut next = Some(second);
    body.extend_from_slice(&first);
    while let Some(chunk) = next {
        if chunk.len() > limit - body.len() {
            return Err(too_large());
        }
        let needed = body.len() + chunk.len();
        if needed > body.capacity() {
            // Grow by doubling as `Vec` does, but never past the limit.
            let target = needed.max(body.capacity().saturating_mul(2)).min(limit);
            body.reserve_exact(target - body.len());
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(cut_off)?;
    }
    Ok(body)
}

/// The error for a body that could not be read: cut off, or not
/// decompressible as its `Content-Encoding` says. reqwest reports both as a
/// decoding error of the body; the cause tells them apart. A decompressor
/// fails with an I/O error of its own making, whereas a connection that breaks
/// fails with the HTTP stack's error (which may hold an I/O error further
/// down, never as the first cause).
fn body_error(e: reqwest::Error) -> TransportError {
    let undecodable = e.is_decode()
        && std::error::Error::source(&e).is_some_and(|cause| cause.is::<std::io::Error>());
    let kind = if undecodable {
        TransportErrorKind::Decompression
    } else {
        TransportErrorKind::Body
    };
    TransportError::new(kind, e)
}

/// Whether `a` and `b` share scheme, host and port.
fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The error for a redirect, naming where it pointed. Nothing is followed: the
/// API never redirects, and following would send the signed request (and any
/// session token) to another origin.
fn redirect_error(response: &reqwest::Response) -> DecodeError {
    let location = match response.headers().get(reqwest::header::LOCATION) {
        Some(l) => format!(
            "to `{}`",
            redact_url(&String::from_utf8_lossy(l.as_bytes()))
        ),
        None if response.status().is_redirection() => "without a `Location`".to_owned(),
        // A caller-supplied HTTP client followed it already.
        None => format!("to `{}`", redact_url(response.url().as_str())),
    };
    DecodeError::new(
        DecodeErrorKind::Redirect,
        response.status().as_u16(),
        format!("the endpoint redirected {location}; redirects are not followed"),
        b"",
    )
}

/// Whether an answer's `Content-Type` is `text/event-stream` (server-sent
/// events, what actions that stream their answer send), parameters aside.
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers.get(CONTENT_TYPE).is_some_and(|value| {
        let media = value.as_bytes().split(|&b| b == b';').next().unwrap_or(b"");
        media
            .trim_ascii()
            .eq_ignore_ascii_case(b"text/event-stream")
    })
}

/// The error for an answer that is an event stream, which this client does
/// not read (its body is left unread).
#[cold]
#[inline(never)]
fn streaming_error(action: &str, status: u16) -> DecodeError {
    DecodeError::new(
        DecodeErrorKind::Streaming,
        status,
        format!(
            "{action} answered with an event stream (`Content-Type: text/event-stream`), \
             which this client does not read; ask for a single JSON answer where the \
             action offers one (a `Stream`-like member set to false)"
        ),
        b"",
    )
}

/// `url` with any user name and password replaced, for messages; works on text
/// that does not parse as a URL too.
pub(crate) fn redact_url(url: &str) -> String {
    let text: String = url.chars().take(512).collect();
    let after_scheme = text.find("://").map_or(0, |i| i + 3);
    let authority_end = text[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| after_scheme + i);
    match text[after_scheme..authority_end].rfind('@') {
        Some(at) => format!(
            "{}***@{}",
            &text[..after_scheme],
            &text[after_scheme + at + 1..]
        ),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_streams_are_told_by_their_content_type() {
        let of = |value: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(CONTENT_TYPE, HeaderValue::from_static(value));
            is_event_stream(&h)
        };
        assert!(of("text/event-stream"));
        assert!(of("Text/Event-Stream; charset=utf-8"));
        assert!(of(" text/event-stream ;x=y"));
        assert!(!of("application/json"));
        assert!(!of("text/event-streams"));
        assert!(!of("text/plain; x=text/event-stream"));
        assert!(!is_event_stream(&HeaderMap::new()));
        let e = streaming_error("ChatCompletions", 200);
        assert_eq!(e.kind, DecodeErrorKind::Streaming);
        let shown = e.to_string();
        assert!(
            shown.starts_with(
                "HTTP 200, event stream not read: ChatCompletions answered with an event stream"
            ),
            "{shown}"
        );
        assert!(!shown.contains("body ("), "{shown}");
    }
}
