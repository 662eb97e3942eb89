//! The untyped paginator: the pages of a list action called with
//! [`Client::call`], its paging members named at run time by [`PagingFacts`].
//! It stops by the same rules as the typed [`Paginator`](crate::Paginator)
//! (see the [paginator docs](crate::Paginator#when-paging-stops)), kept in one
//! place that both use.

use crate::client::Client;
use crate::error::SdkError;
use crate::options::RequestOptions;
use crate::paginator::{PageStyle, PageTracker};
use serde_json::{Map, Value};

/// Where a list action keeps its paging members: what an untyped paginator
/// needs to know, the run-time form of a spec's `pagination` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PagingFacts {
    /// The paging scheme.
    pub style: PageStyle,
    /// Request member holding the page index, the offset or the cursor.
    pub page: String,
    /// Request member holding the page size.
    pub size: String,
    /// Answer member holding the list of items.
    pub items: String,
    /// Answer member holding the total number of items, if the action reports one.
    pub total: Option<String>,
    /// With cursor paging: the member of each item holding its cursor.
    pub item_cursor: Option<String>,
    /// The largest page size the action accepts: the page size unless the
    /// request sets one.
    pub max_page_size: u64,
    /// With page-number paging: the number of the first page (0 or 1), where
    /// paging starts unless the request sets a page.
    pub first_page: u64,
}

impl PagingFacts {
    /// Facts of an action paged in `style` by the request members `page` and
    /// `size`, with its items in the answer member `items`, in pages of at most
    /// `max_page_size`; no total, no item cursor, pages counted from 0.
    pub fn new(
        style: PageStyle,
        page: impl Into<String>,
        size: impl Into<String>,
        items: impl Into<String>,
        max_page_size: u64,
    ) -> Self {
        PagingFacts {
            style,
            page: page.into(),
            size: size.into(),
            items: items.into(),
            total: None,
            item_cursor: None,
            max_page_size,
            first_page: 0,
        }
    }

    /// Names the answer member holding the total number of items.
    pub fn total(mut self, member: impl Into<String>) -> Self {
        self.total = Some(member.into());
        self
    }

    /// Names the member of each item holding its cursor (cursor paging).
    pub fn item_cursor(mut self, member: impl Into<String>) -> Self {
        self.item_cursor = Some(member.into());
        self
    }

    /// Sets the number of the first page (page-number paging).
    pub fn first_page(mut self, first: u64) -> Self {
        self.first_page = first;
        self
    }
}

/// Fetches the pages of a list action with untyped parameters and answers.
///
/// [`JsonPaginator::next_page`] calls the action through a [`Client`]; a
/// program that makes its calls itself (to log them, say) asks
/// [`JsonPaginator::params`] for the next request's parameters and hands each
/// answer to [`JsonPaginator::record`]. Either way the request's page size is
/// kept if set (otherwise [`PagingFacts::max_page_size`]), and so is its
/// position (otherwise the first page, offset 0, or no cursor).
///
/// ```no_run
/// # async fn run(client: tencent_cloud_runtime::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use tencent_cloud_runtime::json_paginator::{JsonPaginator, PagingFacts};
/// use tencent_cloud_runtime::PageStyle;
///
/// let facts = PagingFacts::new(PageStyle::PageNumber, "PageNumber", "PageSize", "Tasks", 100)
///     .total("TotalCount");
/// let params = serde_json::json!({ "SdkAppId": 1400000000 });
/// let mut pages = JsonPaginator::new("DescribeAutoCalloutTasks", params, facts);
/// while let Some(page) = pages.next_page(&client).await {
///     println!("{}", page?["Tasks"]);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct JsonPaginator {
    action: String,
    params: Map<String, Value>,
    facts: PagingFacts,
    options: RequestOptions,
    tracker: PageTracker<Value, Value>,
}

impl JsonPaginator {
    /// Pages through `action` called with `params` (a JSON object; anything
    /// else counts as an empty one).
    pub fn new(action: impl Into<String>, params: Value, facts: PagingFacts) -> Self {
        let mut params = match params {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        if params.get(&facts.size).is_none_or(Value::is_null) {
            params.insert(facts.size.clone(), Value::from(facts.max_page_size));
        }
        let start = match facts.style {
            PageStyle::PageNumber => Some(facts.first_page),
            PageStyle::Offset => Some(0),
            PageStyle::Cursor => None,
        };
        if let Some(start) = start {
            if params.get(&facts.page).is_none_or(Value::is_null) {
                params.insert(facts.page.clone(), Value::from(start));
            }
        }
        JsonPaginator {
            action: action.into(),
            tracker: PageTracker::new(facts.style),
            params,
            facts,
            options: RequestOptions::default(),
        }
    }

    /// Per-request overrides for every page's call through
    /// [`JsonPaginator::next_page`].
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// The action paged through.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The page size asked for.
    pub fn page_size(&self) -> Option<u64> {
        self.params.get(&self.facts.size).and_then(Value::as_u64)
    }

    /// The parameters of the next request, or `None` after the last page.
    pub fn params(&self) -> Option<Value> {
        if self.tracker.is_done() {
            return None;
        }
        let mut params = self.params.clone();
        if let Some(cursor) = self.tracker.cursor() {
            params.insert(self.facts.page.clone(), cursor.clone());
        }
        Some(Value::Object(params))
    }

    /// Records the answer to the request [`JsonPaginator::params`] gave:
    /// whether it is a new page to use (`false` for a page identical to the
    /// previous one, which also ends the run).
    pub fn record(&mut self, answer: &Value) -> bool {
        let empty = Vec::new();
        let items = match answer.get(&self.facts.items) {
            Some(Value::Array(items)) => items,
            _ => &empty,
        };
        let total = self
            .facts
            .total
            .as_ref()
            .and_then(|t| answer.get(t))
            .and_then(Value::as_u64);
        let position = self
            .params
            .get(&self.facts.page)
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let cursor_member = self.facts.item_cursor.as_deref();
        let page = self.tracker.record(position, items, total, |item| {
            cursor_member
                .and_then(|c| item.get(c))
                .filter(|c| !c.is_null())
                .cloned()
        });
        if let Some(next) = page.next_position {
            self.params
                .insert(self.facts.page.clone(), Value::from(next));
        }
        page.fresh
    }

    /// Ends the run: [`JsonPaginator::params`] gives `None` from now on.
    pub fn finish(&mut self) {
        self.tracker.finish();
    }

    /// Calls the action for the next page: `None` after the last page or after
    /// an error.
    pub async fn next_page(&mut self, client: &Client) -> Option<Result<Value, SdkError<String>>> {
        let params = self.params()?;
        match client.call_with(&self.action, &params, &self.options).await {
            Ok(answer) => self.record(&answer).then_some(Ok(answer)),
            Err(e) => {
                self.finish();
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn numbers(first_page: u64) -> JsonPaginator {
        let facts = PagingFacts::new(PageStyle::PageNumber, "Page", "Size", "Items", 50)
            .total("Total")
            .first_page(first_page);
        JsonPaginator::new("List", json!({"Id": 1}), facts)
    }

    #[test]
    fn page_numbers_start_at_the_first_page_with_the_largest_size() {
        let mut pages = numbers(1);
        assert_eq!(
            pages.params(),
            Some(json!({"Id": 1, "Page": 1, "Size": 50}))
        );
        assert!(pages.record(&json!({"Items": [1, 2], "Total": 3})));
        assert_eq!(pages.params().unwrap()["Page"], 2);
        assert!(pages.record(&json!({"Items": [3], "Total": 3})));
        assert_eq!(pages.params(), None);
        assert_eq!(numbers(0).params().unwrap()["Page"], 0);
    }

    #[test]
    fn set_positions_and_sizes_are_kept() {
        let facts = PagingFacts::new(PageStyle::Offset, "Offset", "Limit", "Items", 50);
        let mut pages = JsonPaginator::new("List", json!({"Offset": 10, "Limit": 2}), facts);
        assert_eq!(pages.page_size(), Some(2));
        assert!(pages.record(&json!({"Items": ["a", "b"]})));
        assert_eq!(pages.params(), Some(json!({"Offset": 12, "Limit": 2})));
        // The same items again: not a new page, and the end.
        assert!(!pages.record(&json!({"Items": ["a", "b"]})));
        assert_eq!(pages.params(), None);
    }

    #[test]
    fn cursors_are_taken_from_the_last_item_as_they_are() {
        let facts =
            PagingFacts::new(PageStyle::Cursor, "Cursor", "Size", "Items", 5).item_cursor("Next");
        let mut pages = JsonPaginator::new("List", json!({}), facts);
        assert_eq!(pages.params(), Some(json!({"Size": 5})));
        assert!(pages.record(&json!({"Items": [{"Next": 7}]})));
        assert_eq!(pages.params(), Some(json!({"Size": 5, "Cursor": 7})));
        assert!(pages.record(&json!({"Items": [{"Next": null}]})));
        assert_eq!(pages.params(), None);
    }
}
