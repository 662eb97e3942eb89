//! One subcommand per action, built from the spec table: typed flags from the
//! members, help from their docs, and the request body assembled from the flags
//! and `--cli-input-json`.

use ccc_emulator::spec_table::{ActionInfo, MemberInfo, ACTIONS};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};

/// The subcommands of every action.
pub fn commands() -> Vec<Command> {
    ACTIONS.iter().map(command).collect()
}

fn command(a: &'static ActionInfo) -> Command {
    let mut about = a.doc.to_owned();
    if a.china_only {
        about.push_str("\n\nDocumented only for the China site.");
    }
    let mut cmd = Command::new(a.command).about(a.summary).long_about(format!("{}\n\n{about}", a.summary)).arg(
        Arg::new("cli-input-json")
            .long("cli-input-json")
            .value_name("FILE|-")
            .help("The request's parameters as the JSON body, from a file or `-` for stdin; flags override its members"),
    );
    for m in a.input {
        cmd = cmd.arg(member_arg(m));
    }
    cmd
}

fn member_arg(m: &'static MemberInfo) -> Arg {
    let mut help = m.doc.to_owned();
    if !m.values.is_empty() {
        help.push_str(&format!(" [values: {}]", m.values.join(", ")));
    }
    let value_name = match m.kind {
        "json" => "JSON",
        "bool" => "true|false",
        "string" => "TEXT",
        _ => "NUMBER",
    };
    let mut help_head = format!(
        "[{}{}] ",
        m.spec_type,
        if m.required { ", required" } else { "" }
    );
    help_head.push_str(&help);
    Arg::new(m.flag)
        .long(m.flag)
        .value_name(value_name)
        .help(help_head)
        .action(ArgAction::Set)
}

/// The action of a subcommand name.
pub fn action_of(command: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.command == command)
}

/// The request body from `--cli-input-json` and the flags; the error is for the user.
pub fn body(
    a: &ActionInfo,
    matches: &ArgMatches,
    stdin: impl FnOnce() -> std::io::Result<String>,
) -> Result<Value, String> {
    let mut params = match matches.get_one::<String>("cli-input-json") {
        Some(source) => {
            let text = if source == "-" {
                stdin().map_err(|e| format!("cannot read stdin: {e}"))?
            } else {
                std::fs::read_to_string(source).map_err(|e| format!("cannot read {source}: {e}"))?
            };
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => map,
                Ok(_) => return Err("--cli-input-json must hold a JSON object".into()),
                Err(e) => return Err(format!("--cli-input-json is not valid JSON: {e}")),
            }
        }
        None => Map::new(),
    };
    for m in a.input {
        if let Some(raw) = matches.get_one::<String>(m.flag) {
            params.insert(m.name.to_owned(), parse(m, raw)?);
        }
    }
    let missing: Vec<String> = a
        .input
        .iter()
        .filter(|m| m.required && !params.contains_key(m.name))
        .map(|m| format!("--{}", m.flag))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "missing required {}: {}",
            if missing.len() == 1 { "flag" } else { "flags" },
            missing.join(", ")
        ));
    }
    Ok(Value::Object(params))
}

fn parse(m: &MemberInfo, raw: &str) -> Result<Value, String> {
    let bad = |what: &str| format!("--{}: `{raw}` is not {what}", m.flag);
    Ok(match m.kind {
        "string" => Value::String(raw.to_owned()),
        "int64" => Value::from(raw.trim().parse::<i64>().map_err(|_| bad("an integer"))?),
        "uint64" => Value::from(
            raw.trim()
                .parse::<u64>()
                .map_err(|_| bad("a non-negative integer"))?,
        ),
        // JSON has no NaN or infinity: `Value::from` would turn them into null.
        "float" => Value::from(
            raw.trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| bad("a finite number"))?,
        ),
        "bool" => Value::Bool(
            raw.trim()
                .parse::<bool>()
                .map_err(|_| bad("true or false"))?,
        ),
        _ => {
            serde_json::from_str(raw).map_err(|e| format!("--{}: not valid JSON ({e})", m.flag))?
        }
    })
}
