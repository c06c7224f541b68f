//! Outgoing HTTP requests of apps (`wasi:http/outgoing-handler`, which the
//! engine's `fetch` calls): deny by default, allowed per host.
//!
//! A runtime grants outgoing requests to the hosts of its [`AllowedHosts`]
//! (`jspkg run`/`jspkg serve --allow-host HOST[:PORT]`); a request to any
//! other host is refused before a connection is made: the guest sees
//! `wasi:http`'s `HTTP-request-denied` error (its `fetch` rejects with a
//! `TypeError` saying so) and the host logs a warning. An allowed request is
//! sent by wasmtime-wasi-http's own client (hyper, rustls with the webpki
//! roots for `https`).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use wasmtime_wasi_http::{RequestOptions, WasiBody, WasiHttpHooks};

/// One host an app may send requests to: a name or IP address, with a port
/// or any port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost {
    /// The host, lower-cased; an IPv6 address without its brackets.
    host: String,
    /// The port; `None` allows every port of the host.
    port: Option<u16>,
}

/// What is wrong with an `--allow-host` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AllowedHostError(String);

impl FromStr for AllowedHost {
    type Err = AllowedHostError;

    /// `HOST` (every port) or `HOST:PORT`; an IPv6 address in brackets
    /// (`[::1]:8080`). Not a URL: no scheme, path or user.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            AllowedHostError(format!(
                "--allow-host {s:?}: {why} (expected HOST or HOST:PORT, e.g. api.example.com or 127.0.0.1:8080)"
            ))
        };
        if s.contains("://") {
            return Err(bad("give the host, not a URL"));
        }
        if s.contains(['/', '@', '?', '#']) || s.chars().any(char::is_whitespace) {
            return Err(bad("a host has no path, user, query or spaces"));
        }
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (addr, after) = rest
                .split_once(']')
                .ok_or_else(|| bad("an IPv6 address needs its closing `]`"))?;
            match after {
                "" => (addr, None),
                _ => match after.strip_prefix(':') {
                    Some(port) => (addr, Some(port)),
                    None => return Err(bad("expected `:PORT` after `]`")),
                },
            }
        } else {
            match s.rsplit_once(':') {
                Some((_, _)) if s.matches(':').count() > 1 => {
                    return Err(bad("write an IPv6 address in brackets, e.g. [::1]:8080"));
                }
                Some((host, port)) => (host, Some(port)),
                None => (s, None),
            }
        };
        if host.is_empty() {
            return Err(bad("the host is empty"));
        }
        let port = port
            .map(|p| {
                p.parse::<u16>()
                    .ok()
                    .filter(|&p| p != 0)
                    .ok_or_else(|| bad("the port must be a number from 1 to 65535"))
            })
            .transpose()?;
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

impl fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(port) => write!(f, "{host}:{port}"),
            None => f.write_str(&host),
        }
    }
}

impl AllowedHost {
    fn allows(&self, host: &str, port: u16) -> bool {
        self.host.eq_ignore_ascii_case(host) && self.port.is_none_or(|p| p == port)
    }
}

/// The hosts apps may send requests to; empty (the default) refuses every
/// request.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts(Arc<[AllowedHost]>);

impl AllowedHosts {
    /// Allows requests to these hosts only.
    pub fn new(hosts: impl IntoIterator<Item = AllowedHost>) -> Self {
        Self(hosts.into_iter().collect())
    }

    /// Whether a request to `host` (a name or an address, IPv6 without
    /// brackets) on `port` is allowed.
    pub fn allows(&self, host: &str, port: u16) -> bool {
        self.0.iter().any(|a| a.allows(host, port))
    }

    /// Whether no host is allowed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The `wasi:http` hooks of a jspkg instance: wasmtime-wasi-http's defaults,
/// except that a request is sent only to an allowed host.
pub struct OutgoingHttp {
    allowed: AllowedHosts,
}

impl OutgoingHttp {
    pub(crate) fn new(allowed: AllowedHosts) -> Self {
        Self { allowed }
    }
}

/// The host and port a request goes to (the scheme's port when the URI has
/// none); `None` for a URI without an authority.
fn destination(uri: &hyper::http::Uri) -> Option<(String, u16)> {
    let authority = uri.authority()?;
    let host = authority.host();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let port =
        authority
            .port_u16()
            .unwrap_or(if uri.scheme() == Some(&hyper::http::uri::Scheme::HTTPS) {
                443
            } else {
                80
            });
    Some((host.to_string(), port))
}

type ResponseFuture = Box<
    dyn Future<
            Output = wasmtime_wasi_http::Result<(
                hyper::http::Response<WasiBody>,
                Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
            )>,
        > + Send,
>;

impl WasiHttpHooks for OutgoingHttp {
    fn send_request(
        &mut self,
        request: hyper::http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> ResponseFuture {
        let allowed = destination(request.uri()).filter(|(h, p)| self.allowed.allows(h, *p));
        if allowed.is_none() {
            let to = destination(request.uri())
                .map(|(h, p)| {
                    let h = if h.contains(':') { format!("[{h}]") } else { h };
                    format!("{h}:{p}")
                })
                .unwrap_or_else(|| request.uri().to_string());
            tracing::warn!(
                "refused an outgoing request of the app to {to} ({} {}): allow it with --allow-host {to}",
                request.method(),
                request.uri()
            );
            return Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) });
        }
        tracing::debug!("outgoing request {} {}", request.method(), request.uri());
        Box::new(async move {
            use http_body_util::BodyExt;
            let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = _> + Send>,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<AllowedHost, AllowedHostError> {
        s.parse()
    }

    #[test]
    fn hosts_and_ports_parse() {
        let any = parse("API.example.com").unwrap();
        assert!(any.allows("api.example.com", 443));
        assert!(any.allows("api.example.com", 8080));
        assert!(!any.allows("example.com", 443));
        let one = parse("127.0.0.1:8080").unwrap();
        assert!(one.allows("127.0.0.1", 8080));
        assert!(!one.allows("127.0.0.1", 8081));
        let v6 = parse("[::1]:9000").unwrap();
        assert!(v6.allows("::1", 9000));
        assert_eq!(v6.to_string(), "[::1]:9000");
        assert!(parse("[::1]").unwrap().allows("::1", 1));
    }

    #[test]
    fn bad_values_say_why() {
        for (bad, why) in [
            ("http://example.com", "not a URL"),
            ("example.com/x", "no path"),
            ("", "empty"),
            (":80", "empty"),
            ("example.com:0", "1 to 65535"),
            ("example.com:http", "1 to 65535"),
            ("::1", "brackets"),
            ("[::1", "closing"),
        ] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn nothing_is_allowed_by_default() {
        let none = AllowedHosts::default();
        assert!(none.is_empty());
        assert!(!none.allows("127.0.0.1", 80));
        let some = AllowedHosts::new([parse("localhost:3000").unwrap()]);
        assert!(some.allows("LOCALHOST", 3000));
        assert!(!some.allows("localhost", 3001));
    }

    #[test]
    fn destinations_default_to_the_scheme_port() {
        let uri: hyper::http::Uri = "https://example.com/x".parse().unwrap();
        assert_eq!(destination(&uri), Some(("example.com".into(), 443)));
        let uri: hyper::http::Uri = "http://[::1]:81/".parse().unwrap();
        assert_eq!(destination(&uri), Some(("::1".into(), 81)));
        let uri: hyper::http::Uri = "http://a/".parse().unwrap();
        assert_eq!(destination(&uri), Some(("a".into(), 80)));
    }
}
