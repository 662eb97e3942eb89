//! Paging: `--all` (every page, merged or streamed), and the paging members
//! a list action needs that the command line need not give — the page size
//! and the first page, as the library's paginator sets them.

use crate::client::{call, Settings};
use crate::output::{self, Format, Query};
use crate::{call_failed, fail, show};
use ccc_api::runtime::{JsonPaginator, PagingFacts};
use ccc_api::{Client, PageStyle};
use ccc_spec::{ActionInfo, MemberInfo, PaginationInfo};
use serde_json::Value;
use std::process::ExitCode;

/// Most pages `--all` follows: a server that never says "last page" must not
/// keep the command running for ever.
const MAX_PAGES: usize = 100_000;

/// Most items `--all` merges into one answer; past it, `--output jsonl` or
/// `text` print the items as they come, in bounded memory.
const MAX_MERGED_ITEMS: usize = 200_000;

/// `--all`: every page, from the spec's pagination data. Streaming formats
/// print the items of each page as it arrives, one a line (with `--query`:
/// what it selects from each page's answer); the others print one answer, the
/// first page's holding every item, which `--query` then narrows.
pub async fn all_pages(
    client: &Client,
    a: &ActionInfo,
    p: PaginationInfo,
    body: Value,
    s: &Settings,
    query: Option<&Query>,
) -> Result<(), ExitCode> {
    // The runtime's untyped paginator keeps the position and decides when the
    // list ends (the typed paginators' rules); the calls are made here, so
    // that `--debug` shows each.
    let mut pages = JsonPaginator::new(a.name, body, paging_facts(&p));
    let mut merged: Option<Value> = None;
    let mut items: Vec<Value> = Vec::new();
    for _ in 0..MAX_PAGES {
        let Some(params) = pages.params() else {
            break;
        };
        let mut response = call(client, a, &params, s.debug)
            .await
            .map_err(|e| call_failed(&e))?;
        if !pages.record(&response) {
            // The previous page again: the server ignores the position.
            break;
        }
        let page = match response.get_mut(p.items).map(Value::take) {
            Some(Value::Array(page)) => page,
            _ => Vec::new(),
        };
        if s.format.streams() {
            let shown = match query {
                Some(q) => {
                    response[p.items] = Value::Array(page);
                    q.apply(&response).map_err(|e| fail(2, e))?
                }
                // tccli's text names each item by its list (`TASKS\t...`).
                None if s.format == Format::Text => {
                    let mut named = serde_json::Map::new();
                    named.insert(p.items.to_owned(), Value::Array(page));
                    Value::Object(named)
                }
                None => Value::Array(page),
            };
            if !matches!(&shown, Value::Array(v) if v.is_empty()) {
                output::show(&shown, s.format)?;
            }
        } else {
            if items.len() + page.len() > MAX_MERGED_ITEMS {
                return Err(fail(
                    2,
                    format!("more than {MAX_MERGED_ITEMS} items: use --output jsonl or text to print them as they come"),
                ));
            }
            items.extend(page);
            merged.get_or_insert(response);
        }
    }
    if s.format.streams() {
        return Ok(());
    }
    let mut answer = merged.unwrap_or_else(|| Value::Object(Default::default()));
    answer[p.items] = Value::Array(items);
    show(&answer, s.format, query)
}

/// The spec table's paging data as the runtime's paginator takes it.
fn paging_facts(p: &PaginationInfo) -> PagingFacts {
    let style = match p.style {
        "page_number" => PageStyle::PageNumber,
        "offset" => PageStyle::Offset,
        _ => PageStyle::Cursor,
    };
    let mut facts =
        PagingFacts::new(style, p.page, p.size, p.items, p.max_size).first_page(p.first_page);
    if let Some(t) = p.total {
        facts = facts.total(t);
    }
    if let Some(c) = p.item_cursor {
        facts = facts.item_cursor(c);
    }
    facts
}

/// The value the library's paginator gives member `m` of `a` when a request
/// leaves it out: the largest page size, or the first page (offset 0). Such
/// members are not required on the command line.
pub fn default_of(a: &ActionInfo, m: &MemberInfo) -> Option<u64> {
    let p = a.pagination?;
    if m.name == p.size {
        return Some(p.max_size);
    }
    if m.name != p.page {
        return None;
    }
    match p.style {
        "page_number" => Some(p.first_page),
        "offset" => Some(0),
        _ => None,
    }
}

/// `body` with the required paging members it lacks set as the library's
/// paginator sets them (see [`default_of`]).
pub fn with_defaults(a: &ActionInfo, mut body: Value) -> Value {
    let Some(p) = a.pagination else {
        return body;
    };
    let first = JsonPaginator::new(a.name, body.clone(), paging_facts(&p)).params();
    if let (Value::Object(params), Some(Value::Object(first))) = (&mut body, first) {
        for m in a.input.iter().filter(|m| m.required) {
            if let (false, Some(v)) = (params.contains_key(m.name), first.get(m.name)) {
                params.insert(m.name.to_owned(), v.clone());
            }
        }
    }
    body
}
