//! A stand-in for the service that answers every request with one fixed
//! answer, however large: what `--output` must print in linear time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

/// Serves `{"Response": answer}` (with a `RequestId`) to every request, on
/// a thread, until the process ends; returns the endpoint URL.
pub fn serve(mut answer: serde_json::Value) -> String {
    answer["RequestId"] = "big-1".into();
    let body = Arc::new(serde_json::to_vec(&serde_json::json!({ "Response": answer })).unwrap());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let body = Arc::clone(&body);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut length = 0usize;
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    line.clear();
                }
                let mut request = vec![0; length];
                let _ = reader.read_exact(&mut request);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let mut out = &stream;
                let _ = out
                    .write_all(head.as_bytes())
                    .and_then(|()| out.write_all(&body));
            });
        }
    });
    url
}

/// An answer of about `bytes` bytes: one long string member, and a list of
/// items of 1 KiB each.
pub fn answer(bytes: usize) -> serde_json::Value {
    answer_of(bytes, "x")
}

/// [`answer`] with its long string made of `word` repeated (`"lorem "`: a
/// string the table crate splits at each space).
pub fn answer_of(bytes: usize, word: &str) -> serde_json::Value {
    let items: Vec<serde_json::Value> = (0..bytes / 2 / 1024)
        .map(|i| serde_json::json!({"Id": 10_000_000 + i, "Note": "n".repeat(1000)}))
        .collect();
    let long = word.repeat(bytes / 2 / word.len().max(1));
    serde_json::json!({"Note": long, "Items": items})
}
