//! The detail model: every fact of one item as labelled, typed fields.
//!
//! `abiscope show` prints it and the explorer's detail pane renders it, so
//! the two cannot disagree about what is shown or how it is worded.

use crate::alternatives::alternatives;
use crate::catalog::{Abi3t, Catalog, Item, Kind, Member, Returns, StructKind, ThreadSafety, Tier, Version};
use crate::target::{Judgement, Target, Verdict, judge};

/// One labelled fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Plain prose.
    Text(String),
    /// A C declaration, to be shown as code.
    Code(String),
    /// Catalog names, selectable in the explorer.
    Names(Vec<&'static str>),
    /// Alternatives: catalog names with a note (their version), selectable.
    Alternatives(Vec<(&'static str, String)>),
    /// A verdict and its reason.
    Verdict(Verdict, String),
    /// Struct members, one per line.
    Members(Vec<Member>),
    /// A link.
    Url(String),
    /// Several sentences, one per line.
    Lines(Vec<String>),
}

/// What a target makes of an item, and what to use instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The target, if one is set.
    pub target: Option<Target>,
    /// `None` without a target.
    pub judgement: Option<Judgement>,
    /// `Some` when the item needs replacing: not usable under the target,
    /// or (without a target) not in the Limited API. Empty: none exists.
    pub alternatives: Option<Vec<&'static str>>,
}

/// The verdict and alternatives for an item under a target.
pub fn advice(catalog: &Catalog, item: &Item, target: Target) -> Advice {
    let judgement = target.is_set().then(|| judge(catalog, item, target));
    // Deprecated names need replacing even where the target allows them
    // (`PyErr_Fetch` under abi3=3.12).
    let needs_replacing = (judgement
        .as_ref()
        .map_or(item.tier != Tier::Limited, |j| !j.verdict.is_usable())
        || item.is_deprecated()
        || item.soft_deprecated_in.is_some())
        && item.kind != Kind::FeatureMacro;
    let alternatives = needs_replacing.then(|| alternatives(catalog, item.name(), Some(item), target));
    Advice {
        target: target.is_set().then_some(target),
        judgement,
        alternatives,
    }
}

/// Beside an alternative: its version, and under a target whether the
/// target allows it.
fn alternative_note(catalog: &Catalog, name: &str, advice: &Advice) -> String {
    let Some(item) = catalog.get(name) else {
        return String::new();
    };
    let since = match (item.stable_since, item.added_in) {
        (Some(v), _) => format!("since {v}"),
        (None, Some(v)) => format!("added {v}"),
        (None, None) => String::new(),
    };
    match &advice.target {
        Some(target) if judge(catalog, item, *target).verdict.is_usable() => format!("usable; {since}"),
        Some(_) => format!("needs a newer target; {since}"),
        None => since,
    }
}

/// The names the detail pane lets the user follow, in display order: the
/// alternatives, then the see-also names not already among them.
pub fn links(item: &Item, advice: &Advice) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = advice.alternatives.clone().unwrap_or_default();
    for n in item.see_also() {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// All fields of `item`, in reading order; facts that are absent are left
/// out, except the documentation link, which says when there is none.
pub fn fields(catalog: &Catalog, item: &Item, advice: &Advice) -> Vec<Field> {
    let mut out = Vec::new();
    let mut push = |label: &'static str, value: Value| out.push(Field { label, value });
    if let Some(sig) = item.signature() {
        push("Signature", Value::Code(sig.to_string()));
    }
    push("Kind", Value::Text(kind_label(item.kind).to_string()));
    push("Tier", Value::Text(tier_label(item.tier).to_string()));
    if let Some(j) = &advice.judgement {
        push("Verdict", Value::Verdict(j.verdict, j.reason.clone()));
    }
    if let Some(instead) = instead(catalog, item, advice) {
        push("Instead", instead);
    }
    if let Some(since) = item.stable_since {
        push(
            "Stable ABI",
            Value::Text(format!("since {since} (Py_LIMITED_API {})", limited_api_hex(since))),
        );
    }
    if let Some(ifdef) = item.ifdef {
        let text = match ifdef.note() {
            Some(note) => format!("only {note} ({})", ifdef.feature()),
            None => format!("only where {} is defined", ifdef.feature()),
        };
        push("Platform", Value::Text(text));
    }
    // What the 3.15 headers declare says nothing about a name they lack.
    if item.kind != Kind::FeatureMacro && !item.name().contains('.') && !item.is_removed() {
        push("Headers declare", Value::Text(exposed_text(item)));
    }
    if let Some(a) = item.abi3t {
        // Declared under abi3t yet judged unusable there (a function that
        // needs a PyModuleDef): the row says so in the verdict's word.
        let unusable = advice
            .judgement
            .as_ref()
            .is_some_and(|j| j.verdict == crate::target::Verdict::Abi3tUnusable);
        let label = if unusable && a == Abi3t::Available {
            "declared, but abi3t-unusable (see Verdict)"
        } else {
            abi3t_label(a)
        };
        push("abi3t", Value::Text(label.to_string()));
    }
    if let Some(sk) = item.struct_kind {
        push("Struct ABI", Value::Text(struct_kind_label(sk).to_string()));
    }
    if !item.members().is_empty() {
        push("Members", Value::Members(item.members().to_vec()));
    }
    let fields = field_alternatives(item.name());
    if !fields.is_empty() {
        push("Fields instead", Value::Lines(fields));
    }
    if let Some(r) = item.returns {
        let inferred = if item.returns_inferred {
            " (inferred: the docs do not annotate it)"
        } else {
            ""
        };
        push("Returns", Value::Text(format!("{}{inferred}", returns_label(r))));
    }
    if let Some(t) = item.thread_safety {
        push("Thread safety", Value::Text(thread_safety_label(t).to_string()));
    }
    if let Some(h) = item.header() {
        push("Header", Value::Code(h.to_string()));
    }
    let history = history(item);
    if !history.is_empty() {
        push("History", Value::Text(history));
    }
    if let Some(releases) = releases(catalog, item) {
        push("Releases", Value::Text(releases));
    }
    if let Some(s) = item.section() {
        push("Section", Value::Text(s.to_string()));
    }
    match item.doc_url() {
        Some(url) => push("Docs", Value::Url(url.to_string())),
        None => push("Docs", Value::Text("undocumented".to_string())),
    }
    let shown: Vec<&'static str> = advice.alternatives.clone().unwrap_or_default();
    let see_also: Vec<&'static str> = item.see_also().iter().filter(|n| !shown.contains(n)).collect();
    if !see_also.is_empty() {
        push("See also", Value::Names(see_also));
    }
    if let Some(sig) = item.docs_signature() {
        push("Docs signature", Value::Code(sig.to_string()));
    }
    if !item.notes().is_empty() {
        push(
            "Notes",
            Value::Lines(item.notes().iter().map(|n| (*n).to_string()).collect()),
        );
    }
    out
}

/// The alternatives with their versions, or why there are none; `None`
/// when the item needs no replacing.
fn instead(catalog: &Catalog, item: &Item, advice: &Advice) -> Option<Value> {
    let alts = advice.alternatives.as_ref()?;
    Some(if alts.is_empty() {
        let none = if item.is_removed() || item.tier == Tier::Limited {
            "no known alternative"
        } else {
            "no Limited API alternative"
        };
        Value::Text(none.to_string())
    } else {
        Value::Alternatives(
            alts.iter()
                .map(|n| (*n, alternative_note(catalog, n, advice)))
                .collect(),
        )
    })
}

/// For a struct, the calls the migration table gives for reading its
/// fields (`tp_name: PyType_GetName, PyType_GetQualName`).
fn field_alternatives(name: &str) -> Vec<String> {
    crate::alternatives::MIGRATIONS
        .iter()
        .filter_map(|(key, to)| {
            let field = key.strip_prefix(name)?.strip_prefix('.')?;
            Some(format!("{field}: {}", to.join(", ")))
        })
        .collect()
}

/// The `#define` value for a version: `0x030B0000` for 3.11.
pub fn limited_api_hex(v: Version) -> String {
    format!("0x{:08X}", v.hex())
}

fn exposed_text(item: &Item) -> String {
    let abi3 = match item.exposed.abi3 {
        Some(v) => format!("abi3 from {v}"),
        None => "not for abi3".to_string(),
    };
    let abi3t = if item.exposed.abi3t {
        "abi3t (3.15) yes"
    } else {
        "abi3t (3.15) no"
    };
    format!("{abi3}; {abi3t}")
}

fn history(item: &Item) -> String {
    let mut parts = Vec::new();
    if let Some(v) = item.added_in {
        parts.push(format!("added {v}"));
    }
    if !item.changed_in().is_empty() {
        let list: Vec<String> = item.changed_in().iter().map(ToString::to_string).collect();
        parts.push(format!("changed {}", list.join(", ")));
    }
    if let Some(v) = item.deprecated_in {
        parts.push(format!("deprecated {v}"));
    }
    if let Some(v) = item.soft_deprecated_in {
        parts.push(format!("soft-deprecated {v}"));
    }
    if let Some(v) = item.removal_announced {
        parts.push(format!("removal announced for {v}"));
    }
    if let Some(v) = item.removed_in {
        parts.push(format!("removed {v}"));
    }
    parts.join(" · ")
}

/// Which of the releases read have the item, when not all from the first
/// to the newest do: "3.9 to 3.11 (of 3.9, 3.11, 3.13, 3.14, 3.15)".
fn releases(catalog: &Catalog, item: &Item) -> Option<String> {
    let read = catalog.source().release_versions();
    let (first, last) = (item.first_seen?, item.last_seen?);
    if Some(&first) == read.first() && Some(&last) == read.last() {
        return None;
    }
    let span = if first == last {
        format!("only {first}")
    } else {
        format!("{first} to {last}")
    };
    let all: Vec<String> = read.iter().map(ToString::to_string).collect();
    Some(format!("{span} (of the releases read: {})", all.join(", ")))
}

pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Function => "function",
        Kind::Variable => "variable (exported data)",
        Kind::Macro => "macro",
        Kind::Constant => "constant",
        Kind::Type => "type",
        Kind::Struct => "struct",
        Kind::Enumerator => "enumerator",
        Kind::FeatureMacro => "Stable ABI feature macro",
    }
}

pub fn tier_label(tier: Tier) -> &'static str {
    match tier {
        Tier::Limited => "Limited API (and Stable ABI)",
        Tier::AbiOnly => "Stable ABI only: exported for old binaries, not in the Limited API",
        Tier::Unstable => "Unstable API (may change in minor releases)",
        Tier::General => "C API outside the Limited API",
        Tier::Private => "private (underscore name)",
    }
}

fn abi3t_label(a: Abi3t) -> &'static str {
    match a {
        Abi3t::Available => "available",
        Abi3t::Opaque => "opaque: usable only through pointers",
        Abi3t::Unavailable => "unavailable",
    }
}

fn struct_kind_label(sk: StructKind) -> &'static str {
    match sk {
        StructKind::Opaque => "opaque: use pointers only",
        StructKind::Members => "only the members marked stable are part of the Stable ABI",
        StructKind::Full => "full: the whole layout is stable",
    }
}

fn returns_label(r: Returns) -> &'static str {
    match r {
        Returns::New => "new reference",
        Returns::Borrowed => "borrowed reference",
        Returns::Null => "always NULL",
    }
}

fn thread_safety_label(t: ThreadSafety) -> &'static str {
    match t {
        ThreadSafety::Atomic => "atomic",
        ThreadSafety::Shared => "safe for concurrent use on the same object",
        ThreadSafety::Distinct => "safe without external synchronization on distinct objects",
        ThreadSafety::Compatible => "safe from multiple threads with external synchronization only",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn field<'a>(fields: &'a [Field], label: &str) -> Option<&'a Value> {
        fields.iter().find(|f| f.label == label).map(|f| &f.value)
    }

    #[test]
    fn a_stable_function_shows_its_facts() {
        let catalog = Catalog::embedded();
        let item = catalog.get("PyBuffer_FillInfo").expect("in the catalog");
        let f = fields(&catalog, item, &advice(&catalog, item, Target::default()));
        assert_eq!(
            field(&f, "Signature"),
            Some(&Value::Code(
                "int PyBuffer_FillInfo(Py_buffer *view, PyObject *exporter, void *buf, Py_ssize_t len, int readonly, int flags)"
                    .into()
            ))
        );
        assert_eq!(
            field(&f, "Stable ABI"),
            Some(&Value::Text("since 3.11 (Py_LIMITED_API 0x030B0000)".into()))
        );
        assert_eq!(field(&f, "Header"), Some(&Value::Code("Include/pybuffer.h".into())));
        assert_eq!(
            field(&f, "Docs"),
            Some(&Value::Url(
                "https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo".into()
            ))
        );
    }

    #[test]
    fn an_undocumented_item_says_so() {
        let catalog = Catalog::embedded();
        let item = catalog
            .items()
            .iter()
            .find(|i| i.doc_url().is_none())
            .expect("some undocumented item");
        let f = fields(&catalog, item, &advice(&catalog, item, Target::default()));
        assert_eq!(field(&f, "Docs"), Some(&Value::Text("undocumented".into())));
    }
}
