//! Paginators over HTTP on 127.0.0.1: several pages, an empty result, a total
//! that changes mid-way, a server that ignores the page position, offset and cursor
//! paging, and an error mid-way; the paginator's own start and page size, named
//! `Unpin` streams, and collecting up to a cap.

use ccc_api::operation::describe_auto_callout_tasks::DescribeAutoCalloutTasksRequest;
use ccc_api::operation::describe_numbers::DescribeNumbersRequest;
use ccc_api::operation::describe_staff_status_history::DescribeStaffStatusHistoryRequest;
use ccc_api::operation::describe_tel_cdr::DescribeTelCdrRequest;
use ccc_api::{Client, Credentials, Items, Pages, Paginated, RateLimit, RetryConfig};
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
    // `Items` is `Unpin`: no `Box::pin` needed for `next()`.
    let mut items = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(0)
        .page_size(2)
        .into_paginator()
        .items();
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

/// The issue's line: no position and no size set by hand; the paginator starts
/// at page 0 with the size it is given.
#[tokio::test]
async fn the_paginator_owns_position_and_size() {
    let server = TestServer::start(task_server(tasks(25), |_| 25)).await;
    let ids: Vec<u64> = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .into_paginator()
        .page_size(10)
        .items()
        .map_ok(|t| t.task_id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (0..25).collect::<Vec<_>>());
    let asked: Vec<(u64, u64)> = server
        .received()
        .iter()
        .map(|r| {
            let b = r.json();
            (
                b["PageNumber"].as_u64().unwrap(),
                b["PageSize"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(asked, [(0, 10), (1, 10), (2, 10)]);
}

/// Left unset, the size is the action's documented maximum and the position
/// the first page, for every paging style and whether the members are
/// required or optional, signed or unsigned.
#[tokio::test]
async fn unset_members_start_at_the_first_page_with_the_largest_size() {
    let server = TestServer::start(|_| Reply::json(r#"{"Response":{"RequestId":"r"}}"#)).await;
    let c = client(&server);
    let lenient = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(server.url())
        .rate_limit(RateLimit::Off)
        .build()
        .unwrap();
    c.describe_auto_callout_tasks()
        .sdk_app_id(1)
        .into_paginator()
        .next_page()
        .await;
    lenient
        .describe_numbers()
        .sdk_app_id(1)
        .into_paginator()
        .next_page()
        .await;
    lenient
        .describe_tel_cdr()
        .sdk_app_id(1)
        .start_time_stamp(1)
        .end_time_stamp(2)
        .into_paginator()
        .next_page()
        .await;
    lenient
        .describe_staff_status_history()
        .sdk_app_id(1)
        .staff_user_id("a@example.com")
        .start_timestamp(1)
        .end_timestamp(2)
        .into_paginator()
        .next_page()
        .await;
    // Set on the builder: kept.
    c.describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_number(4)
        .page_size(7)
        .into_paginator()
        .next_page()
        .await;
    let sent: Vec<Value> = server.received().iter().map(|r| r.json()).collect();
    let want = [
        (
            json!(0),
            DescribeAutoCalloutTasksRequest::MAX_PAGE_SIZE,
            100,
        ),
        (json!(0), DescribeNumbersRequest::MAX_PAGE_SIZE, 20),
        (json!(0), DescribeTelCdrRequest::MAX_PAGE_SIZE, 100),
        (
            Value::Null,
            DescribeStaffStatusHistoryRequest::MAX_PAGE_SIZE,
            100,
        ),
        (json!(4), 7, 7),
    ];
    assert_eq!(sent.len(), want.len());
    for (body, (position, size, documented)) in sent.iter().zip(want) {
        assert_eq!(size, documented);
        let at = body
            .get("PageNumber")
            .or(body.get("Cursor"))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(at, position, "{body}");
        assert_eq!(body["PageSize"].as_u64(), Some(size), "{body}");
    }
}

/// The streams are named, `Unpin` and `Send`, and `next()` works on them in a
/// `while let` without pinning.
#[tokio::test]
async fn named_unpin_streams_work_with_while_let() {
    fn unpin_send<T: Unpin + Send + 'static>() {}
    unpin_send::<Pages<DescribeAutoCalloutTasksRequest>>();
    unpin_send::<Items<DescribeTelCdrRequest>>();
    let server = TestServer::start(task_server(tasks(5), |_| 5)).await;
    let c = client(&server);
    let mut pages: Pages<DescribeAutoCalloutTasksRequest> = c
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .into_paginator()
        .page_size(2)
        .pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().tasks.len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert!(pages.next().await.is_none(), "stays ended");
    // Driven from another task.
    let items = c
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .into_paginator()
        .items();
    let n = tokio::spawn(items.count()).await.unwrap();
    assert_eq!(n, 5);
}

/// `collect_items(max)` over a table of caps: below, at and above the total,
/// on and off page boundaries; memory never holds more than the cap, and it
/// says whether items were left.
#[tokio::test]
async fn collect_items_stops_at_the_cap_and_says_if_more_exist() {
    // (items on the server, reported total, page size, cap)
    let cases = [
        (7, 7, 3, 0),
        (7, 7, 3, 2),
        (7, 7, 3, 3),
        (7, 7, 3, 6),
        (7, 7, 3, 7),
        (7, 7, 3, 8),
        (7, 7, 3, 1000),
        (6, 6, 3, 6),
        (6, 6, 3, 3),
        (0, 0, 3, 5),
        // A total that exceeds the items: ends on the empty page.
        (6, 9, 3, 6),
        (6, 9, 3, 7),
    ];
    for (n, total, size, cap) in cases {
        let server = TestServer::start(task_server(tasks(n), move |_| total)).await;
        let got = client(&server)
            .describe_auto_callout_tasks()
            .sdk_app_id(1)
            .into_paginator()
            .page_size(size)
            .collect_items(cap as usize)
            .await
            .unwrap();
        let ids: Vec<u64> = got.items.iter().map(|t| t.task_id.unwrap()).collect();
        assert_eq!(
            ids,
            (0..n.min(cap)).collect::<Vec<_>>(),
            "{n} {total} {size} {cap}"
        );
        assert_eq!(got.truncated, cap < n, "{n} {total} {size} {cap}");
        // Never more pages than needed to fill the cap, plus one to tell.
        let needed = cap.min(n).div_ceil(size) + 1;
        assert!(
            server.received().len() as u64 <= needed,
            "{n} {total} {size} {cap}"
        );
    }
    // An error on the way is returned, not a partial list.
    let server = TestServer::start(|req| {
        if req.json()["PageNumber"] == 1 {
            Reply::service_error("InternalError", "boom", "r")
        } else {
            Reply::json(
                json!({"Response": {"TotalCount": 9, "Tasks": tasks(3), "RequestId": "p"}})
                    .to_string(),
            )
        }
    })
    .await;
    let e = client(&server)
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .into_paginator()
        .page_size(3)
        .collect_items(5)
        .await
        .unwrap_err();
    assert_eq!(e.raw_code(), Some("InternalError"));
}

/// A server giving `answers` in turn (the last one repeated), each the body of
/// `Response`.
fn scripted(answers: Vec<Value>) -> impl Fn(&Received) -> Reply + Send + Sync {
    let n = std::sync::atomic::AtomicUsize::new(0);
    move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst).min(answers.len() - 1);
        let mut answer = answers[i].clone();
        answer["RequestId"] = json!(format!("r{i}"));
        Reply::json(json!({ "Response": answer }).to_string())
    }
}

/// Requests sent and pages handed out by the typed paginator of the action
/// `cursor` says (cursor paging: `DescribeStaffStatusHistory`; otherwise
/// `DescribeAutoCalloutTasks`), and by the untyped one over the same answers.
async fn both_paginators(cursor: bool, answers: Vec<Value>) -> [(usize, usize); 2] {
    use ccc_api::runtime::{JsonPaginator, PagingFacts};

    let server = TestServer::start(scripted(answers.clone())).await;
    let typed = if cursor {
        client(&server)
            .describe_staff_status_history()
            .sdk_app_id(1)
            .staff_user_id("agent@example.com")
            .start_timestamp(0)
            .end_timestamp(10)
            .into_paginator()
            .page_size(2)
            .pages()
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .len()
    } else {
        client(&server)
            .describe_auto_callout_tasks()
            .sdk_app_id(1)
            .into_paginator()
            .page_size(2)
            .pages()
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .len()
    };
    let typed = (server.received().len(), typed);

    let server = TestServer::start(scripted(answers)).await;
    let (action, params, facts) = if cursor {
        (
            "DescribeStaffStatusHistory",
            json!({"SdkAppId": 1, "StaffUserId": "agent@example.com", "StartTimestamp": 0, "EndTimestamp": 10, "PageSize": 2}),
            PagingFacts::new(
                ccc_api::PageStyle::Cursor,
                "Cursor",
                "PageSize",
                "Data",
                100,
            )
            .item_cursor("Cursor"),
        )
    } else {
        (
            "DescribeAutoCalloutTasks",
            json!({"SdkAppId": 1, "PageSize": 2}),
            PagingFacts::new(
                ccc_api::PageStyle::PageNumber,
                "PageNumber",
                "PageSize",
                "Tasks",
                100,
            )
            .total("TotalCount"),
        )
    };
    let mut pages = JsonPaginator::new(action, params, facts);
    let client = client(&server);
    let mut untyped = 0;
    while let Some(page) = pages.next_page(&client).await {
        page.unwrap();
        untyped += 1;
    }
    [typed, (server.received().len(), untyped)]
}

#[tokio::test]
async fn typed_and_untyped_paginators_stop_by_the_same_rules() {
    let two = json!(tasks(2));
    let one = json!(tasks(1));
    let status = |cursor: Option<&str>| match cursor {
        Some(c) => json!({"Cursor": c, "Status": "free"}),
        None => json!({"Status": "free"}),
    };
    // (case, cursor paging, answers, requests sent, pages handed out)
    let cases: Vec<(&str, bool, Vec<Value>, usize, usize)> = vec![
        (
            "an empty page",
            false,
            vec![json!({"TotalCount": 5, "Tasks": []})],
            1,
            1,
        ),
        (
            "the total reached",
            false,
            vec![
                json!({"TotalCount": 3, "Tasks": two}),
                json!({"TotalCount": 3, "Tasks": one}),
            ],
            2,
            2,
        ),
        (
            "a repeated page",
            false,
            vec![json!({"TotalCount": 1000, "Tasks": two})],
            2,
            1,
        ),
        (
            "a cursor that does not move",
            true,
            vec![
                json!({"Data": [status(Some("c1")), status(Some("c2"))]}),
                json!({"Data": [status(Some("c2"))]}),
            ],
            2,
            2,
        ),
        (
            "an item without a cursor",
            true,
            vec![json!({"Data": [status(Some("c1")), status(None)]})],
            1,
            1,
        ),
        (
            "a short page without a total: one more request",
            true,
            vec![json!({"Data": [status(Some("c1"))]}), json!({"Data": []})],
            2,
            2,
        ),
    ];
    for (case, cursor, answers, requests, pages) in cases {
        let [typed, untyped] = both_paginators(cursor, answers).await;
        assert_eq!(typed, (requests, pages), "typed: {case}");
        assert_eq!(untyped, (requests, pages), "untyped: {case}");
    }
}
