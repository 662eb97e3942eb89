//! Cost of signing, of building + encoding + signing a `DescribeAutoCalloutTask`
//! request, and of decoding its response; and signing against the raw
//! HMAC/SHA-256 work it cannot avoid, measured in the same run.
//!
//! `cargo bench -p ccc-api --bench signing` prints criterion's timings, then
//! `signing / raw HMAC+SHA-256 work = R` (the target is R < 2), and the
//! client's per-request signing with the day's key cached against the crypto
//! floor of that case (the target is at most 1.3).

use ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskRequest;
use ccc_api::signing::{sign, PostSigner, SigningInput, SigningKey};
use criterion::{black_box, criterion_group, Criterion};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

mod support;
use support::per_call;

/// Runs per timed batch.
const RUNS: u32 = 20_000;

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const HOST: &str = "ccc.intl.tencentcloudapi.com";
const BODY: &[u8] = br#"{"SdkAppId":1400000000,"TaskId":3}"#;
const RESPONSE: &[u8] = br#"{"Response":{"IvrId":1,"Name":"foobar","NotBefore":1729905740,"NotAfter":1729905750,"State":1,"Callers":["008610086"],"RequestId":"foobar","Callees":[{"State":1,"Callee":"foobar","Sessions":["foobar"]}],"Description":"foobar"}}"#;

fn signature(body: &[u8]) -> ccc_api::signing::Signature {
    let input = SigningInput {
        service: "ccc",
        timestamp: 1_700_000_000,
        method: "POST",
        path: "/",
        query: "",
        headers: &[("content-type", "application/json"), ("host", HOST)],
        payload: body,
    };
    sign(SECRET_ID, SECRET_KEY, &input)
}

fn sign_body(body: &[u8]) -> String {
    signature(body).authorization
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().into()
}

/// The cryptographic work a signature needs and nothing else: hash the body and
/// a canonical request of the real length, four HMACs over real-length inputs.
fn raw_crypto(body: &[u8], canonical: &[u8], string_to_sign: &[u8], key: &[u8]) -> [u8; 32] {
    let h1 = Sha256::digest(body);
    let h2 = Sha256::digest(canonical);
    let k1 = hmac(key, b"2023-11-14");
    let k2 = hmac(&k1, b"ccc");
    let k3 = hmac(&k2, b"tc3_request");
    let mut out = hmac(&k3, string_to_sign);
    out[0] ^= h1[0] ^ h2[0];
    out
}

fn inputs() -> (String, String, Vec<u8>) {
    let s = sign(
        SECRET_ID,
        SECRET_KEY,
        &SigningInput {
            service: "ccc",
            timestamp: 1_700_000_000,
            method: "POST",
            path: "/",
            query: "",
            headers: &[("content-type", "application/json"), ("host", HOST)],
            payload: BODY,
        },
    );
    (
        s.canonical_request,
        s.string_to_sign,
        format!("TC3{SECRET_KEY}").into_bytes(),
    )
}

fn benches(c: &mut Criterion) {
    let (canonical, string_to_sign, key) = inputs();
    c.bench_function("raw HMAC+SHA-256 work of one signature", |b| {
        b.iter(|| {
            raw_crypto(
                black_box(BODY),
                canonical.as_bytes(),
                string_to_sign.as_bytes(),
                &key,
            )
        })
    });
    c.bench_function("sign", |b| b.iter(|| sign_body(black_box(BODY))));
    c.bench_function("build + encode + sign DescribeAutoCalloutTask", |b| {
        b.iter(|| {
            let request = DescribeAutoCalloutTaskRequest::builder()
                .sdk_app_id(black_box(1400000000))
                .task_id(black_box(3))
                .build()
                .unwrap();
            let body = serde_json::to_vec(&request).unwrap();
            sign_body(&body)
        })
    });
    c.bench_function("decode DescribeAutoCalloutTask response", |b| {
        b.iter(|| {
            ccc_api::decode_response::<DescribeAutoCalloutTaskRequest>(
                200,
                black_box(RESPONSE.to_vec()),
            )
            .unwrap()
        })
    });
}

/// Best per-call time of each of `paths`, measured in turns: `ROUNDS`
/// rounds, each timing every path once, so that a minute when the shared
/// machine is slow weighs on every path alike.
fn interleaved<const N: usize>(paths: &mut [&mut dyn FnMut(); N]) -> [f64; N] {
    let mut best = [f64::INFINITY; N];
    for _ in 0..ROUNDS {
        for (path, best) in paths.iter_mut().zip(&mut best) {
            *best = best.min(per_call(RUNS, &mut **path));
        }
    }
    best
}

/// Rounds of [`interleaved`].
const ROUNDS: usize = 5;

fn ratio() {
    let (canonical, string_to_sign, key) = inputs();
    // The client's per-request path: the day's key cached, against the
    // cryptographic floor of one request with a cached key (the body's hash,
    // the canonical request's hash, one HMAC whose pads are absorbed).
    let signing_key = SigningKey::derive(SECRET_KEY, 1_700_000_000, "ccc");
    let signer = PostSigner::new("application/json", HOST);
    let pads = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    let [raw, signed, floor, client] = interleaved(&mut [
        &mut || {
            black_box(raw_crypto(
                black_box(BODY),
                canonical.as_bytes(),
                string_to_sign.as_bytes(),
                &key,
            ));
        },
        &mut || {
            black_box(sign_body(black_box(BODY)));
        },
        &mut || {
            let h1 = Sha256::digest(black_box(BODY));
            let h2 = Sha256::digest(canonical.as_bytes());
            let mut mac = pads.clone();
            mac.update(string_to_sign.as_bytes());
            let mut out: [u8; 32] = mac.finalize().into_bytes().into();
            out[0] ^= h1[0] ^ h2[0];
            black_box(out);
        },
        &mut || {
            black_box(signer.authorization(
                SECRET_ID,
                &signing_key,
                black_box(1_700_000_000),
                black_box(BODY),
            ));
        },
    ]);
    println!("raw HMAC+SHA-256 work: {raw:.0} ns; sign: {signed:.0} ns");
    println!(
        "signing / raw HMAC+SHA-256 work = {:.2} (target < 2)",
        signed / raw
    );
    println!("cached key: crypto floor {floor:.0} ns; client signing {client:.0} ns");
    println!(
        "client signing / crypto floor with a cached key = {:.2} (target <= 1.3)",
        client / floor
    );
}

criterion_group!(group, benches);

fn main() {
    group();
    Criterion::default().configure_from_args().final_summary();
    ratio();
}
