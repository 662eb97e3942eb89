//! `ccc mock serve` (the emulator until interrupted) and `ccc demo` (a walk
//! through the API against an in-process emulator).

use crate::output::{self, Format};
use crate::report;
use ccc_api::{Client, Credentials, SdkError};
use ccc_emulator::{Config, Emulator, FaultSpec, Faults, TEST_SECRET_ID, TEST_SECRET_KEY};
use clap::ArgMatches;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// The address to listen on: `HOST:PORT` with an IP or a host name (resolved;
/// an IPv4 address is preferred, as `localhost` usually means 127.0.0.1).
async fn resolve(addr: &str) -> Result<SocketAddr, String> {
    if let Ok(a) = addr.parse() {
        return Ok(a);
    }
    if addr
        .rsplit_once(':')
        .is_none_or(|(_, port)| port.parse::<u16>().is_err())
    {
        return Err(format!("`{addr}` is not HOST:PORT"));
    }
    let found: Vec<SocketAddr> = tokio::net::lookup_host(addr)
        .await
        .map_err(|e| format!("cannot resolve `{addr}`: {e}"))?
        .collect();
    found
        .iter()
        .find(|a| a.is_ipv4())
        .or(found.first())
        .copied()
        .ok_or_else(|| format!("`{addr}` resolves to no address"))
}

/// A clock speed: a number from 0 to the emulator's maximum.
pub fn clock_speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text.parse().map_err(|e| format!("{e}"))?;
    ccc_emulator::Clock::new(speed)
        .map(|_| speed)
        .map_err(|e| e.to_string())
}

pub async fn serve(args: &ArgMatches) -> ExitCode {
    let mut config = Config::default();
    if let Some(addr) = args.get_one::<String>("addr") {
        match resolve(addr).await {
            Ok(a) => config.addr = a,
            Err(e) => {
                output::eprint(format_args!("error: --addr: {e}"));
                return ExitCode::from(2);
            }
        }
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
    if let Some(file) = args.get_one::<String>("seed") {
        match ccc_emulator::Seed::from_file(std::path::Path::new(file)) {
            Ok(seed) => config.world = seed,
            Err(e) => {
                output::eprint(format_args!("error: {e}"));
                return ExitCode::from(3);
            }
        }
    }
    if let Some(speed) = args.get_one::<f64>("clock-speed") {
        config.clock_speed = *speed;
    }
    if args.get_one::<String>("site").map(String::as_str) == Some("china") {
        config.site = ccc_emulator::site::Site::China;
    }
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
    // Removed when `serve` returns: stopped by a signal, or failing.
    let mut trust_file = None;
    if let Some(pem) = emulator.certificate_pem() {
        let file = match TrustFile::write(emulator.addr().port(), pem) {
            Ok(f) => f,
            Err(e) => {
                output::eprint(format_args!(
                    "error: cannot write the authority's certificate: {e}"
                ));
                return ExitCode::from(4);
            }
        };
        announcement.push_str(&format!(
            "certificate authority made for this run (127.0.0.1, ::1, localhost), to trust: {}\n{pem}",
            file.path.display()
        ));
        trust_file = Some(file);
    }
    if test_pair {
        announcement.push_str(&format!(
            "test key pair (valid only here):\n  export TENCENTCLOUD_SECRET_ID={TEST_SECRET_ID}\n  export TENCENTCLOUD_SECRET_KEY={TEST_SECRET_KEY}\n"
        ));
    }
    announcement.push_str(&try_line(
        &emulator.url(),
        trust_file.as_ref().map(|f| f.path.as_path()),
        test_pair,
    ));
    let _ = output::print(announcement);
    let code = tokio::select! {
        _ = emulator.run_forever() => ExitCode::from(4),
        () = stop_signal() => ExitCode::SUCCESS,
    };
    drop(trust_file);
    code
}

/// A command to paste into a POSIX shell as it is: this program as it was
/// started, the test key pair when the emulator takes it (public, valid only
/// here), the endpoint, and the authority to trust with `--tls`.
fn try_line(url: &str, ca_file: Option<&Path>, test_pair: bool) -> String {
    let program = std::env::args_os()
        .next()
        .map(|p| shell_word(&p.to_string_lossy()))
        .unwrap_or_else(|| "ccc".to_owned());
    let mut line = String::from("try: ");
    if test_pair {
        line.push_str(&format!(
            "TENCENTCLOUD_SECRET_ID={TEST_SECRET_ID} TENCENTCLOUD_SECRET_KEY={TEST_SECRET_KEY} "
        ));
    }
    line.push_str(&format!("{program} --endpoint {url}"));
    if let Some(path) = ca_file {
        line.push_str(&format!(
            " --ca-file {}",
            shell_word(&path.to_string_lossy())
        ));
    }
    line.push_str(" describe-numbers --sdk-app-id 1400000000");
    line
}

/// `word` as one word of a POSIX shell: as it is when it has nothing the
/// shell would read, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Resolves on Ctrl-C (SIGINT), and on Unix on SIGTERM and SIGHUP too: the
/// ways a server is stopped, after which its files are removed.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut term), Ok(mut hangup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hangup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The authority's certificate in the temporary directory, for clients to
/// trust, removed when dropped. Created new (never following or replacing a
/// file already there), named by port and process so that servers running
/// side by side do not meet.
struct TrustFile {
    path: PathBuf,
}

impl TrustFile {
    fn write(port: u16, pem: &str) -> std::io::Result<TrustFile> {
        let path =
            std::env::temp_dir().join(format!("ccc-emulator-{port}-{}-ca.pem", std::process::id()));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        // From here on, a failed write removes the file too.
        let trust = TrustFile { path };
        std::io::Write::write_all(&mut file, pem.as_bytes())?;
        Ok(trust)
    }
}

impl Drop for TrustFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
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
pub async fn demo() -> ExitCode {
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
        say("$ ccc create-auto-callout-task --sdk-app-id 1400000000 --not-before 0 --ivr-id 2 --callers '[\"0086075586013388\"]' --callees '[\"008613900000001\",\"008613900000002\"]' --name reminders")?;
        let created = client
            .create_auto_callout_task()
            .sdk_app_id(1400000000)
            .not_before(0)
            .ivr_id(2)
            .callers(vec!["0086075586013388"])
            .callees(vec!["008613900000001", "008613900000002"])
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
