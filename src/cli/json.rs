//! The JSON shape of an item, documented in the README. Every item has
//! exactly these keys, `null` or `[]` when a fact is absent, so scripts can
//! rely on them; under a target, `verdict`, `reason` and `alternatives` too.

use serde::Serialize;

use crate::catalog::{Catalog, Item, Version};
use crate::detail;
use crate::target::Target;

#[derive(Debug, Serialize)]
pub struct JsonItem {
    name: &'static str,
    kind: &'static str,
    tier: &'static str,
    stable_since: Option<String>,
    exposed: JsonExposed,
    ifdef: Option<JsonIfdef>,
    abi3t: Option<&'static str>,
    struct_kind: Option<&'static str>,
    members: Vec<JsonMember>,
    signature: Option<&'static str>,
    returns: Option<&'static str>,
    returns_inferred: bool,
    thread_safety: Option<&'static str>,
    header: Option<&'static str>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    added_in: Option<String>,
    changed_in: Vec<String>,
    deprecated_in: Option<String>,
    soft_deprecated_in: Option<String>,
    removal_announced: Option<String>,
    removed_in: Option<String>,
    replacements: Vec<&'static str>,
    section: Option<&'static str>,
    doc_url: Option<&'static str>,
    see_also: Vec<&'static str>,
    notes: Vec<&'static str>,
    /// Present only under a target.
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternatives: Option<Vec<&'static str>>,
}

#[derive(Debug, Serialize)]
struct JsonExposed {
    abi3: Option<String>,
    abi3t: bool,
}

#[derive(Debug, Serialize)]
struct JsonIfdef {
    #[serde(rename = "macro")]
    feature: &'static str,
    note: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct JsonMember {
    name: &'static str,
    #[serde(rename = "type")]
    ctype: Option<&'static str>,
    stable: bool,
}

fn version(v: Option<Version>) -> Option<String> {
    v.map(|v| v.to_string())
}

impl JsonItem {
    /// The item, with its verdict, reason and alternatives under a target.
    pub fn new(catalog: &Catalog, item: &Item, target: Target) -> JsonItem {
        let mut json = JsonItem::from(item);
        if target.is_set() {
            let advice = detail::advice(catalog, item, target);
            if let Some(j) = advice.judgement {
                json.verdict = Some(j.verdict.as_str());
                json.reason = Some(j.reason);
            }
            json.alternatives = Some(advice.alternatives.unwrap_or_default());
        }
        json
    }
}

impl From<&Item> for JsonItem {
    fn from(i: &Item) -> Self {
        JsonItem {
            name: i.name(),
            kind: i.kind.as_str(),
            tier: i.tier.as_str(),
            stable_since: version(i.stable_since),
            exposed: JsonExposed {
                abi3: version(i.exposed.abi3),
                abi3t: i.exposed.abi3t,
            },
            ifdef: i.ifdef.map(|d| JsonIfdef {
                feature: d.feature(),
                note: d.note(),
            }),
            abi3t: i.abi3t.map(super::super::catalog::schema::Abi3t::as_str),
            struct_kind: i.struct_kind.map(super::super::catalog::schema::StructKind::as_str),
            members: i
                .members()
                .iter()
                .map(|m| JsonMember {
                    name: m.name(),
                    ctype: m.ctype(),
                    stable: m.stable,
                })
                .collect(),
            signature: i.signature(),
            returns: i.returns.map(super::super::catalog::schema::Returns::as_str),
            returns_inferred: i.returns_inferred,
            thread_safety: i.thread_safety.map(super::super::catalog::schema::ThreadSafety::as_str),
            header: i.header(),
            first_seen: version(i.first_seen),
            last_seen: version(i.last_seen),
            added_in: version(i.added_in),
            changed_in: i.changed_in().iter().map(ToString::to_string).collect(),
            deprecated_in: version(i.deprecated_in),
            soft_deprecated_in: version(i.soft_deprecated_in),
            removal_announced: version(i.removal_announced),
            removed_in: version(i.removed_in),
            replacements: i.replacements().to_vec(),
            section: i.section(),
            doc_url: i.doc_url(),
            see_also: i.see_also().to_vec(),
            notes: i.notes().to_vec(),
            verdict: None,
            reason: None,
            alternatives: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn an_item_has_exactly_the_documented_keys() {
        let item = Catalog::embedded().get("PyObject").expect("in the catalog");
        let value = serde_json::to_value(JsonItem::from(item)).expect("serialisable");
        let keys: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = vec![
            "name",
            "kind",
            "tier",
            "stable_since",
            "exposed",
            "ifdef",
            "abi3t",
            "struct_kind",
            "members",
            "signature",
            "returns",
            "returns_inferred",
            "thread_safety",
            "header",
            "first_seen",
            "last_seen",
            "added_in",
            "changed_in",
            "deprecated_in",
            "soft_deprecated_in",
            "removal_announced",
            "removed_in",
            "replacements",
            "section",
            "doc_url",
            "see_also",
            "notes",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(value["exposed"], serde_json::json!({"abi3": "3.2", "abi3t": true}));
        assert_eq!(value["members"][0].as_object().map(serde_json::Map::len), Some(3));
    }
}
