//! Calls `DescribeAutoCalloutTask` and prints the typed answer.
//!
//! ```text
//! cargo run -p ccc-api --example describe_auto_callout_task            # local mock, no account
//! cargo run -p ccc-api --example describe_auto_callout_task -- \
//!     --endpoint https://ccc.intl.tencentcloudapi.com --sdk-app-id 1400000000 --task-id 3
//! ```
//!
//! Without `--endpoint` it starts the project's emulator of the service
//! in-process on 127.0.0.1 (it checks the TC3 signature like the service),
//! creates a task there and describes it; with `--endpoint` it calls that URL
//! with credentials from `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY`.

use ccc_api::{Client, Credentials};
use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::process::ExitCode;

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
    let mut args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // Kept until the end of `main`: the emulator stops when dropped.
    let mut emulator = None;
    let builder = match &args.endpoint {
        Some(url) => Client::builder().endpoint_url(url),
        None => {
            let local = match Emulator::start(Config::default()).await {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("cannot start the local emulator: {e}");
                    return ExitCode::FAILURE;
                }
            };
            println!("local emulator of the CCC API listening on {}", local.url());
            let builder = Client::builder()
                .endpoint_url(local.url())
                .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY));
            emulator = Some(local);
            builder
        }
    };
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if emulator.is_some() {
        // A fresh emulator holds no task: make the one to describe.
        let created = client
            .create_auto_callout_task()
            .sdk_app_id(args.sdk_app_id)
            .not_before(1_700_000_000)
            .callees(vec!["008613900000001"])
            .callers(vec!["0086075586013388"])
            .ivr_id(1)
            .name("example")
            .send()
            .await;
        match created {
            Ok(task) => args.task_id = task.task_id,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
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
