//! The decode path of a `DescribeTelCdr` page against serde itself, measured
//! in one run: pages of 10 and 1,000 call records built from the spec's example
//! record (every member present, values varied per record), decoded
//!
//! - `serde`: `serde_json::from_slice` straight into `{"Response": T}` with the
//!   generated `DescribeTelCdrResponse` — what decoding cost before this crate
//!   had its own decode path, and the floor the client's path is held to;
//! - `client`: `ccc_api::decode_response` (envelope check, typed decode,
//!   deviation count), given the body by value as the client gives it;
//! - `value`: `serde_json::from_slice::<serde_json::Value>`, what reading the
//!   answer untyped costs (the 1,000-record page is held to 0.6× of it).
//!
//! The 250-byte `DescribeAutoCalloutTask` answer of the signing bench is
//! measured the same way.
//!
//! Each round runs every path in turn (interleaved, so a busy machine slows
//! both alike); the medians over rounds are printed with their ratios. A
//! counting allocator then reports, for one decode of each page, the peak of
//! live bytes during the decode against the body plus what the decode left
//! live (a `realloc` counts old and new block as live at once, as a copy
//! needs them).
//!
//! `cargo bench -p ccc-api --bench decode`

use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskRequest, DescribeAutoCalloutTaskResponse,
};
use ccc_api::operation::describe_tel_cdr::{DescribeTelCdrRequest, DescribeTelCdrResponse};
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grow(by: usize) {
    let now = LIVE.fetch_add(by as isize, Relaxed) + by as isize;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Old and new block at once, then the old one goes.
        grow(new_size);
        LIVE.fetch_sub(layout.size() as isize, Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[derive(serde::Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    _response: T,
}

/// The example record of `TelCdrInfo` from the spec, with the members the
/// example leaves out added, so that every member is present.
fn example_record() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/ccc/2020-02-10/actions/DescribeTelCdr.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the bench reads the spec from the repository: {path}: {e}"));
    let spec: Value = serde_json::from_str(&text).expect("spec JSON");
    let output = spec["output"].as_array().expect("output members");
    let list = output
        .iter()
        .find(|m| m["name"] == "TelCdrList")
        .expect("TelCdrList");
    let mut record = list["example"][0].clone();
    let extra = json!({
        "AIAgentId": 1001,
        "AIAgentName": "aftersales",
        "SysHangupReason": 0,
        "SysHangupReasonString": "",
        "PostIVRKeyPressedEx": [],
    });
    for (k, v) in extra.as_object().unwrap() {
        record[k] = v.clone();
    }
    record["SeatUser"]["Role"] = json!(1);
    record["SeatUser"]["ExtensionNumber"] = json!("8001");
    record
}

/// A page of `n` records: the example with ids, numbers, times and names
/// varied per record (same shape and about the same length).
fn page(n: usize) -> Vec<u8> {
    let base = example_record();
    let records: Vec<Value> = (0..n)
        .map(|i| {
            let mut r = base.clone();
            let t = 1_729_756_291 + 37 * i as i64;
            r["Time"] = json!(t);
            r["StartTimestamp"] = json!(t);
            r["RingTimestamp"] = json!(t + 15);
            r["AcceptTimestamp"] = json!(t + 16 + (i % 7) as i64);
            r["EndedTimestamp"] = json!(t + 24 + (i % 300) as i64);
            r["Duration"] = json!(8 + (i % 300));
            r["Caller"] = json!(format!("0086075{:08}", 10_000_000 + i * 7919 % 90_000_000));
            r["Callee"] = json!(format!(
                "0086020{:08}",
                20_000_000 + i * 104_729 % 80_000_000
            ));
            let id = format!(
                "e9fdbff5-2e35-4480-83f7-{:012x}",
                0x8191_7e72_3fa5u64 + i as u64
            );
            r["RecordId"] = json!(id);
            r["SessionId"] = json!(format!(
                "0955de87-c86d-4457-aac2-{:012x}",
                0xbee3_d0a0_b67au64 + i as u64
            ));
            r["SeatUser"]["Name"] = json!(format!("坐席{}", i % 50));
            r["SeatUser"]["StaffNumber"] = json!(format!("{}", 20_000 + i % 50));
            r["Direction"] = json!(i % 2);
            r
        })
        .collect();
    let answer = json!({"Response": {
        "TotalCount": n,
        "TelCdrs": [],
        "TelCdrList": records,
        "RequestId": "d5c9e3e0-0b5a-4d7e-8a6c-0c1f6f0d9a3b",
    }});
    serde_json::to_vec(&answer).unwrap()
}

fn serde_decode(body: &[u8]) -> Envelope<DescribeTelCdrResponse> {
    serde_json::from_slice(body).unwrap()
}

fn client_decode(body: Vec<u8>) -> DescribeTelCdrResponse {
    ccc_api::decode_response::<DescribeTelCdrRequest>(200, body).unwrap()
}

/// Median of `samples`.
fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Times the three paths on `body`, interleaved: `rounds` rounds of `iters`
/// decodes each. Each decode gets its own copy of the body, made before the
/// clock starts, and lets go of it when done (the client's path takes it by
/// value and frees it; the others free it after parsing, as their caller
/// would); the decoded values are dropped after the clock stops. Medians of
/// serde, client, value.
fn time_paths<S, C>(
    body: &[u8],
    rounds: usize,
    iters: usize,
    serde_decode: impl Fn(&[u8]) -> S,
    client_decode: impl Fn(Vec<u8>) -> C,
) -> [Duration; 3] {
    let mut times: [Vec<Duration>; 3] = Default::default();
    let mut copies: Vec<Vec<u8>> = Vec::with_capacity(iters);
    let mut serde_out = Vec::with_capacity(iters);
    let mut client_out = Vec::with_capacity(iters);
    let mut value_out = Vec::with_capacity(iters);
    for _ in 0..rounds {
        copies.extend((0..iters).map(|_| body.to_vec()));
        let start = Instant::now();
        for copy in copies.drain(..) {
            serde_out.push(serde_decode(black_box(&copy)));
        }
        times[0].push(start.elapsed() / iters as u32);
        serde_out.clear();

        copies.extend((0..iters).map(|_| body.to_vec()));
        let start = Instant::now();
        for copy in copies.drain(..) {
            client_out.push(client_decode(black_box(copy)));
        }
        times[1].push(start.elapsed() / iters as u32);
        client_out.clear();

        copies.extend((0..iters).map(|_| body.to_vec()));
        let start = Instant::now();
        for copy in copies.drain(..) {
            value_out.push(serde_json::from_slice::<Value>(black_box(&copy)).unwrap());
        }
        times[2].push(start.elapsed() / iters as u32);
        value_out.clear();
    }
    times.map(|mut t| median(&mut t))
}

/// The 250-byte answer of `DescribeAutoCalloutTask` (the signing bench's).
const SMALL: &[u8] = br#"{"Response":{"IvrId":1,"Name":"foobar","NotBefore":1729905740,"NotAfter":1729905750,"State":1,"Callers":["008610086"],"RequestId":"foobar","Callees":[{"State":1,"Callee":"foobar","Sessions":["foobar"]}],"Description":"foobar"}}"#;

fn print_times(what: &str, len: usize, [serde_t, client_t, value_t]: [Duration; 3]) {
    let mb_s = |t: Duration| len as f64 / t.as_secs_f64() / 1e6;
    let us = |t: Duration| t.as_secs_f64() * 1e6;
    println!(
        "{what}, {len} bytes: serde {:>9.2} µs ({:.0} MB/s), client {:>9.2} µs ({:.0} MB/s), Value {:>9.2} µs; client/serde = {:.3}, client/Value = {:.3}",
        us(serde_t),
        mb_s(serde_t),
        us(client_t),
        mb_s(client_t),
        us(value_t),
        client_t.as_secs_f64() / serde_t.as_secs_f64(),
        client_t.as_secs_f64() / value_t.as_secs_f64(),
    );
}

/// For one decode whose input body is `body` bytes: the peak of live bytes
/// during the decode and the body plus what the decode left live, both
/// counted from what was live before the body existed.
fn peak_and_bound<T>(
    body: &[u8],
    given_away: bool,
    decode: impl FnOnce(Vec<u8>) -> T,
) -> (isize, isize) {
    let copy = body.to_vec();
    let len = copy.len() as isize;
    let before = LIVE.load(Relaxed) - len;
    PEAK.store(before + len, Relaxed);
    let out = decode(copy);
    let after = LIVE.load(Relaxed);
    let peak = PEAK.load(Relaxed) - before;
    // Records retained: what is live now above `before`, less the body if the
    // caller still holds it.
    let records = after - before - if given_away { 0 } else { len };
    drop(out);
    (peak, len + records)
}

fn main() {
    // `cargo bench` passes `--bench`; any other run (`cargo test --benches`)
    // checks that the bench runs at all, briefly.
    let quick = !std::env::args().any(|a| a == "--bench");
    println!("decode of a DescribeTelCdr page: serde straight into the type vs the client's path");
    let small = |rounds, iters| {
        let (rounds, iters) = if quick { (3, 2) } else { (rounds, iters) };
        let serde = |b: &[u8]| {
            serde_json::from_slice::<Envelope<DescribeAutoCalloutTaskResponse>>(b).unwrap()
        };
        let client = |b: Vec<u8>| {
            ccc_api::decode_response::<DescribeAutoCalloutTaskRequest>(200, b).unwrap()
        };
        time_paths(SMALL, 2, iters.min(4), serde, client);
        time_paths(SMALL, rounds, iters, serde, client)
    };
    print_times(
        "DescribeAutoCalloutTask answer",
        SMALL.len(),
        small(41, 4000),
    );
    for (n, rounds, iters) in [(10, 41, 400), (1000, 31, 8)] {
        let body = page(n);
        let (rounds, iters) = if quick { (3, 2) } else { (rounds, iters) };
        // Warm up (allocator, caches).
        time_paths(&body, 2, iters.min(4), serde_decode, client_decode);
        let times = time_paths(&body, rounds, iters, serde_decode, client_decode);
        let what = format!("{n:>5} records ({} bytes per record)", body.len() / n);
        print_times(&what, body.len(), times);
    }
    println!("peak live bytes during one decode vs body + what the decode left live:");
    for n in [10, 1000] {
        let body = page(n);
        let record = std::mem::size_of::<ccc_api::types::TelCdrInfo>();
        let (sp, sb) = peak_and_bound(&body, false, |b| {
            let page = serde_decode(&b);
            (b, page)
        });
        let (cp, cb) = peak_and_bound(&body, true, client_decode);
        println!(
            "{n:>5} records (TelCdrInfo {record} bytes): serde peak {sp} vs bound {sb} ({:+}), client peak {cp} vs bound {cb} ({:+})",
            sp - sb,
            cp - cb
        );
    }
}
