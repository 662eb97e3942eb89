//! `ccc configure`: tccli's profile files, read and written in its format.

use crate::output::{self, Format};
use crate::{fail, profile};
use clap::{Arg, ArgMatches, Command};
use std::process::ExitCode;

pub fn configure_command() -> Command {
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

pub fn configure(root: &ArgMatches, args: &ArgMatches) -> ExitCode {
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
