//! What the runtime needs to know about an action, implemented by every generated
//! request type so that one generic call path serves all actions.

use crate::enums::WireEnum;
#[cfg(feature = "serde-roundtrip")]
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A request type of one action: it encodes, and its response decodes. The
/// other directions ([`RoundTrip`], with the `serde-roundtrip` feature of the
/// action's crate) are asked for only by what round-trips values (the mock,
/// [`ActionVisitor`]s), so one crate's features never break another's.
pub trait Action: Serialize {
    /// The action name sent in `X-TC-Action`.
    const ACTION: &'static str;
    /// The service the action belongs to.
    fn service() -> &'static crate::Service;
    /// The service's documented limit for this action, in requests per second.
    const RATE_LIMIT: Option<u32>;
    /// Whether running the action twice has the same effect as once, so a request
    /// that may already have reached the service can be sent again.
    const IDEMPOTENT: bool;
    /// The decoded successful response.
    type Response: crate::ActionResponse;
    /// The error codes documented for this action.
    type ErrorCode: WireEnum<Raw = String, Key = str>;
}

/// Something to do with an action's types, chosen by the action's name at run
/// time: see `operation::visit`.
pub trait ActionVisitor {
    /// What the visit returns.
    type Output;

    /// Called with the request type of the action; requests and responses
    /// round-trip (generated `visit` functions need the crate's
    /// `serde-roundtrip` feature).
    fn visit<A: RoundTripAction>(self) -> Self::Output;
}

/// An action whose request and response also go the other way (requests
/// decode, responses encode): every action of a crate with the
/// `serde-roundtrip` feature. What the mock and [`ActionVisitor`]s need.
///
/// With the feature a request also reads member by member
/// ([`FromMembers`](crate::codec::FromMembers)): its `Deserialize` is strict
/// (a required member missing at any depth is an error), and
/// `codec::object::<_, A>` reads it without that check, for tools that probe
/// the request's types with a deserializer of their own.
#[cfg(feature = "serde-roundtrip")]
pub trait RoundTripAction:
    Action<Response: RoundTrip> + RoundTrip + crate::codec::FromMembers
{
}

#[cfg(feature = "serde-roundtrip")]
impl<A: Action<Response: RoundTrip> + RoundTrip + crate::codec::FromMembers> RoundTripAction for A {}

/// An action whose request and response also go the other way: without the
/// `serde-roundtrip` feature, every action (see the feature's form).
#[cfg(not(feature = "serde-roundtrip"))]
pub trait RoundTripAction: Action<Response: RoundTrip> + RoundTrip {}

#[cfg(not(feature = "serde-roundtrip"))]
impl<A: Action<Response: RoundTrip> + RoundTrip> RoundTripAction for A {}

/// What the `serde-roundtrip` feature adds to every request and response: with
/// it, `Serialize + DeserializeOwned`; without it, nothing (a client only
/// encodes requests and decodes responses, and the other directions' impls
/// are not compiled).
#[cfg(feature = "serde-roundtrip")]
pub trait RoundTrip: Serialize + DeserializeOwned {}

#[cfg(feature = "serde-roundtrip")]
impl<T: Serialize + DeserializeOwned> RoundTrip for T {}

/// What the `serde-roundtrip` feature adds to every request and response: with
/// it, `Serialize + DeserializeOwned`; without it, nothing (a client only
/// encodes requests and decodes responses, and the other directions' impls
/// are not compiled).
#[cfg(not(feature = "serde-roundtrip"))]
pub trait RoundTrip {}

#[cfg(not(feature = "serde-roundtrip"))]
impl<T> RoundTrip for T {}
