//! The Stable ABI manifest, as exported from the `abi3info` package.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Manifest {
    pub source: String,
    pub items: Vec<ManifestItem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ManifestItem {
    pub name: String,
    /// `feature_macro`, `struct`, `function`, `data`, `macro` or `typedef`.
    pub kind: String,
    #[serde(default)]
    pub added: Option<String>,
    #[serde(default)]
    pub ifdef: Option<String>,
    #[serde(default)]
    pub abi_only: Option<bool>,
    /// `opaque`, `partial` or `full`.
    #[serde(default)]
    pub struct_kind: Option<String>,
    #[serde(default)]
    pub members: Option<Vec<String>>,
    #[serde(default)]
    pub abi3t_opaque: Option<bool>,
    /// For feature macros: where the guarded items exist ("on Windows").
    #[serde(default)]
    pub doc: Option<String>,
}

impl Manifest {
    pub fn load(upstream: &Path) -> Result<Self> {
        let path = find_one(upstream, "abi3info-", ".json")?;
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// The note for a feature macro, e.g. `MS_WINDOWS` -> "on Windows".
    pub fn feature_note(&self, feature: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|i| i.kind == "feature_macro" && i.name == feature)
            .and_then(|i| i.doc.as_deref())
    }
}

/// The single file in `dir` named `prefix*suffix`.
pub fn find_one(dir: &Path, prefix: &str, suffix: &str) -> Result<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => anyhow::bail!("no {prefix}*{suffix} in {}", dir.display()),
        _ => anyhow::bail!("several {prefix}*{suffix} in {}: {found:?}", dir.display()),
    }
}
