//! HTTPS for the emulator: a self-signed certificate for `127.0.0.1`, `::1` and
//! `localhost`, made at start, and HTTP/2 or HTTP/1.1 offered through ALPN.

use std::io::{Error, ErrorKind};
use std::sync::Arc;
use tokio_rustls::rustls;

/// The acceptor and the certificate's PEM (for clients to trust).
pub(crate) fn self_signed() -> std::io::Result<(tokio_rustls::TlsAcceptor, String)> {
    let names = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    let certified =
        rcgen::generate_simple_self_signed(names).map_err(|e| Error::new(ErrorKind::Other, e))?;
    let pem = certified.cert.pem();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.key_pair.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(ErrorKind::Other, e))?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(|e| Error::new(ErrorKind::Other, e))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok((tokio_rustls::TlsAcceptor::from(Arc::new(config)), pem))
}
