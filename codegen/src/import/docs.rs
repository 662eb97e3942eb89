//! Turning upstream's documentation (HTML fragments in the tccli `api.json`:
//! `<p>`, `<br>`, `<ul><li>`, links, entities) into plain doc text that cannot
//! break a Rust doc comment or `rustdoc -D warnings`.
//!
//! What [`clean`] guarantees for its result:
//! - HTML tags are gone: block tags (`p`, `br`, `div`, `li`, table rows,
//!   headings) become line breaks, `li` a `- ` item; inline tags leave their
//!   text; a link keeps its target after its text. Entities are decoded.
//! - Every line starts at its first visible character, so no line is an
//!   indented code block (which rustdoc would compile as a doctest).
//! - Markdown that could be read as code, links or HTML is escaped with a
//!   backslash: `` ` `` (no code spans or fences), `~` (no `~~~` fences), `[`
//!   and `]` (no intra-doc links), `<` and `>` (no HTML tags, no stray
//!   autolinks), `\` itself; control characters are dropped.
//! - Bare `http://` / `https://` URLs are written as autolinks `<https://...>`,
//!   which `rustdoc::bare_urls` accepts.
//! - Runs of blank lines are one blank line; the text is trimmed.

/// Block-level tags: they end a line.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "ul",
    "ol",
    "tr",
    "table",
    "thead",
    "tbody",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "hr",
    "blockquote",
    "dl",
    "dt",
    "dd",
    "section",
    "header",
    "footer",
];

/// `html` as plain doc text; see the module doc for what it guarantees.
pub fn clean(html: &str) -> String {
    let text = strip_tags(html);
    let text = decode_entities(&text);
    let mut lines: Vec<String> = Vec::new();
    let mut blank = false;
    for line in text.split('\n') {
        let line: String = line
            .chars()
            .map(|c| {
                if c == '\t' || c == '\u{a0}' || c == '\u{3000}' {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !c.is_control())
            .collect();
        let line = line.trim();
        if line.is_empty() {
            blank = !lines.is_empty();
            continue;
        }
        if blank {
            lines.push(String::new());
            blank = false;
        }
        lines.push(escape_line(&markdown_links(line)));
    }
    lines.join("\n")
}

/// Upstream's Markdown links `[text](target)` as `text (target)`, a target
/// relative to the documentation site (`/document/api/...`) made absolute
/// (`https://cloud.tencent.com/document/api/...`), so that the target becomes
/// an autolink and the brackets need no escaping.
fn markdown_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|mid| {
            let text = &after[..mid];
            let target_start = &after[mid + 2..];
            let close = target_start.find(')')?;
            let target = &target_start[..close];
            let ok = !text.contains('[')
                && !text.contains(']')
                && !target.contains(char::is_whitespace)
                && (target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with('/'));
            ok.then(|| (text, target, mid + 2 + close + 1))
        });
        match link {
            Some((text, target, len)) => {
                out.push_str(&rest[..open]);
                let target = if target.starts_with('/') {
                    format!("https://cloud.tencent.com{target}")
                } else {
                    target.to_owned()
                };
                out.push_str(&format!("{text} ({target})"));
                rest = &after[len..];
            }
            None => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes tags, turning block ones into line breaks. A `<` that does not open
/// a tag (`a < b`, `<Name>` where Name is no HTML tag) is kept as text.
fn strip_tags(html: &str) -> String {
    let normalized = html.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalized.len());
    let mut rest = normalized.as_str();
    let mut link: Option<String> = None;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        match tag(after) {
            Some((len, name, closing, href)) => {
                let name = name.to_ascii_lowercase();
                if name == "li" && !closing {
                    out.push_str("\n- ");
                } else if BLOCK_TAGS.contains(&name.as_str()) {
                    out.push('\n');
                } else if name == "td" || name == "th" {
                    out.push(' ');
                } else if name == "a" && !closing {
                    link = href;
                } else if name == "a" && closing {
                    if let Some(url) = link.take() {
                        if url.starts_with("http://") || url.starts_with("https://") {
                            out.push_str(&format!(" ({url})"));
                        }
                    }
                }
                rest = &after[len..];
            }
            None => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// At `text` (which starts with `<`): the length of the tag there, its name,
/// whether it closes, and its `href` if any; `None` if no tag starts here.
fn tag(text: &str) -> Option<(usize, String, bool, Option<String>)> {
    let end = text.find('>')?;
    if end > 2000 {
        return None;
    }
    let inner = &text[1..end];
    if inner.starts_with("!--") {
        // A comment: up to its end.
        let close = text.find("-->")?;
        return Some((close + 3, "!--".into(), false, None));
    }
    let (closing, body) = match inner.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, inner),
    };
    let name: String = body
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let known = BLOCK_TAGS.contains(&name.to_ascii_lowercase().as_str())
        || [
            "a", "b", "i", "u", "em", "strong", "span", "code", "font", "sup", "sub", "li", "td",
            "th", "small", "big", "s", "strike", "del", "ins", "mark", "img", "col", "colgroup",
            "caption", "label", "tt", "var", "kbd", "samp", "cite", "abbr",
        ]
        .contains(&name.to_ascii_lowercase().as_str());
    if !known {
        return None;
    }
    let attrs = &body[name.len()..];
    if !(attrs.is_empty() || attrs.starts_with(char::is_whitespace) || attrs.starts_with('/')) {
        return None;
    }
    let href = attrs.find("href=").and_then(|i| {
        let v = &attrs[i + 5..];
        let quote = v.chars().next()?;
        if quote == '"' || quote == '\'' {
            let v = &v[1..];
            v.find(quote).map(|e| v[..e].to_owned())
        } else {
            Some(
                v.split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            )
        }
    });
    Some((end + 1, name, closing, href))
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let decoded = after.find(';').filter(|&e| e <= 10).and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes one trimmed line, writing bare URLs as autolinks.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    loop {
        let next = ["https://", "http://"]
            .iter()
            .filter_map(|p| find_ascii_ci(rest, p))
            .min();
        let Some(at) = next else {
            escape_text(rest, &mut out);
            break;
        };
        escape_text(&rest[..at], &mut out);
        let url_len = rest[at..]
            .char_indices()
            .find(|&(_, c)| !is_url_char(c))
            .map_or(rest.len() - at, |(i, _)| i);
        let mut url = &rest[at..at + url_len];
        while let Some(shorter) =
            url.strip_suffix(['.', ',', ';', ':', '!', '?', ')', '\'', '"', '*', '_'])
        {
            url = shorter;
        }
        if url.contains("://") && url.len() > url.find("://").unwrap_or(0) + 3 {
            out.push('<');
            out.push_str(url);
            out.push('>');
        } else {
            escape_text(url, &mut out);
        }
        rest = &rest[at + url.len()..];
    }
    out
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+,;=%".contains(c)
}

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '~' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn tags_become_lines_and_text_is_escaped() {
        assert_eq!(clean("<p>One</p><p>Two<br/>Three</p>"), "One\n\nTwo\nThree");
        assert_eq!(clean("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
        assert_eq!(clean("a &lt; b &amp;&amp; c"), "a \\< b && c");
        assert_eq!(clean("see [Foo] and `x"), "see \\[Foo\\] and \\`x");
        assert_eq!(
            clean("```rust\nfn x() {}\n```"),
            "\\`\\`\\`rust\nfn x() {}\n\\`\\`\\`"
        );
        assert_eq!(clean("    indented\n\n\n\nnext"), "indented\n\nnext");
        assert_eq!(
            clean("go to https://example.com/a?b=1. Done"),
            "go to <https://example.com/a?b=1>. Done"
        );
        assert_eq!(
            clean(r#"<a href="https://example.com/x">the page</a>"#),
            "the page (<https://example.com/x>)"
        );
        assert_eq!(clean("List<String> x"), "List\\<String\\> x");
        assert_eq!(clean("~~~\nx"), "\\~\\~\\~\nx");
        assert_eq!(clean("<!-- hidden -->shown"), "shown");
        assert_eq!(clean("C:\\dir"), "C:\\\\dir");
        assert_eq!(
            clean("see [the intro](/document/api/1/2#a) and [x](https://e.com/y)."),
            "see the intro (<https://cloud.tencent.com/document/api/1/2#a>) and x (<https://e.com/y>)."
        );
    }
}
