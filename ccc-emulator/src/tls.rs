//! HTTPS for the emulator: a certificate for `127.0.0.1`, `::1` and `localhost`
//! made at start, and HTTP/2 or HTTP/1.1 offered through ALPN.
//!
//! It is signed by a certificate authority made at the same time and thrown
//! away with the process: clients are given the authority's PEM to trust.
//! (A lone self-signed server certificate is refused as a trust anchor by some
//! TLS stacks, OpenSSL's among them, and as a server certificate by others if it
//! is marked as an authority.)

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use std::io::Error;
use std::sync::Arc;
use tokio_rustls::rustls;

/// The acceptor and the PEM of the authority to trust.
pub(crate) fn self_signed() -> std::io::Result<(tokio_rustls::TlsAcceptor, String)> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(Error::other)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "ccc-emulator local authority");
    let ca_key = KeyPair::generate().map_err(Error::other)?;
    let ca = ca_params.self_signed(&ca_key).map_err(Error::other)?;

    let names = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    let mut params = CertificateParams::new(names).map_err(Error::other)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "ccc-emulator");
    let key = KeyPair::generate().map_err(Error::other)?;
    let cert = params.signed_by(&key, &ca, &ca_key).map_err(Error::other)?;

    let private = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone(), ca.der().clone()], private)
        .map_err(Error::other)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok((tokio_rustls::TlsAcceptor::from(Arc::new(config)), ca.pem()))
}
