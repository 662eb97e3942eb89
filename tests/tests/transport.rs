//! Transport behaviour: gzip answers, connection reuse, an explicit proxy, and a
//! caller-supplied `reqwest::Client`.

use ccc_api::{Client, Credentials, RateLimit};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};

const TASK: &str = r#"{"Response":{"Name":"zipped","Description":"d","NotBefore":1,"NotAfter":2,"Callers":[],"Callees":[],"IvrId":1,"State":1,"RequestId":"gz-1"}}"#;

fn builder() -> ccc_api::ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .rate_limit(RateLimit::Off)
}

#[tokio::test]
async fn gzip_answers_are_decompressed() {
    let server = TestServer::start(|_| Reply::Gzip(TASK.to_owned())).await;
    let client = builder().endpoint_url(server.url()).build().unwrap();
    let task = client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap();
    assert_eq!(task.name, "zipped");
    assert!(server.received()[0]
        .header("accept-encoding")
        .unwrap_or_default()
        .contains("gzip"));
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let server = TestServer::start(|_| Reply::json(TASK)).await;
    let client = builder().endpoint_url(server.url()).build().unwrap();
    for i in 0..10 {
        client
            .clone()
            .describe_auto_callout_task()
            .sdk_app_id(1)
            .task_id(i)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(server.received().len(), 10);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn an_explicit_proxy_carries_the_request() {
    // The proxy is a local server; the endpoint's host does not resolve.
    let proxy = TestServer::start(|_| Reply::json(TASK)).await;
    let client = builder()
        .endpoint_url("http://ccc.example.invalid/")
        .proxy(proxy.url())
        .build()
        .unwrap();
    client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap();
    let r = &proxy.received()[0];
    assert_eq!(r.path, "http://ccc.example.invalid/");
    assert_eq!(r.header("host"), Some("ccc.example.invalid"));
    assert_eq!(
        r.signature,
        Ok(()),
        "signed for the endpoint's host, as sent"
    );
}

#[tokio::test]
async fn a_caller_supplied_http_client_is_used() {
    let server = TestServer::start(|_| Reply::json(TASK)).await;
    let http = reqwest::Client::builder()
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let client = builder()
        .endpoint_url(server.url())
        .http_client(http)
        .build()
        .unwrap();
    client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.received()[0].header("user-agent"),
        Some("my-app/1.0")
    );
}
