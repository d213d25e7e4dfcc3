//! What changed between two versions: what entered the Limited API and the
//! Stable ABI, what left the API but stays in the ABI, what the docs mark
//! deprecated or removed.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, Item, Kind, Tier, Version};

/// Items grouped by kind, each group in catalog order.
pub type ByKind = BTreeMap<Kind, Vec<&'static Item>>;

#[derive(Debug, Default)]
pub struct Changes {
    /// Entered the Limited API (and so the Stable ABI).
    pub added_limited: ByKind,
    /// Entered the Stable ABI only.
    pub added_abi_only: ByKind,
    /// Stable ABI items removed from the API, so exported for old binaries only.
    pub became_abi_only: ByKind,
    pub deprecated: ByKind,
    /// Other items whose removal the docs note.
    pub removed: ByKind,
}

fn within(v: Option<Version>, from: Version, to: Version) -> bool {
    v.is_some_and(|v| from < v && v <= to)
}

/// The changes after `from`, up to and including `to`.
pub fn between(catalog: &Catalog, from: Version, to: Version) -> Changes {
    let mut c = Changes::default();
    let add = |group: &mut ByKind, item: &'static Item| group.entry(item.kind).or_default().push(item);
    for item in catalog.items() {
        if within(item.stable_since, from, to) {
            match item.tier {
                Tier::Limited => add(&mut c.added_limited, item),
                Tier::AbiOnly => add(&mut c.added_abi_only, item),
                _ => {}
            }
        }
        if within(item.removed_in, from, to) {
            if item.is_stable_abi() {
                add(&mut c.became_abi_only, item);
            } else {
                add(&mut c.removed, item);
            }
        }
        if within(item.deprecated_in, from, to) {
            add(&mut c.deprecated, item);
        }
    }
    c
}

pub fn count(group: &ByKind) -> usize {
    group.values().map(Vec::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_entered_between_two_versions() {
        let catalog = Catalog::embedded();
        let c = between(&catalog, Version::new(3, 12), Version::new(3, 13));
        let functions = &c.added_limited[&Kind::Function];
        assert!(functions.iter().any(|i| i.name() == "PyList_GetItemRef"));
        assert!(functions.iter().all(|i| i.stable_since == Some(Version::new(3, 13))));
        let none = between(&catalog, Version::new(3, 13), Version::new(3, 13));
        assert_eq!(count(&none.added_limited), 0);
    }
}
