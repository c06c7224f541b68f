//! What a namespace holds: its app repositories (the registry's catalog
//! API, `/v2/_catalog`) and the newest tag of each, with its manifest, for
//! `jspkg rebuild REGISTRY/NS`.

use crate::client::{ClientOptions, Registry};
use crate::error::{RegistryError, Result};
use crate::layout::{self, Manifest};
use jspkg_artifact::Digest;
use oci_client::Reference;

/// Page size of catalog and tag listings.
const PAGE: usize = 1000;

/// `REGISTRY/NS` split into its registry and namespace (no tag, no digest).
pub fn parse_namespace(target: &str) -> Result<(String, String)> {
    let bad = |reason: &str| RegistryError::BadReference {
        reference: target.to_string(),
        reason: reason.to_string(),
    };
    let (registry, ns) = target
        .trim_end_matches('/')
        .split_once('/')
        .ok_or_else(|| bad("expected REGISTRY/NAMESPACE, e.g. 127.0.0.1:5000/acme"))?;
    if registry.is_empty() || ns.is_empty() {
        return Err(bad("expected REGISTRY/NAMESPACE, e.g. 127.0.0.1:5000/acme"));
    }
    if ns.contains([':', '@']) {
        return Err(bad("a namespace has no tag or digest"));
    }
    Ok((registry.to_string(), ns.to_string()))
}

/// Whether `repository` is an app repository directly or deeper in `ns`
/// (engine repositories, `…/engines/NAME`, are not).
pub fn in_namespace(repository: &str, ns: &str) -> bool {
    repository
        .strip_prefix(ns)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|rest| !rest.is_empty() && !rest.split('/').any(|c| c == "engines"))
}

/// The app repositories of `ns` in `registry`, sorted, from the catalog API.
/// A registry without it gives [`RegistryError::Engine`] saying to use a
/// list file.
pub async fn list_repositories(
    registry: &str,
    ns: &str,
    opts: &ClientOptions,
) -> Result<Vec<String>> {
    let probe = Reference::with_tag(registry.to_string(), ns.to_string(), "latest".into());
    let reg = Registry::new(&probe, opts).await;
    let mut all = Vec::new();
    let mut last: Option<String> = None;
    loop {
        let page = reg
            .client
            .catalog(&probe, reg.creds.registry_auth(), Some(PAGE), last.as_deref())
            .await
            .map_err(|e| match reg.error("catalog listing", "/v2/_catalog", e) {
                e @ (RegistryError::Unreachable { .. } | RegistryError::Unauthorized { .. }) => e,
                other => RegistryError::Engine(format!(
                    "registry {registry} does not serve the catalog API (/v2/_catalog: {other}); give the app repositories with --list FILE"
                )),
            })?;
        let n = page.repositories.len();
        last = page.repositories.last().cloned();
        all.extend(page.repositories);
        if n < PAGE {
            break;
        }
    }
    let mut repos: Vec<String> = all.into_iter().filter(|r| in_namespace(r, ns)).collect();
    repos.sort();
    repos.dedup();
    Ok(repos)
}

/// The newest tag of a repository and what it holds.
#[derive(Debug, Clone)]
pub struct Head {
    /// The tag, as the registry spells it.
    pub tag: String,
    /// Its semver version (`_` read as `+`).
    pub version: semver::Version,
    /// The manifest, checked as a Wasm OCI artifact.
    pub manifest: Manifest,
    /// The manifest's digest.
    pub digest: Digest,
}

/// The newest tag of `repository`: the highest semver version among its
/// tags (tags are versions, `_` standing for `+`; others are ignored).
/// `None` when it has no semver tag.
pub async fn newest(
    registry: &str,
    repository: &str,
    opts: &ClientOptions,
) -> Result<Option<Head>> {
    let probe = Reference::with_tag(
        registry.to_string(),
        repository.to_string(),
        "latest".into(),
    );
    let reg = Registry::new(&probe, opts).await;
    let mut tags = Vec::new();
    let mut last: Option<String> = None;
    loop {
        let page = reg
            .client
            .list_tags(
                &probe,
                reg.creds.registry_auth(),
                Some(PAGE),
                last.as_deref(),
            )
            .await
            .map_err(|e| reg.error("listing tags", repository, e))?;
        let n = page.tags.len();
        last = page.tags.last().cloned();
        tags.extend(page.tags);
        if n < PAGE {
            break;
        }
    }
    let Some((version, tag)) = tags
        .into_iter()
        .filter_map(|t| {
            semver::Version::parse(&t.replace('_', "+"))
                .ok()
                .map(|v| (v, t))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
    else {
        return Ok(None);
    };
    let reference = Reference::with_tag(registry.to_string(), repository.to_string(), tag.clone());
    let (bytes, _) = reg
        .client
        .pull_manifest_raw(
            &reference,
            reg.creds.registry_auth(),
            &[layout::MANIFEST_MEDIA_TYPE],
        )
        .await
        .map_err(|e| reg.error("manifest download", &reference.whole(), e))?;
    let manifest = layout::parse_manifest(&reference.whole(), &bytes)?;
    Ok(Some(Head {
        tag,
        version,
        manifest,
        digest: Digest::of(&bytes),
    }))
}

/// The tag of an app rebuilt on engine version `engine` (FORMAT.md,
/// "Engine upgrades"): the app's version with its build metadata replaced by
/// `engine.<ENGINE-VERSION>` (`1.0.0` → `1.0.0+engine.0.2.0`), written as a
/// tag with `_` for `+` (`1.0.0_engine.0.2.0`).
pub fn rebuilt_version(app: &semver::Version, engine: &semver::Version) -> semver::Version {
    let mut v = app.clone();
    // Build identifiers are [0-9A-Za-z-]; an engine version's `+` is not one.
    let ev = engine.to_string().replace('+', "-");
    v.build = semver::BuildMetadata::new(&format!("engine.{ev}"))
        .expect("engine.<semver> is valid build metadata");
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_and_tags() {
        assert_eq!(
            parse_namespace("127.0.0.1:5000/acme").unwrap(),
            ("127.0.0.1:5000".into(), "acme".into())
        );
        assert!(parse_namespace("127.0.0.1:5000").is_err());
        assert!(parse_namespace("127.0.0.1:5000/acme:1").is_err());
        assert!(in_namespace("acme/hello", "acme"));
        assert!(in_namespace("acme/web/site", "acme"));
        assert!(!in_namespace("acme/engines/jspkg-quickjs-cli", "acme"));
        assert!(!in_namespace("acmes/hello", "acme"));
        assert!(!in_namespace("acme", "acme"));
        let v = |s: &str| semver::Version::parse(s).unwrap();
        let r = rebuilt_version(&v("1.0.0"), &v("0.2.0"));
        assert_eq!(r.to_string(), "1.0.0+engine.0.2.0");
        assert_eq!(crate::version_tag(&r), "1.0.0_engine.0.2.0");
        // Rebuilt again: the engine part is replaced, not appended.
        assert_eq!(
            rebuilt_version(&r, &v("0.3.0-rc.1")).to_string(),
            "1.0.0+engine.0.3.0-rc.1"
        );
        // The rebuilt tag sorts above the tag it came from.
        assert!(r > v("1.0.0"));
    }
}
