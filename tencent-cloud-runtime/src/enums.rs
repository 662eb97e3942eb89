//! Forward-compatible enums: values the spec documents become variants, any other
//! value the service sends is kept in an `Unknown` variant instead of failing.
//!
//! The unknown payload is an [`UnknownValue`], which only this crate creates: for
//! values that match no variant, so `Unknown` never shadows a known value and
//! matching on variants stays reliable, and for a member the answer left out
//! (the wire type's zero value; the response's `deviations()` names it).

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

/// A wire value that the enum it sits in does not know.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue<T>(T);

impl<T> UnknownValue<T> {
    /// The raw value as the service sent it.
    pub fn value(&self) -> &T {
        &self.0
    }

    /// The raw value, consuming the wrapper.
    pub fn into_value(self) -> T {
        self.0
    }
    /// The wire type's zero value, for a member the answer left out (see
    /// [`crate::deviation`]); the one case where `Unknown` may hold a value a
    /// variant documents.
    #[doc(hidden)]
    pub fn absent() -> Self
    where
        T: Default,
    {
        UnknownValue(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for UnknownValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for UnknownValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An enum generated from the spec whose wire form is a `Raw` value.
pub trait WireEnum: Sized {
    /// The wire type as an `Unknown` variant keeps it: `u64`, `i64` or
    /// `String`.
    type Raw: Borrow<Self::Key>;

    /// What a wire value is matched on: the number itself, or the borrowed
    /// `str`, so that a documented text value is recognised without a copy.
    type Key: ?Sized;

    /// The variant documented for `raw`, if any.
    fn from_known(raw: &Self::Key) -> Option<Self>;

    /// Wraps a value no variant documents.
    fn from_unknown(raw: UnknownValue<Self::Raw>) -> Self;

    /// The variant for `raw`: a documented one, or `Unknown` keeping the value.
    fn from_raw(raw: Self::Raw) -> Self {
        match Self::from_known(raw.borrow()) {
            Some(known) => known,
            None => Self::from_unknown(UnknownValue(raw)),
        }
    }
}

/// Deserializes a numeric [`WireEnum`] from its raw wire value; never fails on
/// an unknown value. Generated `Deserialize` impls call this.
pub fn deserialize<'de, D, E>(deserializer: D) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
    E: WireEnum,
    E::Raw: Deserialize<'de>,
{
    E::Raw::deserialize(deserializer).map(E::from_raw)
}

/// Deserializes a text [`WireEnum`]: the value is matched as the `str` the
/// parser lends (no copy for a documented value); only an unknown one is
/// copied. Never fails on an unknown value.
pub fn deserialize_text<'de, D, E>(deserializer: D) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
    E: WireEnum<Raw = String, Key = str>,
{
    struct Text<E>(PhantomData<E>);

    impl<E: WireEnum<Raw = String, Key = str>> Visitor<'_> for Text<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<Er: de::Error>(self, v: &str) -> Result<E, Er> {
            Ok(E::from_known(v).unwrap_or_else(|| E::from_unknown(UnknownValue(v.to_owned()))))
        }

        // An unescaped copy the parser made anyway: kept without another one.
        fn visit_string<Er: de::Error>(self, v: String) -> Result<E, Er> {
            Ok(match E::from_known(&v) {
                Some(known) => known,
                None => E::from_unknown(UnknownValue(v)),
            })
        }
    }

    deserializer.deserialize_str(Text(PhantomData))
}

/// Untyped codes: every value is "known" and kept as is.
impl WireEnum for String {
    type Raw = String;
    type Key = str;

    fn from_known(raw: &str) -> Option<Self> {
        Some(raw.to_owned())
    }

    fn from_unknown(raw: UnknownValue<String>) -> Self {
        raw.0
    }
}

/// Declares an error-code enum: one variant per listed code, an `Unknown`
/// variant keeping any other code as sent, `as_str`, [`WireEnum`] and
/// `Display`. Generated crates declare every error-code enum with it, so the
/// shape is written once here and each enum is only its list of codes.
///
/// ```
/// tencent_cloud_runtime::error_code_enum! {
///     /// Codes of one action.
///     pub enum WidgetErrorCode {
///         /// `ResourceNotFound.Widget`: no such widget.
///         ResourceNotFoundWidget = "ResourceNotFound.Widget",
///     }
/// }
/// use tencent_cloud_runtime::enums::WireEnum;
/// let code = WidgetErrorCode::from_raw("ResourceNotFound.Widget".to_owned());
/// assert_eq!(code, WidgetErrorCode::ResourceNotFoundWidget);
/// assert_eq!(WidgetErrorCode::from_raw("Other".to_owned()).as_str(), "Other");
/// ```
#[macro_export]
macro_rules! error_code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A code not listed here, kept as sent.
            Unknown($crate::enums::UnknownValue<::std::string::String>),
        }

        impl $name {
            /// The code as sent (`InvalidParameterValue`).
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $code, )*
                    Self::Unknown(v) => v.value(),
                }
            }
        }

        impl $crate::enums::WireEnum for $name {
            type Raw = ::std::string::String;
            type Key = str;

            fn from_known(raw: &str) -> ::std::option::Option<Self> {
                match raw {
                    $( $code => ::std::option::Option::Some(Self::$variant), )*
                    _ => ::std::option::Option::None,
                }
            }

            fn from_unknown(raw: $crate::enums::UnknownValue<::std::string::String>) -> Self {
                Self::Unknown(raw)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
