//! Errors read well in every reporter: each level of an error displays only
//! itself and hands its cause out through `source()`, so a reporter that walks
//! the chain (anyhow, eyre, the `ccc` CLI) prints every cause exactly once.

use ccc_api::mock::{Fault, Mock};
use ccc_api::operation::describe_numbers::DescribeNumbersRequest;
use ccc_api::{Client, Credentials, RequestOptions, SdkError, TransportErrorKind};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::error::Error as StdError;
use std::time::Duration;

/// The chain as anyhow renders it: the error, then each `source()`.
fn chain(error: &dyn StdError) -> Vec<String> {
    let mut levels = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(c) = cause {
        levels.push(c.to_string());
        cause = c.source();
        assert!(levels.len() < 32, "a cycle in the chain: {levels:?}");
    }
    levels
}

/// No level repeats the text of a level below it (which is what printing a
/// cause twice looks like), and no level is empty.
fn assert_each_cause_once(levels: &[String]) {
    for (i, level) in levels.iter().enumerate() {
        assert!(!level.trim().is_empty(), "empty level {i}: {levels:?}");
        for deeper in &levels[i + 1..] {
            assert!(
                !level.contains(deeper.as_str()),
                "level {i} repeats its cause {deeper:?}: {levels:?}"
            );
        }
    }
}

fn client(url: &str) -> Client {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(url)
        .attempt_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn describe_numbers(client: &Client) -> ccc_api::Error {
    client
        .describe_numbers()
        .sdk_app_id(1)
        .options(RequestOptions::new().max_attempts(1))
        .send()
        .await
        .unwrap_err()
        .into()
}

#[tokio::test]
async fn real_transport_failures_print_each_cause_once() {
    // A port nobody listens on: connection refused, a chain of several levels.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = describe_numbers(&client(&format!("http://127.0.0.1:{port}"))).await;
    assert!(matches!(&*refused, SdkError::Transport(t) if t.kind == TransportErrorKind::Connect));
    let levels = chain(&refused);
    assert_eq!(levels[0], "could not connect", "{levels:?}");
    assert!(levels.len() >= 3, "reqwest's causes are kept: {levels:?}");
    assert!(
        levels.iter().any(|l| l.to_lowercase().contains("refused")),
        "{levels:?}"
    );
    assert_each_cause_once(&levels);

    // A server that answers too late, and one that cuts the body off.
    let slow =
        TestServer::start(|_| Reply::Delayed(Duration::from_secs(5), Box::new(Reply::json("{}"))))
            .await;
    let timed_out = describe_numbers(&client(&slow.url())).await;
    let levels = chain(&timed_out);
    assert_eq!(levels[0], "timed out", "{levels:?}");
    assert!(levels.len() >= 2, "{levels:?}");
    assert_each_cause_once(&levels);

    let cut = TestServer::start(|_| Reply::CutOff {
        declared: 1000,
        body: b"{\"Response\":".to_vec(),
    })
    .await;
    let cut_off = describe_numbers(&client(&cut.url())).await;
    let levels = chain(&cut_off);
    assert_eq!(levels[0], "response body cut off", "{levels:?}");
    assert_each_cause_once(&levels);
}

#[tokio::test]
async fn every_kind_of_error_renders_a_chain_without_repeats() {
    let mut errors: Vec<ccc_api::Error> = Vec::new();
    for fault in [Fault::Connect, Fault::Timeout, Fault::BodyCutOff] {
        let mock = Mock::new();
        mock.on::<DescribeNumbersRequest>().then_fault(fault);
        errors.push(describe_numbers(&Client::mocked(&mock)).await);
    }
    // A service error, an undecodable answer, a missing member, no rule.
    let service = Mock::new();
    service
        .on::<DescribeNumbersRequest>()
        .then_error("ResourceNotFound", "no such application");
    errors.push(describe_numbers(&Client::mocked(&service)).await);
    let garbage = Mock::new();
    garbage
        .on::<DescribeNumbersRequest>()
        .then(|_| ccc_api::mock::Reply::Raw {
            status: 502,
            body: b"<html>bad gateway</html>".to_vec(),
        });
    errors.push(describe_numbers(&Client::mocked(&garbage)).await);
    errors.push(
        Client::mocked(&Mock::new())
            .describe_auto_callout_task()
            .sdk_app_id(1)
            .send()
            .await
            .unwrap_err()
            .into(),
    );
    errors.push(describe_numbers(&Client::mocked(&Mock::new())).await);
    for error in &errors {
        let levels = chain(error);
        assert_each_cause_once(&levels);
    }
    let rendered: Vec<Vec<String>> = errors.iter().map(|e| chain(e)).collect();
    assert_eq!(rendered[0][0], "could not connect");
    assert!(rendered[0][1].contains("scripted fault"), "{rendered:?}");
    assert_eq!(rendered[1][0], "timed out");
    assert_eq!(rendered[2][0], "response body cut off");
    assert_eq!(rendered[3].len(), 1, "{rendered:?}");
    assert!(rendered[3][0].contains("ResourceNotFound: no such application"));
    assert!(rendered[4][0].starts_with("HTTP 502"), "{rendered:?}");
    assert!(rendered[5][0].contains("missing required member `TaskId`"));
    assert!(
        rendered[6][1].contains("no mock rule answers `DescribeNumbers`"),
        "{rendered:?}"
    );
}
