//! `ccc`: every action of the Tencent Cloud Contact Center API as a subcommand,
//! plus `ccc mock serve` (the local emulator), `ccc demo` and `ccc completions`.
//!
//! Exit codes: 0 success, 1 service error, 2 usage, 3 credentials or
//! configuration, 4 transport (connection, timeout), 5 undecodable answer, 141
//! (quietly) when stdout's reader has gone away.

mod actions;
mod output;

use ccc_api::credentials::ProfileFileProvider;
use ccc_api::{Client, Credentials, Language, SdkError};
use ccc_emulator::{Config, Emulator, FaultSpec, Faults, TEST_SECRET_ID, TEST_SECRET_KEY};
use clap::{Arg, ArgAction, ArgMatches, Command};
use output::Format;
use std::process::ExitCode;
use std::time::Duration;

/// Longest duration a flag takes, in seconds (a day): far beyond any useful
/// deadline, and far from where adding it to a clock reading could overflow.
const MAX_SECONDS: u64 = 86_400;

/// A share of requests: a number from 0 to 1.
fn share(raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{raw}` is not a number from 0 to 1")),
    }
}

fn cli() -> Command {
    let global =
        |name: &'static str, help: &'static str| Arg::new(name).long(name).global(true).help(help);
    Command::new("ccc")
        .about("Tencent Cloud Contact Center API from the command line")
        .long_about(
            "Tencent Cloud Contact Center API from the command line. Credentials come from the \
             usual chain (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY, the profile file, the \
             CVM role, TKE OIDC). `ccc mock serve` runs a local emulator to point it at.",
        )
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg(global("endpoint", "Endpoint URL (default: the international site)").value_name("URL"))
        .arg(global("region", "Region sent as X-TC-Region").value_name("REGION"))
        .arg(global("profile", "Profile of the credentials file to use").value_name("NAME"))
        .arg(global("language", "Language of service messages").value_parser(["en-US", "zh-CN"]))
        .arg(global("output", "How to print answers").value_parser(["json", "table"]).default_value("json"))
        .arg(global("timeout", "Deadline of a call in seconds, retries included (1 to 86400)").value_name("SECONDS").value_parser(clap::value_parser!(u64).range(1..=MAX_SECONDS)))
        .subcommands(actions::commands())
        .subcommand(
            Command::new("mock")
                .about("The local emulator of the API")
                .subcommand_required(true)
                .subcommand(
                    Command::new("serve")
                        .about("Run the emulator until interrupted")
                        .arg(Arg::new("addr").long("addr").default_value("127.0.0.1:0").help("Address to listen on; port 0 picks a free one"))
                        .arg(Arg::new("key").long("key").action(ArgAction::Append).value_name("ID:SECRET").help("Accept this key pair (repeatable); default: the well-known test pair"))
                        .arg(Arg::new("keys-file").long("keys-file").value_name("FILE").help("Accept the `ID:SECRET` pairs of this file, one per line"))
                        .arg(Arg::new("latency-ms").long("latency-ms").value_parser(clap::value_parser!(u64).range(0..=MAX_SECONDS * 1000)).help("Added latency of every answer (at most a day)"))
                        .arg(Arg::new("rate-limited").long("rate-limited").value_parser(share).help("Share (0-1) answered RequestLimitExceeded"))
                        .arg(Arg::new("server-errors").long("server-errors").value_parser(share).help("Share (0-1) answered HTTP 502"))
                        .arg(Arg::new("dropped").long("dropped").value_parser(share).help("Share (0-1) of connections dropped"))
                        .arg(Arg::new("tls").long("tls").action(ArgAction::SetTrue).help("Serve HTTPS with a certificate made at start (its authority written to a file for clients to trust); HTTP/2 is offered with and without TLS")),
                ),
        )
        .subcommand(Command::new("demo").about("Start the emulator in-process and walk through an outbound task, printing each call"))
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .arg(Arg::new("shell").required(true).value_parser(clap::value_parser!(clap_complete::Shell))),
        )
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match matches.subcommand() {
        Some(("mock", sub)) => match sub.subcommand() {
            Some(("serve", args)) => serve(args).await,
            _ => ExitCode::from(2),
        },
        Some(("completions", args)) => {
            let shell = *args
                .get_one::<clap_complete::Shell>("shell")
                .expect("required");
            // Into memory first: the generators panic when they cannot write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cli(), "ccc", &mut script);
            output::write_stdout(&script).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        Some(("demo", _)) => demo().await,
        Some((name, args)) => match actions::action_of(name) {
            Some(action) => run_action(action, &matches, args).await,
            None => ExitCode::from(2),
        },
        None => ExitCode::from(2),
    }
}

fn client(matches: &ArgMatches) -> Result<Client, String> {
    let mut b = Client::builder();
    if let Some(url) = matches.get_one::<String>("endpoint") {
        b = b.endpoint_url(url);
    }
    if let Some(region) = matches.get_one::<String>("region") {
        b = b.region(region);
    }
    if let Some(profile) = matches.get_one::<String>("profile") {
        b = b.credentials_provider(ProfileFileProvider::new().profile(profile));
    }
    if let Some(language) = matches.get_one::<String>("language") {
        b = b.language(if language == "zh-CN" {
            Language::ZhCn
        } else {
            Language::EnUs
        });
    }
    if let Some(secs) = matches.get_one::<u64>("timeout") {
        b = b.timeout(Duration::from_secs(*secs));
    }
    b.build().map_err(|e| e.to_string())
}

async fn run_action(
    action: &ccc_emulator::spec_table::ActionInfo,
    global: &ArgMatches,
    args: &ArgMatches,
) -> ExitCode {
    let body = match actions::body(action, args, || std::io::read_to_string(std::io::stdin())) {
        Ok(b) => b,
        Err(e) => {
            output::eprint(format_args!("error: {e}"));
            return ExitCode::from(2);
        }
    };
    let client = match client(global) {
        Ok(c) => c,
        Err(e) => {
            output::eprint(format_args!("error: {e}"));
            return ExitCode::from(3);
        }
    };
    let format = if global.get_one::<String>("output").map(String::as_str) == Some("table") {
        Format::Table
    } else {
        Format::Json
    };
    match client.call(action.name, &body).await {
        Ok(response) => output::print(output::render(&response, format))
            .map_or_else(|code| code, |()| ExitCode::SUCCESS),
        Err(e) => {
            match &e {
                SdkError::Service(s) => {
                    output::eprint(format_args!("error: {}: {}", s.raw_code, s.message));
                    output::eprint(format_args!("request id: {}", s.request_id));
                }
                other => report(other),
            }
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Prints `error` and each of its causes on its own line: every level of the
/// library's errors shows only itself, so nothing is lost or repeated.
fn report(error: &dyn std::error::Error) {
    output::eprint(format_args!("error: {error}"));
    let mut cause = error.source();
    while let Some(c) = cause {
        output::eprint(format_args!("  caused by: {c}"));
        cause = c.source();
    }
}

fn exit_code<C>(e: &SdkError<C>) -> u8 {
    match e {
        SdkError::Service(_) => 1,
        SdkError::Build(_) => 2,
        SdkError::Credentials(_) => 3,
        SdkError::Transport(_) => 4,
        SdkError::Decode(_) => 5,
        _ => 1,
    }
}

async fn serve(args: &ArgMatches) -> ExitCode {
    let mut config = Config::default();
    match args.get_one::<String>("addr").map(|a| a.parse()) {
        Some(Ok(addr)) => config.addr = addr,
        Some(Err(e)) => {
            output::eprint(format_args!("error: --addr: {e}"));
            return ExitCode::from(2);
        }
        None => {}
    }
    let mut pairs: Vec<String> = args
        .get_many::<String>("key")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if let Some(file) = args.get_one::<String>("keys-file") {
        match std::fs::read_to_string(file) {
            Ok(text) => pairs.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned),
            ),
            Err(e) => {
                output::eprint(format_args!("error: cannot read {file}: {e}"));
                return ExitCode::from(2);
            }
        }
    }
    if !pairs.is_empty() {
        config.keys.clear();
        for pair in pairs {
            let Some((id, secret)) = pair.split_once(':') else {
                output::eprint(format_args!("error: key pair `{pair}` is not ID:SECRET"));
                return ExitCode::from(2);
            };
            config
                .keys
                .insert(id.trim().to_owned(), secret.trim().to_owned());
        }
    }
    let share = |name: &str| args.get_one::<f64>(name).copied().unwrap_or(0.0);
    config.faults = Faults {
        default: FaultSpec {
            latency: Duration::from_millis(args.get_one::<u64>("latency-ms").copied().unwrap_or(0)),
            rate_limited: share("rate-limited"),
            server_errors: share("server-errors"),
            dropped: share("dropped"),
        },
        ..Faults::default()
    };
    config.tls = args.get_flag("tls");
    let test_pair = config.keys.contains_key(TEST_SECRET_ID);
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            output::eprint(format_args!("error: cannot listen: {e}"));
            return ExitCode::from(4);
        }
    };
    // Serving is the job, the announcement a courtesy: with stdout gone (`ccc mock
    // serve | head -1`) it keeps serving.
    let mut announcement = format!("CCC emulator listening on {}\n", emulator.url());
    if let Some(pem) = emulator.certificate_pem() {
        let path =
            std::env::temp_dir().join(format!("ccc-emulator-{}.pem", emulator.addr().port()));
        if let Err(e) = std::fs::write(&path, pem) {
            output::eprint(format_args!("error: cannot write {}: {e}", path.display()));
            return ExitCode::from(4);
        }
        announcement.push_str(&format!(
            "certificate authority made for this run (127.0.0.1, ::1, localhost), to trust: {}\n{pem}",
            path.display()
        ));
    }
    if test_pair {
        announcement.push_str(&format!(
            "test key pair (valid only here):\n  export TENCENTCLOUD_SECRET_ID={TEST_SECRET_ID}\n  export TENCENTCLOUD_SECRET_KEY={TEST_SECRET_KEY}\n"
        ));
    }
    announcement.push_str(&format!(
        "try: ccc --endpoint {} describe-numbers --sdk-app-id 1400000000",
        emulator.url()
    ));
    let _ = output::print(announcement);
    tokio::select! {
        _ = emulator.run_forever() => ExitCode::from(4),
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}

/// Why the demo stopped early.
enum Stop {
    Call(ccc_api::Error),
    Output(ExitCode),
}

impl<C> From<SdkError<C>> for Stop
where
    SdkError<C>: Into<ccc_api::Error>,
{
    fn from(e: SdkError<C>) -> Self {
        Stop::Call(e.into())
    }
}

/// Prints as [`output::print`], stopping the demo when stdout is gone.
fn say(text: impl std::fmt::Display) -> Result<(), Stop> {
    output::print(text).map_err(Stop::Output)
}

/// A short walk through the API against an in-process emulator.
async fn demo() -> ExitCode {
    let emulator = match Emulator::start(Config::default()).await {
        Ok(e) => e,
        Err(e) => {
            output::eprint(format_args!("error: cannot start the emulator: {e}"));
            return ExitCode::from(4);
        }
    };
    let client = match Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(emulator.url())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            output::eprint(format_args!("error: {e}"));
            return ExitCode::from(3);
        }
    };
    let result: Result<(), Stop> = async {
        say(format_args!("# emulator on {} (no cloud account needed)\n", emulator.url()))?;
        say("$ ccc create-auto-callout-task --sdk-app-id 1400000000 --not-before 0 --ivr-id 2 --callers '[\"008675500000001\"]' --callees '[\"008613900000001\",\"008613900000002\"]' --name reminders")?;
        let created = client
            .create_auto_callout_task()
            .sdk_app_id(1400000000)
            .not_before(0)
            .ivr_id(2)
            .callers(vec!["008675500000001".into()])
            .callees(vec!["008613900000001".into(), "008613900000002".into()])
            .name("reminders")
            .send()
            .await?;
        say(format_args!("TaskId {}  (request id {})\n", created.task_id, created.request_id))?;
        say(format_args!("$ ccc describe-auto-callout-task --sdk-app-id 1400000000 --task-id {}", created.task_id))?;
        let task = client.describe_auto_callout_task().sdk_app_id(1400000000).task_id(created.task_id).send().await?;
        say(format_args!("{:?} is {:?}; callees {:?}\n", task.name, task.state, task.callees.iter().map(|c| &c.callee).collect::<Vec<_>>()))?;
        say(format_args!("$ ccc pause-auto-callout-task --sdk-app-id 1400000000 --task-id {}", created.task_id))?;
        client.pause_auto_callout_task().sdk_app_id(1400000000).task_id(created.task_id).send().await?;
        let task = client.describe_auto_callout_task().sdk_app_id(1400000000).task_id(created.task_id).send().await?;
        say(format_args!("now {:?}\n", task.state))?;
        say("$ ccc describe-auto-callout-task --sdk-app-id 1400000000 --task-id 999")?;
        match client.describe_auto_callout_task().sdk_app_id(1400000000).task_id(999).send().await {
            Err(e) => say(format_args!("{e}\n"))?,
            Ok(_) => say("unexpected success\n")?,
        }
        say("$ ccc describe-numbers --sdk-app-id 1400000000 --output table")?;
        let numbers = client.call("DescribeNumbers", &serde_json::json!({"SdkAppId": 1400000000, "PageSize": 3, "PageNumber": 0})).await?;
        say(output::render(&numbers, Format::Table))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Output(code)) => code,
        Err(Stop::Call(e)) => {
            report(&e);
            ExitCode::from(1)
        }
    }
}
