//! Calls `DescribeAutoCalloutTask` and prints the typed answer.
//!
//! ```text
//! cargo run -p ccc-api --example describe_auto_callout_task            # local mock, no account
//! cargo run -p ccc-api --example describe_auto_callout_task -- \
//!     --endpoint https://ccc.intl.tencentcloudapi.com --sdk-app-id 1400000000 --task-id 3
//! ```
//!
//! Without `--endpoint` it starts a small local stand-in of the service on
//! 127.0.0.1 that checks the request's TC3 signature and answers the official
//! example response; with `--endpoint` it calls that URL with credentials from
//! `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY`.

use ccc_api::signing::{sign, SigningInput};
use ccc_api::{Client, Credentials};
use std::process::ExitCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Key pair the local stand-in accepts; it is not valid anywhere else.
const LOCAL_SECRET_ID: &str = "AKIDLOCALTESTKEY00000000000000000000";
const LOCAL_SECRET_KEY: &str = "LOCALTESTSECRET00000000000000000";

/// The official example response of the action.
const EXAMPLE_RESPONSE: &str = r#"{"Response":{"IvrId":1,"Name":"foobar","NotBefore":1729905740,"NotAfter":1729905750,"State":1,"Callers":["008610086"],"RequestId":"foobar","Callees":[{"State":1,"Callee":"foobar","Sessions":["foobar"]}],"Description":"foobar"}}"#;

struct Args {
    endpoint: Option<String>,
    sdk_app_id: u64,
    task_id: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        endpoint: None,
        sdk_app_id: 1400000000,
        task_id: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--endpoint" => args.endpoint = Some(value()?),
            "--sdk-app-id" => {
                args.sdk_app_id = value()?.parse().map_err(|e| format!("--sdk-app-id: {e}"))?
            }
            "--task-id" => {
                args.task_id = value()?.parse().map_err(|e| format!("--task-id: {e}"))?
            }
            other => {
                return Err(format!(
                    "unknown argument {other}; use --endpoint URL, --sdk-app-id N, --task-id N"
                ))
            }
        }
    }
    Ok(args)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let builder = match &args.endpoint {
        Some(url) => Client::builder().endpoint_url(url),
        None => {
            let url = match start_local_service().await {
                Ok(url) => url,
                Err(e) => {
                    eprintln!("cannot start the local service: {e}");
                    return ExitCode::FAILURE;
                }
            };
            println!("local stand-in of the CCC API listening on {url}");
            Client::builder()
                .endpoint_url(url)
                .credentials(Credentials::new(LOCAL_SECRET_ID, LOCAL_SECRET_KEY))
        }
    };
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "DescribeAutoCalloutTask SdkAppId={} TaskId={} via {}",
        args.sdk_app_id,
        args.task_id,
        client.endpoint()
    );
    match client
        .describe_auto_callout_task()
        .sdk_app_id(args.sdk_app_id)
        .task_id(args.task_id)
        .send()
        .await
    {
        Ok(task) => {
            println!("task      {:?} ({})", task.name, task.description);
            println!("state     {:?}", task.state);
            println!("window    {} .. {:?}", task.not_before, task.not_after);
            println!("ivr       {}", task.ivr_id);
            println!("callers   {:?}", task.callers);
            for callee in &task.callees {
                println!(
                    "callee    {} {:?} sessions {:?}",
                    callee.callee, callee.state, callee.sessions
                );
            }
            println!("request   {}", task.request_id);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the example response to correctly signed requests on 127.0.0.1.
async fn start_local_service() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head, body) = loop {
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                        let len = header(&head, "content-length")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break (head, buf[end + 4..end + 4 + len].to_vec());
                        }
                    }
                };
                let answer = if signature_ok(&head, &body) {
                    EXAMPLE_RESPONSE.to_owned()
                } else {
                    r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"signature mismatch"},"RequestId":"local"}}"#.to_owned()
                };
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    Ok(url)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(n, _)| n.trim() == name)
            .map(|(_, v)| v.trim())
    })
}

/// Recomputes the signature over `content-type;host`, as the client signs.
fn signature_ok(head: &str, body: &[u8]) -> bool {
    let (Some(ct), Some(host), Some(ts), Some(auth)) = (
        header(head, "content-type"),
        header(head, "host"),
        header(head, "x-tc-timestamp").and_then(|t| t.parse().ok()),
        header(head, "authorization"),
    ) else {
        return false;
    };
    let expected = sign(
        LOCAL_SECRET_ID,
        LOCAL_SECRET_KEY,
        &SigningInput {
            service: "ccc",
            timestamp: ts,
            method: "POST",
            path: "/",
            query: "",
            headers: &[("content-type", ct), ("host", host)],
            payload: body,
        },
    );
    // The head was lower-cased, so compare case-insensitively.
    expected.authorization.eq_ignore_ascii_case(auth)
}
