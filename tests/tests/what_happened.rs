//! Errors that name what really happened, one table per family:
//!
//! - a body that does not decompress as its `Content-Encoding` says, told
//!   apart from one cut off (and not retried);
//! - values no HTTP header may carry: credentials, named by their part and
//!   never shown, and the request's own values;
//! - waits measured against the deadline: the client-side rate limit, the
//!   retry backoff, a slow credentials source, a deadline already gone.

use ccc_api::mock::Mock;
use ccc_api::operation::describe_auto_callout_task::{
    DescribeAutoCalloutTaskErrorCode, DescribeAutoCalloutTaskRequest,
    DescribeAutoCalloutTaskResponse,
};
use ccc_api::{
    BuildError, Client, ClientBuilder, Credentials, ProvideCredentials, RateLimit, RequestOptions,
    RetryConfig, SdkError, TransportErrorKind,
};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

const TASK: &str = r#"{"Response":{"Name":"t","Description":"d","NotBefore":1,"NotAfter":2,"Callers":[],"Callees":[],"IvrId":1,"State":1,"RequestId":"r-1"}}"#;

type Outcome = Result<DescribeAutoCalloutTaskResponse, SdkError<DescribeAutoCalloutTaskErrorCode>>;

async fn describe(client: &Client, options: RequestOptions) -> Outcome {
    client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .options(options)
        .send()
        .await
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// `200` with `body` labelled with `encoding`.
fn encoded(encoding: &'static str, body: Vec<u8>) -> Reply {
    Reply::Headers {
        status: 200,
        headers: vec![
            ("content-type", "application/json".to_owned()),
            ("content-encoding", encoding.to_owned()),
        ],
        body,
    }
}

/// What a row expects: success, or a transport error of this kind, with
/// the requests the server saw.
#[derive(Debug)]
enum Want {
    Ok,
    Transport(TransportErrorKind, &'static str),
}

#[tokio::test]
async fn a_body_that_does_not_decompress_is_its_own_kind_and_not_retried() {
    let zipped = gzip(TASK.as_bytes());
    let mut corrupt = zipped.clone();
    // Inside the deflate data, past the 10-byte header.
    for b in &mut corrupt[12..20] {
        *b ^= 0xA5;
    }
    let mut bad_crc = zipped.clone();
    let n = bad_crc.len();
    bad_crc[n - 8] ^= 0xFF;
    let unfinished = zipped[..zipped.len() / 2].to_vec();
    let rows: Vec<(&str, Reply, Want, usize)> = vec![
        (
            "gzip over a plain body",
            encoded("gzip", TASK.as_bytes().to_vec()),
            Want::Transport(
                TransportErrorKind::Decompression,
                "could not be decompressed",
            ),
            1,
        ),
        (
            "gzip header, corrupt deflate data",
            encoded("gzip", corrupt),
            Want::Transport(
                TransportErrorKind::Decompression,
                "could not be decompressed",
            ),
            1,
        ),
        (
            "gzip with a wrong checksum",
            encoded("gzip", bad_crc),
            Want::Transport(
                TransportErrorKind::Decompression,
                "could not be decompressed",
            ),
            1,
        ),
        (
            "gzip stream that stops halfway, the HTTP body complete",
            encoded("gzip", unfinished),
            Want::Transport(
                TransportErrorKind::Decompression,
                "could not be decompressed",
            ),
            1,
        ),
        // What stays as it was.
        (
            "a real gzip answer",
            Reply::Gzip(TASK.to_owned()),
            Want::Ok,
            1,
        ),
        (
            "an encoding the client did not offer is left alone",
            encoded("br", TASK.as_bytes().to_vec()),
            Want::Ok,
            1,
        ),
        (
            "a plain body cut off by the connection",
            Reply::CutOff {
                declared: TASK.len() + 100,
                body: TASK.as_bytes().to_vec(),
            },
            Want::Transport(TransportErrorKind::Body, "response body cut off"),
            3,
        ),
    ];
    for (name, reply, want, requests) in rows {
        let server = TestServer::start(move |_| reply.clone()).await;
        let client = Client::builder()
            .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
            .endpoint_url(server.url())
            .rate_limit(RateLimit::Off)
            .retry(
                RetryConfig::new()
                    .initial_backoff(Duration::from_millis(1))
                    .max_backoff(Duration::from_millis(1)),
            )
            .build()
            .unwrap();
        let got = describe(&client, RequestOptions::new()).await;
        match (&want, &got) {
            (Want::Ok, Ok(task)) => assert_eq!(task.name, "t", "{name}"),
            (Want::Transport(kind, says), Err(SdkError::Transport(e))) => {
                assert_eq!(e.kind, *kind, "{name}: {e}");
                assert!(e.to_string().contains(says), "{name}: {e}");
                assert_eq!(e.attempts, requests as u32, "{name}: {e}");
                let retryable = got.as_ref().unwrap_err().is_retryable();
                assert_eq!(retryable, *kind == TransportErrorKind::Body, "{name}");
            }
            _ => panic!("{name}: wanted {want:?}, got {got:?}"),
        }
        assert_eq!(server.received().len(), requests, "{name}");
    }
}

#[tokio::test]
async fn values_no_header_can_carry_are_named_and_never_shown() {
    /// Where a row's bad value goes.
    enum Put {
        SecretId(&'static str),
        SecretKey(&'static str),
        Token(&'static str),
        RegionPerRequest(&'static str),
        ActionName(&'static str),
    }
    /// What the row expects: a credentials error naming the part and the
    /// header, a build error naming the value and the header, or success.
    enum Says {
        Credentials(&'static str, &'static str),
        Build(&'static str, &'static str),
        Sent,
    }
    let rows = [
        (
            "a line break in the SecretId",
            Put::SecretId("AKIDsecret\nid"),
            Says::Credentials("SecretId", "Authorization"),
        ),
        (
            "a DEL in the SecretId",
            Put::SecretId("AKIDsecret\u{7f}id"),
            Says::Credentials("SecretId", "Authorization"),
        ),
        (
            "CR LF in the session token",
            Put::Token("tok-secret\r\nX-Evil: 1"),
            Says::Credentials("session token", "X-TC-Token"),
        ),
        (
            "a NUL in the session token",
            Put::Token("tok-secret\0"),
            Says::Credentials("session token", "X-TC-Token"),
        ),
        (
            "a line break in a region given per request",
            Put::RegionPerRequest("ap-secret\nx"),
            Says::Build("the region", "X-TC-Region"),
        ),
        (
            "a line break in the action name of an untyped call",
            Put::ActionName("Describe\nsecret"),
            Says::Build("the action name", "X-TC-Action"),
        ),
        // Signs, and is never a header: nothing to refuse here.
        (
            "a line break in the SecretKey",
            Put::SecretKey("key\nsecret"),
            Says::Sent,
        ),
    ];
    for (name, put, says) in rows {
        let mock = Mock::new();
        let rule = mock
            .on::<DescribeAutoCalloutTaskRequest>()
            .then_ok(DescribeAutoCalloutTaskResponse::builder().name("t").build());
        let mut credentials = Credentials::new("AKIDtest", "key");
        match put {
            Put::SecretId(id) => credentials = Credentials::new(id, "key"),
            Put::SecretKey(key) => credentials = Credentials::new("AKIDtest", key),
            Put::Token(token) => credentials = credentials.with_token(token),
            _ => {}
        }
        let client: Client =
            ClientBuilder::mocked_with(&mock, |b| b.credentials(credentials)).unwrap();
        let error: Option<String> =
            match put {
                Put::ActionName(action) => client
                    .call(action, &serde_json::json!({}))
                    .await
                    .err()
                    .map(|e| {
                        assert!(matches!(e, SdkError::Build(_)), "{name}: {e:?}");
                        e.to_string()
                    }),
                Put::RegionPerRequest(region) => {
                    describe(&client, RequestOptions::new().region(region))
                        .await
                        .err()
                        .map(|e| {
                            assert!(
                                matches!(e, SdkError::Build(BuildError::InvalidHeader { .. })),
                                "{name}: {e:?}"
                            );
                            e.to_string()
                        })
                }
                _ => describe(&client, RequestOptions::new())
                    .await
                    .err()
                    .map(|e| {
                        assert!(
                            matches!(e, SdkError::Credentials(_) | SdkError::Build(_)),
                            "{name}: {e:?}"
                        );
                        if let Says::Credentials(..) = says {
                            assert!(matches!(e, SdkError::Credentials(_)), "{name}: {e:?}");
                        }
                        e.to_string()
                    }),
            };
        match (says, error) {
            (Says::Sent, None) => assert_eq!(rule.calls(), 1, "{name}"),
            (Says::Credentials(part, header) | Says::Build(part, header), Some(shown)) => {
                assert!(shown.contains(part), "{name}: {shown}");
                assert!(shown.contains(header), "{name}: {shown}");
                assert!(!shown.contains("JSON"), "{name}: {shown}");
                assert!(!shown.contains("secret"), "{name}: {shown}");
                assert_eq!(rule.calls(), 0, "{name}: nothing is sent");
            }
            (_, error) => panic!("{name}: {error:?}"),
        }
    }
}

/// A credentials source that answers after `delay`.
#[derive(Debug)]
struct Slow(Duration);

impl ProvideCredentials for Slow {
    fn provide_credentials(&self) -> ccc_api::credentials::CredentialsFuture<'_> {
        let delay = self.0;
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            Ok(Credentials::new("AKIDtest", "key"))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn waits_longer_than_the_time_left_say_which_and_do_not_sleep_first() {
    const ACTION: &str = "DescribeAutoCalloutTask";
    let secs = Duration::from_secs;
    /// What the second call of a row gives.
    #[derive(Debug)]
    enum Want {
        Ok,
        /// A transport timeout saying this.
        Timeout(&'static str),
        /// The service's error, returned as it came.
        Service(&'static str),
        /// A credentials error saying this.
        Credentials(&'static str),
    }
    struct Row {
        name: &'static str,
        /// Requests per second for the action, if limited.
        rate: Option<f64>,
        /// The wait before the first retry, as a bound and its cap.
        backoff: Duration,
        timeout: Duration,
        /// Whether the service refuses the first attempt of the call with
        /// `RequestLimitExceeded`.
        throttle_first: bool,
        /// A credentials source slower than this, for the call.
        slow_credentials: Option<Duration>,
        want: Want,
        /// Attempts the error counts.
        attempts: u32,
        /// Time the second call takes, on the paused clock.
        took: (Duration, Duration),
    }
    let rows = [
        Row {
            name: "rate-limit wait past the deadline",
            rate: Some(0.1),
            backoff: Duration::ZERO,
            timeout: secs(5),
            throttle_first: false,
            slow_credentials: None,
            want: Want::Timeout("rate limit of DescribeAutoCalloutTask would have the call wait"),
            attempts: 0,
            took: (Duration::ZERO, Duration::ZERO),
        },
        Row {
            name: "rate-limit wait within the deadline",
            rate: Some(0.5),
            backoff: Duration::ZERO,
            timeout: secs(5),
            throttle_first: false,
            slow_credentials: None,
            want: Want::Ok,
            attempts: 1,
            took: (Duration::from_millis(1990), secs(2)),
        },
        Row {
            name: "retry backoff past the deadline: the real error, at once",
            rate: None,
            backoff: secs(1000 * 24 * 3600),
            timeout: secs(5),
            throttle_first: true,
            slow_credentials: None,
            want: Want::Service("RequestLimitExceeded"),
            attempts: 1,
            took: (Duration::ZERO, Duration::ZERO),
        },
        Row {
            name: "retry backoff within the deadline",
            rate: None,
            backoff: secs(1),
            timeout: secs(5),
            throttle_first: true,
            slow_credentials: None,
            want: Want::Ok,
            attempts: 2,
            took: (Duration::ZERO, secs(1)),
        },
        Row {
            name: "no time at all: the deadline has passed",
            rate: None,
            backoff: Duration::ZERO,
            timeout: Duration::ZERO,
            throttle_first: false,
            slow_credentials: None,
            want: Want::Timeout("timed out: the overall deadline passed"),
            attempts: 0,
            took: (Duration::ZERO, Duration::ZERO),
        },
        Row {
            name: "a credentials source slower than the time left",
            rate: None,
            backoff: Duration::ZERO,
            timeout: secs(5),
            throttle_first: false,
            slow_credentials: Some(secs(10)),
            want: Want::Credentials("no answer within the 5000 ms left"),
            attempts: 0,
            took: (secs(5), secs(5)),
        },
    ];
    for row in rows {
        let name = row.name;
        let mock = Mock::new();
        let ok = || DescribeAutoCalloutTaskResponse::builder().name("t").build();
        let mut rule = mock.on::<DescribeAutoCalloutTaskRequest>().then_ok(ok());
        if row.throttle_first {
            rule = rule.then_error("RequestLimitExceeded", "slow down");
        }
        let rule = rule.then_ok(ok());
        let client: Client = ClientBuilder::mocked_with(&mock, |b| {
            let mut b = b.retry(
                RetryConfig::new()
                    .initial_backoff(row.backoff)
                    .max_backoff(row.backoff),
            );
            if let Some(rate) = row.rate {
                b = b.rate_limit(RateLimit::Overrides(HashMap::from([(
                    ACTION.to_owned(),
                    rate,
                )])));
            }
            b
        })
        .unwrap();
        // The warm-up call takes the rate limit's one token, unlimited in time.
        describe(&client, RequestOptions::new()).await.unwrap();
        let calls_before = rule.calls();
        let client = match row.slow_credentials {
            Some(delay) => {
                ClientBuilder::mocked_with(&mock, |b| b.credentials_provider(Slow(delay))).unwrap()
            }
            None => client,
        };
        let started = tokio::time::Instant::now();
        let got = describe(&client, RequestOptions::new().timeout(row.timeout)).await;
        let took = started.elapsed();
        assert!(
            (row.took.0..=row.took.1).contains(&took),
            "{name}: took {took:?}, wanted {:?}",
            row.took
        );
        let sent = rule.calls() - calls_before;
        match (&row.want, got) {
            (Want::Ok, Ok(_)) => assert_eq!(sent as u32, row.attempts, "{name}"),
            (Want::Timeout(says), Err(e)) => {
                assert!(e.is_timeout(), "{name}: {e:?}");
                assert!(e.to_string().contains(says), "{name}: {e}");
                assert_eq!(e.attempts(), row.attempts, "{name}: {e}");
                assert_eq!(sent as u32, row.attempts, "{name}");
            }
            (Want::Service(code), Err(e)) => {
                assert_eq!(e.raw_code(), Some(*code), "{name}: {e}");
                assert_eq!(e.attempts(), row.attempts, "{name}: {e}");
                assert_eq!(sent as u32, row.attempts, "{name}");
            }
            (Want::Credentials(says), Err(e)) => {
                assert!(matches!(e, SdkError::Credentials(_)), "{name}: {e:?}");
                assert!(e.to_string().contains(says), "{name}: {e}");
                assert_eq!(sent, 0, "{name}");
            }
            (want, got) => panic!("{name}: wanted {want:?}, got {got:?}"),
        }
    }
}
