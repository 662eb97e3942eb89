//! A small HTTP/1.1 server: keep-alive, `Content-Length` bodies, and limits on
//! head size, body size and how long a client may take to send a request, so that
//! no client can stall or exhaust the emulator for the others.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Largest request head accepted.
pub const MAX_HEAD: usize = 16 * 1024;

/// A request as read.
#[derive(Debug)]
pub struct Request {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The request target (`/`, or an absolute URL through a proxy).
    pub target: String,
    /// Lower-case names, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection or it failed: nothing to answer.
    Closed,
    /// Not a well-formed request.
    Malformed(String),
    /// The body is larger than allowed.
    TooLarge(usize),
    /// The client took too long.
    TimedOut,
}

/// Reads one request; `buf` keeps bytes of the next one on a keep-alive connection.
/// Reads one request within `timeout`, refusing bodies over `max_body` bytes.
pub async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    max_body: usize,
    timeout: Duration,
) -> Result<Request, ReadError> {
    match tokio::time::timeout(timeout, read_inner(stream, buf, max_body)).await {
        Ok(r) => r,
        Err(_) if buf.is_empty() => Err(ReadError::Closed),
        Err(_) => Err(ReadError::TimedOut),
    }
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), ReadError> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => Err(ReadError::Closed),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
    }
}

async fn read_inner(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    max_body: usize,
) -> Result<Request, ReadError> {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::Malformed("request head too large".into()));
        }
        fill(stream, buf).await?;
    };
    if head_end > MAX_HEAD {
        return Err(ReadError::Malformed("request head too large".into()));
    }
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split_whitespace();
    let (Some(method), Some(target), Some(_version)) = (first.next(), first.next(), first.next())
    else {
        return Err(ReadError::Malformed("bad request line".into()));
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"))
    {
        return Err(ReadError::Malformed(
            "chunked bodies are not supported; send Content-Length".into(),
        ));
    }
    let len = match headers.iter().find(|(n, _)| n == "content-length") {
        Some((_, v)) => v
            .parse::<usize>()
            .map_err(|_| ReadError::Malformed("bad Content-Length".into()))?,
        None => 0,
    };
    if len > max_body {
        return Err(ReadError::TooLarge(len));
    }
    let start = head_end + 4;
    let end = start.checked_add(len).ok_or(ReadError::TooLarge(len))?;
    while buf.len() < end {
        fill(stream, buf).await?;
    }
    let body = buf.get(start..end).unwrap_or_default().to_vec();
    buf.drain(..end);
    Ok(Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body,
    })
}

/// Writes a response with a body; `close` announces that the connection ends.
pub async fn write_response(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    close: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let connection = if close { "close" } else { "keep-alive" };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: {connection}\r\n\r\n",
        body.len()
    );
    let mut out = Vec::with_capacity(head.len() + body.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(body);
    stream.write_all(&out).await
}
