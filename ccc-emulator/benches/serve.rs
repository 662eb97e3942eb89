//! Calls per second the emulator serves to this crate's client with 64 calls in
//! flight (signature checked, body validated, answer built), on this machine.
//!
//! `cargo bench -p ccc-emulator --bench serve`

use ccc_api::{Client, Credentials, RateLimit};
use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::time::Instant;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let emulator = Emulator::start(Config::default()).await.unwrap();
        let client = Client::builder()
            .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
            .endpoint_url(emulator.url())
            .rate_limit(RateLimit::Off)
            .build()
            .unwrap();
        for (label, per_task) in [("warm-up", 50), ("measured", 300)] {
            for (action, stateful) in [
                ("DescribeIvrAudioList (official example answer)", false),
                ("DescribeAutoCalloutTasks (in-memory state)", true),
            ] {
                let started = Instant::now();
                let tasks: Vec<_> = (0..64)
                    .map(|_| {
                        let c = client.clone();
                        let params: serde_json::Value = serde_json::from_str(
                            ccc_emulator::spec_table::action("DescribeIvrAudioList")
                                .unwrap()
                                .minimal_request,
                        )
                        .unwrap();
                        tokio::spawn(async move {
                            for _ in 0..per_task {
                                if stateful {
                                    c.describe_auto_callout_tasks()
                                        .sdk_app_id(1)
                                        .page_number(0)
                                        .page_size(10)
                                        .send()
                                        .await
                                        .unwrap();
                                } else {
                                    c.call("DescribeIvrAudioList", &params).await.unwrap();
                                }
                            }
                        })
                    })
                    .collect();
                for t in tasks {
                    t.await.unwrap();
                }
                let rate = (64 * per_task) as f64 / started.elapsed().as_secs_f64();
                if label == "measured" {
                    println!("{action}: {rate:.0} calls/s with 64 concurrent calls");
                }
            }
        }
    });
}
