//! `ccc help`, `ccc help --detail` and `ccc help ACTION`, laid out as tccli's
//! `tccli ccc help` (USAGE, OPTIONS, AVAILABLE ACTIONS), and the exit codes.
//! tccli's `tccli ccc ACTION help` form is taken too: `ccc ACTION help`.

use ccc_spec::ACTIONS;
use clap::{Arg, ArgAction, Command};
use std::ffi::OsString;

/// The exit codes, in `ccc help` and `ccc --help`.
pub const EXIT_CODES: &str = "Exit codes:
  0    success
  1    service error (the answer's Error: code, message, request id on stderr)
  2    usage: unknown flag, missing or malformed value
  3    credentials or configuration
  4    transport: connection, TLS, timeout
  5    undecodable answer
  6    `ccc wait`: the resource reached a state from which the awaited one cannot come
  7    `ccc wait`, `--waiter`: the wait passed its limit first
  141  (quietly) the reader of stdout went away
tccli ends with 255 on every failure and 252 on a usage error; ccc keeps
distinct codes so that a script can tell a failure worth retrying (4) from a
refusal (1) or a mistake (2, 3). A script written for tccli that tests for
success (0) or failure (not 0) reads ccc alike.";

/// The `help` subcommand.
pub fn command() -> Command {
    Command::new("help")
        .about("Print the actions (tccli's `help`); `--detail` with each one's summary; `help ACTION` one action's help")
        .arg(Arg::new("action").value_name("ACTION").help("An action (`describe-numbers` or `DescribeNumbers`)"))
        .arg(
            Arg::new("detail")
                .long("detail")
                .action(ArgAction::SetTrue)
                .help("Each action with its summary"),
        )
}

/// tccli's `ACTION help [--detail]` as `help ACTION [--detail]`.
pub fn reorder(mut args: Vec<OsString>) -> Vec<OsString> {
    let at = args.iter().position(|a| {
        a.to_str()
            .is_some_and(|a| ACTIONS.iter().any(|x| x.command == a || x.name == a))
    });
    if let Some(at) = at {
        if args.get(at + 1).is_some_and(|a| a == "help") {
            args.remove(at + 1);
            args.insert(at, "help".into());
        }
    }
    args
}

/// The text of `ccc help`, or with `detail` of `ccc help --detail`.
pub fn overview(detail: bool) -> String {
    let mut out = format!(
        "USAGE\n    ccc [options] <action> [--param...]\n\n\
         OPTIONS\n    help        | show this help (help ACTION: one action's)\n    \
         --version   | show the version of ccc\n    \
         --help      | the options of ccc (ACTION --help: of an action)\n\n\
         AVAILABLE VERSIONS\n    {}  (the one this ccc speaks)\n\n\
         AVAILABLE ACTIONS\n",
        ccc_api::VERSION
    );
    if detail {
        for a in ACTIONS {
            out.push_str(&format!(
                "    {} ({})\n    {}\n\n",
                a.name, a.command, a.summary
            ));
        }
    } else {
        let mut line = String::from("   ");
        for a in ACTIONS {
            let word = format!(" <{}>", a.name);
            if line.len() + word.len() > 100 {
                out.push_str(&line);
                out.push('\n');
                line = String::from("   ");
            }
            line.push_str(&word);
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out.push_str(
        "OTHER COMMANDS\n    wait, configure, mock serve, demo, completions (ccc COMMAND --help)\n\n",
    );
    out.push_str(EXIT_CODES);
    if !detail {
        out.push_str("\n\nUse `ccc help --detail` to see more information.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tccli_action_help_form_is_reordered() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            reorder(args(&["ccc", "DescribeNumbers", "help", "--detail"])),
            args(&["ccc", "help", "DescribeNumbers", "--detail"])
        );
        let plain = args(&["ccc", "create-staff", "--name", "help"]);
        assert_eq!(reorder(plain.clone()), plain);
    }
}
