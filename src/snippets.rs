//! The texts the explorer copies: name, signature, documentation link, a
//! ready-to-paste snippet, and the `Py_LIMITED_API` line an item needs.

use crate::catalog::{Item, Kind, Version};
use crate::detail::{limited_api_hex, tier_label};
use crate::target::{ABI3T_FIRST, Target};

/// What to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    Name,
    Signature,
    Link,
    Snippet,
    Define,
    /// A code example from the documentation text (the copy menu lists
    /// them; the text comes from the docs, not the catalog).
    Code,
}

impl CopyWhat {
    pub const ALL: [CopyWhat; 5] = [
        CopyWhat::Name,
        CopyWhat::Signature,
        CopyWhat::Link,
        CopyWhat::Snippet,
        CopyWhat::Define,
    ];

    /// The menu label and the status message noun.
    pub fn label(self) -> &'static str {
        match self {
            CopyWhat::Name => "name",
            CopyWhat::Signature => "signature",
            CopyWhat::Link => "link",
            CopyWhat::Snippet => "snippet",
            CopyWhat::Define => "#define for the target",
            CopyWhat::Code => "code example",
        }
    }

    /// The letter that picks it in the copy menu.
    pub fn key(self) -> char {
        match self {
            CopyWhat::Name => 'n',
            CopyWhat::Signature => 's',
            CopyWhat::Link => 'l',
            CopyWhat::Snippet => 'p',
            CopyWhat::Define => 'd',
            CopyWhat::Code => 'e',
        }
    }
}

/// The `Py_LIMITED_API` version an item needs: for an exported function or
/// variable its Stable ABI version (the symbol must exist at run time); for
/// macros, types and inline helpers the first version whose headers
/// declare it, if that is earlier.
pub fn needed_version(item: &Item) -> Option<Version> {
    let exported = matches!(item.kind, Kind::Function | Kind::Variable) && item.is_stable_abi();
    match (item.stable_since, item.exposed.abi3) {
        (Some(since), _) if exported => Some(since),
        (Some(since), Some(exposed)) => Some(since.min(exposed)),
        (since, exposed) => since.or(exposed),
    }
}

/// The `#define` lines that select the Stable ABI an item needs, as PEP 803
/// prescribes for the target: `Py_LIMITED_API` for abi3 (and without a
/// target), `Py_TARGET_ABI3T` for abi3t, both for both; each at the
/// item's version or the target's, whichever is later (abi3t at 3.15 at
/// least).
pub fn define_text(item: &Item, target: Target) -> Result<String, String> {
    let needed = needed_version(item);
    let mut lines = Vec::new();
    if target.abi3.is_some() || !target.is_set() {
        let v = needed.ok_or_else(|| format!("{} is not available under Py_LIMITED_API", item.name()))?;
        let v = target.abi3.map_or(v, |t| t.max(v));
        lines.push(format!("#define Py_LIMITED_API {}", limited_api_hex(v)));
    }
    if let Some(t) = target.abi3t {
        if !item.exposed.abi3t {
            return Err(format!("{} is not available under Py_TARGET_ABI3T", item.name()));
        }
        let v = needed.map_or(t, |v| v.max(t)).max(ABI3T_FIRST);
        lines.push(format!("#define Py_TARGET_ABI3T {}", limited_api_hex(v)));
    }
    Ok(lines.join("\n"))
}

/// The text for `what` without a target, or why there is none.
pub fn copy_text(item: &Item, what: CopyWhat) -> Result<String, String> {
    copy_text_for(item, what, Target::default())
}

/// The text for `what` under `target`, or why there is none.
pub fn copy_text_for(item: &Item, what: CopyWhat, target: Target) -> Result<String, String> {
    match what {
        CopyWhat::Name => Ok(item.name().to_string()),
        CopyWhat::Signature => item
            .signature()
            .map(str::to_string)
            .ok_or_else(|| format!("{} has no signature", item.name())),
        CopyWhat::Link => item
            .doc_url()
            .map(str::to_string)
            .ok_or_else(|| format!("{} is undocumented", item.name())),
        CopyWhat::Define => define_text(item, target),
        CopyWhat::Snippet => Ok(snippet(item)),
        CopyWhat::Code => Err("code examples come from the documentation text".to_string()),
    }
}

fn snippet(item: &Item) -> String {
    let mut facts = vec![tier_label(item.tier).to_string()];
    if let Some(v) = item.stable_since {
        facts.push(format!("Stable ABI since {v}"));
    }
    let mut s = format!("/* {}: {}", item.name(), facts.join(", "));
    if let Some(url) = item.doc_url() {
        s.push_str("\n * ");
        s.push_str(url);
    }
    match item.signature() {
        Some(sig) if matches!(item.kind, Kind::Function | Kind::Variable) => {
            s.push_str(" */\n");
            s.push_str(sig);
            s.push(';');
        }
        Some(sig) => {
            s.push_str("\n * ");
            s.push_str(sig);
            s.push_str(" */");
        }
        None => s.push_str(" */"),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn the_snippet_declares_and_explains() {
        let item = Catalog::embedded().get("PyBuffer_FillInfo").expect("in the catalog");
        assert_eq!(
            copy_text(item, CopyWhat::Snippet).expect("a snippet"),
            "/* PyBuffer_FillInfo: Limited API (and Stable ABI), Stable ABI since 3.11\n * \
             https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo */\n\
             int PyBuffer_FillInfo(Py_buffer *view, PyObject *exporter, void *buf, Py_ssize_t len, int readonly, int flags);"
        );
        assert_eq!(
            copy_text(item, CopyWhat::Define).expect("a define"),
            "#define Py_LIMITED_API 0x030B0000"
        );
    }

    #[test]
    fn macros_get_their_earlier_header_version() {
        let catalog = Catalog::embedded();
        let ret = catalog.get("Py_RETURN_NONE").expect("in the catalog");
        assert_eq!(
            copy_text(ret, CopyWhat::Define).expect("a define"),
            "#define Py_LIMITED_API 0x03020000"
        );
        let list = catalog.get("PyList_GET_ITEM").expect("in the catalog");
        assert!(copy_text(list, CopyWhat::Define).is_err());
    }

    #[test]
    fn the_define_follows_the_target_as_pep_803_says() {
        let catalog = Catalog::embedded();
        let fill = catalog.get("PyBuffer_FillInfo").expect("in the catalog");
        let target = |t: &str| t.parse::<Target>().expect("a target");
        assert_eq!(
            define_text(fill, target("abi3t=3.15")),
            Ok("#define Py_TARGET_ABI3T 0x030F0000".to_string())
        );
        assert_eq!(
            define_text(fill, target("abi3=3.9,abi3t=3.16")),
            Ok("#define Py_LIMITED_API 0x030B0000\n#define Py_TARGET_ABI3T 0x03100000".to_string())
        );
        assert_eq!(
            define_text(fill, target("abi3=3.12")),
            Ok("#define Py_LIMITED_API 0x030C0000".to_string())
        );
        let head = catalog.get("PyObject_HEAD").expect("in the catalog");
        assert!(define_text(head, target("abi3t=3.15")).is_err_and(|e| e.contains("Py_TARGET_ABI3T")));
    }
}
