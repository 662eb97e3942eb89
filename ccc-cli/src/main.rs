//! `ccc`: every action of the Tencent Cloud Contact Center API as a subcommand
//! (in tccli's forms too), plus `ccc wait`, `ccc configure`, `ccc mock serve`
//! (the local emulator), `ccc demo` and `ccc completions`.

mod actions;
mod client;
mod configure;
mod help;
mod output;
mod paging;
mod profile;
mod tls;
mod unfold;
mod wait;

use ccc_api::SdkError;
use ccc_spec::ActionInfo;
use clap::{Arg, ArgAction, ArgMatches, Command};
use client::{call, client, init_logging, settings};
use output::{Format, Query};
use serde_json::Value;
use std::process::ExitCode;
use std::time::Duration;

/// Longest duration a flag takes, in seconds (a day): far beyond any useful
/// deadline, and far from where adding it to a clock reading could overflow.
const MAX_SECONDS: u64 = 86_400;

/// Help heading of the options every call takes.
const GLOBAL: &str = "Global options";

/// A share of requests: a number from 0 to 1.
#[cfg(feature = "mock")]
fn share(raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{raw}` is not a number from 0 to 1")),
    }
}

/// Seconds as a fraction, from 0.01 to a day.
fn seconds(raw: &str) -> Result<Duration, String> {
    match raw.trim().parse::<f64>() {
        Ok(v) if (0.01..=MAX_SECONDS as f64).contains(&v) => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "`{raw}` is not a number of seconds from 0.01 to 86400"
        )),
    }
}

/// The options of every call. They are not clap-global: `ccc mock serve` and
/// `ccc configure` do not take them; each action lists them after its own.
fn client_args() -> Vec<Arg> {
    let arg = |name: &'static str, help: &'static str| {
        Arg::new(name).long(name).help(help).help_heading(GLOBAL)
    };
    vec![
        arg("endpoint", "Endpoint: a URL, or host[:port] as tccli takes it (http for loopback hosts, https otherwise); default: the profile's ccc.endpoint, else the international site").value_name("URL|HOST[:PORT]"),
        arg("region", "Region sent as X-TC-Region (default: TENCENTCLOUD_REGION, else the profile's region)").value_name("REGION"),
        arg("profile", "Profile: ~/.tccli/NAME.credential and NAME.configure, and [NAME] of the SDK credentials file").value_name("NAME"),
        arg("language", "Language of service messages").value_parser(["en-US", "zh-CN"]),
        arg("output", "How to print answers (default: the profile's output, else json); jsonl and text print one item a line").value_parser(["json", "jsonl", "text", "table"]),
        arg("timeout", "Deadline of a call in seconds, retries included (1 to 86400)").value_name("SECONDS").value_parser(clap::value_parser!(u64).range(1..=MAX_SECONDS)),
        arg("ca-file", "Trust the certificate authorities of this PEM file too, besides the built-in roots (`ccc mock serve --tls` writes one); default: TENCENTCLOUD_CA_FILE").value_name("PATH"),
        arg("use-cvm-role", "Allow credentials from the CVM instance role (the metadata service); never asked otherwise").action(ArgAction::SetTrue),
        arg("debug", "Print each request and answer on stderr, secrets redacted, and the client's debug events (RUST_LOG=... chooses others)").action(ArgAction::SetTrue),
    ]
}

fn cli() -> Command {
    let global = client_args();
    let root = Command::new("ccc")
        .about("Tencent Cloud Contact Center API from the command line")
        .long_about(
            "Tencent Cloud Contact Center API from the command line: one subcommand per action \
             (`describe-auto-callout-task`, or tccli's `DescribeAutoCalloutTask`), flags from its \
             members (`--task-id` or `--TaskId`). Credentials: the environment \
             (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY), tccli's profile \
             (~/.tccli/default.credential, see `ccc configure`), the SDK profile file, the CVM \
             role (with --use-cvm-role), TKE OIDC. `ccc mock serve` runs a local emulator to \
             point it at.",
        )
        .after_help(help::EXIT_CODES)
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .disable_help_subcommand(true)
        .subcommand(help::command())
        .args(global.iter().cloned())
        .subcommands(actions::commands(&global))
        .subcommand(wait::wait_command(&global))
        .subcommand(configure::configure_command())
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        );
    #[cfg(feature = "mock")]
    let root = root
            .subcommand(
                Command::new("mock")
                    .about("The local emulator of the API")
                    .subcommand_required(true)
                    .subcommand(
                        Command::new("serve")
                            .about("Run the emulator until interrupted")
                            .arg(Arg::new("addr").long("addr").default_value("127.0.0.1:0").value_name("HOST:PORT").help("Address to listen on (a host name is resolved); port 0 picks a free one"))
                            .arg(Arg::new("key").long("key").action(ArgAction::Append).value_name("ID:SECRET").help("Accept this key pair (repeatable); default: the well-known test pair"))
                            .arg(Arg::new("keys-file").long("keys-file").value_name("FILE").help("Accept the `ID:SECRET` pairs of this file, one per line"))
                            .arg(Arg::new("latency-ms").long("latency-ms").value_parser(clap::value_parser!(u64).range(0..=MAX_SECONDS * 1000)).help("Added latency of every answer (at most a day)"))
                            .arg(Arg::new("rate-limited").long("rate-limited").value_parser(share).help("Share (0-1) answered RequestLimitExceeded"))
                            .arg(Arg::new("server-errors").long("server-errors").value_parser(share).help("Share (0-1) answered HTTP 502"))
                            .arg(Arg::new("dropped").long("dropped").value_parser(share).help("Share (0-1) of connections dropped"))
                            .arg(Arg::new("seed").long("seed").value_name("FILE").help("Start with the applications, numbers, skill groups, staff, tasks and campaigns of this JSON file (format: the ccc-emulator seed docs); default: the entities the official examples use"))
                            .arg(Arg::new("clock-speed").long("clock-speed").value_name("N").value_parser(mock::clock_speed).help("Speed of the simulated clock: 1 real time (default), 0 stopped, 60 a minute a second; POST {\"Advance\": SECONDS} to /emulator/clock moves it"))
                            .arg(Arg::new("site").long("site").value_parser(["international", "china"]).default_value("international").help("The site the emulator stands for: its answers carry only the members that site documents"))
                            .arg(Arg::new("tls").long("tls").action(ArgAction::SetTrue).help("Serve HTTPS with a certificate made at start (its authority written to a file for clients to trust); HTTP/2 is offered with and without TLS")),
                    ),
            )
            .subcommand(Command::new("demo").about("Start the emulator in-process and walk through an outbound task, printing each call"));
    root
}

/// An argument of the subcommand, else of the command line's root.
fn opt<'a>(sub: &'a ArgMatches, root: &'a ArgMatches, id: &str) -> Option<&'a String> {
    sub.try_get_one::<String>(id)
        .ok()
        .flatten()
        .or_else(|| root.try_get_one::<String>(id).ok().flatten())
}

fn flag(sub: &ArgMatches, root: &ArgMatches, id: &str) -> bool {
    [sub, root]
        .iter()
        .any(|m| m.try_get_one::<bool>(id).ok().flatten() == Some(&true))
}

#[tokio::main]
async fn main() -> ExitCode {
    let unfolded = match unfold::extract(std::env::args_os().collect()) {
        Ok(u) => u,
        Err(e) => return fail(2, e),
    };
    let matches = match cli().try_get_matches_from(help::reorder(unfolded.args)) {
        Ok(m) => m,
        Err(e) => return usage_error(e),
    };
    match matches.subcommand() {
        #[cfg(feature = "mock")]
        Some(("mock", sub)) => match sub.subcommand() {
            Some(("serve", args)) => mock::serve(args).await,
            _ => ExitCode::from(2),
        },
        #[cfg(feature = "mock")]
        Some(("demo", _)) => mock::demo().await,
        Some(("completions", args)) => {
            let shell = *args
                .get_one::<clap_complete::Shell>("shell")
                .expect("required");
            // Into memory first: the generators panic when they cannot write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cli(), "ccc", &mut script);
            output::write_stdout(&script).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        Some(("configure", args)) => configure::configure(&matches, args),
        Some(("help", args)) => print_help(args),
        Some(("wait", args)) => match args.subcommand() {
            Some((name, sub)) => match wait::waiter(name) {
                Some(w) => wait::run_wait(w, &matches, sub).await,
                None => ExitCode::from(2),
            },
            None => ExitCode::from(2),
        },
        Some((name, args)) => match actions::action_of(name) {
            Some(action) => run_action(action, &matches, args, unfolded.params).await,
            None => ExitCode::from(2),
        },
        None => ExitCode::from(2),
    }
}

/// `ccc help [ACTION] [--detail]`.
fn print_help(args: &ArgMatches) -> ExitCode {
    let detail = args.get_flag("detail");
    let text = match args.get_one::<String>("action") {
        None => help::overview(detail),
        Some(name) => {
            let mut root = cli();
            root.build();
            let names: Vec<String> = root
                .get_subcommands()
                .map(|c| c.get_name().to_owned())
                .collect();
            match root.find_subcommand_mut(name) {
                Some(sub) if detail => sub.render_long_help().to_string(),
                Some(sub) => sub.render_help().to_string(),
                None => {
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    let close = closest(name, &names, 3);
                    let tip = if close.is_empty() {
                        String::new()
                    } else {
                        format!("; the closest: {}", close.join(", "))
                    };
                    return fail(2, format!("no action or command `{name}`{tip}"));
                }
            }
        }
    };
    output::print(text.trim_end()).map_or_else(|code| code, |()| ExitCode::SUCCESS)
}

/// Prints a parse error (or help) as clap does, except that an unknown
/// subcommand suggests the closest few names only.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::InvalidSubcommand {
        if let Some(ContextValue::String(name)) = e.get(ContextKind::InvalidSubcommand) {
            let cmd = cli();
            let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            let mut text = format!("error: unrecognized subcommand '{name}'\n");
            let close = closest(name, &names, 3);
            if !close.is_empty() {
                text.push_str(&format!("\n  tip: the closest: {}\n", close.join(", ")));
            }
            text.push_str(
                "\nUsage: ccc [OPTIONS] <COMMAND>\n\nFor more information, try '--help'.",
            );
            output::eprint(text);
            return ExitCode::from(2);
        }
    }
    if e.kind() == ErrorKind::UnknownArgument {
        if let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) {
            if arg.starts_with("--") && arg.contains('.') {
                output::eprint(format_args!(
                    "{}\n  tip: tccli's dotted form ({arg}) needs --cli-unfold-argument",
                    e.render().to_string().trim_end()
                ));
                return ExitCode::from(2);
            }
        }
    }
    let _ = e.print();
    ExitCode::from(if e.use_stderr() { 2 } else { 0 })
}

/// At most `n` of `names` most like `typed` (a wire name such as
/// `DescribeNumber` is compared in kebab case), the closest first.
fn closest<'a>(typed: &str, names: &[&'a str], n: usize) -> Vec<&'a str> {
    let typed = kebab(typed);
    let mut scored: Vec<(f64, &str)> = names
        .iter()
        .map(|c| (strsim::jaro_winkler(&typed, c), *c))
        .filter(|(s, _)| *s > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    output::eprint(format_args!("error: {message}"));
    ExitCode::from(code)
}

async fn run_action(
    action: &'static ActionInfo,
    root: &ArgMatches,
    args: &ArgMatches,
    unfolded: serde_json::Map<String, Value>,
) -> ExitCode {
    let s = match settings(root, args) {
        Ok(s) => s,
        Err(e) => return fail(3, e),
    };
    if let Some(which) = args.get_one::<String>("generate-cli-skeleton") {
        let members = if which == "output" {
            action.output
        } else {
            action.input
        };
        return output::show(&actions::skeleton(members), Format::Json)
            .map_or_else(|code| code, |()| ExitCode::SUCCESS);
    }
    init_logging(s.debug);
    let body = match actions::body(action, args, actions::read_stdin, unfolded) {
        Ok(b) => paging::with_defaults(action, b),
        Err(e) => return fail(2, e),
    };
    let (query, client) = match query_and_client(&s, root, args).await {
        Ok(both) => both,
        Err(code) => return code,
    };
    let all = args.try_get_one::<bool>("all").ok().flatten() == Some(&true);
    let result = match action.pagination {
        _ if args.get_one::<String>("waiter").is_some() => {
            let spec = args.get_one::<String>("waiter").expect("checked");
            wait::run_waiter(&client, action, &body, &s, spec, query.as_ref()).await
        }
        Some(p) if all => paging::all_pages(&client, action, p, body, &s, query.as_ref()).await,
        _ => match call(&client, action, &body, s.debug).await {
            Ok(response) => show(&response, s.format, query.as_ref()),
            Err(e) => Err(call_failed(&e)),
        },
    };
    result.err().unwrap_or(ExitCode::SUCCESS)
}

/// The compiled `--query` (exit 2 if malformed) and the client (exit 3 if
/// it cannot be made).
async fn query_and_client(
    s: &client::Settings,
    root: &ArgMatches,
    args: &ArgMatches,
) -> Result<(Option<Query>, ccc_api::Client), ExitCode> {
    let query = match args.get_one::<String>("query").map(|q| Query::new(q)) {
        Some(q) => Some(q.map_err(|e| fail(2, e))?),
        None => None,
    };
    let client = client(s, root, args).await.map_err(|e| fail(3, e))?;
    Ok((query, client))
}

/// Prints `value` (narrowed by `query`) in `format`.
fn show(value: &Value, format: Format, query: Option<&Query>) -> Result<(), ExitCode> {
    let selected = match query {
        Some(q) => q.apply(value).map_err(|e| fail(2, e))?,
        None => value.clone(),
    };
    output::show(&selected, format)
}

/// Reports a failed call; the exit code by kind.
fn call_failed(e: &SdkError<String>) -> ExitCode {
    match e {
        SdkError::Service(s) => {
            output::eprint(format_args!("error: {}: {}", s.raw_code, s.message));
            output::eprint(format_args!("request id: {}", s.request_id));
        }
        other => report(other),
    }
    ExitCode::from(exit_code(e))
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

#[cfg(feature = "mock")]
mod mock;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand's flags are distinct: a spec member named like a global
    /// option (`--region`) would make clap panic when the command line is built.
    #[test]
    fn the_command_tree_is_consistent() {
        cli().debug_assert();
    }

    #[test]
    fn suggestions_are_few_and_close() {
        let cmd = cli();
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        for (typed, first) in [
            ("describe-auto-callout-tsk", "describe-auto-callout-task"),
            ("DescribeNumber", "describe-numbers"),
            ("configur", "configure"),
            ("describe-staf", "describe-staff-info-list"),
        ] {
            let close = closest(typed, &names, 3);
            assert!(close.len() <= 3 && !close.is_empty(), "{typed}: {close:?}");
            assert!(close.contains(&first), "{typed}: {close:?}");
        }
        assert!(closest("zzzzzz", &names, 3).is_empty());
    }
}
