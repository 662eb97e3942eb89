//! Inferring how a list action pages, from the shapes upstream gives, for
//! imports with upstream docs.
//!
//! Paging is inferred only where it leaves no doubt:
//! - exactly one list among the response's members: the items;
//! - `Offset` and `Limit`, both integers: offset paging; or a page number
//!   (`PageNumber`, `PageNum`, `PageNo`, `PageIndex` or `Page`, exactly one of
//!   them) and `PageSize`, integers, and the page number's doc saying whether
//!   pages count from 0 or from 1 (`从1开始`, `默认1`, `starts from 1`, ...):
//!   page-number paging from that page; a doc that says neither, or both,
//!   gives none;
//! - the total: `TotalCount` or `Total`, an integer, if exactly one is there.
//!
//! Cursor-like paging (`NextToken`, `Cursor`, `Marker`) is not inferred: the
//! runtime's cursor paging takes the cursor from the last item, and these
//! actions return it beside the items.
//!
//! The page size paginators ask for is the maximum the size member's doc
//! states, read as validation reads it (`documented_max`); when the doc states
//! none, the default it states (`默认20`, `default 20`), else 10, with
//! `max_size_source` saying so. A stated maximum of 0 gives no paging.

use super::NamedTypes;
use crate::spec::{ActionFile, Member, PageStyle, Pagination, TypeRef};

/// The names of page-number members, with `PageSize`.
const PAGE_NUMBERS: &[&str] = &["PageNumber", "PageNum", "PageNo", "PageIndex", "Page"];

/// The page size assumed when upstream documents neither a maximum nor a default.
const FALLBACK_PAGE_SIZE: u64 = 10;

/// How `action` pages, when its shapes say so unambiguously.
pub(crate) fn infer(action: &ActionFile, named: &NamedTypes) -> Option<Pagination> {
    let wire = |m: &Member| -> Option<TypeRef> {
        let ty = TypeRef::parse(&m.ty).ok()?;
        Some(match &ty {
            TypeRef::Named(n) => named.get(n).map_or(ty.clone(), |x| x.wire.clone()),
            _ => ty,
        })
    };
    let int = |m: &&Member| wire(m).is_some_and(|t| t.is_integer());
    let input = |name: &str| action.input.iter().find(|m| m.name == name).filter(int);
    let lists: Vec<&Member> = action
        .output
        .iter()
        .filter(|m| matches!(wire(m), Some(TypeRef::List(_))))
        .collect();
    let [items] = lists.as_slice() else {
        return None;
    };
    let (style, page, size, first_page) = match (input("Offset"), input("Limit")) {
        (Some(page), Some(size)) => (PageStyle::Offset, page, size, 0),
        _ => {
            let pages: Vec<&Member> = PAGE_NUMBERS.iter().filter_map(|n| input(n)).collect();
            let ([page], Some(size)) = (pages.as_slice(), input("PageSize")) else {
                return None;
            };
            (PageStyle::PageNumber, *page, size, first_page(&page.doc)?)
        }
    };
    let totals: Vec<&Member> = ["TotalCount", "Total"]
        .iter()
        .filter_map(|n| action.output.iter().find(|m| m.name == *n).filter(int))
        .collect();
    let total = match totals.as_slice() {
        [t] => Some(t.name.clone()),
        _ => None,
    };
    let (max_size, max_size_source) = match crate::validate::documented_max(&size.doc) {
        Some(0) => return None,
        Some(n) => (n, None),
        None => match stated_default(&size.doc).filter(|n| *n > 0) {
            Some(n) => (
                n,
                Some(format!(
                    "Upstream states no maximum for `{}`; {n} is the default it states.",
                    size.name
                )),
            ),
            None => (
                FALLBACK_PAGE_SIZE,
                Some(format!(
                    "Upstream states neither a maximum nor a default for `{}`; {FALLBACK_PAGE_SIZE} is assumed to be accepted.",
                    size.name
                )),
            ),
        },
    };
    Some(Pagination {
        style,
        page: page.name.clone(),
        size: size.name.clone(),
        max_size,
        max_size_source,
        items: items.name.clone(),
        total,
        item_cursor: None,
        first_page,
    })
}

/// The number right after `phrase` in `doc` (spaces, `:`, `：`, `为`, `是`, `=`
/// skipped), for each place the phrase appears.
fn numbers_after(doc: &str, phrase: &str) -> Vec<u64> {
    let lower = doc.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(phrase) {
        let rest = &lower[from + at + phrase.len()..];
        let digits: String = rest
            .trim_start_matches(|c: char| c.is_whitespace() || ":：为是=".contains(c))
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse() {
            out.push(n);
        }
        from += at + phrase.len();
    }
    out
}

/// The default page size a size member's doc states, if one.
fn stated_default(doc: &str) -> Option<u64> {
    ["默认值", "默认", "default value", "default is", "default"]
        .iter()
        .find_map(|p| numbers_after(doc, p).into_iter().next())
}

/// Whether a page-number member counts from 0 or from 1, as its doc says.
fn first_page(doc: &str) -> Option<u64> {
    let mut said = std::collections::BTreeSet::new();
    for phrase in [
        "从",
        "默认值",
        "默认",
        "起始值",
        "最小值",
        "starts from",
        "starting from",
        "start from",
        "starts at",
        "default",
        ">=",
        "≥",
    ] {
        for n in numbers_after(doc, phrase) {
            if n <= 1 {
                said.insert(n);
            }
        }
    }
    if doc.contains("0表示第一页") || doc.contains("0-based") || doc.contains("0 表示第一页")
    {
        said.insert(0);
    }
    if doc.contains("1表示第一页") || doc.contains("1-based") || doc.contains("1 表示第一页")
    {
        said.insert(1);
    }
    match said.len() {
        1 => said.into_iter().next(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{first_page, stated_default};

    #[test]
    fn first_pages_and_defaults() {
        assert_eq!(first_page("页码，从1开始，默认1"), Some(1));
        assert_eq!(
            first_page("页码ID，0表示第一页，以此后推。默认填0"),
            Some(0)
        );
        assert_eq!(first_page("Page number, starts from 0."), Some(0));
        assert_eq!(first_page("页码"), None);
        assert_eq!(first_page("从0开始，默认1"), None);
        assert_eq!(first_page("默认10"), None);
        assert_eq!(stated_default("每页数量，默认20，最大100"), Some(20));
        assert_eq!(stated_default("Page size; default value: 50."), Some(50));
    }
}
