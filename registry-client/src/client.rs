//! Talking to the registry: the `oci-client` set-up (protocol, TLS, auth),
//! error translation, and progress bars.

use crate::auth::Credentials;
use crate::error::RegistryError;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use oci_client::Reference;
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::OciDistributionError;

/// How to reach a registry.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// Use plain HTTP for this registry even if it is not a loopback address
    /// (loopback addresses always use plain HTTP).
    pub insecure: bool,
    /// Credentials to use; `None` looks them up (environment, docker config).
    pub credentials: Option<Credentials>,
    /// Draw progress bars on stderr (only when it is a terminal).
    pub progress: bool,
}

/// Parses an OCI reference with a message that says how to write one.
pub fn parse_reference(reference: &str) -> Result<Reference, RegistryError> {
    let bad = |reason: String| RegistryError::BadReference {
        reference: reference.to_string(),
        reason,
    };
    if reference.trim().is_empty() {
        return Err(bad("it is empty".into()));
    }
    let parsed: Reference = reference.parse().map_err(|e| bad(format!("{e}")))?;
    if !reference.contains('/') {
        return Err(bad("it names no registry".into()));
    }
    Ok(parsed)
}

fn is_loopback(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        registry.split(':').next().unwrap_or("")
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A client for one registry, with its credentials.
pub(crate) struct Registry {
    pub client: oci_client::Client,
    pub registry: String,
    pub creds: Credentials,
    pub progress: Progress,
}

impl Registry {
    pub async fn new(reference: &Reference, opts: &ClientOptions) -> Self {
        // reqwest is built with rustls but no bundled crypto provider: use ring
        // (no cmake, no C toolchain beyond cc). Installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let registry = reference.resolve_registry().to_string();
        let protocol = if opts.insecure || is_loopback(&registry) {
            ClientProtocol::HttpsExcept(vec![registry.clone()])
        } else {
            ClientProtocol::Https
        };
        let config = ClientConfig {
            protocol,
            use_monolithic_push: true,
            connect_timeout: Some(std::time::Duration::from_secs(10)),
            ..Default::default()
        };
        let client = oci_client::Client::new(config);
        let creds = opts
            .credentials
            .clone()
            .unwrap_or_else(|| Credentials::for_registry(&registry));
        tracing::debug!(%registry, source = creds.source(), "registry client");
        client
            .store_auth_if_needed(&registry, creds.registry_auth())
            .await;
        Self {
            client,
            registry,
            creds,
            progress: Progress::new(opts.progress),
        }
    }

    /// Translates an `oci-client` error into one that says what to do.
    pub fn error(&self, operation: &str, what: &str, err: OciDistributionError) -> RegistryError {
        use OciDistributionError as E;
        let unauthorized = || RegistryError::Unauthorized {
            registry: self.registry.clone(),
            source_desc: self.creds.source().to_string(),
        };
        let not_found = || RegistryError::NotFound {
            registry: self.registry.clone(),
            what: what.to_string(),
        };
        match err {
            E::AuthenticationFailure(_) | E::UnauthorizedError { .. } => unauthorized(),
            E::ImageManifestNotFoundError(_) => not_found(),
            E::RequestError(e) if e.is_connect() || e.is_timeout() => RegistryError::Unreachable {
                registry: self.registry.clone(),
                detail: error_chain(&e),
            },
            E::ServerError { code, .. } if code == 401 || code == 403 => unauthorized(),
            E::ServerError { code: 404, .. } => not_found(),
            E::RegistryError { envelope, .. } => {
                let codes: Vec<String> = envelope
                    .errors
                    .iter()
                    .map(|e| format!("{:?}", e.code))
                    .collect();
                let joined = codes.join(",").to_ascii_uppercase();
                if joined.contains("UNAUTHORIZED") || joined.contains("DENIED") {
                    unauthorized()
                } else if joined.contains("UNKNOWN") {
                    not_found()
                } else {
                    RegistryError::Registry {
                        registry: self.registry.clone(),
                        operation: operation.to_string(),
                        detail: envelope
                            .errors
                            .iter()
                            .map(|e| format!("{:?}: {}", e.code, e.message))
                            .collect::<Vec<_>>()
                            .join("; "),
                    }
                }
            }
            other => {
                let detail = error_chain(&other);
                let lower = detail.to_ascii_lowercase();
                if lower.contains("401") || lower.contains("unauthorized") {
                    unauthorized()
                } else if lower.contains("connect") {
                    RegistryError::Unreachable {
                        registry: self.registry.clone(),
                        detail,
                    }
                } else {
                    RegistryError::Registry {
                        registry: self.registry.clone(),
                        operation: operation.to_string(),
                        detail,
                    }
                }
            }
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// Progress bars on stderr, or nothing.
#[derive(Clone)]
pub(crate) struct Progress {
    multi: Option<MultiProgress>,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        Self {
            multi: enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// A byte progress bar, hidden when progress is off.
    pub fn bar(&self, len: u64, message: String) -> ProgressBar {
        match &self.multi {
            None => ProgressBar::hidden(),
            Some(m) => {
                let bar = m.add(ProgressBar::new(len));
                bar.set_style(
                    ProgressStyle::with_template(
                        "{msg:28} [{bar:30}] {bytes:>10}/{total_bytes:10} {bytes_per_sec}",
                    )
                    .expect("valid template")
                    .progress_chars("=> "),
                );
                bar.set_message(message);
                bar
            }
        }
    }
}
