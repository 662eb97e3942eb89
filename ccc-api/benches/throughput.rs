//! Calls per second through `ccc-api` against a raw `reqwest` POST of the same
//! bytes, both against one local server answering a fixed body, measured in the
//! same run: sequentially and with 64 calls in flight. Rate limiting is off; the
//! target is at least 90% of the raw client's throughput in both.
//!
//! `cargo bench -p ccc-api --bench throughput`

use ccc_api::{Client, Credentials, RateLimit};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &str = r#"{"Response":{"IvrId":1,"Name":"foobar","NotBefore":1729905740,"NotAfter":1729905750,"State":1,"Callers":["008610086"],"RequestId":"foobar","Callees":[{"State":1,"Callee":"foobar","Sessions":["foobar"]}],"Description":"foobar"}}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `BODY`.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let reply = Arc::new(format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    ));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let reply = reply.clone();
            tokio::spawn(async move {
                let _ = stream.set_nodelay(true);
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // One request: head, then content-length bytes.
                    let (end, len) = loop {
                        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                            let len = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            break (end, len);
                        }
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    while buf.len() < end + 4 + len {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..end + 4 + len);
                    if stream.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

async fn ccc_call(client: &Client) {
    client
        .describe_auto_callout_task()
        .sdk_app_id(1400000000)
        .task_id(3)
        .send()
        .await
        .unwrap();
}

async fn raw_call(http: &reqwest::Client, url: &str, body: &'static [u8]) {
    let host = url.trim_start_matches("http://");
    let resp = http
        .post(url)
        // The header set ccc-api sends, with fixed values: the same bytes.
        .header("authorization", "TC3-HMAC-SHA256 Credential=AKIDbench/2024-01-01/ccc/tc3_request, SignedHeaders=content-type;host, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        .header("content-type", "application/json")
        .header("host", host)
        .header("x-tc-action", "DescribeAutoCalloutTask")
        .header("x-tc-timestamp", "1700000000")
        .header("x-tc-version", "2020-02-10")
        .header("x-tc-requestclient", ccc_api::REQUEST_CLIENT)
        .body(body)
        .send()
        .await
        .unwrap();
    resp.bytes().await.unwrap();
}

/// Calls per second of `n` calls made by `concurrency` tasks.
async fn rate<F, Fut>(n: usize, concurrency: usize, call: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let call = call.clone();
            let per_task = n / concurrency;
            tokio::spawn(async move {
                for _ in 0..per_task {
                    call().await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (n / concurrency * concurrency) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let url = serve().await;
        let client = Client::builder()
            .credentials(Credentials::new("AKIDbench", "benchkey"))
            .endpoint_url(&url)
            .rate_limit(RateLimit::Off)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let http = reqwest::Client::new();
        let body: &'static [u8] = br#"{"SdkAppId":1400000000,"TaskId":3}"#;
        for (label, n, concurrency) in [("sequential", 3000, 1), ("64 concurrent", 12800, 64)] {
            // Warm both pools, then alternate rounds and keep each side's best.
            let (c, h, u) = (client.clone(), http.clone(), url.clone());
            rate(640, concurrency, move || { let c = c.clone(); async move { ccc_call(&c).await } }).await;
            rate(640, concurrency, move || { let (h, u) = (h.clone(), u.clone()); async move { raw_call(&h, &u, body).await } }).await;
            let (mut best_ccc, mut best_raw) = (0f64, 0f64);
            for _ in 0..3 {
                let (h, u) = (http.clone(), url.clone());
                best_raw = best_raw.max(rate(n, concurrency, move || { let (h, u) = (h.clone(), u.clone()); async move { raw_call(&h, &u, body).await } }).await);
                let c = client.clone();
                best_ccc = best_ccc.max(rate(n, concurrency, move || { let c = c.clone(); async move { ccc_call(&c).await } }).await);
            }
            println!(
                "{label:>14}: ccc-api {best_ccc:>8.0} calls/s, raw reqwest {best_raw:>8.0} calls/s, ratio {:.1}% (target >= 90%)",
                100.0 * best_ccc / best_raw
            );
        }
    });
}
