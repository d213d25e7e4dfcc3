//! Merges the four inputs into catalog records: the manifest says what is in
//! the Stable ABI, the docs what is documented and how, the headers what the
//! code really declares, and the probes what each target exposes.
//!
//! Precedence, where the inputs overlap: the manifest decides Stable ABI
//! facts (since-version, ABI-only, struct kind); the headers decide kinds
//! and win over the docs on signatures that do not compile against them;
//! the docs decide everything the others do not carry. Disagreements are
//! recorded in the item's notes instead of being silently resolved.

use std::collections::{BTreeMap, BTreeSet};

use crate::cdecl::{self, TypedefTarget};
use crate::docs::{DocEntry, Docs};
use crate::headers::{DeclKind, HeaderIndex};
use crate::inventory::Inventory;
use crate::manifest::{Manifest, ManifestItem};
use crate::probe::{Exposure, Form, Target};
use crate::schema::{Abi3t, ItemRecord, Kind, MemberRecord, SectionRecord, StructKind, Tier, Version};

pub const DOCS_BASE: &str = "https://docs.python.org/3/";
/// The tree node for documented names whose page is outside the C API reference.
pub const ELSEWHERE: &str = "Elsewhere in the documentation";

/// Where one catalog name comes from.
#[derive(Debug, Default)]
pub struct Origin<'a> {
    pub manifest: Option<&'a ManifestItem>,
    /// The docs entry and its `objects.inv` URI.
    pub doc: Option<(&'a DocEntry, String)>,
    /// `objects.inv` role and URI, for names whose page is not in c-api/.
    pub inventory: Option<(String, String)>,
    /// Documented members by name, with their docs type.
    pub doc_members: Vec<(String, Option<String>)>,
}

/// Every catalog name with its origins, members folded into their structs.
pub fn collect<'a>(manifest: &'a Manifest, inventory: &Inventory, docs: &'a Docs) -> BTreeMap<String, Origin<'a>> {
    let mut names: BTreeMap<String, Origin<'a>> = BTreeMap::new();
    for m in &manifest.items {
        names.entry(m.name.clone()).or_default().manifest = Some(m);
    }
    for e in &inventory.entries {
        let doc = docs.entries.get(&e.name);
        match catalog_name(&e.name, &e.role) {
            Placement::Item(name) => {
                let origin = names.entry(name).or_default();
                match doc {
                    Some(d) => origin.doc = Some((d, e.uri.clone())),
                    None => origin.inventory = Some((e.role.clone(), e.uri.clone())),
                }
            }
            Placement::Member { parent, member } => {
                let ctype = doc
                    .and_then(|d| d.signature.as_deref())
                    .and_then(|s| member_type(s, &member));
                names.entry(parent).or_default().doc_members.push((member, ctype));
            }
        }
    }
    names
}

enum Placement {
    Item(String),
    Member { parent: String, member: String },
}

/// How a dotted Sphinx name maps to a C name: members belong to their
/// struct; nested enumerators and macros are global C names (their last
/// part); nested functions are callback prototypes documented inside a
/// slot, which keep their qualified name since they are no C name at all.
fn catalog_name(name: &str, role: &str) -> Placement {
    match name.split_once('.') {
        Some((parent, member)) if role == "member" => Placement::Member {
            parent: parent.to_string(),
            member: member.to_string(),
        },
        Some(_) if role == "enumerator" || role == "macro" => {
            Placement::Item(name.rsplit('.').next().unwrap_or(name).to_string())
        }
        _ => Placement::Item(name.to_string()),
    }
}

/// The type of a member from its docs declaration (`PyTypeObject *ob_type`).
fn member_type(signature: &str, member: &str) -> Option<String> {
    let toks = cdecl::tokenize(signature);
    let last = member.rsplit('.').next().unwrap_or(member);
    let at = toks.iter().rposition(|t| t.text == last)?;
    // Drop a `Struct.` qualifier in front of the name as well.
    let mut start = at;
    while start >= 2 && toks[start - 1].text == "." {
        start -= 2;
    }
    let rest: Vec<_> = toks[..start].iter().chain(&toks[at + 1..]).cloned().collect();
    let t = cdecl::render(&rest);
    (!t.is_empty()).then_some(t)
}

/// How each name should be probed, from what the full headers declare it as.
pub fn probe_targets(names: &BTreeMap<String, Origin<'_>>, headers: &HeaderIndex) -> Vec<Target> {
    names
        .iter()
        .filter(|(name, _)| !name.contains('.'))
        .map(|(name, origin)| {
            let decls = headers.decls.get(name).map(Vec::as_slice).unwrap_or_default();
            let tag_only = decls.is_empty() && !headers.macros.contains_key(name) && headers.records.contains_key(name);
            let form = if tag_only { Form::Tag } else { Form::Ordinary };
            let feature = origin.manifest.is_some_and(|m| m.ifdef.is_some());
            Target {
                name: name.clone(),
                form,
                feature,
            }
        })
        .collect()
}

/// Everything `build` needs besides the per-name origins.
pub struct Inputs<'a> {
    pub manifest: &'a Manifest,
    pub docs: &'a Docs,
    pub inventory: &'a Inventory,
    pub headers: &'a HeaderIndex,
    pub exposure: &'a BTreeMap<String, Exposure>,
    /// Functions that are macros or `static inline` from some version on.
    pub inline_forms: &'a BTreeMap<String, Version>,
    /// Docs signatures that conflict with (or do not compile against) the headers.
    pub conflicting_docs: &'a BTreeSet<String>,
}

impl Inputs<'_> {
    fn limited_listed(&self) -> BTreeSet<&str> {
        self.docs.limited_list.iter().map(String::as_str).collect()
    }
}

/// Builds every record, sorted by name, and the sections they refer to.
pub fn build(inputs: &Inputs<'_>, names: &BTreeMap<String, Origin<'_>>) -> (Vec<SectionRecord>, Vec<ItemRecord>) {
    let listed = inputs.limited_listed();
    let mut sections = inputs.docs.sections.clone();
    let mut elsewhere: BTreeMap<String, String> = BTreeMap::new();
    let mut items = Vec::with_capacity(names.len());
    for (name, origin) in names {
        let mut item = record(inputs, &listed, name, origin);
        if item.section.is_none()
            && let Some((_, uri)) = &origin.inventory
        {
            let anchor = uri.split_once("#c.").map(|(_, a)| a);
            if let Some(path) = anchor.and_then(|a| inputs.docs.anchor_sections.get(a)) {
                item.section = Some(path.clone());
                items.push(item);
                continue;
            }
            let page = uri.split('#').next().unwrap_or(uri);
            let title = inputs
                .inventory
                .page_titles
                .get(page.trim_end_matches(".html"))
                .cloned()
                .unwrap_or_else(|| page.to_string());
            let path = format!("{ELSEWHERE} > {title}");
            elsewhere.insert(path.clone(), page.to_string());
            item.section = Some(path);
        }
        items.push(item);
    }
    if !elsewhere.is_empty() {
        sections.push(SectionRecord {
            path: ELSEWHERE.to_string(),
            url: None,
        });
        sections.extend(
            elsewhere
                .into_iter()
                .map(|(path, url)| SectionRecord { path, url: Some(url) }),
        );
    }
    // See-also names must be catalog names.
    let known: BTreeSet<String> = items.iter().map(|i| i.name.clone()).collect();
    for item in &mut items {
        let own = item.name.clone();
        item.see_also.retain(|n| *n != own && known.contains(n));
    }
    (sections, items)
}

fn record(inputs: &Inputs<'_>, listed: &BTreeSet<&str>, name: &str, origin: &Origin<'_>) -> ItemRecord {
    let headers = inputs.headers;
    let doc = origin.doc.as_ref().map(|(d, _)| *d);
    let manifest = origin.manifest;
    let mut notes = Vec::new();
    let kind = kind_of(name, origin, headers);
    let tier = tier_of(name, kind, origin, listed, &mut notes);
    let stable_since = stable_since_of(origin, tier, &mut notes);
    let (ifdef, ifdef_note) = match manifest.and_then(|m| m.ifdef.clone()) {
        Some(macro_name) => {
            let note = inputs.manifest.feature_note(&macro_name).map(str::to_string);
            (Some(macro_name), note)
        }
        None => (None, None),
    };
    if let (Some(note), Some(platform)) = (&ifdef_note, doc.and_then(|d| d.stable.as_ref()?.platform.as_ref()))
        && note != platform
    {
        notes.push(format!(
            "The documentation says '{platform}'; the manifest says '{note}'."
        ));
    }
    let exposure = inputs.exposure.get(name).copied().unwrap_or_default();
    if tier == Tier::Limited && !name.contains('.') && kind != Kind::FeatureMacro {
        notes.extend(stable_since.and_then(|since| exposure_note(since, exposure.abi3)));
    }
    let (struct_kind, members) = struct_facts(name, kind, origin, headers, &mut notes);
    let abi3t = abi3t_status(kind, manifest, struct_kind, exposure);
    let (signature, docs_signature) = signature_of(name, kind, doc, headers, inputs.conflicting_docs);
    if docs_signature.is_some() {
        notes.push(
            "The documented signature does not match the headers; the headers' declaration is shown.".to_string(),
        );
    }

    let header = header_of(name, kind, headers);
    let doc_url = origin
        .doc
        .as_ref()
        .map(|(_, uri)| uri.clone())
        .or_else(|| origin.inventory.as_ref().map(|(_, uri)| uri.clone()))
        .map(|uri| format!("{DOCS_BASE}{uri}"));
    let see_also = doc
        .map(|d| {
            d.links
                .iter()
                .map(|l| link_target(l, inputs.inventory))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut see_also_unique = Vec::new();
    for n in see_also {
        if !see_also_unique.contains(&n) {
            see_also_unique.push(n);
        }
    }

    ItemRecord {
        name: name.to_string(),
        kind,
        tier,
        stable_since,
        exposed_abi3: exposure.abi3,
        exposed_abi3t: exposure.abi3t,
        inline_abi3: (kind == Kind::Function)
            .then(|| inputs.inline_forms.get(name).copied())
            .flatten(),
        ifdef,
        ifdef_note,
        abi3t,
        struct_kind,
        members,
        signature,
        docs_signature,
        returns: doc.and_then(|d| d.returns),
        thread_safety: doc.and_then(|d| d.thread_safety),
        header,
        added_in: doc.and_then(|d| d.added_in),
        changed_in: doc.map(|d| d.changed_in.clone()).unwrap_or_default(),
        deprecated_in: doc.and_then(|d| d.deprecated_in),
        removed_in: doc.and_then(|d| d.removed_in),
        section: doc.and_then(|d| d.section.clone()),
        doc_url,
        see_also: see_also_unique,
        notes,
    }
}

/// Limited when listed, in the manifest as API, or marked "available when
/// compiling for the Stable ABI"; then ABI-only, unstable, private, general.
fn tier_of(name: &str, kind: Kind, origin: &Origin<'_>, listed: &BTreeSet<&str>, notes: &mut Vec<String>) -> Tier {
    let doc = origin.doc.as_ref().map(|(d, _)| *d);
    let manifest = origin.manifest;
    let abi_only = manifest.is_some_and(|m| m.abi_only == Some(true));
    let tier = if listed.contains(name)
        || manifest.is_some_and(|m| m.kind != "feature_macro" && !abi_only)
        || doc.and_then(|d| d.stable.as_ref()).is_some_and(|s| s.available_macro)
    {
        Tier::Limited
    } else if abi_only {
        Tier::AbiOnly
    } else if kind == Kind::FeatureMacro {
        Tier::General
    } else if name.starts_with("PyUnstable") || doc.is_some_and(|d| d.unstable) {
        Tier::Unstable
    } else if name.starts_with('_') {
        Tier::Private
    } else {
        Tier::General
    };
    if tier == Tier::Limited && abi_only {
        notes.push(
            "The Stable ABI manifest marks this ABI-only; the 3.15 documentation still lists it in the Limited API."
                .to_string(),
        );
    }
    tier
}

/// The manifest's version; for Limited items the manifest lacks, the docs'
/// ("Part of the Stable ABI" without a version means since 3.2).
fn stable_since_of(origin: &Origin<'_>, tier: Tier, notes: &mut Vec<String>) -> Option<Version> {
    let manifest_since = origin
        .manifest
        .and_then(|m| m.added.as_deref())
        .and_then(|v| v.parse::<Version>().ok());
    let docs_since = origin
        .doc
        .as_ref()
        .and_then(|(d, _)| d.stable.as_ref())
        .map(|s| s.since.unwrap_or(Version::new(3, 2)));
    match (manifest_since, docs_since) {
        (Some(m), Some(d)) if m != d => {
            notes.push(format!(
                "The documentation says Stable ABI since {d}; the manifest says {m}."
            ));
            Some(m)
        }
        (Some(m), _) => Some(m),
        (None, d) if matches!(tier, Tier::Limited | Tier::AbiOnly) => d,
        _ => None,
    }
}

/// Why the headers' exposure of a Limited item differs from its version.
fn exposure_note(since: Version, exposed: Option<Version>) -> Option<String> {
    match exposed {
        Some(from) if from < since => Some(format!(
            "The headers declare it from Py_LIMITED_API {from}, before it was listed in the Stable ABI ({since})."
        )),
        Some(from) if from > since => Some(format!(
            "The headers declare it only from Py_LIMITED_API {from}, after its Stable ABI version ({since})."
        )),
        None if since <= crate::probe::NEWEST_HEADERS => {
            Some("The 3.15.2 headers do not declare it for any Py_LIMITED_API version.".to_string())
        }
        _ => None,
    }
}

/// The catalog name a `c.` link points at: a member link points at its
/// struct, a nested enumerator or macro at its C name.
fn link_target(anchor: &str, inventory: &Inventory) -> String {
    let role = inventory
        .entries
        .iter()
        .find(|e| e.name == anchor)
        .map_or("", |e| e.role.as_str());
    match catalog_name(anchor, role) {
        Placement::Item(name) => name,
        Placement::Member { parent, .. } => parent,
    }
}

fn kind_of(name: &str, origin: &Origin<'_>, headers: &HeaderIndex) -> Kind {
    if let Some(m) = origin.manifest {
        match m.kind.as_str() {
            "feature_macro" => return Kind::FeatureMacro,
            "struct" => return Kind::Struct,
            "function" => return Kind::Function,
            "data" => return Kind::Variable,
            "typedef" => return Kind::Type,
            _ => {
                return match headers.macros.get(name) {
                    Some(_) => macro_kind(name, headers),
                    None => Kind::Macro,
                };
            }
        }
    }
    let decls = headers.decls.get(name).map(Vec::as_slice).unwrap_or_default();
    if let Some(d) = decls.first() {
        return match &d.kind {
            DeclKind::Function { .. } => Kind::Function,
            DeclKind::Variable => Kind::Variable,
            DeclKind::Typedef(TypedefTarget::Record { .. }) => Kind::Struct,
            DeclKind::Typedef(_) => Kind::Type,
            DeclKind::Enumerator => Kind::Enumerator,
        };
    }
    if headers.macros.contains_key(name) {
        return macro_kind(name, headers);
    }
    if headers.records.contains_key(name) {
        return Kind::Struct;
    }
    let role = origin
        .doc
        .as_ref()
        .map(|(d, _)| d.role.as_str())
        .or(origin.inventory.as_ref().map(|(r, _)| r.as_str()));
    match role {
        Some("function") => Kind::Function,
        Some("type") => Kind::Type,
        Some("struct") => Kind::Struct,
        Some("var" | "member") => Kind::Variable,
        Some("enumerator") => Kind::Enumerator,
        _ => Kind::Macro,
    }
}

/// A `#define` of a plain value (numbers, operators, casts and other such
/// constants) is a constant; anything else is a macro.
fn macro_kind(name: &str, headers: &HeaderIndex) -> Kind {
    if is_constant(name, headers, 0) {
        Kind::Constant
    } else {
        Kind::Macro
    }
}

fn is_constant(name: &str, headers: &HeaderIndex, depth: u8) -> bool {
    let def = headers
        .macros
        .get(name)
        .map(|m| &m.def)
        .or_else(|| headers.system_macros.get(name));
    let Some(def) = def else { return false };
    if def.params.is_some() || def.body.is_empty() || depth > 8 {
        return false;
    }
    cdecl::tokenize(&def.body).iter().all(|t| match t.kind {
        cdecl::TokKind::Number | cdecl::TokKind::Literal => true,
        cdecl::TokKind::Punct => !matches!(t.text.as_str(), ";" | "{" | "}" | "=" | "->" | "."),
        cdecl::TokKind::Ident => {
            // Casts to scalar types, and the compiler's own constants.
            const CONSTANT_WORDS: &[&str] = &[
                "unsigned",
                "signed",
                "int",
                "long",
                "short",
                "char",
                "double",
                "float",
                "void",
                "sizeof",
                "__builtin_huge_val",
                "__builtin_huge_valf",
                "__builtin_inff",
                "__builtin_nanf",
            ];
            CONSTANT_WORDS.contains(&t.text.as_str())
                || headers
                    .decls
                    .get(&t.text)
                    .is_some_and(|d| d.iter().any(|d| matches!(d.kind, DeclKind::Typedef(_))))
                || is_constant(&t.text, headers, depth + 1)
        }
    })
}

fn struct_facts(
    name: &str,
    kind: Kind,
    origin: &Origin<'_>,
    headers: &HeaderIndex,
    notes: &mut Vec<String>,
) -> (Option<StructKind>, Vec<MemberRecord>) {
    if kind != Kind::Struct && origin.doc_members.is_empty() {
        return (None, Vec::new());
    }
    let manifest = origin.manifest.filter(|m| m.kind == "struct");
    let struct_kind = manifest.and_then(|m| match m.struct_kind.as_deref() {
        Some("opaque") => Some(StructKind::Opaque),
        Some("partial") => Some(StructKind::Members),
        Some("full") => Some(StructKind::Full),
        _ => None,
    });
    if let (Some(sk), Some(note)) = (struct_kind, origin.doc.as_ref().and_then(|(d, _)| d.stable.as_ref())) {
        let docs_kind = if note.all_members {
            Some(StructKind::Full)
        } else if note.opaque {
            Some(StructKind::Opaque)
        } else {
            None
        };
        if docs_kind.is_some_and(|d| d != sk) {
            notes.push(format!(
                "The documentation and the manifest disagree on the struct's ABI kind; the manifest says {sk}."
            ));
        }
    }
    let stable_listed: Vec<&str> = manifest
        .and_then(|m| m.members.as_ref())
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let is_stable = |member: &str| match struct_kind {
        Some(StructKind::Full) => true,
        Some(StructKind::Members) => stable_listed.contains(&member),
        _ => false,
    };
    // Header order, with the documented type where the docs give one (the
    // header's can be a platform's layout detail, such as a split refcount).
    let documented = |member: &str| {
        origin
            .doc_members
            .iter()
            .find(|(n, _)| n == member)
            .and_then(|(_, t)| t.clone())
    };
    let mut members: Vec<MemberRecord> = Vec::new();
    if let Some(record) = headers.record_of(name) {
        for m in &record.members {
            let ctype = documented(&m.name).unwrap_or_else(|| m.ctype.clone());
            members.push(MemberRecord {
                name: m.name.clone(),
                ctype: Some(ctype),
                stable: is_stable(&m.name),
            });
        }
    }
    for (member, ctype) in &origin.doc_members {
        if !members.iter().any(|m| m.name == *member) {
            members.push(MemberRecord {
                name: member.clone(),
                ctype: ctype.clone(),
                stable: is_stable(member),
            });
        }
    }
    for listed in &stable_listed {
        if !members.iter().any(|m| m.name == *listed) {
            members.push(MemberRecord {
                name: (*listed).to_string(),
                ctype: None,
                stable: true,
            });
        }
    }
    (struct_kind, members)
}

fn abi3t_status(
    kind: Kind,
    manifest: Option<&ManifestItem>,
    struct_kind: Option<StructKind>,
    exposure: Exposure,
) -> Option<Abi3t> {
    if kind == Kind::FeatureMacro {
        return None;
    }
    if kind == Kind::Struct && manifest.is_some() {
        let opaque = match struct_kind {
            Some(StructKind::Opaque | StructKind::Members) => true,
            Some(StructKind::Full) => manifest.and_then(|m| m.abi3t_opaque).unwrap_or(false),
            None => return None,
        };
        return Some(if opaque { Abi3t::Opaque } else { Abi3t::Available });
    }
    if exposure.abi3t {
        Some(Abi3t::Available)
    } else {
        // Declared for abi3 but not for abi3t: gone there. Never declared: unknown.
        exposure.abi3.map(|_| Abi3t::Unavailable)
    }
}

/// The catalog signature and, when the headers overrule the docs, the docs'.
fn signature_of(
    name: &str,
    kind: Kind,
    doc: Option<&DocEntry>,
    headers: &HeaderIndex,
    conflicting_docs: &BTreeSet<String>,
) -> (Option<String>, Option<String>) {
    let docs_sig = doc
        .and_then(|d| d.signature.clone())
        .filter(|s| s.contains(' ') || s.contains('('));
    let decls = headers.decls.get(name).map(Vec::as_slice).unwrap_or_default();
    let header_sig = decls.iter().find_map(|d| d.signature.clone());
    let macro_sig = headers.macros.get(name).map(|m| match &m.def.params {
        Some(params) => format!("{name}({})", params.join(", ")),
        None => format!("#define {name} {}", m.def.body).trim_end().to_string(),
    });
    match kind {
        Kind::Function => {
            if conflicting_docs.contains(name) && header_sig.is_some() {
                (header_sig, docs_sig)
            } else {
                (docs_sig.or(header_sig), None)
            }
        }
        Kind::Variable if conflicting_docs.contains(name) && header_sig.is_some() => (header_sig, docs_sig),
        Kind::Variable | Kind::Type => (docs_sig.or(header_sig), None),
        Kind::Macro => (docs_sig.or(macro_sig.filter(|s| !s.starts_with("#define"))), None),
        Kind::Constant => (macro_sig, None),
        Kind::Struct => (
            header_sig.or_else(|| headers.records.contains_key(name).then(|| format!("struct {name}"))),
            None,
        ),
        Kind::Enumerator | Kind::FeatureMacro => (None, None),
    }
}

fn header_of(name: &str, kind: Kind, headers: &HeaderIndex) -> Option<String> {
    if kind == Kind::Struct
        && let Some(record) = headers.record_of(name)
    {
        return Some(record.header.clone());
    }
    headers
        .decls
        .get(name)
        .and_then(|d| d.first())
        .map(|d| d.header.clone())
        .or_else(|| headers.macros.get(name).map(|m| m.header.clone()))
        .or_else(|| headers.records.get(name).map(|r| r.header.clone()))
        .or_else(|| headers.text_only.get(name).cloned())
}
