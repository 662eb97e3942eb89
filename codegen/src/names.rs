//! Turning wire names into Rust names.

/// Rust keywords (strict and reserved, all editions): a field named like one is
/// written as a raw identifier (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Methods of std traits that generated types derive or get from blanket
/// impls (`Clone`, `Debug`, `Default`, `PartialEq`, `From`/`Into`, `ToOwned`,
/// `Borrow`, `Any`, serde). An inherent method of the same name would shadow
/// them: `builder.clone()` would stop compiling, and so would generated calls
/// such as `Builder::default()`.
const TRAIT_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "into",
    "ne",
    "serialize",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Methods of a service's `Client`: its own (`builder`, `core`, `from_env`,
/// `into_core`, `mocked`, emitted in its module root) and those of the
/// runtime's `Client` (`client.rs`, private ones included), which it derefs
/// to. An action's method of the same name would be a duplicate definition or
/// would hide the runtime's. A test compares this list with both sources.
pub const CLIENT_METHODS: &[&str] = &[
    "attempt",
    "builder",
    "call",
    "call_with",
    "core",
    "endpoint",
    "execute",
    "execute_with",
    "from_env",
    "inner",
    "into_core",
    "mocked",
    "mocked_with",
    "send",
    "service",
];

/// Methods the emitter puts on a request builder and a fluent builder besides
/// the members' own `name` / `set_name` (see `emit/action.rs`).
pub const BUILDER_METHODS: &[&str] = &[
    "as_builder",
    "build",
    "into_paginator",
    "new",
    "options",
    "send",
];

/// Methods a builder of a shared type or a response has besides the members'
/// own `name` / `set_name`: its `build`, and the methods of its derived `Clone`
/// and `Default` that users and generated code call on it (a setter of the same
/// name would shadow them). Narrower than `TRAIT_METHODS` on purpose: members
/// of data types are public fields, and escaping a name such as `from` (which
/// only a path call `Builder::from` could notice) would rename a field users
/// read.
pub const DATA_BUILDER_METHODS: &[&str] = &[
    "build",
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "to_owned",
];

/// Fields the emitter adds to every response struct.
pub const RESPONSE_FIELDS: &[&str] = &["request_id"];

/// Whether an action's Rust method (snake case) would collide with a method
/// `Client` already has, its own or a trait's.
pub fn is_reserved_client_method(snake: &str) -> bool {
    CLIENT_METHODS.contains(&snake) || TRAIT_METHODS.contains(&snake)
}

/// Whether a request member's Rust name would collide with a method the
/// builders already have.
pub fn is_reserved_builder_method(snake: &str) -> bool {
    BUILDER_METHODS.contains(&snake) || TRAIT_METHODS.contains(&snake)
}

/// Whether a shared type's or a response's member name would collide with a
/// method its builder already has.
pub fn is_reserved_data_builder_method(snake: &str) -> bool {
    DATA_BUILDER_METHODS.contains(&snake)
}

/// How a member's Rust name is escaped when it would collide with generated
/// code: a trailing underscore (`new` → `new_`, `self` → `self_`). Names
/// derived from wire names never end in `_`, so the escaped one is free; the
/// wire name is unchanged.
pub fn escape(snake: &str) -> String {
    format!("{snake}_")
}

/// Word parts of member names that suggest a credential. Validation wants such
/// a member marked `sensitive`, or a `not_sensitive` reason.
pub const CREDENTIAL_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "authorization",
    "cookie",
    "cookies",
    "cred",
    "creds",
    "credential",
    "credentials",
    "key",
    "keys",
    "passphrase",
    "passwd",
    "password",
    "passwords",
    "private",
    "pwd",
    "secret",
    "secrets",
    "session",
    "sessions",
    "sig",
    "signature",
    "token",
    "tokens",
];

/// The first word of `name` (split as [`words`], any case) that suggests a
/// credential.
pub fn credential_word(name: &str) -> Option<String> {
    words(name)
        .into_iter()
        .map(|w| w.to_ascii_lowercase())
        .find(|w| CREDENTIAL_WORDS.contains(&w.as_str()))
}

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is a keyword that even `r#` cannot make an identifier.
pub fn cannot_be_raw(name: &str) -> bool {
    NOT_RAW.contains(&name)
}

/// `Name`: starts with an ASCII capital, then ASCII letters and digits.
pub fn is_pascal_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// A wire member name: an ASCII letter, then letters, digits and underscores.
pub fn is_wire_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Splits `SdkAppId`, `DBError`, `IPLimitExceeded`, `Callee2Name` into words.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '.' || c == '-' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `SdkAppId` → `sdk_app_id`, `DBError` → `db_error`.
pub fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `InternalError.DBError` → `InternalErrorDbError`: a variant name for a code.
pub fn pascal_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        for (wire, rust) in [
            ("SdkAppId", "sdk_app_id"),
            ("IvrId", "ivr_id"),
            ("UUI", "uui"),
            ("DBError", "db_error"),
            ("MaxRingTimeoutSecond", "max_ring_timeout_second"),
            ("IPLimitExceeded", "ip_limit_exceeded"),
            ("SessionID", "session_id"),
            ("ASRData", "asr_data"),
            ("Type", "type"),
            ("Callee2Name", "callee2_name"),
            ("Page2", "page2"),
            ("already_snake", "already_snake"),
        ] {
            assert_eq!(snake_case(wire), rust, "{wire}");
        }
    }

    #[test]
    fn pascal() {
        assert_eq!(pascal_case("InternalError.DBError"), "InternalErrorDbError");
        assert_eq!(
            pascal_case("AuthFailure.MFAFailure"),
            "AuthFailureMfaFailure"
        );
        assert_eq!(
            pascal_case("RequestLimitExceeded.IPLimitExceeded"),
            "RequestLimitExceededIpLimitExceeded"
        );
        assert_eq!(pascal_case("InvalidParameter"), "InvalidParameter");
    }

    #[test]
    fn identifiers() {
        assert!(is_pascal_ident("AutoCalloutTaskState"));
        assert!(!is_pascal_ident("autoCallout"));
        assert!(!is_pascal_ident("Auto-Callout"));
        assert!(!is_pascal_ident(""));
        assert!(is_wire_name("Sdk_App1"));
        assert!(!is_wire_name("1Sdk"));
        assert!(is_keyword("type") && !cannot_be_raw("type"));
        assert!(cannot_be_raw("self"));
    }
}
