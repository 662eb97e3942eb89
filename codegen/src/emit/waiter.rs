//! The `waiters` module: per waiter of the spec a builder that takes the polled
//! action's request members and the wait's timing, and a
//! `Client::wait_until_<name>()` method returning it. The polling loop itself
//! is the runtime's (`waiter::wait_for_action`); the generated code only says
//! where the state is in the typed answer and what its values mean.

use super::docs;
use super::types::field_ident;
use super::Paths;
use crate::model::{Model, Presence, VariantValue, Waiter};
use crate::names::pascal_case;
use crate::spec::TypeRef;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The `waiters` module of `model` (whose `waiters` is not empty).
pub(crate) fn waiters_module(model: &Model, paths: &Paths) -> TokenStream {
    let waiters = model.waiters.iter().filter_map(|w| waiter(model, w, paths));
    quote! {
        //! Waiting until a resource reaches a state: one builder per waiter of
        //! the spec, each made by a `Client::wait_until_*` method. Set the
        //! polled action's members on it (and, if you like, the timing), then
        //! `wait().await`; the outcome says whether the state was reached, can
        //! no longer be, or the time ran out. See the runtime's `waiter` module
        //! for the timing and what each answer counts as.
        #(#waiters)*
    }
}

fn waiter(model: &Model, w: &Waiter, paths: &Paths) -> Option<TokenStream> {
    let rt = &paths.rt;
    let root = &paths.root;
    let action = model.actions.iter().find(|a| a.name == w.action)?;
    let module = format_ident!("{}", action.snake);
    let builder = format_ident!("{}RequestBuilder", action.name);
    let response = format_ident!("{}Response", action.name);
    let error_code = format_ident!("{}ErrorCode", action.name);
    let name = format_ident!("{}Waiter", pascal_case(&w.snake));
    let method = format_ident!("wait_until_{}", w.snake);
    let op = quote!(#root::operation::#module);

    let state_text = w
        .path
        .iter()
        .map(|f| f.wire.as_str())
        .collect::<Vec<_>>()
        .join(".");
    let list = |values: &[(VariantValue, Option<String>)]| {
        values
            .iter()
            .map(|(v, variant)| {
                let raw = match v {
                    VariantValue::Unsigned(n) => n.to_string(),
                    VariantValue::Signed(n) => n.to_string(),
                    VariantValue::Text(t) => format!("{t:?}"),
                };
                match variant {
                    Some(variant) => format!("`{raw}` ({variant})"),
                    None => format!("`{raw}`"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let line = format!("Waits {}.", w.doc.trim_end_matches('.'));
    let mut about = format!(
        "{line}\n\nPolls `{}` until its `{state_text}` is {}",
        action.name,
        list(&w.success)
    );
    if !w.failure.is_empty() {
        about.push_str(&format!(
            "; ends early, as unreachable, at {}",
            list(&w.failure)
        ));
    }
    about.push('.');
    if !w.retry.is_empty() {
        about.push_str(&format!(
            " {} and any value not listed mean the wait goes on.",
            list(&w.retry)
        ));
    } else {
        about.push_str(" Any other value means the wait goes on.");
    }
    let struct_doc = docs::outer(&format!(
        "{about}\n\nMade by [`Client::{method}`]({root_path}::Client::{method}); set the members of the request as on \
         [`{builder}`]({root_path}::operation::{}::{builder}), then `wait()`.",
        action.snake,
        root_path = root.to_string().replace(' ', ""),
    ));
    let method_doc = docs::outer(&format!(
        "{line}\n\nSet the members of `{}` on the returned builder, then `wait()` it; see [`{name}`].",
        action.name
    ));

    // The action's own setters (its module's macro), storing into the
    // request builder this waiter wraps.
    let setters = (!action.input.is_empty()).then(|| {
        let setters = format_ident!("{}_setters", action.snake);
        quote! {
            #op::#setters!();

            #[inline]
            fn members(&mut self) -> &mut #op::#builder {
                &mut self.inner
            }
        }
    });
    let state = state_fn(w, paths);

    Some(quote! {
        #struct_doc
        #[derive(Debug, Clone)]
        pub struct #name {
            client: #rt::Client,
            inner: #op::#builder,
            options: #rt::RequestOptions,
            settings: #rt::WaitSettings,
        }

        impl #name {
            /// A wait through `client` with no member set and the default timing.
            #[inline]
            pub fn new(client: #rt::Client) -> Self {
                Self {
                    client,
                    inner: #op::#builder::default(),
                    options: #rt::RequestOptions::default(),
                    settings: #rt::WaitSettings::new(),
                }
            }

            #setters

            /// Replaces the request's members with those of `builder`.
            #[inline]
            pub fn request(mut self, builder: #op::#builder) -> Self {
                self.inner = builder;
                self
            }

            /// The request as built so far.
            #[inline]
            pub fn as_builder(&self) -> &#op::#builder {
                &self.inner
            }

            /// The sleep after the first answer (2 s unless set); later ones
            /// grow by half each time.
            #[inline]
            pub fn initial_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.settings = self.settings.initial_delay(delay);
                self
            }

            /// The longest sleep between two calls (30 s unless set).
            #[inline]
            pub fn max_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.settings = self.settings.max_delay(delay);
                self
            }

            /// How long to wait in all, from the first call (10 minutes unless
            /// set); zero makes one call.
            #[inline]
            pub fn max_wait(mut self, wait: ::std::time::Duration) -> Self {
                self.settings = self.settings.max_wait(wait);
                self
            }

            /// Sets the whole timing at once.
            #[inline]
            pub fn settings(mut self, settings: #rt::WaitSettings) -> Self {
                self.settings = settings;
                self
            }

            /// Overrides client settings (timeouts, retries, region, language)
            /// for every call of the wait.
            #[inline]
            pub fn options(mut self, options: #rt::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// What an answer says about this wait.
            pub fn state(answer: &#op::#response) -> #rt::WaitState {
                #state
            }

            /// Checks the required members, then polls until the state is
            /// reached, can no longer be, the time runs out or a call fails.
            pub async fn wait(self) -> #rt::WaitOutcome<#op::#response, #op::#error_code> {
                #rt::waiter::wait_for_action(
                    &self.client,
                    self.inner.build(),
                    &self.options,
                    &self.settings,
                    Self::state,
                )
                .await
            }
        }

        impl #root::Client {
            #method_doc
            #[inline]
            pub fn #method(&self) -> #name {
                #name::new(self.core().clone())
            }
        }
    })
}

/// The body of `state(answer)`: the state member reached through the path
/// (`None` where an optional member on the way is absent), matched against the
/// success and failure values.
fn state_fn(w: &Waiter, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let types = &paths.types;
    // A place while every member on the way is required, an `Option<&T>`
    // from the first optional one on.
    let mut place = quote!(answer);
    let mut option: Option<TokenStream> = None;
    for f in &w.path {
        let id = field_ident(&f.rust);
        option = Some(match (option.take(), f.presence, f.boxed) {
            (None, Presence::Required, _) => {
                place = quote!(#place.#id);
                continue;
            }
            (None, _, false) => quote!(#place.#id.as_ref()),
            (None, _, true) => quote!(#place.#id.as_deref()),
            (Some(o), Presence::Required, false) => quote!(#o.map(|v| &v.#id)),
            (Some(o), Presence::Required, true) => quote!(#o.map(|v| &*v.#id)),
            (Some(o), _, false) => quote!(#o.and_then(|v| v.#id.as_ref())),
            (Some(o), _, true) => quote!(#o.and_then(|v| v.#id.as_deref())),
        });
    }
    let state = w.path.last().expect("a path has a member");
    let value = match (&option, &state.ty) {
        (None, TypeRef::String | TypeRef::Text(_)) => quote!(Some(#place.as_str())),
        (None, TypeRef::Named(_)) => quote!(Some(&#place)),
        (None, _) => quote!(Some(#place)),
        (Some(o), TypeRef::String | TypeRef::Text(_)) => quote!(#o.map(|v| v.as_str())),
        (Some(o), TypeRef::Named(_)) => o.clone(),
        (Some(o), _) => quote!(#o.copied()),
    };
    let pattern = |values: &[(VariantValue, Option<String>)]| -> Option<TokenStream> {
        if values.is_empty() {
            return None;
        }
        let each = values
            .iter()
            .map(|(v, variant)| match (variant, &w.state_enum) {
                (Some(variant), Some(e)) => {
                    let e = format_ident!("{}", e);
                    let variant = format_ident!("{}", variant);
                    quote!(Some(#types::#e::#variant))
                }
                _ => {
                    let lit = match v {
                        VariantValue::Unsigned(n) => Literal::u64_unsuffixed(*n),
                        VariantValue::Signed(n) => Literal::i64_unsuffixed(*n),
                        VariantValue::Text(t) => Literal::string(t),
                    };
                    quote!(Some(#lit))
                }
            });
        Some(quote!(#(#each)|*))
    };
    let success = pattern(&w.success).map(|p| quote!(#p => #rt::WaitState::Reached,));
    let failure = pattern(&w.failure).map(|p| quote!(#p => #rt::WaitState::Unreachable,));
    quote! {
        match #value {
            #success
            #failure
            _ => #rt::WaitState::Pending,
        }
    }
}

/// `const FIRST_PAGE` of a `Paginated` impl, for page-number paging counting
/// from 1 (nothing for the default 0). Kept here, beside the other new
/// emission, so the action emitter only hooks it in.
pub(crate) fn first_page_const(p: &crate::spec::Pagination) -> Option<TokenStream> {
    (p.style == crate::spec::PageStyle::PageNumber && p.first_page != 0).then(|| {
        let first = Literal::u64_unsuffixed(p.first_page);
        quote!(const FIRST_PAGE: u64 = #first;)
    })
}
