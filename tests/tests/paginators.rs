//! Paginators over HTTP on 127.0.0.1: several pages, an empty result, a total
//! that changes mid-way, a server that ignores the page position, offset and cursor
//! paging, and an error mid-way.

use ccc_api::{Client, Credentials, RateLimit, RetryConfig};
use ccc_tests::server::{Received, Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

fn client(server: &TestServer) -> Client {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .strict_responses(true)
        .endpoint_url(server.url())
        .rate_limit(RateLimit::Off)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

fn tasks(n: u64) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"TaskId": i, "Name": format!("task {i}")}))
        .collect()
}

/// A `DescribeAutoCalloutTasks` server over `all`, reporting `total(page)`.
fn task_server(
    all: Vec<Value>,
    total: impl Fn(u64) -> u64 + Send + Sync + 'static,
) -> impl Fn(&Received) -> Reply + Send + Sync {
    move |req| {
        let body = req.json();
        let page = body["PageNumber"].as_u64().unwrap();
        let size = body["PageSize"].as_u64().unwrap();
        let items: Vec<Value> = all
            .iter()
            .skip((page * size) as usize)
            .take(size as usize)
            .cloned()
            .collect();
        Reply::json(json!({"Response": {"TotalCount": total(page), "Tasks": items, "RequestId": format!("p{page}")}}).to_string())
    }
}

#[tokio::test]
async fn pages_and_items_follow_the_total() {
    let server = TestServer::start(task_server(tasks(7), |_| 7)).await;
    let pages: Vec<_> = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(3)
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.tasks.len()).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    // Stopped at the total: no fourth, empty request.
    assert_eq!(server.received().len(), 3);
    let numbers: Vec<u64> = server
        .received()
        .iter()
        .map(|r| r.json()["PageNumber"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [0, 1, 2]);

    let ids: Vec<u64> = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(100)
        .into_paginator()
        .page_size(2)
        .items()
        .map(|t| t.unwrap().task_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, (0..7).collect::<Vec<_>>());
}

#[tokio::test]
async fn fetching_is_lazy() {
    let server = TestServer::start(task_server(tasks(10), |_| 10)).await;
    let mut items = Box::pin(
        client(&server)
            .describe_auto_callout_tasks()
            .sdk_app_id(1)
            .page_number(0)
            .page_size(2)
            .into_paginator()
            .items(),
    );
    items.next().await.unwrap().unwrap();
    items.next().await.unwrap().unwrap();
    assert_eq!(server.received().len(), 1);
    items.next().await.unwrap().unwrap();
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn an_empty_result_is_one_request() {
    let server = TestServer::start(task_server(Vec::new(), |_| 0)).await;
    let mut p = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(10)
        .into_paginator();
    let first = p.next_page().await.unwrap().unwrap();
    assert!(first.tasks.is_empty());
    assert!(p.next_page().await.is_none());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_total_that_shrinks_mid_way_ends_early_and_one_that_grows_continues() {
    // Ten items, but after the first page the server says there are only four.
    let server = TestServer::start(task_server(
        tasks(10),
        |page| if page == 0 { 10 } else { 4 },
    ))
    .await;
    let items: Vec<_> = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(3)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(server.received().len(), 2);

    // The total grows from 3 to 8 while paging: every item is fetched.
    let server =
        TestServer::start(task_server(tasks(8), |page| if page == 0 { 3 } else { 8 })).await;
    let items: Vec<_> = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 8);
}

#[tokio::test]
async fn a_server_that_repeats_a_page_does_not_loop_forever() {
    // Ignores PageNumber and always claims a huge total.
    let all = tasks(3);
    let server = TestServer::start(move |_| {
        Reply::json(
            json!({"Response": {"TotalCount": 1000, "Tasks": all, "RequestId": "same"}})
                .to_string(),
        )
    })
    .await;
    let items: Vec<_> = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(3)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        items.len(),
        3,
        "the repeated page's items are not handed out twice"
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn offset_paging_advances_by_the_items_received() {
    let sessions: Vec<Value> = (0..5)
        .map(|i| json!({"SessionID": format!("s{i}")}))
        .collect();
    let server = TestServer::start(move |req| {
        let body = req.json();
        let (offset, limit) = (
            body["Offset"].as_u64().unwrap(),
            body["Limit"].as_u64().unwrap(),
        );
        let items: Vec<Value> = sessions
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .cloned()
            .collect();
        Reply::json(
            json!({"Response": {"Total": 5, "Sessions": items, "RequestId": "r"}}).to_string(),
        )
    })
    .await;
    let items: Vec<_> = client(&server)
        .describe_pstn_active_session_list()
        .sdk_app_id(1)
        .offset(0)
        .limit(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 5);
    let offsets: Vec<u64> = server
        .received()
        .iter()
        .map(|r| r.json()["Offset"].as_u64().unwrap())
        .collect();
    assert_eq!(offsets, [0, 2, 4]);
}

#[tokio::test]
async fn cursor_paging_follows_the_last_item() {
    let calls = Arc::new(AtomicU64::new(0));
    let c2 = calls.clone();
    let server = TestServer::start(move |req| {
        c2.fetch_add(1, Ordering::SeqCst);
        let cursor = req.json()["Cursor"].as_str().map(str::to_owned);
        let data = match cursor.as_deref() {
            None => json!([{"Cursor": "c1", "Status": "free"}, {"Cursor": "c2", "Status": "busy"}]),
            Some("c2") => json!([{"Cursor": "c3", "Status": "rest"}]),
            Some(_) => json!([]),
        };
        Reply::json(json!({"Response": {"Data": data, "RequestId": "r"}}).to_string())
    })
    .await;
    let items: Vec<_> = client(&server)
        .describe_staff_status_history()
        .sdk_app_id(1)
        .staff_user_id("agent@example.com")
        .start_timestamp(0)
        .end_timestamp(10)
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        items
            .iter()
            .map(|s| s.cursor.clone().unwrap())
            .collect::<Vec<_>>(),
        ["c1", "c2", "c3"]
    );
    let cursors: Vec<Value> = server
        .received()
        .iter()
        .map(|r| r.json()["Cursor"].clone())
        .collect();
    assert_eq!(cursors, [Value::Null, json!("c2"), json!("c3")]);
    assert_eq!(server.received()[0].json()["PageSize"], 2);
}

#[tokio::test]
async fn an_error_mid_way_ends_the_stream_with_it() {
    let all = tasks(10);
    let server = TestServer::start(move |req| {
        if req.json()["PageNumber"] == 1 {
            Reply::service_error("InternalError", "boom", "r-err")
        } else {
            task_server(all.clone(), |_| 10)(req)
        }
    })
    .await;
    let results: Vec<_> = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(4)
        .into_paginator()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 5);
    assert!(results[..4].iter().all(|r| r.is_ok()));
    assert_eq!(
        results[4].as_ref().unwrap_err().raw_code(),
        Some("InternalError")
    );
}

#[tokio::test]
async fn a_missing_required_member_is_the_first_and_only_page() {
    let server = TestServer::start(task_server(tasks(1), |_| 1)).await;
    let results: Vec<_> = client(&server)
        .describe_auto_callout_tasks()
        .page_size(1)
        .into_paginator()
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(results[0], Err(ccc_api::SdkError::Build(_))));
    assert!(server.received().is_empty());
}
