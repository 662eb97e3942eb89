//! How much memory the emulator's state keeps per request, measured with a
//! counting allocator (this file is its own test binary, so nothing else runs in
//! it), and the per-application caps that bound it whatever is sent.

use ccc_emulator::{Config, Emulator, MAX_APPS, MAX_APP_BYTES};
use ccc_tests::wire::{error_code, raw, valid};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

/// The system allocator, keeping count of the bytes currently allocated.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// A `CreateAutoCalloutTask` body of `callees` numbers for application `app`.
fn task_body(app: u64, callees: usize) -> Vec<u8> {
    let callees: Vec<String> = (0..callees).map(|i| format!("0086139{i:08}")).collect();
    serde_json::to_vec(&serde_json::json!({
        "SdkAppId": app, "NotBefore": 0, "IvrId": 1, "Name": "bulk",
        "Callers": ["008675500000001"], "Callees": callees,
    }))
    .unwrap()
}

/// Live bytes the emulator keeps after answering `request` (the connection is
/// closed by then, so everything but the state has been freed).
async fn kept(e: &Emulator, request: &[u8]) -> (isize, String) {
    let before = live();
    let answer = raw(e.addr(), request).await;
    (live() - before, answer)
}

// One thread: the emulator's tasks and this test take turns, so the counts
// between two requests are the emulator's alone.
#[tokio::test(flavor = "current_thread")]
async fn a_large_task_keeps_little_state_and_each_application_is_capped() {
    let e = Emulator::start(Config::default()).await.unwrap();
    let body = task_body(7, 21_100);
    assert!(
        (370 * 1024..380 * 1024).contains(&body.len()),
        "{}",
        body.len()
    );
    // Warm up the one-time parts (canned answers, request ids) in another application.
    let (_, answer) = kept(
        &e,
        &valid("CreateAutoCalloutTask", &task_body(8, 1), e.addr()),
    )
    .await;
    assert!(answer.contains("\"TaskId\""), "{answer}");

    let (bytes, answer) = kept(&e, &valid("CreateAutoCalloutTask", &body, e.addr())).await;
    assert!(answer.contains("\"TaskId\""), "{answer}");
    println!(
        "state kept for one {} KiB CreateAutoCalloutTask: {bytes} bytes",
        body.len() / 1024
    );
    assert!(
        bytes > 0 && bytes < body.len() as isize * 3 / 2,
        "{bytes} bytes kept"
    );

    // The same request again and again: refused with the service's limit code once
    // the application holds its share, with the state still whole and bounded.
    let start = live();
    let mut accepted = 1;
    let refusal = loop {
        let answer = raw(e.addr(), &valid("CreateAutoCalloutTask", &body, e.addr())).await;
        match error_code(&answer) {
            None => accepted += 1,
            Some(code) => break code,
        }
        assert!(accepted < 60, "never refused");
    };
    assert_eq!(refusal, "LimitExceeded");
    let held = live() - start;
    println!("{accepted} such tasks accepted per application, then LimitExceeded; {held} bytes");
    assert!(held + bytes < MAX_APP_BYTES as isize * 3 / 2, "{held}");
    let listed = raw(
        e.addr(),
        &valid(
            "DescribeAutoCalloutTasks",
            br#"{"SdkAppId":7,"PageNumber":0,"PageSize":100}"#,
            e.addr(),
        ),
    )
    .await;
    assert!(
        listed.contains(&format!("\"TotalCount\":{accepted}")),
        "{listed:.300}"
    );
    assert_eq!(listed.matches("\"CalleeCount\":21100").count(), accepted);

    // New applications until the emulator holds its share of them; then only the
    // ones it knows keep growing, and reads of any application still answer.
    let before_apps = live();
    let mut refused_at = None;
    for app in 100..100 + MAX_APPS as u64 {
        let answer = raw(
            e.addr(),
            &valid("CreateAutoCalloutTask", &task_body(app, 10), e.addr()),
        )
        .await;
        if let Some(code) = error_code(&answer) {
            assert_eq!(code, "LimitExceeded", "{answer}");
            refused_at.get_or_insert(app);
        }
    }
    // Applications 7 and 8 hold state already, and so do the default seed's.
    let seeded = ccc_emulator::Seed::default().apps.len() as u64;
    assert_eq!(refused_at, Some(100 + MAX_APPS as u64 - 2 - seeded));
    let answer = raw(
        e.addr(),
        &valid("CreateAutoCalloutTask", &task_body(100, 10), e.addr()),
    )
    .await;
    assert_eq!(error_code(&answer), None, "{answer}");
    let read = raw(
        e.addr(),
        &valid("DescribeNumbers", br#"{"SdkAppId":99999}"#, e.addr()),
    )
    .await;
    assert!(read.contains("\"TotalCount\":12"), "{read}");
    println!(
        "{} bytes for {MAX_APPS} small applications",
        live() - before_apps
    );
    assert!(live() - before_apps < 1 << 20);
}
