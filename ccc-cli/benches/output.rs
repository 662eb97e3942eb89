//! Time and peak memory of `ccc --output FORMAT` printing large answers (1, 4
//! and 16 MiB by default; `BENCH_SIZES_MIB=1,2,4` to choose), each against
//! the 1 MiB run: linear work shows as time ratios near the size ratios.
//!
//! `cargo bench -p ccc-cli --bench output` (release). `CCC_BIN=path` measures
//! another build of `ccc` (an older one, say); `BENCH_WORD` makes the
//! answer's long string of that word repeated (default `x`, one word; `"lorem "`
//! has a space the table crate splits at); `BENCH_LIMIT_S` (default 60)
//! ends a run that takes longer. Peak memory comes from `/usr/bin/time` when
//! there is one. Output goes to a pipe, as in `ccc ... | jq`.

// Shared with the tests, which use all of it.
#[allow(dead_code)]
#[path = "../tests/common/big_answer.rs"]
mod big_answer;

use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let bin = std::env::var("CCC_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ccc").to_owned());
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES_MIB")
        .unwrap_or_else(|_| "1,4,16".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let limit = std::env::var("BENCH_LIMIT_S").unwrap_or_else(|_| "60".into());
    let word = std::env::var("BENCH_WORD").unwrap_or_else(|_| "x".into());
    let time = std::path::Path::new("/usr/bin/time").exists();
    println!("{bin}");
    println!(
        "{:<6} {:>5} {:>9} {:>7} {:>10} {:>11}",
        "format", "MiB", "seconds", "ratio", "peak MiB", "output MiB"
    );
    let urls: Vec<String> = sizes
        .iter()
        .map(|mib| big_answer::serve(big_answer::answer_of(mib << 20, &word)))
        .collect();
    for format in ["json", "jsonl", "text", "table"] {
        let mut first: Option<f64> = None;
        for (mib, url) in sizes.iter().zip(&urls) {
            let mut cmd = Command::new("timeout");
            cmd.args(["-s", "KILL", &limit]);
            if time {
                cmd.args(["/usr/bin/time", "-f", "%M"]);
            }
            cmd.arg(&bin)
                .args([
                    "--endpoint",
                    url,
                    "--output",
                    format,
                    "describe-numbers",
                    "--sdk-app-id",
                    "1",
                ])
                .env(
                    "TENCENTCLOUD_SECRET_ID",
                    "AKIDEMULATOR000000000000000000000000",
                )
                .env(
                    "TENCENTCLOUD_SECRET_KEY",
                    "EMULATORSECRETKEY000000000000000",
                )
                .env("COLUMNS", "120")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let start = Instant::now();
            let out = cmd.output().expect("run ccc");
            let secs = start.elapsed().as_secs_f64();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                let why = stderr
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("killed at the limit");
                println!("{format:<6} {mib:>5} {secs:>9.2}  failed: {why}");
                continue;
            }
            let peak = stderr
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<f64>().ok())
                .map_or("-".to_owned(), |kib| format!("{:.0}", kib / 1024.0));
            let ratio = secs / *first.get_or_insert(secs);
            let printed = out.stdout.len() as f64 / (1 << 20) as f64;
            println!("{format:<6} {mib:>5} {secs:>9.2} {ratio:>7.1} {peak:>10} {printed:>11.1}");
        }
    }
}
