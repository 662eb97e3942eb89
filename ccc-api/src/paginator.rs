//! Paging through list actions as streams.
//!
//! A list action's request implements [`Paginated`] (generated from the spec's
//! pagination data). A [`Paginator`] fetches one page at a time, only when the
//! stream is polled, and stops at the first of: an empty page, the reported total
//! reached (re-read from every page, so a total that changes mid-way is
//! followed), a page identical to the previous one (a server that ignores the page
//! position must not loop forever), or, for cursor paging, an item without a new
//! cursor.

use crate::action::Action;
use crate::client::Client;
use crate::error::{BuildError, SdkError};
use crate::options::RequestOptions;
use futures_core::Stream;
use std::collections::VecDeque;

/// How a list action pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageStyle {
    /// A page index from 0 and a page size.
    PageNumber,
    /// An item offset and a limit.
    Offset,
    /// An opaque cursor taken from the last item received.
    Cursor,
}

/// A list action's request: where its paging members and items are.
pub trait Paginated: Action + Clone {
    /// One item of a page.
    type Item: PartialEq;
    /// The paging scheme.
    const STYLE: PageStyle;
    /// The page size set on the request.
    fn page_size(&self) -> Option<u64>;
    /// Sets the page size.
    fn set_page_size(&mut self, size: u64);
    /// The page index or offset set on the request.
    fn position(&self) -> Option<u64>;
    /// Sets the page index (page-number paging) or offset (offset paging).
    fn set_position(&mut self, position: u64);
    /// Sets the cursor (cursor paging).
    fn set_cursor(&mut self, cursor: String);
    /// The items of a page.
    fn items(response: &Self::Response) -> &[Self::Item];
    /// The items of a page, taken out of it.
    fn into_items(response: Self::Response) -> Vec<Self::Item>;
    /// The total number of items the response reports, if any.
    fn total(response: &Self::Response) -> Option<u64>;
    /// The cursor an item carries (cursor paging).
    fn cursor_of(item: &Self::Item) -> Option<String>;
}

/// Fetches the pages of a list action lazily.
#[derive(Debug)]
pub struct Paginator<A: Paginated> {
    client: Client,
    request: Result<A, Option<BuildError>>,
    options: RequestOptions,
    seen: u64,
    previous: Option<Vec<A::Item>>,
    cursor: Option<String>,
    done: bool,
}

impl<A: Paginated> Paginator<A>
where
    A::Item: Clone,
{
    /// Pages through `request` with `client`; a request that could not be built
    /// yields its error as the first page.
    pub fn new(client: Client, request: Result<A, BuildError>) -> Self {
        Paginator {
            client,
            request: request.map_err(Some),
            options: RequestOptions::default(),
            seen: 0,
            previous: None,
            cursor: None,
            done: false,
        }
    }

    /// Asks for pages of `size` items (within the action's documented maximum).
    pub fn page_size(mut self, size: u64) -> Self {
        if let Ok(r) = &mut self.request {
            r.set_page_size(size);
        }
        self
    }

    /// Per-request overrides for every page's call.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<A::Response, SdkError<A::ErrorCode>>> {
        if self.done {
            return None;
        }
        let request = match &mut self.request {
            Ok(r) => r,
            Err(e) => {
                self.done = true;
                return e.take().map(|e| Err(SdkError::Build(e)));
            }
        };
        if let Some(cursor) = &self.cursor {
            request.set_cursor(cursor.clone());
        }
        let response = match self.client.execute_with(&*request, &self.options).await {
            Ok(r) => r,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let items = A::items(&response);
        let count = items.len() as u64;
        self.seen = self.seen.saturating_add(count);
        let repeated = self.previous.as_deref() == Some(items);
        if count == 0 || repeated || A::total(&response).is_some_and(|t| self.seen >= t) {
            self.done = true;
        }
        match A::STYLE {
            PageStyle::PageNumber => {
                // A position at the end of the range has no next page.
                match request.position().unwrap_or(0).checked_add(1) {
                    Some(next) => request.set_position(next),
                    None => self.done = true,
                }
            }
            PageStyle::Offset => match request.position().unwrap_or(0).checked_add(count) {
                Some(next) => request.set_position(next),
                None => self.done = true,
            },
            PageStyle::Cursor => {
                let next = items.last().and_then(A::cursor_of);
                if next.is_none() || next == self.cursor {
                    self.done = true;
                }
                self.cursor = next;
            }
        }
        self.previous = Some(items.to_vec());
        if repeated {
            // The same page again: the server ignores the position; stop without
            // handing out its items twice.
            return None;
        }
        Some(Ok(response))
    }

    /// The pages as a stream.
    pub fn pages(self) -> impl Stream<Item = Result<A::Response, SdkError<A::ErrorCode>>> {
        futures_util::stream::unfold(self, |mut p| async move {
            p.next_page().await.map(|page| (page, p))
        })
    }

    /// The items of every page as one stream.
    pub fn items(self) -> impl Stream<Item = Result<A::Item, SdkError<A::ErrorCode>>> {
        let state = (self, VecDeque::new());
        futures_util::stream::unfold(state, |(mut p, mut buffer)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (p, buffer)));
                }
                match p.next_page().await? {
                    Ok(page) => buffer.extend(A::into_items(page)),
                    Err(e) => return Some((Err(e), (p, buffer))),
                }
            }
        })
    }
}
