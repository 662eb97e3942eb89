//! The setters every generated builder has, written once.
//!
//! A builder (of a request, a shared type, a response, a waiter) sets each of
//! its members in two ways: `name(value)` and `set_name(Option<stored>)`. Only
//! the names, the types and the docs differ from member to member, so a
//! service crate lists those in one [`setters!`](crate::setters) invocation per
//! builder and the shape lives here, not once per member in generated code.
//!
//! The invoking `impl` provides `fn members(&mut self) -> &mut B`, the value
//! holding the `Option` fields (the builder itself, or the builder a fluent
//! builder or waiter wraps).

/// Writes `name(value)` and `set_name(Option<stored>)` for each listed member.
///
/// Each entry is the doc of `name`, then `one` or `many`, the setter's name
/// and parameter type, the clearing setter's name and stored type, and the
/// clearing setter's doc; `, deprecated "note"` marks both.
///
/// - `one name(P), set_name(S)`: `name` stores `Some(value.into())`, so `P`
///   is the stored type itself, `impl Into<String>` for text, or a type a
///   `Box` is made from.
/// - `many name(P), set_name(S)`: `P` is an `IntoIterator` whose items
///   convert into the stored `Vec`'s elements; the list replaces what was set.
///
/// `set_name` stores `value.map(Into::into)`: the value as given, boxed where
/// the member is boxed.
///
/// ```
/// #[derive(Default)]
/// pub struct WidgetBuilder {
///     name: Option<String>,
///     tags: Option<Vec<String>>,
/// }
/// impl WidgetBuilder {
///     tencent_cloud_runtime::setters! {
///         /// The widget's name.
///         one name(impl Into<String>), set_name(String) = "Sets or clears `Name`.";
///         /// Its tags.
///         many tags(impl IntoIterator<Item = impl Into<String>>), set_tags(Vec<String>)
///             = "Sets or clears `Tags`.";
///     }
///     fn members(&mut self) -> &mut Self {
///         self
///     }
/// }
/// let b = WidgetBuilder::default().name("w").tags(["a", "b"]);
/// assert_eq!(b.name.as_deref(), Some("w"));
/// assert_eq!(b.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
/// assert_eq!(b.set_name(None).name, None);
/// ```
#[macro_export]
macro_rules! setters {
    ($(
        $(#[$doc:meta])*
        $kind:ident $name:ident($param:ty), $set:ident($stored:ty) = $set_doc:literal
        $(, deprecated $note:literal)?;
    )*) => {$(
        $(#[$doc])*
        $(#[deprecated(note = $note)])?
        #[inline]
        pub fn $name(mut self, value: $param) -> Self {
            self.members().$name = ::std::option::Option::Some($crate::setters!(@store $kind value));
            self
        }

        #[doc = $set_doc]
        $(#[deprecated(note = $note)])?
        #[inline]
        pub fn $set(mut self, value: ::std::option::Option<$stored>) -> Self {
            self.members().$name = value.map(::std::convert::Into::into);
            self
        }
    )*};
    (@store one $value:ident) => {
        ::std::convert::Into::into($value)
    };
    (@store many $value:ident) => {
        ::std::iter::Iterator::collect(::std::iter::Iterator::map(
            ::std::iter::IntoIterator::into_iter($value),
            ::std::convert::Into::into,
        ))
    };
}
