//! Paging through list actions as streams.
//!
//! A list action's request implements [`Paginated`] (generated from the spec's
//! pagination data). A [`Paginator`] owns the request's position and size
//! members: `into_paginator()` starts at the first page with the action's
//! documented maximum page size ([`Paginated::MAX_PAGE_SIZE`]) unless they
//! were set, and [`Paginator::page_size`] changes the size. It fetches one
//! page at a time, only when asked ([`Paginator::next_page`], or polling the
//! [`Pages`] and [`Items`] streams, which are `Unpin` and work with
//! `StreamExt::next` in a `while let`).
//!
//! # When paging stops
//!
//! Every paginator, the typed [`Paginator`] and the untyped [`JsonPaginator`]
//! (answers as `serde_json::Value`, driven by [`PagingFacts`]), follows one set
//! of rules, kept in one place. Paging stops after the first page that is:
//!
//! - empty;
//! - the one at which the items received reach the reported total (re-read
//!   from every page, so a total that changes mid-way is followed);
//! - identical to the previous page (a server that ignores the page position
//!   must not loop forever): that page is not handed out again;
//! - for cursor paging, a page whose last item carries no cursor, or the cursor
//!   already used;
//! - one whose next position cannot be represented.
//!
//! A page shorter than the page size does not end the list on its own: some
//! services return short pages mid-way, so without a total one more page is
//! asked for, and the empty answer ends it. Page numbers start at the action's
//! first page ([`Paginated::FIRST_PAGE`], [`PagingFacts::first_page`]): 0, or 1
//! for services that count pages from 1.

use crate::action::Action;
use crate::client::Client;
use crate::error::{BuildError, SdkError};
use crate::options::RequestOptions;
use futures_core::future::BoxFuture;
use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

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
pub trait Paginated: Action + Clone + Send + Sync + 'static {
    /// One item of a page.
    type Item: PartialEq + Clone + Send + Sync + 'static;
    /// The paging scheme.
    const STYLE: PageStyle;
    /// The largest page size the service documents for the action; the
    /// paginator's page size unless told otherwise.
    const MAX_PAGE_SIZE: u64;
    /// The number of the first page, for page-number paging: 0, or 1 for
    /// services that count pages from 1. Where paging starts when the request
    /// sets no position.
    const FIRST_PAGE: u64 = 0;
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
    tracker: PageTracker<A::Item, String>,
}

/// What a page fetch gives.
type Page<A> = Result<<A as Action>::Response, SdkError<<A as Action>::ErrorCode>>;

impl<A: Paginated> Paginator<A>
where
    A::Response: Send,
    A::ErrorCode: Send,
{
    /// Pages through `request` with `client`; a request that could not be built
    /// yields its error as the first page.
    pub fn new(client: Client, request: Result<A, BuildError>) -> Self {
        Paginator {
            client,
            request: request.map_err(Some),
            options: RequestOptions::default(),
            tracker: PageTracker::new(A::STYLE),
        }
    }

    /// Asks for pages of `size` items instead of [`Paginated::MAX_PAGE_SIZE`];
    /// a size the service does not accept fails the first page with its error.
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
        if self.tracker.is_done() {
            return None;
        }
        let request = match &mut self.request {
            Ok(r) => r,
            Err(e) => {
                self.tracker.finish();
                return e.take().map(|e| Err(SdkError::Build(e)));
            }
        };
        if let Some(cursor) = self.tracker.cursor() {
            request.set_cursor(cursor.clone());
        }
        let response = match self.client.execute_with(&*request, &self.options).await {
            Ok(r) => r,
            Err(e) => {
                self.tracker.finish();
                return Some(Err(e));
            }
        };
        let start = request.position().unwrap_or(match A::STYLE {
            PageStyle::PageNumber => A::FIRST_PAGE,
            _ => 0,
        });
        let page = self.tracker.record(
            start,
            A::items(&response),
            A::total(&response),
            A::cursor_of,
        );
        if let Some(next) = page.next_position {
            request.set_position(next);
        }
        // The same page again is not handed out twice.
        page.fresh.then_some(Ok(response))
    }

    /// The pages as a stream.
    pub fn pages(self) -> Pages<A> {
        Pages {
            state: PagesState::Idle(Box::new(self)),
        }
    }

    /// The items of every page as one stream.
    pub fn items(self) -> Items<A> {
        Items {
            pages: self.pages(),
            buffer: VecDeque::new(),
        }
    }

    /// Every item, up to `max`: pages are fetched until `max` items are held
    /// or the list ends, so memory stays bounded however long the list is. The
    /// result says whether items were left: to tell, when `max` falls at the
    /// end of a page, one more page is fetched (an error then is returned).
    pub async fn collect_items(
        self,
        max: usize,
    ) -> Result<Collected<A::Item>, SdkError<A::ErrorCode>> {
        let mut items = self.items();
        let mut collected = Vec::new();
        while collected.len() < max {
            match items.next_item().await {
                Some(item) => collected.push(item?),
                None => {
                    return Ok(Collected {
                        items: collected,
                        truncated: false,
                    })
                }
            }
        }
        let truncated = match items.next_item().await {
            None => false,
            Some(item) => {
                item?;
                true
            }
        };
        Ok(Collected {
            items: collected,
            truncated,
        })
    }
}

/// The position and stop rules of one paging run, shared by [`Paginator`] and
/// [`JsonPaginator`]: fed each page received, it says where the next one
/// starts, or that there is none (see the [module docs](self)). `T` is an item,
/// `K` a cursor.
#[derive(Debug, Clone)]
pub(crate) struct PageTracker<T, K> {
    style: PageStyle,
    /// Items received so far.
    seen: u64,
    /// The items of the last page, to notice a server repeating it.
    previous: Option<Vec<T>>,
    /// The cursor for the next page (cursor paging).
    cursor: Option<K>,
    done: bool,
}

/// What [`PageTracker::record`] makes of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recorded {
    /// The page is new: hand it out (a repeated page is not).
    pub fresh: bool,
    /// The page index or offset for the next request (page-number and
    /// offset paging, when there is a next page to ask for).
    pub next_position: Option<u64>,
}

impl<T: PartialEq + Clone, K: PartialEq> PageTracker<T, K> {
    pub(crate) fn new(style: PageStyle) -> Self {
        PageTracker {
            style,
            seen: 0,
            previous: None,
            cursor: None,
            done: false,
        }
    }

    /// Whether the last page has been received.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// Ends the run (after an error).
    pub(crate) fn finish(&mut self) {
        self.done = true;
    }

    /// The cursor to send with the next request, once a page gave one.
    pub(crate) fn cursor(&self) -> Option<&K> {
        self.cursor.as_ref()
    }

    /// Records the page fetched at `position` (its page index or offset;
    /// unused for cursor paging) holding `items`, with the `total` it reports.
    pub(crate) fn record(
        &mut self,
        position: u64,
        items: &[T],
        total: Option<u64>,
        cursor_of: impl Fn(&T) -> Option<K>,
    ) -> Recorded {
        let count = items.len() as u64;
        self.seen = self.seen.saturating_add(count);
        let repeated = self.previous.as_deref() == Some(items);
        if count == 0 || repeated || total.is_some_and(|t| self.seen >= t) {
            self.done = true;
        }
        let next_position = match self.style {
            PageStyle::PageNumber => position.checked_add(1),
            PageStyle::Offset => position.checked_add(count),
            PageStyle::Cursor => {
                let next = items.last().and_then(cursor_of);
                if next.is_none() || next == self.cursor {
                    self.done = true;
                }
                self.cursor = next;
                None
            }
        };
        if self.style != PageStyle::Cursor && next_position.is_none() {
            // A position at the end of the range has no next page.
            self.done = true;
        }
        self.previous = Some(items.to_vec());
        Recorded {
            fresh: !repeated,
            next_position: next_position.filter(|_| !self.done),
        }
    }
}

/// The items of [`Paginator::collect_items`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Collected<T> {
    /// The items, in order; at most the cap.
    pub items: Vec<T>,
    /// Whether the list holds more items than were collected.
    pub truncated: bool,
}

/// The pages of a [`Paginator`] as a stream: a named, `Unpin` type, usable
/// with `StreamExt::next` in a `while let` without pinning.
pub struct Pages<A: Paginated> {
    state: PagesState<A>,
}

/// A page being fetched; resolves to the paginator and the page.
type Fetch<A> = BoxFuture<'static, (Box<Paginator<A>>, Option<Page<A>>)>;

enum PagesState<A: Paginated> {
    /// Waiting to be polled for the next page (boxed: the paginator is large,
    /// the other states are a pointer or nothing).
    Idle(Box<Paginator<A>>),
    /// A page is being fetched; the future hands the paginator back.
    Fetching(Fetch<A>),
    Done,
}

// The paginator is only ever moved, never pinned in place: the fetch in
// progress lives in its own box.
impl<A: Paginated> Unpin for Pages<A> {}

impl<A: Paginated> fmt::Debug for Pages<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            PagesState::Idle(_) => "idle",
            PagesState::Fetching(_) => "fetching",
            PagesState::Done => "done",
        };
        f.debug_struct("Pages")
            .field("action", &A::ACTION)
            .field("state", &state)
            .finish()
    }
}

impl<A: Paginated> Stream for Pages<A>
where
    A::Response: Send,
    A::ErrorCode: Send,
{
    type Item = Page<A>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, PagesState::Done) {
                PagesState::Done => return Poll::Ready(None),
                PagesState::Idle(mut paginator) => {
                    this.state = PagesState::Fetching(Box::pin(async move {
                        let page = paginator.next_page().await;
                        (paginator, page)
                    }));
                }
                PagesState::Fetching(mut fetch) => match fetch.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = PagesState::Fetching(fetch);
                        return Poll::Pending;
                    }
                    Poll::Ready((paginator, page)) => {
                        if page.is_some() {
                            this.state = PagesState::Idle(paginator);
                        }
                        return Poll::Ready(page);
                    }
                },
            }
        }
    }
}

/// The items of every page of a [`Paginator`] as one stream: a named, `Unpin`
/// type, usable with `StreamExt::next` in a `while let` without pinning. An
/// error ends it.
pub struct Items<A: Paginated> {
    pages: Pages<A>,
    buffer: VecDeque<A::Item>,
}

impl<A: Paginated> Unpin for Items<A> {}

impl<A: Paginated> fmt::Debug for Items<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<A: Paginated> Items<A>
where
    A::Response: Send,
    A::ErrorCode: Send,
{
    async fn next_item(&mut self) -> Option<Result<A::Item, SdkError<A::ErrorCode>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<A: Paginated> Stream for Items<A>
where
    A::Response: Send,
    A::ErrorCode: Send,
{
    type Item = Result<A::Item, SdkError<A::ErrorCode>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(A::into_items(page)),
            }
        }
    }
}
