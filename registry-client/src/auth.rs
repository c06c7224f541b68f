//! Registry credentials: from the environment (`JSPKG_REGISTRY_USERNAME` and
//! `JSPKG_REGISTRY_PASSWORD`), else from the docker config file
//! (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, its `auths`
//! entry for the registry), else anonymous. The registry's challenge decides
//! how they are used: HTTP basic, or the token flow (`WWW-Authenticate:
//! Bearer`), both handled by `oci-client`. Credentials are never printed or
//! logged: [`Credentials`]'s `Debug` shows only where they came from.

use base64::Engine as _;
use oci_client::secrets::RegistryAuth;
use std::path::PathBuf;

/// Environment variable holding the registry user name.
pub const ENV_USERNAME: &str = "JSPKG_REGISTRY_USERNAME";
/// Environment variable holding the registry password or token.
pub const ENV_PASSWORD: &str = "JSPKG_REGISTRY_PASSWORD";

/// Credentials for one registry, and where they came from.
#[derive(Clone)]
pub struct Credentials {
    auth: RegistryAuth,
    source: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({})", self.source)
    }
}

impl Credentials {
    /// No credentials.
    pub fn anonymous() -> Self {
        Self {
            auth: RegistryAuth::Anonymous,
            source: "anonymous".into(),
        }
    }

    /// A user name and password given directly.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            auth: RegistryAuth::Basic(username.into(), password.into()),
            source: "given credentials".into(),
        }
    }

    /// Where the credentials came from, for messages (never the secret).
    pub fn source(&self) -> &str {
        &self.source
    }

    pub(crate) fn registry_auth(&self) -> &RegistryAuth {
        &self.auth
    }

    /// Finds the credentials for `registry` (host[:port]): environment, then
    /// docker config, then anonymous.
    pub fn for_registry(registry: &str) -> Self {
        let user = std::env::var(ENV_USERNAME).ok().filter(|s| !s.is_empty());
        let pass = std::env::var(ENV_PASSWORD).ok().filter(|s| !s.is_empty());
        if let (Some(u), Some(p)) = (user, pass) {
            return Self {
                auth: RegistryAuth::Basic(u, p),
                source: format!("credentials from {ENV_USERNAME}/{ENV_PASSWORD}"),
            };
        }
        if let Some(path) = docker_config_path()
            && let Some(auth) = from_docker_config(&path, registry)
        {
            return Self {
                auth,
                source: format!("credentials from {}", path.display()),
            };
        }
        Self {
            auth: RegistryAuth::Anonymous,
            source: "no credentials found".into(),
        }
    }
}

fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".docker").join("config.json"))
}

fn from_docker_config(path: &std::path::Path, registry: &str) -> Option<RegistryAuth> {
    let text = std::fs::read_to_string(path).ok()?;
    let config: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) => {
            tracing::warn!(path = %path.display(), "docker config is not valid JSON; ignoring it");
            return None;
        }
    };
    let auths = config.get("auths")?.as_object()?;
    let candidates = [
        registry.to_string(),
        format!("https://{registry}"),
        format!("http://{registry}"),
        format!("https://{registry}/v1/"),
        format!("https://{registry}/v2/"),
    ];
    let entry = candidates.iter().find_map(|k| auths.get(k))?;
    if let Some(encoded) = entry.get("auth").and_then(|a| a.as_str()) {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (user, pass) = decoded.split_once(':')?;
        return Some(RegistryAuth::Basic(user.to_string(), pass.to_string()));
    }
    let user = entry.get("username").and_then(|u| u.as_str());
    let pass = entry.get("password").and_then(|p| p.as_str());
    if let (Some(u), Some(p)) = (user, pass) {
        return Some(RegistryAuth::Basic(u.to_string(), p.to_string()));
    }
    if config.get("credsStore").is_some() || config.get("credHelpers").is_some() {
        tracing::warn!(
            "docker credential helpers are not supported; use JSPKG_REGISTRY_USERNAME/PASSWORD"
        );
    }
    None
}
