//! `ccc`: every action of the Tencent Cloud Contact Center API as a subcommand
//! (in tccli's forms too), plus `ccc wait`, `ccc configure`, `ccc mock serve`
//! (the local emulator), `ccc demo` and `ccc completions`.

mod actions;
mod help;
mod output;
mod paging;
mod profile;
mod tls;
mod unfold;
mod wait;

use ccc_api::credentials::{
    CachingProvider, CvmRoleProvider, EnvironmentProvider, OidcRoleProvider, ProfileFileProvider,
    ProvideCredentials,
};
use ccc_api::runtime::waiter::poll_until;
use ccc_api::{Client, Language, SdkError, WaitOutcome, WaitSettings, WaitState};
use ccc_spec::ActionInfo;
use clap::{Arg, ArgAction, ArgMatches, Command};
use output::{Format, Query};
use serde_json::Value;
use std::process::ExitCode;
use std::time::Duration;

/// Longest duration a flag takes, in seconds (a day): far beyond any useful
/// deadline, and far from where adding it to a clock reading could overflow.
const MAX_SECONDS: u64 = 86_400;

/// Largest answer read: twice the library's default, so that an answer of
/// 16 MiB (the largest `--output` is made to print briskly) is read whole.
const MAX_ANSWER_BYTES: usize = 32 << 20;

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
        .subcommand(wait_command(&global))
        .subcommand(configure_command())
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
                            .arg(Arg::new("tls").long("tls").action(ArgAction::SetTrue).help("Serve HTTPS with a certificate made at start (its authority written to a file for clients to trust); HTTP/2 is offered with and without TLS")),
                    ),
            )
            .subcommand(Command::new("demo").about("Start the emulator in-process and walk through an outbound task, printing each call"));
    root
}

fn wait_command(global: &[Arg]) -> Command {
    let mut cmd = Command::new("wait")
        .about("Wait until a task or campaign reaches a state")
        .long_about(
            "Polls the resource's Describe action, the delay growing by half each time up to 30 s, \
             until it reaches the awaited state (exit 0, the last answer printed), a state from \
             which it cannot come (exit 6), or --max-wait passes (exit 7).",
        )
        .subcommand_required(true);
    for w in wait::waiters() {
        let Some(a) = wait::action_of(w) else {
            continue;
        };
        let mut sub = Command::new(w.name)
            .about(format!("Poll {} {}", a.name, w.doc))
            .allow_negative_numbers(true)
            .override_usage(actions::usage(&format!("wait {}", w.name), a))
            .next_help_heading(actions::PARAMETERS);
        for m in a.input {
            sub = sub.arg(actions::member_arg(m, None));
        }
        sub = sub
            .next_help_heading("Waiting")
            .arg(
                Arg::new("delay")
                    .long("delay")
                    .value_name("SECONDS")
                    .value_parser(seconds)
                    .default_value("2")
                    .help("First delay between polls; it grows by half each time, up to 30 s"),
            )
            .arg(
                Arg::new("max-wait")
                    .long("max-wait")
                    .value_name("SECONDS")
                    .value_parser(seconds)
                    .default_value("600")
                    .help("Give up (exit 7) after this long"),
            )
            .arg(actions::query_arg())
            .args(global.iter().cloned());
        cmd = cmd.subcommand(sub);
    }
    cmd
}

fn configure_command() -> Command {
    let profile = || {
        Arg::new("profile")
            .long("profile")
            .value_name("NAME")
            .help("Profile to use (default: default)")
    };
    Command::new("configure")
        .about("Read and write tccli's profile files (~/.tccli/NAME.credential and NAME.configure)")
        .long_about(
            "Read and write the profile files tccli uses, in its format: \
             ~/.tccli/NAME.credential (secretId, secretKey, token) and ~/.tccli/NAME.configure \
             (region, output, ...; `ccc.endpoint` for this service). Files are written with \
             mode 0600. Without a subcommand, asks for each value on stdin (empty keeps it).",
        )
        .arg(profile())
        .subcommand(
            Command::new("set")
                .about("Set keys: secretId, secretKey, token, region, output, ccc.endpoint, ...")
                .arg(
                    Arg::new("pairs")
                        .num_args(2..)
                        .required(true)
                        .value_names(["KEY", "VALUE"])
                        .help("KEY VALUE pairs"),
                )
                .arg(profile()),
        )
        .subcommand(
            Command::new("get")
                .about(
                    "Print one key's value (secretId, secretKey and token masked, as tccli does)",
                )
                .arg(Arg::new("key").required(true))
                .arg(profile()),
        )
        .subcommand(
            Command::new("list")
                .about("Print every key of the profile (secrets masked)")
                .arg(profile()),
        )
        .subcommand(Command::new("profiles").about("Print the names of the profiles"))
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
        Some(("configure", args)) => configure(&matches, args),
        Some(("help", args)) => print_help(args),
        Some(("wait", args)) => match args.subcommand() {
            Some((name, sub)) => match wait::waiter(name) {
                Some(w) => run_wait(w, &matches, sub).await,
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

/// The endpoint URL of `raw`: a URL as it is; tccli's scheme-less
/// `host[:port]` with `http://` for loopback hosts (an emulator on this
/// machine) and `https://` for every other host.
fn endpoint_url(raw: &str) -> String {
    let raw = raw.trim();
    if raw.contains("://") {
        return raw.to_owned();
    }
    let authority = raw.split('/').next().unwrap_or(raw);
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        match authority.rsplit_once(':') {
            Some((h, _)) if !h.contains(':') => h,
            _ => authority,
        }
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    format!("{}://{raw}", if loopback { "http" } else { "https" })
}

/// What a call needs from the command line and the profile.
struct Settings {
    profile: String,
    endpoint: Option<String>,
    region: Option<String>,
    format: Format,
    debug: bool,
}

fn settings(root: &ArgMatches, sub: &ArgMatches) -> Result<Settings, String> {
    let profile = opt(sub, root, "profile")
        .cloned()
        .unwrap_or_else(|| profile::DEFAULT_PROFILE.to_owned());
    profile::check_name(&profile)?;
    let from_profile = |key: &str| profile::get(&profile, key).ok().flatten();
    let endpoint = opt(sub, root, "endpoint")
        .cloned()
        .or_else(|| from_profile("ccc.endpoint"))
        .map(|e| endpoint_url(&e));
    let region = opt(sub, root, "region")
        .cloned()
        .or_else(|| std::env::var("TENCENTCLOUD_REGION").ok())
        .or_else(|| from_profile("region"))
        .filter(|r| !r.is_empty());
    let format = match opt(sub, root, "output") {
        Some(f) => Format::parse(f).expect("clap checked the value"),
        None => from_profile("output")
            .and_then(|f| Format::parse(&f))
            .unwrap_or(Format::Json),
    };
    Ok(Settings {
        profile,
        endpoint,
        region,
        format,
        debug: flag(sub, root, "debug"),
    })
}

/// Sends `X-TC-*` debug events of the library to stderr: `RUST_LOG` chooses
/// (`tencent_cloud_runtime=debug`, `trace`, ...); `--debug` alone means
/// `tencent_cloud_runtime=debug`, the target of the client's events.
fn init_logging(debug: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let spec = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => spec,
        _ if debug => "tencent_cloud_runtime=debug".to_owned(),
        _ => return,
    };
    let targets: tracing_subscriber::filter::Targets = match spec.parse() {
        Ok(t) => t,
        Err(e) => {
            output::eprint(format_args!("warning: RUST_LOG ignored: {e}"));
            return;
        }
    };
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_target(true),
        )
        .with(targets)
        .try_init();
}

/// Finds credentials the way tccli and the SDKs do, asking each source once,
/// and says what each answered when none has any.
async fn credentials(
    s: &Settings,
    use_cvm_role: bool,
    builder: ccc_api::ClientBuilder,
) -> Result<ccc_api::ClientBuilder, String> {
    let mut tried: Vec<String> = Vec::new();
    fn note(
        tried: &mut Vec<String>,
        name: &str,
        r: Result<ccc_api::Credentials, ccc_api::CredentialsError>,
    ) -> Option<ccc_api::Credentials> {
        r.map_err(|e| tried.push(format!("  {name}: {}", e.reason)))
            .ok()
    }
    if let Some(c) = note(
        &mut tried,
        "environment",
        EnvironmentProvider.provide_credentials().await,
    ) {
        return Ok(builder.credentials(c));
    }
    let tccli = profile::TccliProfile {
        profile: s.profile.clone(),
    };
    if let Some(c) = note(
        &mut tried,
        &format!("tccli profile ~/.tccli/{}.credential", s.profile),
        tccli.provide_credentials().await,
    ) {
        return Ok(builder.credentials(c));
    }
    let file = ProfileFileProvider::new().profile(s.profile.clone());
    if let Some(c) = note(
        &mut tried,
        "SDK profile file",
        file.provide_credentials().await,
    ) {
        return Ok(builder.credentials(c));
    }
    if use_cvm_role {
        // Short bounds: off a CVM instance the metadata host does not answer.
        let cvm = CvmRoleProvider::new().timeouts(Duration::from_secs(1), Duration::from_secs(3));
        if note(
            &mut tried,
            "CVM instance role",
            cvm.provide_credentials().await,
        )
        .is_some()
        {
            return Ok(builder.credentials_provider(CachingProvider::new(cvm)));
        }
    } else {
        tried
            .push("  CVM instance role: not asked (on a CVM instance, pass --use-cvm-role)".into());
    }
    match OidcRoleProvider::from_env() {
        Ok(oidc) => {
            if note(&mut tried, "TKE OIDC", oidc.provide_credentials().await).is_some() {
                return Ok(builder.credentials_provider(CachingProvider::new(oidc)));
            }
        }
        Err(e) => tried.push(format!("  TKE OIDC: {}", e.reason)),
    }
    Err(format!(
        "no credentials found; tried, in order:\n{}\nto configure, either:\n  ccc configure set secretId AKID... secretKey ...{}   (tccli's file, mode 0600)\n  export TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=...",
        tried.join("\n"),
        if s.profile == profile::DEFAULT_PROFILE {
            String::new()
        } else {
            format!(" --profile {}", s.profile)
        }
    ))
}

/// `--debug`: every attempt's headers as they leave (the library adds
/// `Authorization` and `X-TC-Token` after hooks run, so no secret reaches
/// this), and its outcome.
struct DebugHook;

impl ccc_api::hooks::Hook for DebugHook {
    fn before_attempt(
        &self,
        attempt: &mut ccc_api::hooks::BeforeAttempt<'_>,
    ) -> Result<(), ccc_api::hooks::Refused> {
        let mut lines = format!(
            "debug: attempt {} of {}: headers",
            attempt.attempt(),
            attempt.action()
        );
        for (name, value) in attempt.headers().iter() {
            lines.push_str(&format!("\ndebug:   {name}: {value}"));
        }
        lines.push_str(
            "\ndebug:   authorization: TC3-HMAC-SHA256 Credential=... (signed when sent; redacted)",
        );
        output::eprint(lines);
        Ok(())
    }

    fn after_attempt(&self, attempt: &ccc_api::hooks::AfterAttempt<'_>) {
        let status = attempt
            .status()
            .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
        output::eprint(format_args!(
            "debug: attempt {} of {}: {status} in {} ms, request id {}, {}{}",
            attempt.attempt(),
            attempt.action(),
            attempt.latency().as_millis(),
            attempt.request_id().unwrap_or("-"),
            attempt
                .code()
                .unwrap_or(if attempt.is_ok() { "ok" } else { "failed" }),
            if attempt.will_retry() {
                ", retrying"
            } else {
                ""
            },
        ));
    }
}

async fn client(s: &Settings, root: &ArgMatches, sub: &ArgMatches) -> Result<Client, String> {
    let mut b = Client::builder();
    if s.debug {
        b = b.hook(DebugHook);
    }
    if let Some(url) = &s.endpoint {
        b = b.endpoint_url(url);
    }
    if let Some(region) = &s.region {
        b = b.region(region);
    }
    if let Some(language) = opt(sub, root, "language") {
        b = b.language(if language == "zh-CN" {
            Language::ZhCn
        } else {
            Language::EnUs
        });
    }
    if let Some(secs) = [sub, root]
        .iter()
        .find_map(|m| m.try_get_one::<u64>("timeout").ok().flatten())
    {
        b = b.timeout(Duration::from_secs(*secs));
    }
    b = b.max_response_size(MAX_ANSWER_BYTES);
    if let Some(path) = tls::ca_file(opt(sub, root, "ca-file")) {
        b = b.http_client(tls::http_client(&path)?);
    }
    b = credentials(s, flag(sub, root, "use-cvm-role"), b).await?;
    b.build().map_err(|e| e.to_string())
}

/// One call, shown on stderr with `--debug`.
async fn call(
    client: &Client,
    a: &ActionInfo,
    body: &Value,
    debug: bool,
) -> Result<Value, SdkError<String>> {
    if debug {
        output::eprint(format_args!(
            "debug: request: POST {}  X-TC-Action: {}  X-TC-Version: {}  Authorization: TC3-HMAC-SHA256 (redacted)\ndebug: request body: {}",
            client.endpoint(),
            a.name,
            ccc_api::VERSION,
            actions::redacted(a.input, body)
        ));
    }
    let result = client.call(a.name, body).await;
    if debug {
        match &result {
            Ok(v) => output::eprint(format_args!(
                "debug: response: {}",
                actions::redacted(a.output, v)
            )),
            Err(e) => output::eprint(format_args!("debug: failed: {e}")),
        }
    }
    result
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
    let query = match args.get_one::<String>("query").map(|q| Query::new(q)) {
        Some(Ok(q)) => Some(q),
        Some(Err(e)) => return fail(2, e),
        None => None,
    };
    let client = match client(&s, root, args).await {
        Ok(c) => c,
        Err(e) => return fail(3, e),
    };
    let all = args.try_get_one::<bool>("all").ok().flatten() == Some(&true);
    let result = match action.pagination {
        _ if args.get_one::<String>("waiter").is_some() => {
            let spec = args.get_one::<String>("waiter").expect("checked");
            run_waiter(&client, action, &body, &s, spec, query.as_ref()).await
        }
        Some(p) if all => paging::all_pages(&client, action, p, body, &s, query.as_ref()).await,
        _ => match call(&client, action, &body, s.debug).await {
            Ok(response) => show(&response, s.format, query.as_ref()),
            Err(e) => Err(call_failed(&e)),
        },
    };
    result.err().unwrap_or(ExitCode::SUCCESS)
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

async fn run_wait(
    w: &'static ccc_spec::WaiterInfo,
    root: &ArgMatches,
    args: &ArgMatches,
) -> ExitCode {
    let Some(a) = wait::action_of(w) else {
        return fail(2, format!("{}: no action {}", w.name, w.action));
    };
    let s = match settings(root, args) {
        Ok(s) => s,
        Err(e) => return fail(3, e),
    };
    init_logging(s.debug);
    let mut params = serde_json::Map::new();
    if let Err(e) = actions::flags_into(a.input, args, &mut params) {
        return fail(2, e);
    }
    if let Err(e) = actions::missing(a, &params) {
        return fail(2, e);
    }
    let body = Value::Object(params);
    let delay = *args.get_one::<Duration>("delay").expect("has a default");
    let max_wait = *args.get_one::<Duration>("max-wait").expect("has a default");
    let query = match args.get_one::<String>("query").map(|q| Query::new(q)) {
        Some(Ok(q)) => Some(q),
        Some(Err(e)) => return fail(2, e),
        None => None,
    };
    let client = match client(&s, root, args).await {
        Ok(c) => c,
        Err(e) => return fail(3, e),
    };
    let settings = WaitSettings::new()
        .initial_delay(delay)
        .max_delay(wait::MAX_DELAY)
        .max_wait(max_wait);
    let rule = wait::rule(w);
    let state = |r: &Value| rule.value(r).cloned().unwrap_or(Value::Null);
    let outcome = poll_until(
        &settings,
        || call(&client, a, &body, s.debug),
        |r| rule.state(r),
    )
    .await;
    match outcome {
        WaitOutcome::Reached(response) => show(&response, s.format, query.as_ref())
            .err()
            .unwrap_or(ExitCode::SUCCESS),
        WaitOutcome::Unreachable(response) => fail(
            wait::FAILED,
            format!(
                "{} is {}: {} cannot happen any more",
                wait::state_name(w),
                state(&response),
                w.name
            ),
        ),
        WaitOutcome::TimedOut { last, waited } => fail(
            wait::TIMED_OUT,
            format!(
                "gave up after {:.1} s: {} is still {}",
                waited.as_secs_f64(),
                wait::state_name(w),
                state(&last)
            ),
        ),
        WaitOutcome::Error(e) => call_failed(&e),
        _ => fail(1, "the wait ended in a way this ccc does not know"),
    }
}

/// tccli's `--waiter '{"expr": JMESPATH, "to": VALUE, "timeout": S, "interval": S}'`:
/// the call is repeated until what `expr` selects equals `to` (compared as
/// text, so `"to": "2"` matches the number 2).
async fn run_waiter(
    client: &Client,
    a: &ActionInfo,
    body: &Value,
    s: &Settings,
    spec: &str,
    query: Option<&Query>,
) -> Result<(), ExitCode> {
    let parsed: Value = serde_json::from_str(spec)
        .or_else(|_| serde_json::from_str(&spec.replace('\'', "\"")))
        .map_err(|_| {
            fail(
                2,
                "--waiter: not a JSON object such as {\"expr\": \"State\", \"to\": 2}",
            )
        })?;
    let expr = parsed
        .get("expr")
        .and_then(Value::as_str)
        .ok_or_else(|| fail(2, "--waiter: `expr` (a JMESPath expression) is missing"))?;
    let expr = Query::new(expr).map_err(|e| fail(2, format!("--waiter: {e}")))?;
    let to = parsed
        .get("to")
        .map(text_of)
        .ok_or_else(|| fail(2, "--waiter: `to` (the value to wait for) is missing"))?;
    let secs = |key: &str, default: f64| match parsed.get(key) {
        None => seconds(&default.to_string()),
        Some(v) => seconds(&text_of(v)),
    };
    let max_wait =
        secs("timeout", 180.0).map_err(|e| fail(2, format!("--waiter: timeout: {e}")))?;
    let interval =
        secs("interval", 5.0).map_err(|e| fail(2, format!("--waiter: interval: {e}")))?;
    let state = |r: &Value| match expr.apply(r) {
        Ok(v) if text_of(&v) == to => WaitState::Reached,
        _ => WaitState::Pending,
    };
    let settings = WaitSettings::new()
        .initial_delay(interval)
        .max_delay(wait::MAX_DELAY)
        .max_wait(max_wait);
    let outcome = poll_until(&settings, || call(client, a, body, s.debug), state).await;
    match outcome {
        WaitOutcome::Reached(response) => show(&response, s.format, query),
        WaitOutcome::Error(e) => Err(call_failed(&e)),
        // The state above is never unreachable: only the timeout ends it otherwise.
        other => {
            let (last, waited) = match &other {
                WaitOutcome::TimedOut { last, waited } => (Some(last), *waited),
                _ => (other.last_answer(), Duration::ZERO),
            };
            Err(fail(
                wait::TIMED_OUT,
                format!(
                    "gave up after {:.1} s: the expression gives {}, not {to}",
                    waited.as_secs_f64(),
                    last.and_then(|r| expr.apply(r).ok())
                        .map(|v| text_of(&v))
                        .unwrap_or_default()
                ),
            ))
        }
    }
}

/// A scalar as its text (strings unquoted), anything else as JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn configure(root: &ArgMatches, args: &ArgMatches) -> ExitCode {
    let pick = |m: &ArgMatches| m.try_get_one::<String>("profile").ok().flatten().cloned();
    let sub = args.subcommand();
    let name = sub
        .and_then(|(_, m)| pick(m))
        .or_else(|| pick(args))
        .or_else(|| pick(root))
        .unwrap_or_else(|| profile::DEFAULT_PROFILE.to_owned());
    if let Err(e) = profile::check_name(&name) {
        return fail(2, e);
    }
    let result: Result<(), ExitCode> = match sub {
        Some(("set", m)) => {
            let values: Vec<&String> = m
                .get_many::<String>("pairs")
                .into_iter()
                .flatten()
                .collect();
            if values.len() % 2 != 0 {
                return fail(2, "configure set takes KEY VALUE pairs");
            }
            let pairs: Vec<(String, String)> = values
                .chunks(2)
                .map(|c| (c[0].clone(), c[1].clone()))
                .collect();
            profile::set(&name, &pairs).map_err(|e| fail(3, e))
        }
        Some(("get", m)) => {
            let key = m.get_one::<String>("key").expect("required");
            match profile::get(&name, key) {
                Ok(Some(v)) => output::print(profile::masked(key, &v)),
                Ok(None) => Err(fail(1, format!("{key} is not set in profile {name}"))),
                Err(e) => Err(fail(3, e)),
            }
        }
        Some(("list", _)) => match profile::list(&name) {
            Ok(text) => output::print(text),
            Err(e) => Err(fail(3, e)),
        },
        Some(("profiles", _)) => match profile::profiles() {
            Ok(names) => output::print(names.join("\n")),
            Err(e) => Err(fail(3, e)),
        },
        _ => interactive(&name),
    };
    result.err().unwrap_or(ExitCode::SUCCESS)
}

/// `ccc configure`: asks for each value on stderr, reads answers from stdin;
/// an empty answer keeps the value.
fn interactive(name: &str) -> Result<(), ExitCode> {
    use std::io::{BufRead, Read};
    let mut pairs = Vec::new();
    // Four short answers: whatever stdin holds, read no more than this.
    let mut lines = std::io::stdin().lock().take(64 << 10).lines();
    for (key, prompt) in [
        ("secretId", "TencentCloud API secretId"),
        ("secretKey", "TencentCloud API secretKey"),
        ("region", "region"),
        ("output", "output (json, jsonl, text, table)"),
    ] {
        let current = profile::get(name, key).map_err(|e| fail(3, e))?;
        let shown = current
            .map(|v| profile::masked(key, &v))
            .unwrap_or_default();
        eprint!("{prompt} [{shown}]: ");
        let answer = match lines.next() {
            Some(Ok(line)) => line.trim().to_owned(),
            _ => String::new(),
        };
        if key == "output" && !answer.is_empty() && Format::parse(&answer).is_none() {
            return Err(fail(
                2,
                format!("output `{answer}` is not json, jsonl, text or table"),
            ));
        }
        if !answer.is_empty() {
            pairs.push((key.to_owned(), answer));
        }
    }
    eprintln!();
    profile::set(name, &pairs).map_err(|e| fail(3, e))
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

    #[test]
    fn scheme_less_endpoints_get_http_on_loopback_only() {
        let cases = [
            ("127.0.0.1:8787", "http://127.0.0.1:8787"),
            ("127.1.2.3:80", "http://127.1.2.3:80"),
            ("localhost:8787", "http://localhost:8787"),
            ("LOCALHOST", "http://LOCALHOST"),
            ("[::1]:8787", "http://[::1]:8787"),
            ("::1", "http://::1"),
            ("ccc.tencentcloudapi.com", "https://ccc.tencentcloudapi.com"),
            (
                "ccc.ap-singapore.tencentcloudapi.com:443",
                "https://ccc.ap-singapore.tencentcloudapi.com:443",
            ),
            ("10.0.0.1:8080", "https://10.0.0.1:8080"),
            ("localhost.example.com", "https://localhost.example.com"),
            ("http://10.0.0.1:80", "http://10.0.0.1:80"),
            ("https://127.0.0.1:1", "https://127.0.0.1:1"),
            (" 127.0.0.1:1/ ", "http://127.0.0.1:1/"),
        ];
        for (raw, url) in cases {
            assert_eq!(endpoint_url(raw), url, "{raw}");
        }
    }

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
