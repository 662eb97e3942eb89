//! One subcommand per action, built from the spec table (`ccc-spec`): typed flags
//! from the members, help from their docs (nested types and the response's
//! fields included), the request body assembled from the flags and
//! `--cli-input-json`, and request templates (`--generate-cli-skeleton`).

use crate::paging;
use ccc_spec::{type_info, ActionInfo, MemberInfo, ACTIONS};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};
use std::io::Read;

/// Nested types deeper than this are not expanded (in help and templates): the
/// spec's deepest nesting is far less, and a cycle must end somewhere.
const MAX_DEPTH: usize = 6;

/// Most bytes `--cli-input-json` reads: far above any request the service
/// accepts, and a bound whatever the file or pipe holds.
const MAX_INPUT: u64 = 16 << 20;

/// Help heading of the action's own parameters.
pub const PARAMETERS: &str = "Parameters";
/// Help heading of the options about input and output of one call.
pub const INPUT_OUTPUT: &str = "Input and output";

/// The subcommands of every action; `global` adds the client's options.
pub fn commands(global: &[Arg]) -> Vec<Command> {
    ACTIONS.iter().map(|a| command(a, global)).collect()
}

fn command(a: &'static ActionInfo, global: &[Arg]) -> Command {
    let mut about = a.doc.to_owned();
    if a.china_only {
        about.push_str("\n\nDocumented only for the China site.");
    }
    let mut cmd = Command::new(a.command)
        // tccli's form: the action's wire name (`DescribeAutoCalloutTask`).
        .alias(a.name)
        .about(a.summary)
        .long_about(format!("{}\n\n{about}", a.summary))
        .allow_negative_numbers(true)
        .override_usage(usage(a.command, a))
        .after_help(types_help(a))
        .next_help_heading(PARAMETERS);
    for m in a.input {
        cmd = cmd.arg(member_arg(m, paging::default_of(a, m)));
    }
    cmd = cmd.next_help_heading(INPUT_OUTPUT).args(io_args(a));
    cmd.args(global.iter().cloned())
}

/// The usage line: the command with its required flags, then the rest.
pub fn usage(command: &str, a: &ActionInfo) -> String {
    let mut line = format!("ccc {command}");
    for m in a.input.iter().filter(|m| needed(a, m)) {
        line.push_str(&format!(" --{} <{}>", m.flag, value_name(m)));
    }
    line.push_str(" [OPTIONS]");
    line
}

fn io_args(a: &ActionInfo) -> Vec<Arg> {
    let mut args = vec![
        Arg::new("cli-input-json")
            .long("cli-input-json")
            .value_name("JSON|file://PATH|PATH|-")
            .help("The request's parameters as its JSON body: inline, from a file (`file://request.json` or a path) or `-` for stdin; flags override its members"),
        Arg::new("generate-cli-skeleton")
            .long("generate-cli-skeleton")
            .value_name("input|output")
            .num_args(0..=1)
            .default_missing_value("input")
            .value_parser(["input", "output"])
            .help("Print a template of the request (every member, nested types included; `--cli-input-json` takes it back) or of the response, and exit"),
        query_arg(),
        Arg::new("cli-unfold-argument")
            .long("cli-unfold-argument")
            .action(ArgAction::SetTrue)
            .help("tccli's form of nested members, one value a flag: `--Staffs.0.Mail a@b.c --Staffs.0.StaffNumber 7`; a list of scalars takes every value up to the next flag (`--Callees 0086... 0086...`)"),
        Arg::new("waiter")
            .long("waiter")
            .value_name("JSON")
            .help("tccli's waiter: repeat the call until `expr` (JMESPath) gives `to`: {\"expr\": \"State\", \"to\": 2, \"timeout\": 180, \"interval\": 5}; exit 7 when the timeout passes first"),
    ];
    if let Some(p) = a.pagination {
        args.push(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help(format!(
                    "Follow every page (by `{}`, {} items a page unless `--{}` says otherwise) and print one merged answer; with `--output jsonl` or `text`, print the items as the pages arrive",
                    p.page,
                    p.max_size,
                    flag_of(a, p.size).unwrap_or("page-size")
                )),
        );
    }
    args
}

/// `--query` (`--filter` in tccli).
pub fn query_arg() -> Arg {
    Arg::new("query")
        .long("query")
        .visible_alias("filter")
        .value_name("JMESPATH")
        .help("Print only what this JMESPath expression selects from the response (`--filter` in tccli)")
}

/// The flag of the input member `name`.
pub fn flag_of(a: &ActionInfo, name: &str) -> Option<&'static str> {
    a.input.iter().find(|m| m.name == name).map(|m| m.flag)
}

fn value_name(m: &MemberInfo) -> &'static str {
    match m.kind {
        "json" => "JSON",
        "bool" => "true|false",
        "string" => "TEXT",
        _ => "NUMBER",
    }
}

/// The flag of one member; its wire name (`--SdkAppId`, tccli's form) is an
/// alias. `default`: the value the paginator gives a required member left out.
pub fn member_arg(m: &'static MemberInfo, default: Option<u64>) -> Arg {
    let presence = match default {
        Some(v) if m.required => format!(", default {v}"),
        _ if m.required => ", required".to_owned(),
        _ => String::new(),
    };
    let mut help = format!("[{}{presence}] {}", m.spec_type, m.doc);
    if !m.values.is_empty() {
        help.push_str(&format!(" [values: {}]", m.values.join(", ")));
    }
    if let Some(object) = m.object {
        help.push_str(&format!(" (members of {object}: see below)"));
    }
    let mut arg = Arg::new(m.flag)
        .long(m.flag)
        .value_name(value_name(m))
        .help(help)
        .action(ArgAction::Set)
        .allow_negative_numbers(true);
    if m.name != m.flag {
        arg = arg.alias(m.name);
    }
    arg
}

/// The members of every nested type the action's input uses, then the
/// response's fields (and theirs).
fn types_help(a: &ActionInfo) -> String {
    let mut out = String::new();
    let mut seen = Vec::new();
    let mut types = String::new();
    for m in a.input {
        describe_type(m.object, 1, false, &mut seen, &mut types);
    }
    if !types.is_empty() {
        out.push_str("Types of the parameters:\n");
        out.push_str(&types);
        out.push('\n');
    }
    out.push_str("Response:\n");
    for m in a.output {
        out.push_str(&field_line(m, 1, true));
    }
    out.push_str("  RequestId  string, always\n");
    let mut nested = String::new();
    for m in a.output {
        describe_type(m.object, 1, true, &mut seen, &mut nested);
    }
    if !nested.is_empty() {
        out.push_str("\nTypes of the response:\n");
        out.push_str(&nested);
    }
    out.trim_end().to_owned()
}

/// One member: name, type, and `required` (in a request) or `always` (in an
/// answer: present and not null).
fn field_line(m: &MemberInfo, indent: usize, answer: bool) -> String {
    let pad = "  ".repeat(indent);
    let presence = match (m.required, answer) {
        (false, _) => "",
        (true, false) => ", required",
        (true, true) => ", always",
    };
    let mut line = format!("{pad}{}  {}{presence}", m.name, m.spec_type);
    if !m.values.is_empty() {
        line.push_str(&format!(" [values: {}]", m.values.join(", ")));
    }
    let summary = first_sentence(m.doc);
    if !summary.is_empty() {
        line.push_str(&format!("  — {summary}"));
    }
    line.push('\n');
    line
}

fn first_sentence(doc: &str) -> &str {
    let line = doc.lines().next().unwrap_or("").trim();
    match line.find(". ") {
        Some(i) => &line[..=i],
        None => line,
    }
}

/// `Name:` and one line per member, then the types those members use, each once.
fn describe_type(
    name: Option<&str>,
    depth: usize,
    answer: bool,
    seen: &mut Vec<String>,
    out: &mut String,
) {
    let Some(info) = name.and_then(type_info) else {
        return;
    };
    if depth > MAX_DEPTH || seen.iter().any(|s| s == info.name) {
        return;
    }
    seen.push(info.name.to_owned());
    out.push_str(&format!("  {}:\n", info.name));
    for f in info.fields {
        out.push_str(&field_line(f, 2, answer));
    }
    for f in info.fields {
        describe_type(f.object, depth + 1, answer, seen, out);
    }
}

/// The action of a subcommand name.
pub fn action_of(command: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.command == command)
}

/// A template of the members: each with a value of its type (nested objects
/// filled in, lists with one element), which `--cli-input-json` accepts back.
pub fn skeleton(members: &[MemberInfo]) -> Value {
    skeleton_of(members, 0)
}

fn skeleton_of(members: &[MemberInfo], depth: usize) -> Value {
    let mut out = Map::new();
    for m in members {
        out.insert(m.name.to_owned(), template(m, m.spec_type, depth));
    }
    Value::Object(out)
}

fn template(m: &MemberInfo, spec_type: &str, depth: usize) -> Value {
    if let Some(inner) = spec_type
        .strip_prefix("list<")
        .and_then(|t| t.strip_suffix('>'))
    {
        return Value::Array(vec![template(m, inner, depth)]);
    }
    if let Some(first) = m.values.first() {
        return match m.element {
            "string" => Value::String((*first).to_owned()),
            _ => first.parse::<i64>().map(Value::from).unwrap_or(Value::Null),
        };
    }
    match spec_type {
        "string" => Value::String(String::new()),
        "int64" | "uint64" => Value::from(0),
        "float" => Value::from(0.0),
        "bool" => Value::Bool(false),
        other => match type_info(other) {
            Some(t) if depth < MAX_DEPTH => skeleton_of(t.fields, depth + 1),
            _ => Value::Object(Map::new()),
        },
    }
}

/// Reads `--cli-input-json`'s value: inline JSON, `file://PATH`, a path, or `-`.
fn read_input(
    source: &str,
    stdin: impl FnOnce() -> std::io::Result<String>,
) -> Result<String, String> {
    let trimmed = source.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Ok(source.to_owned());
    }
    if source == "-" {
        return stdin().map_err(|e| format!("--cli-input-json: cannot read stdin: {e}"));
    }
    let path = source.strip_prefix("file://").unwrap_or(source);
    let file = std::fs::File::open(path)
        .map_err(|e| format!("--cli-input-json: cannot read {path}: {e}"))?;
    let mut text = String::new();
    file.take(MAX_INPUT + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("--cli-input-json: cannot read {path}: {e}"))?;
    if text.len() as u64 > MAX_INPUT {
        return Err(format!(
            "--cli-input-json: {path} is larger than {} MiB",
            MAX_INPUT >> 20
        ));
    }
    Ok(text)
}

/// Reads at most [`MAX_INPUT`] bytes of stdin.
pub fn read_stdin() -> std::io::Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_INPUT + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_INPUT {
        return Err(std::io::Error::other(format!(
            "more than {} MiB",
            MAX_INPUT >> 20
        )));
    }
    Ok(text)
}

/// The request body from `--cli-input-json` and the flags; the error is for the user.
/// `unfolded`: the members given by `--cli-unfold-argument`'s dotted flags,
/// between `--cli-input-json` (which they override) and the other flags.
pub fn body(
    a: &ActionInfo,
    matches: &ArgMatches,
    stdin: impl FnOnce() -> std::io::Result<String>,
    unfolded: Map<String, Value>,
) -> Result<Value, String> {
    let mut params = match matches.get_one::<String>("cli-input-json") {
        Some(source) => match serde_json::from_str::<Value>(&read_input(source, stdin)?) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err("--cli-input-json must hold a JSON object".into()),
            Err(e) => return Err(format!("--cli-input-json is not valid JSON: {e}")),
        },
        None => Map::new(),
    };
    params.extend(unfolded);
    flags_into(a.input, matches, &mut params)?;
    missing(a, &params)?;
    Ok(Value::Object(params))
}

/// Refuses `params` when a required member is missing, other than those the
/// paginator sets (see [`crate::paging::default_of`]).
pub fn missing(a: &ActionInfo, params: &Map<String, Value>) -> Result<(), String> {
    let missing: Vec<String> = a
        .input
        .iter()
        .filter(|m| needed(a, m) && !params.contains_key(m.name))
        .map(|m| format!("--{}", m.flag))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "missing required {}: {}",
        if missing.len() == 1 { "flag" } else { "flags" },
        missing.join(", ")
    ))
}

/// Whether the command line must give member `m`.
fn needed(a: &ActionInfo, m: &MemberInfo) -> bool {
    m.required && paging::default_of(a, m).is_none()
}

/// Puts the members given as flags into `params`.
pub fn flags_into(
    members: &[MemberInfo],
    matches: &ArgMatches,
    params: &mut Map<String, Value>,
) -> Result<(), String> {
    for m in members {
        if let Some(raw) = matches.get_one::<String>(m.flag) {
            params.insert(m.name.to_owned(), parse(m, raw)?);
        }
    }
    Ok(())
}

fn parse(m: &MemberInfo, raw: &str) -> Result<Value, String> {
    match m.kind {
        "json" => {
            serde_json::from_str(raw).map_err(|e| format!("--{}: not valid JSON ({e})", m.flag))
        }
        kind => scalar(kind, raw, &format!("--{}", m.flag)),
    }
}

/// `raw` as a scalar of the spec kind `kind` (`string` for any other), as
/// tccli reads values: a bool is `true`, `t` or `1`, `false`, `f` or `0`
/// (any case). `flag` names it in the error.
pub fn scalar(kind: &str, raw: &str, flag: &str) -> Result<Value, String> {
    let bad = |what: &str| format!("{flag}: `{raw}` is not {what}");
    Ok(match kind {
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
        "bool" => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "t" | "1" => Value::Bool(true),
            "false" | "f" | "0" => Value::Bool(false),
            _ => return Err(bad("true or false")),
        },
        _ => Value::String(raw.to_owned()),
    })
}

/// `value` with the members the spec marks sensitive replaced by `"***"`, at
/// any depth (for `--debug`).
pub fn redacted(members: &[MemberInfo], value: &Value) -> Value {
    redact_with(members, value, 0)
}

fn redact_with(members: &[MemberInfo], value: &Value, depth: usize) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let member = members.iter().find(|m| m.name == k);
                    let shown = match member {
                        Some(m) if m.sensitive => Value::String("***".into()),
                        Some(m) => match m.object.and_then(type_info) {
                            Some(t) if depth < MAX_DEPTH => redact_with(t.fields, v, depth + 1),
                            _ => v.clone(),
                        },
                        // Unknown to the spec: redact by name, as the library does.
                        None if looks_secret(k) => Value::String("***".into()),
                        None => v.clone(),
                    };
                    (k.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| redact_with(members, v, depth))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn looks_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "key",
        "secret",
        "token",
        "password",
        "signature",
        "credential",
    ]
    .iter()
    .any(|w| lower.contains(w))
}
