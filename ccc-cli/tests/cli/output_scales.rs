//! Every `--output` form prints a 16 MiB answer, and what it prints grows
//! with the answer as the answer grows (4 MiB against 16 MiB): linear, with
//! tables cut at the width of a screen. No clock is read: a quadratic form
//! shows as output out of proportion, or as a run that does not end.

use crate::common::{big_answer, ccc, command, run, text};

/// `ccc --output FORMAT` against a service answering `bytes` bytes, on a
/// screen of 80 columns: the bytes printed.
fn printed(url: &str, format: &str) -> Vec<u8> {
    let mut cmd = command();
    cmd.env("COLUMNS", "80")
        .args(["--endpoint", url, "--output", format])
        .args(["describe-numbers", "--sdk-app-id", "1"]);
    let out = run(cmd, None);
    assert!(out.status.success(), "{format}: {}", text(&out.stderr));
    out.stdout
}

#[test]
fn every_form_prints_a_16_mib_answer_in_proportion() {
    let small = big_answer::serve(big_answer::answer(4 << 20));
    let large = big_answer::serve(big_answer::answer(16 << 20));
    for format in ["json", "jsonl", "text", "table"] {
        let (s, l) = (printed(&small, format), printed(&large, format));
        let ratio = l.len() as f64 / s.len() as f64;
        assert!(
            (3.9..4.1).contains(&ratio),
            "{format}: {} then {} bytes",
            s.len(),
            l.len()
        );
        if format == "table" {
            // 8,192 rows, each one line of the screen's width, and the
            // 8 MiB string cut to one.
            let shown = text(&l);
            assert!(l.len() < 8192 * 3 * 90, "{} bytes", l.len());
            assert!(
                shown.contains("xxx…"),
                "the long cell is not cut with a marker"
            );
            let widest = shown
                .lines()
                .map(|line| line.chars().count())
                .max()
                .unwrap();
            assert!(widest <= 80, "a line of {widest} columns");
        } else {
            // Everything shown: text leaves out the names and the punctuation.
            assert!(l.len() > 15 << 20, "{format}: {} bytes", l.len());
        }
    }
}

#[test]
fn a_table_cell_is_cut_at_the_screen_width_whatever_its_length() {
    let url = big_answer::serve(serde_json::json!({"Note": "y".repeat(1 << 20)}));
    let out = ccc(
        &url,
        &["--output", "table", "describe-numbers", "--sdk-app-id", "1"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains('…'), "{shown}");
    assert!(shown.len() < 4096, "{} bytes", shown.len());
}
