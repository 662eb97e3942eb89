//! The item-declaring macros of the runtime, expanded as the compiler would,
//! so that the enums they declare are listed like written ones.
//!
//! `error_code_enum! { $(#[attr])* pub enum Name { $(#[attr])* Variant = "Code", ... } }`
//! declares an enum with an `Unknown` variant and three impls (see the
//! runtime's `enums` module). A generated crate's `action_error_code!` is a
//! `macro_rules!` forwarding to it with the common codes appended; its
//! definition is read here to learn those codes.
//!
//! A generated `macro_rules!` of the form `() => { impl items };` (the
//! request setters, shared by a request's builder, fluent builder and
//! waiters) is expanded where an `impl` block invokes it, and so is the
//! runtime's `setters!` (see the generator's `setters_macro` module).

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use std::collections::BTreeMap;

/// What a crate's `macro_rules!` wrappers of `error_code_enum!` add: the
/// runtime's path and the variants appended after the invocation's own.
#[derive(Default)]
pub(super) struct Wrappers {
    codes: BTreeMap<String, (syn::Path, TokenStream)>,
    /// `() => { impl items };` macros by name, the latest definition.
    impl_items: BTreeMap<String, Vec<syn::ImplItem>>,
}

impl Wrappers {
    /// `items` with every known macro invocation replaced by its items; a
    /// wrapper's definition is remembered for the invocations that follow.
    pub(super) fn expand(&mut self, items: Vec<syn::Item>) -> Vec<syn::Item> {
        let mut out = Vec::with_capacity(items.len());
        for mut item in items {
            if let syn::Item::Impl(imp) = &mut item {
                self.expand_in_impl(imp);
            }
            let syn::Item::Macro(m) = &item else {
                out.push(item);
                continue;
            };
            if let Some(name) = &m.ident {
                if let Some(wrapper) = wrapper_of(&m.mac.tokens) {
                    self.codes.insert(name.to_string(), wrapper);
                }
                if let Some(items) = impl_items_of(&m.mac.tokens) {
                    self.impl_items.insert(name.to_string(), items);
                }
                out.push(item);
                continue;
            }
            let Some(last) = m.mac.path.segments.last() else {
                out.push(item);
                continue;
            };
            let expanded = if last.ident == "error_code_enum" {
                let mut rt = m.mac.path.clone();
                rt.segments.pop();
                rt.segments.pop_punct();
                error_code_enum(&rt, m.mac.tokens.clone(), TokenStream::new())
            } else {
                self.codes
                    .get(&last.ident.to_string())
                    .and_then(|(rt, extra)| {
                        error_code_enum(rt, m.mac.tokens.clone(), extra.clone())
                    })
            };
            match expanded {
                Some(items) => out.extend(items),
                None => out.push(item),
            }
        }
        out
    }
}

impl Wrappers {
    /// Replaces the invocations of known item macros in `imp` by their items.
    fn expand_in_impl(&self, imp: &mut syn::ItemImpl) {
        let mut items = Vec::with_capacity(imp.items.len());
        for item in imp.items.drain(..) {
            self.expand_impl_item(item, &mut items);
        }
        imp.items = items;
    }

    /// `item`, or the items its macro invocation makes: a generated
    /// `() => { items }` macro (named by its last path segment: a waiter
    /// invokes its action's by path), or the runtime's `setters!`.
    fn expand_impl_item(&self, item: syn::ImplItem, out: &mut Vec<syn::ImplItem>) {
        let syn::ImplItem::Macro(m) = &item else {
            out.push(item);
            return;
        };
        if crate::setters_macro::is_setters(&m.mac.path) {
            match crate::setters_macro::entries(m.mac.tokens.clone()) {
                Some(entries) => out.extend(entries.iter().flat_map(crate::setters_macro::methods)),
                None => out.push(item),
            }
            return;
        }
        let known = m
            .mac
            .path
            .segments
            .last()
            .and_then(|name| self.impl_items.get(&name.ident.to_string()));
        match known {
            Some(expanded) => {
                for inner in expanded.iter().cloned() {
                    self.expand_impl_item(inner, out);
                }
            }
            None => out.push(item),
        }
    }
}

/// The impl items of a `macro_rules!` written `() => { items };`.
fn impl_items_of(definition: &TokenStream) -> Option<Vec<syn::ImplItem>> {
    let trees: Vec<TokenTree> = definition.clone().into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Group(matcher), TokenTree::Punct(eq), TokenTree::Punct(gt), TokenTree::Group(body), ..]
            if matcher.delimiter() == Delimiter::Parenthesis
                && matcher.stream().is_empty()
                && eq.as_char() == '='
                && gt.as_char() == '>' =>
        {
            let body = body.stream();
            let imp: syn::ItemImpl = syn::parse2(quote!(impl Body { #body })).ok()?;
            Some(imp.items)
        }
        _ => None,
    }
}

/// The runtime path and appended variants of a `macro_rules!` whose body
/// invokes `<rt>::error_code_enum!` with `$($own)*` followed by variants.
fn wrapper_of(definition: &TokenStream) -> Option<(syn::Path, TokenStream)> {
    let tokens: Vec<TokenTree> = definition.clone().into_iter().collect();
    // The body: the brace group after `=>`.
    let body = tokens.windows(3).find_map(|w| match w {
        [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Group(g)]
            if a.as_char() == '=' && b.as_char() == '>' =>
        {
            Some(g.stream())
        }
        _ => None,
    })?;
    let body: Vec<TokenTree> = body.into_iter().collect();
    let bang = body
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '!'))?;
    let path: syn::Path = syn::parse2(body[..bang].iter().cloned().collect()).ok()?;
    if path.segments.last()?.ident != "error_code_enum" {
        return None;
    }
    let mut rt = path;
    rt.segments.pop();
    rt.segments.pop_punct();
    let extra = after_own(body.get(bang + 1)?)?;
    Some((rt, extra))
}

/// The tokens after `$($own)*` in the enum's braces, wherever they sit.
fn after_own(tree: &TokenTree) -> Option<TokenStream> {
    let TokenTree::Group(g) = tree else {
        return None;
    };
    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
    for (i, w) in inner.windows(3).enumerate() {
        if let [TokenTree::Punct(d), TokenTree::Group(own), TokenTree::Punct(star)] = w {
            if d.as_char() == '$'
                && star.as_char() == '*'
                && own.delimiter() == Delimiter::Parenthesis
                && own.stream().to_string().replace(' ', "") == "$own"
            {
                return Some(inner[i + 3..].iter().cloned().collect());
            }
        }
    }
    inner.iter().find_map(after_own)
}

/// The enum and impls `error_code_enum!` makes of `tokens` (named as the
/// listing names them, `String` for `::std::string::String`) (with `extra`
/// variants appended), or `None` if they are not in its form.
fn error_code_enum(
    rt: &syn::Path,
    tokens: TokenStream,
    extra: TokenStream,
) -> Option<Vec<syn::Item>> {
    let mut e: syn::ItemEnum = syn::parse2(tokens).ok()?;
    if !extra.is_empty() {
        let more: syn::ItemEnum = syn::parse2(quote!(enum Extra { #extra })).ok()?;
        e.variants.extend(more.variants);
    }
    for v in e.variants.iter_mut() {
        v.discriminant = None;
    }
    let unknown: syn::Variant = syn::parse2(quote! {
        /// A code not listed here, kept as sent.
        Unknown(#rt::enums::UnknownValue<String>)
    })
    .ok()?;
    e.variants.push(unknown);
    e.attrs
        .push(syn::parse_quote!(#[derive(Debug, Clone, PartialEq, Eq, Hash)]));
    e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
    let name = &e.ident;
    let impls: syn::File = syn::parse2(quote! {
        impl #name {
            /// The code as sent (`InvalidParameterValue`).
            pub fn as_str(&self) -> &str { unimplemented!() }
        }
        impl #rt::enums::WireEnum for #name {
            type Raw = String;
            type Key = str;
            fn from_known(raw: &str) -> Option<Self> { unimplemented!() }
            fn from_unknown(raw: #rt::enums::UnknownValue<String>) -> Self { unimplemented!() }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { unimplemented!() }
        }
    })
    .ok()?;
    let mut items = vec![syn::Item::Enum(e)];
    items.extend(impls.items);
    Some(items)
}
