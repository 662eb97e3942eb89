//! `Serialize` and `Deserialize` of objects, requests and responses, written
//! out lean instead of derived (see the runtime's `codec` module for why), and
//! the member tables that name what an answer lacked.
//!
//! Which directions a type gets depends on where it is used: whatever a
//! request reaches serializes, whatever a response reaches deserializes, and
//! the other directions (what servers, replays and tests need) sit behind the
//! runtime's `serde-roundtrip` feature.

use super::types::{field_ident, field_type, Decoding};
use super::Paths;
use crate::model::{Field, Model, Presence};
use crate::spec::TypeRef;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The named types each side of the actions reaches.
pub(crate) struct Usage {
    objects: BTreeSet<String>,
    requests: BTreeSet<String>,
    responses: BTreeSet<String>,
}

impl Usage {
    pub(crate) fn of(model: &Model) -> Usage {
        let reach = |roots: &mut dyn Iterator<Item = &Field>| {
            let mut seen = BTreeSet::new();
            let mut todo: Vec<String> = roots
                .filter_map(|f| f.ty.named().map(String::from))
                .collect();
            while let Some(name) = todo.pop() {
                if !seen.insert(name.clone()) {
                    continue;
                }
                if let Some(o) = model.objects.iter().find(|o| o.name == name) {
                    todo.extend(
                        o.fields
                            .iter()
                            .filter_map(|f| f.ty.named().map(String::from)),
                    );
                }
            }
            seen
        };
        Usage {
            objects: model.objects.iter().map(|o| o.name.clone()).collect(),
            requests: reach(&mut model.actions.iter().flat_map(|a| &a.input)),
            responses: reach(&mut model.actions.iter().flat_map(|a| &a.output)),
        }
    }

    /// Whether `name` is an object type (not an enum or a scalar shape).
    pub(crate) fn is_object(&self, name: &str) -> bool {
        self.objects.contains(name)
    }

    /// Whether a request reaches the named type, so that callers build it.
    pub(crate) fn in_requests(&self, name: &str) -> bool {
        self.requests.contains(name)
    }

    /// Which directions the named type always has.
    pub(crate) fn directions(&self, name: &str) -> Directions {
        Directions {
            serialize: self.requests.contains(name),
            deserialize: self.responses.contains(name),
        }
    }
}

/// The directions of serde a type needs in a client; the others are compiled
/// only with the `serde-roundtrip` feature.
#[derive(Clone, Copy)]
pub(crate) struct Directions {
    pub serialize: bool,
    pub deserialize: bool,
}

impl Directions {
    pub(crate) const REQUEST: Directions = Directions {
        serialize: true,
        deserialize: false,
    };
    pub(crate) const RESPONSE: Directions = Directions {
        serialize: false,
        deserialize: true,
    };
}

/// `item`, impls a client does not need, each under
/// `#[cfg(feature = "serde-roundtrip")]` of the crate it lands in; in a crate
/// without the feature every impl is emitted. The runtime's `Action` does not
/// ask for these impls (only what round-trips values does: the mock, visitors),
/// so a crate whose feature is off compiles beside one that turned the
/// runtime's on.
pub(crate) fn gated(needed: bool, paths: &Paths, item: TokenStream) -> TokenStream {
    if needed || !paths.feature_gates {
        return item;
    }
    // `item` may hold several items; each gets the attribute.
    match syn::parse2::<syn::File>(item.clone()) {
        Ok(file) => {
            let items = file.items.iter();
            quote!(#(#[cfg(feature = "serde-roundtrip")] #items)*)
        }
        Err(_) => quote!(#[cfg(feature = "serde-roundtrip")] #item),
    }
}

/// `#[cfg(feature = "serde-roundtrip")]` on what only the other side of the
/// wire needs: the builders of what the service sends (responses and the
/// types only they reach), for servers such as the emulator and for canned
/// answers in tests (`test-util` turns the feature on). A client reads those
/// values and never builds them. In a crate without the feature nothing is
/// gated.
pub(crate) fn answer_builder_gate(paths: &Paths) -> TokenStream {
    if paths.feature_gates {
        quote!(#[cfg(feature = "serde-roundtrip")])
    } else {
        quote!()
    }
}

/// A type's serde impls, with its member table when it may sit in an answer
/// (when a client deserializes it).
/// `fields` are all its wire members; `deviations` names the response's
/// private deviations field, which the decoded value starts with empty.
pub(crate) fn impls(
    name: &Ident,
    fields: &[Field],
    types: Option<&TokenStream>,
    decoding: Decoding,
    directions: Directions,
    deviations: Option<&Ident>,
    paths: &Paths,
) -> TokenStream {
    let serialize = gated(directions.serialize, paths, serialize(name, fields));
    let deserialize = gated(
        directions.deserialize,
        paths,
        deserialize(name, fields, types, decoding, deviations, paths),
    );
    // Every type that deserializes has its table: answers name what they
    // lack with it, requests (with `serde-roundtrip`) refuse what they lack.
    let table = gated(
        directions.deserialize,
        paths,
        member_table(name, fields, types, paths),
    );
    quote! {
        #serialize

        #deserialize

        #table
    }
}

fn serialize(name: &Ident, fields: &[Field]) -> TokenStream {
    let title = name.to_string();
    let len = Literal::usize_unsuffixed(fields.len());
    let members = fields.iter().map(|f| {
        let ident = field_ident(&f.rust);
        let wire = &f.wire;
        match f.presence {
            // Optional members are left out when unset; nullable ones go as `null`.
            Presence::Optional => quote! {
                if self.#ident.is_some() {
                    s.serialize_field(#wire, &self.#ident)?;
                }
            },
            Presence::Required | Presence::Nullable => {
                quote!(s.serialize_field(#wire, &self.#ident)?;)
            }
        }
    });
    let binding = if fields.is_empty() {
        quote!(s)
    } else {
        quote!(mut s)
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let #binding = serializer.serialize_struct(#title, #len)?;
                #(#members)*
                s.end()
            }
        }
    }
}

fn deserialize(
    name: &Ident,
    fields: &[Field],
    types: Option<&TokenStream>,
    decoding: Decoding,
    deviations: Option<&Ident>,
    paths: &Paths,
) -> TokenStream {
    let rt = &paths.rt;
    let expecting = format!("struct {name}");
    let slot = |f: &Field| format_ident!("f_{}", f.rust);
    let wires = fields.iter().map(|f| &f.wire);
    let slots = fields.iter().map(|f| {
        let slot = slot(f);
        let ty = field_type(f, types);
        quote!(let mut #slot: Option<#ty> = None;)
    });
    let tolerant = matches!(decoding, Decoding::Tolerant);
    // In an answer, a member holding objects is read through seeds that hand
    // the decode's count of filled-in members down to them.
    let seed = |f: &Field| {
        let seed = object_seed(&f.ty, types, paths).filter(|_| tolerant)?;
        Some(if f.boxed {
            quote!(#rt::codec::Boxed(#seed))
        } else {
            seed
        })
    };
    let mut counts = false;
    let arms = fields.iter().enumerate().map(|(i, f)| {
        let slot = slot(f);
        let i = Literal::usize_unsuffixed(i);
        let seed = seed(f);
        counts |= seed.is_some() || (tolerant && f.presence == Presence::Required);
        // A promised member of an answer reads `null` as its default, counted.
        // The arms give a `Result`, checked once after the `match`: a `?` per
        // arm is a conversion per member for the compiler to check.
        match (tolerant && f.presence == Presence::Required, seed) {
            (true, Some(seed)) => {
                quote!(#i => members.filled_seed(&mut map, &mut #slot, #seed, filled),)
            }
            (true, None) => quote!(#i => members.filled(&mut map, &mut #slot, filled),),
            (false, Some(seed)) => {
                quote!(#i => members.value_seed(&mut map, &mut #slot, #rt::codec::Opt(#seed)),)
            }
            (false, None) => quote!(#i => members.value(&mut map, &mut #slot),),
        }
    });
    let arms: Vec<TokenStream> = arms.collect();
    let values = fields.iter().enumerate().map(|(i, f)| {
        let ident = field_ident(&f.rust);
        let slot = slot(f);
        let value = match (f.presence, &f.ty) {
            (Presence::Optional | Presence::Nullable, _) => quote!(#slot.flatten()),
            // Servers leave empty lists out: absent reads as empty, uncounted.
            (Presence::Required, TypeRef::List(_)) => quote!(#slot.unwrap_or_default()),
            (Presence::Required, _) if tolerant => {
                quote!(#slot.unwrap_or_else(|| filled.default_of()))
            }
            (Presence::Required, _) => {
                let i = Literal::usize_unsuffixed(i);
                quote!(members.required(#slot, #i)?)
            }
        };
        quote!(#ident: #value,)
    });
    let values: Vec<TokenStream> = values.collect();
    let unused = (!counts).then(|| quote!(let _ = filled;));
    let deviations = deviations.map(|d| quote!(#d: Vec::new(),));
    let read = if fields.is_empty() {
        quote! {
            while members.next_key(&mut map)?.is_some() {
                members.skip(&mut map)?;
            }
        }
    } else {
        quote! {
            while let Some(i) = members.next_key(&mut map)? {
                match i {
                    #(#arms)*
                    _ => members.skip(&mut map),
                }?;
            }
        }
    };
    // A request refuses what it lacks at any depth; answers read tolerantly.
    let entry = if tolerant {
        quote!(#rt::codec::object(deserializer))
    } else {
        quote!(#rt::codec::strict_request(deserializer))
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #entry
            }
        }

        impl #rt::codec::FromMembers for #name {
            const EXPECTING: &'static str = #expecting;

            fn from_members<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
                filled: &#rt::codec::Filled,
            ) -> Result<Self, A::Error> {
                #unused
                static KEYS: #rt::codec::Keys = #rt::codec::Keys::new(&[#(#wires),*]);
                let mut members = #rt::codec::Members::new(&KEYS);
                #(#slots)*
                #read
                Ok(#name {
                    #(#values)*
                    #deviations
                })
            }
        }
    }
}

/// The seed reading a value of type `ty` in an answer, when it holds objects
/// (an object type, or a list of them at any depth); `None` otherwise.
fn object_seed(ty: &TypeRef, types: Option<&TokenStream>, paths: &Paths) -> Option<TokenStream> {
    let rt = &paths.rt;
    match ty {
        TypeRef::Named(n) if paths.usage.is_object(n) => {
            let ty = super::types::rust_type(ty, types);
            Some(quote!(#rt::codec::Obj::<#ty>::new(filled)))
        }
        TypeRef::List(inner) => {
            let inner = object_seed(inner, types, paths)?;
            Some(quote!(#rt::codec::List(#inner)))
        }
        _ => None,
    }
}

/// The table the deviation walk reads: members sorted by wire name (the order
/// deviations are listed in), each with its rule and, for an object type, its
/// type's table.
fn member_table(
    name: &Ident,
    fields: &[Field],
    types: Option<&TokenStream>,
    paths: &Paths,
) -> TokenStream {
    let rt = &paths.rt;
    let mut sorted: Vec<&Field> = fields.iter().collect();
    sorted.sort_by(|a, b| a.wire.cmp(&b.wire));
    let members = sorted.iter().map(|f| {
        let wire = &f.wire;
        let rule = match (f.presence, &f.ty) {
            (Presence::Optional | Presence::Nullable, _) => quote!(optional),
            (Presence::Required, TypeRef::List(_)) => quote!(list),
            (Presence::Required, _) => quote!(promised),
        };
        let nested = match f.ty.named() {
            Some(n) if paths.usage.is_object(n) => {
                let ty = format_ident!("{}", n);
                let ty = match types {
                    Some(path) => quote!(#path::#ty),
                    None => quote!(#ty),
                };
                Some(quote!(.of::<#ty>()))
            }
            _ => None,
        };
        quote!(M::#rule(#wire) #nested,)
    });
    quote! {
        impl #rt::deviation::Described for #name {
            fn members() -> &'static [#rt::deviation::Member] {
                use #rt::deviation::Member as M;
                const MEMBERS: &[M] = &[#(#members)*];
                MEMBERS
            }
        }
    }
}
