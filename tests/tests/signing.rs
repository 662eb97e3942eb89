//! TC3-HMAC-SHA256 against the published known-answer vector and against vectors
//! computed with an independent implementation (Python's hashlib/hmac).

use ccc_api::signing::{sign, utc_date, SigningInput};

#[test]
fn published_known_answer_vector() {
    let payload = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    let secret_key = "*".repeat(32);
    let s = sign(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        &secret_key,
        &SigningInput {
            service: "cvm",
            timestamp: 1_551_113_065,
            method: "POST",
            path: "/",
            query: "",
            headers: &[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Host", "cvm.tencentcloudapi.com"),
                ("X-TC-Action", "DescribeInstances"),
            ],
            payload,
        },
    );
    assert_eq!(
        s.hashed_payload,
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
    assert_eq!(
        s.canonical_request,
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
    assert_eq!(
        s.string_to_sign,
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
    );
    assert_eq!(s.credential_scope, "2019-02-25/cvm/tc3_request");
    assert_eq!(s.signed_headers, "content-type;host;x-tc-action");
    assert_eq!(
        s.signature,
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    );
    assert_eq!(
        s.authorization,
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    );
}

fn ccc(host: &str, timestamp: u64, payload: &[u8]) -> ccc_api::signing::Signature {
    sign(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        &SigningInput {
            service: "ccc",
            timestamp,
            method: "POST",
            path: "/",
            query: "",
            headers: &[("content-type", "application/json"), ("host", host)],
            payload,
        },
    )
}

/// (host, timestamp, payload, hashed payload, hashed canonical request, signature)
type Vector<'a> = (&'a str, u64, &'a [u8], &'a str, &'a str, &'a str);

#[test]
fn independent_vectors() {
    let cases: [Vector; 3] = [
        (
            "ccc.intl.tencentcloudapi.com",
            1_700_000_000,
            br#"{"SdkAppId":1400000000,"TaskId":3}"#,
            "b91449ea094ee21d2bc1a4493e393adc78acabed639993d21f65cb46488707a0",
            "bc8565a4b7a764dcf991875ea4fa5f22b63b0b62b24728ae41fb10c2283b33e3",
            "feab71691582a7fd23cd8f75a4540fc7167280dfb5fa8f7cd92641a1fecf7d6e",
        ),
        (
            // Host with a port, UTF-8 body, last second of a UTC day.
            "127.0.0.1:8080",
            1_704_067_199,
            "{\"Name\":\"任务1\"}".as_bytes(),
            "683b483ffc5d8668cb87b1783889fa8e25f342bd6a9859d13a4a94de3204fbc5",
            "f0e174e03ca0ab0f5a5558a62734569fd4c581c70e83555d5d71628d298903dc",
            "0f296e9ffd5746fe32c0387e698f792c870e9e51440d030d4ae44545fcfc2456",
        ),
        (
            // Empty body, first second of the next UTC day.
            "ccc.tencentcloudapi.com",
            1_704_067_200,
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "5dea8535e70dbf03787fcb3d2f6ee9a114a94e4b14a7d747c83c065e2b1bc921",
            "21d1d89ae6893b058f0deaa978058e2ebe23612d4f5c396caffb5a76cb84241e",
        ),
    ];
    for (host, ts, payload, hashed_payload, hashed_canonical, signature) in cases {
        let s = ccc(host, ts, payload);
        assert_eq!(s.hashed_payload, hashed_payload, "{host}");
        assert!(
            s.string_to_sign.ends_with(hashed_canonical),
            "{host}: {}",
            s.string_to_sign
        );
        assert_eq!(s.signature, signature, "{host}");
        assert!(s
            .string_to_sign
            .contains(&format!("\n{}/ccc/tc3_request\n", utc_date(ts))));
    }
}

#[test]
fn header_order_and_case_do_not_matter() {
    let a = ccc("ccc.intl.tencentcloudapi.com", 1_700_000_000, b"{}");
    let b = sign(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        &SigningInput {
            service: "ccc",
            timestamp: 1_700_000_000,
            method: "POST",
            path: "/",
            query: "",
            headers: &[
                ("Host", " ccc.intl.tencentcloudapi.com "),
                ("Content-Type", "application/json"),
            ],
            payload: b"{}",
        },
    );
    assert_eq!(a, b);
}

#[test]
fn every_byte_of_the_body_is_signed() {
    let a = ccc("h", 1, br#"{"TaskId":3}"#);
    let b = ccc("h", 1, br#"{"TaskId": 3}"#);
    assert_ne!(a.signature, b.signature);
}
