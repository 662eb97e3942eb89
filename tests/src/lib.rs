//! Test support: a loopback HTTP server that checks TC3 signatures the way the
//! service does, and the fixture spec's generated code, compiled here with
//! warnings denied so that a snapshot can never hold code that does not build.

pub mod clients;
#[deny(warnings, missing_docs)]
pub mod fixture;
#[deny(warnings, missing_docs)]
pub mod fixture_names;
pub mod server;
pub mod tree_copy;
pub mod wire;
