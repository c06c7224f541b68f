//! Where jspkg keeps its state: `$JSPKG_HOME`, by default the user cache
//! directory (`$XDG_CACHE_HOME/jspkg`, else `~/.cache/jspkg`).

use std::path::PathBuf;

/// The jspkg home directory (not created here).
pub fn jspkg_home() -> PathBuf {
    if let Some(h) = std::env::var_os("JSPKG_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(h);
    }
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(x).join("jspkg");
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => PathBuf::from(home).join(".cache").join("jspkg"),
        None => std::env::temp_dir().join("jspkg"),
    }
}

/// Compiled engines and components.
pub fn compiled_dir() -> PathBuf {
    jspkg_home().join("compiled")
}
