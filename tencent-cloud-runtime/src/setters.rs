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
/// Each entry is the doc of `name`, then how `name` stores its value, the
/// setter's name and parameter type, the clearing setter's name and stored
/// type, and the clearing setter's doc; `, deprecated "note"` marks both.
/// How `name(value)` stores:
///
/// - `value`: the value as given (the parameter is the stored type);
/// - `text`: `value.into()` (the parameter is `impl Into<String>`);
/// - `boxed`: `Box::new(value)` (a member whose type holds itself);
/// - `list`: the items of an `IntoIterator`, collected;
/// - `text_list`: the items of an `IntoIterator`, each converted `into()`.
///
/// A list replaces what was set before. `set_name` stores its `Option` as
/// given (boxed for `boxed`). Each kind converts only where it must, so a
/// crate with a thousand setters does not make the compiler instantiate a
/// thousand identity conversions.
///
/// ```
/// #[derive(Default)]
/// pub struct WidgetBuilder {
///     name: Option<String>,
///     tags: Option<Vec<String>>,
///     size: Option<u64>,
/// }
/// impl WidgetBuilder {
///     tencent_cloud_runtime::setters! {
///         /// The widget's name.
///         text name(impl Into<String>), set_name(String) = "Sets or clears `Name`.";
///         /// Its tags.
///         text_list tags(impl IntoIterator<Item = impl Into<String>>), set_tags(Vec<String>)
///             = "Sets or clears `Tags`.";
///         /// Its size.
///         value size(u64), set_size(u64) = "Sets or clears `Size`.", deprecated "use `Name`";
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
            self.members().$name = $crate::setters!(@set $kind value);
            self
        }
    )*};
    (@store value $value:ident) => { $value };
    (@store text $value:ident) => { ::std::convert::Into::into($value) };
    (@store boxed $value:ident) => { ::std::boxed::Box::new($value) };
    (@store list $value:ident) => {
        ::std::iter::Iterator::collect(::std::iter::IntoIterator::into_iter($value))
    };
    (@store text_list $value:ident) => {
        ::std::iter::Iterator::collect(::std::iter::Iterator::map(
            ::std::iter::IntoIterator::into_iter($value),
            ::std::convert::Into::into,
        ))
    };
    (@set boxed $value:ident) => { $value.map(::std::boxed::Box::new) };
    (@set $kind:ident $value:ident) => { $value };
}
