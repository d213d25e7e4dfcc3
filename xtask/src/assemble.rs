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

use crate::cdecl;
use crate::docs::{DocEntry, StableNote};
use crate::facts;
use crate::headers::HeaderIndex;
use crate::history::Timeline;
use crate::inventory::{Inventory, Placement, catalog_name};
use crate::manifest::{Manifest, ManifestItem};
use crate::probe::{Exposure, Form, Target};
use crate::releases::Release;
use crate::schema::{ItemRecord, Kind, Returns, SectionRecord, Tier, Version};

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
    /// The release whose docs `doc` or `inventory` come from.
    pub doc_release: Option<Version>,
    /// Documented members by name, with their docs type.
    pub doc_members: Vec<(String, Option<String>)>,
    /// Index of the release whose headers describe the name: the newest
    /// that declares it (the newest release when none does).
    pub headers: usize,
}

/// Every catalog name with its origins, members folded into their structs:
/// the manifest, then each release's documented and public header names,
/// newest first (a name keeps the newest docs that describe it), then the
/// private names something asks about (`tracked`) where a release has them.
pub fn collect<'a>(
    manifest: &'a Manifest,
    releases: &'a [Release],
    tracked: &BTreeSet<String>,
) -> BTreeMap<String, Origin<'a>> {
    let mut names: BTreeMap<String, Origin<'a>> = BTreeMap::new();
    for m in &manifest.items {
        names.entry(m.name.clone()).or_default().manifest = Some(m);
    }
    let Some((newest, older)) = releases.split_last() else {
        return names;
    };
    for release in std::iter::once(newest).chain(older.iter().rev()) {
        let is_newest = std::ptr::eq(release, newest);
        for e in &release.inventory.entries {
            let doc = release.docs.entries.get(&e.name);
            match catalog_name(&e.name, &e.role) {
                Placement::Item(name) => {
                    // Older docs count where they document a C name: their
                    // nested functions (`PyConfig.PyConfig_Read`) are the
                    // same functions the newer docs file at top level.
                    if !is_newest && (!release.documents(&name) || name.contains('.')) {
                        continue;
                    }
                    let origin = names.entry(name).or_default();
                    if origin.doc_release.is_some_and(|v| v != release.version) {
                        continue;
                    }
                    origin.doc_release = Some(release.version);
                    match doc {
                        Some(d) => origin.doc = Some((d, e.uri.clone())),
                        None => origin.inventory = Some((e.role.clone(), e.uri.clone())),
                    }
                }
                Placement::Member { parent, member } => {
                    let ctype = doc
                        .and_then(|d| d.signature.as_deref())
                        .and_then(|s| member_type(s, &member));
                    let origin = names.entry(parent).or_default();
                    if is_newest || origin.doc_release == Some(release.version) {
                        origin.doc_members.push((member, ctype));
                    }
                }
            }
        }
        for name in release.headers.public_names() {
            names.entry(name).or_default();
        }
    }
    for name in tracked {
        if releases.iter().any(|r| r.has(name)) {
            names.entry(name.clone()).or_default();
        }
    }
    let last = releases.len() - 1;
    for (name, origin) in &mut names {
        origin.headers = releases.iter().rposition(|r| r.declares(name)).unwrap_or(last);
    }
    names
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
pub fn probe_targets(names: &BTreeMap<String, Origin<'_>>, current: &[&str], headers: &HeaderIndex) -> Vec<Target> {
    names
        .iter()
        .filter(|(name, _)| !name.contains('.') && current.binary_search(&name.as_str()).is_ok())
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
    /// Oldest first; the last is the release the catalog describes.
    pub releases: &'a [Release],
    pub timeline: &'a Timeline<'a>,
    pub exposure: &'a BTreeMap<String, Exposure>,
    /// Functions that are macros or `static inline` from some version on.
    pub inline_forms: &'a BTreeMap<String, Version>,
    /// Docs signatures that conflict with (or do not compile against) the headers.
    pub conflicting_docs: &'a BTreeSet<String>,
}

impl Inputs<'_> {
    fn newest(&self) -> &Release {
        self.releases.last().expect("at least one release")
    }

    fn limited_listed(&self) -> BTreeSet<&str> {
        self.newest().docs.limited_list.iter().map(String::as_str).collect()
    }
}

/// Builds every record, sorted by name, and the sections they refer to.
pub fn build(inputs: &Inputs<'_>, names: &BTreeMap<String, Origin<'_>>) -> (Vec<SectionRecord>, Vec<ItemRecord>) {
    let listed = inputs.limited_listed();
    let newest = inputs.newest();
    let known: BTreeSet<String> = names.keys().cloned().collect();
    let mut sections = newest.docs.sections.clone();
    let mut elsewhere: BTreeMap<String, String> = BTreeMap::new();
    let mut items = Vec::with_capacity(names.len());
    for (name, origin) in names {
        let mut item = record(inputs, &listed, &known, name, origin);
        if item.section.is_none()
            && origin.doc_release == Some(newest.version)
            && let Some((_, uri)) = &origin.inventory
        {
            let anchor = uri.split_once("#c.").map(|(_, a)| a);
            if let Some(path) = anchor.and_then(|a| newest.docs.anchor_sections.get(a)) {
                item.section = Some(path.clone());
                items.push(item);
                continue;
            }
            let page = uri.split('#').next().unwrap_or(uri);
            let title = newest
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
    keep_sound_replacements(&mut items);
    (sections, items)
}

/// A replacement must be usable itself (not removed, not deprecated) and
/// stand in for the name: no struct or type for a function or macro
/// (`PyModule_ExecDef` is not replaced by `PyModuleDef`, which its note
/// only mentions).
fn keep_sound_replacements(items: &mut [ItemRecord]) {
    let facts: BTreeMap<String, (Kind, bool)> = items
        .iter()
        .map(|i| {
            let gone = i.removed_in.is_some() || i.deprecated_in.is_some();
            (i.name.clone(), (i.kind, gone))
        })
        .collect();
    for item in items.iter_mut() {
        let callable = matches!(item.kind, Kind::Function | Kind::Macro);
        item.replacements.retain(|r| {
            facts
                .get(r)
                .is_some_and(|&(kind, gone)| !(gone || callable && matches!(kind, Kind::Struct | Kind::Type)))
        });
    }
}

fn record(
    inputs: &Inputs<'_>,
    listed: &BTreeSet<&str>,
    known: &BTreeSet<String>,
    name: &str,
    origin: &Origin<'_>,
) -> ItemRecord {
    let headers = &inputs.releases[origin.headers].headers;
    let current_docs = origin.doc_release == Some(inputs.newest().version);
    let history = inputs.timeline.history(name, known);
    let doc = origin.doc.as_ref().map(|(d, _)| *d);
    let manifest = origin.manifest;
    let mut notes = Vec::new();
    let kind = facts::kind_of(name, origin, headers);
    // Stable ABI notes of older docs say what was, not what is: the
    // manifest and the newest docs decide.
    let stable_note = doc.and_then(|d| d.stable.as_ref()).filter(|_| current_docs);
    let tier = tier_of(name, kind, origin, stable_note, listed, &mut notes);
    let stable_since = stable_since_of(origin, stable_note, tier, &mut notes);
    let present = history.last_seen() == Some(inputs.newest().version) || origin.manifest.is_some();
    let (ifdef, ifdef_note) = match manifest.and_then(|m| m.ifdef.clone()) {
        Some(macro_name) => {
            let note = inputs.manifest.feature_note(&macro_name).map(str::to_string);
            (Some(macro_name), note)
        }
        None => (None, None),
    };
    if let (Some(note), Some(platform)) = (&ifdef_note, stable_note.and_then(|s| s.platform.as_ref()))
        && note != platform
    {
        notes.push(format!(
            "The documentation says '{platform}'; the manifest says '{note}'."
        ));
    }
    let exposure = inputs.exposure.get(name).copied().unwrap_or_default();
    if tier == Tier::Limited && !name.contains('.') && kind != Kind::FeatureMacro && present {
        notes.extend(stable_since.and_then(|since| exposure_note(since, exposure.abi3)));
    }
    let (struct_kind, members) = facts::struct_facts(name, kind, origin, headers, &mut notes);
    let abi3t = facts::abi3t_status(kind, manifest, struct_kind, exposure);
    let (signature, docs_signature, header) = declaration(inputs, origin, name, kind);
    if docs_signature.is_some() {
        notes.push(
            "The documented signature does not match the headers; the headers' declaration is shown.".to_string(),
        );
    }
    let (doc_url, see_also) = doc_links(inputs, origin, current_docs);
    let (returns, returns_inferred) = returns_of(inputs, name, kind, signature.as_deref());

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
        returns,
        returns_inferred,
        thread_safety: doc.and_then(|d| d.thread_safety),
        header,
        first_seen: history.first_seen(),
        last_seen: history.last_seen(),
        added_in: history.added_in,
        changed_in: doc.map(|d| d.changed_in.clone()).unwrap_or_default(),
        deprecated_in: history.deprecated_in,
        soft_deprecated_in: history.soft_deprecated_in,
        removed_in: history.removed_in,
        removal_announced: history.removal_announced,
        replacements: history.replacements,
        section: doc.and_then(|d| d.section.clone()).filter(|_| current_docs),
        doc_url,
        see_also,
        notes: notes.into_iter().chain(history.notes).collect(),
    }
}

/// The signature (with the docs' where the headers overrule it) and the
/// header. A documented signature counts when it comes from the same
/// release as the headers; older docs describe an older declaration
/// (`PyCode_New` gained parameters since the 3.11 docs documented it).
fn declaration(
    inputs: &Inputs<'_>,
    origin: &Origin<'_>,
    name: &str,
    kind: Kind,
) -> (Option<String>, Option<String>, Option<String>) {
    let release = &inputs.releases[origin.headers];
    let headers = &release.headers;
    let doc = origin.doc.as_ref().map(|(d, _)| *d);
    let same_release = origin.doc_release == Some(release.version);
    let (mut signature, docs_signature) = facts::signature_of(
        name,
        kind,
        doc.filter(|_| same_release || !headers.declares(name)),
        headers,
        inputs.conflicting_docs,
    );
    let mut header = facts::header_of(name, kind, headers);
    if signature.is_none() && kind == Kind::Function {
        // Declared only where no compile looks (internal headers): the
        // declaration as the newest header text gives it.
        if let Some(r) = inputs
            .releases
            .iter()
            .rev()
            .find(|r| r.headers.text_signatures.contains_key(name))
        {
            signature = r.headers.text_signatures.get(name).cloned();
            header = header.or_else(|| r.headers.text_only.get(name).cloned());
        }
    }
    (signature, docs_signature, header)
}

/// What a returned object reference is: the docs' "Return value:"
/// annotation in the newest docs that give one. Otherwise, for a function
/// returning `PyObject *`, inferred: what the entry's prose says; what the
/// docs annotate for its public twin (`_PyDict_GetItemWithError` is
/// `PyDict_GetItemWithError`) or the function it is a variant of
/// (`PyErr_SetFromErrnoWithUnicodeFilename` is `PyErr_SetFromErrno`'s
/// kind: always `NULL`); borrowed where the name says so
/// (`Py_GetConstantBorrowed`) or it is a field accessor
/// (`PyCFunction_GET_SELF`); else a new reference, the C API's convention.
fn returns_of(inputs: &Inputs<'_>, name: &str, kind: Kind, signature: Option<&str>) -> (Option<Returns>, bool) {
    let annotated = |n: &str| inputs.timeline.doc_entries(n).iter().find_map(|(_, d)| d.returns);
    if let Some(r) = annotated(name) {
        return (Some(r), false);
    }
    let returns_object = signature.is_some_and(|s| {
        let s = s.trim_start_matches("const ");
        s.starts_with("PyObject *") && !s.starts_with("PyObject **") && s.contains('(')
    });
    if !returns_object || name.contains('.') || !matches!(kind, Kind::Function | Kind::Macro) {
        return (None, false);
    }
    let prose = || {
        inputs
            .timeline
            .doc_entries(name)
            .iter()
            .find_map(|(_, d)| d.prose_returns)
    };
    let twin = || annotated(name.trim_start_matches('_').trim_end_matches("_SizeT"));
    // A variant that takes other arguments (`...WithUnicodeFilename`) of a
    // documented name; other extensions are other functions
    // (`PyType_GetModuleName` is no `PyType_GetModule`).
    let extended = || name.rmatch_indices("With").find_map(|(i, _)| annotated(&name[..i]));
    let by_name = || {
        let accessor = name.split('_').any(|w| w == "GET") || name.ends_with("Borrowed");
        Some(if accessor { Returns::Borrowed } else { Returns::New })
    };
    (prose().or_else(twin).or_else(extended).or_else(by_name), true)
}

/// The documentation link (to the newest docs that describe the name) and
/// the catalog names its entry links to, each once.
fn doc_links(inputs: &Inputs<'_>, origin: &Origin<'_>, current_docs: bool) -> (Option<String>, Vec<String>) {
    let base = match origin.doc_release {
        Some(v) if !current_docs => format!("https://docs.python.org/{v}/"),
        _ => DOCS_BASE.to_string(),
    };
    let doc_url = origin
        .doc
        .as_ref()
        .map(|(_, uri)| uri.clone())
        .or_else(|| origin.inventory.as_ref().map(|(_, uri)| uri.clone()))
        .map(|uri| format!("{base}{uri}"));
    let docs_inventory = &inputs
        .releases
        .iter()
        .find(|r| Some(r.version) == origin.doc_release)
        .unwrap_or_else(|| inputs.newest())
        .inventory;
    let mut see_also = Vec::new();
    for link in origin.doc.iter().flat_map(|(d, _)| &d.links) {
        let target = link_target(link, docs_inventory);
        if !see_also.contains(&target) {
            see_also.push(target);
        }
    }
    (doc_url, see_also)
}

/// ABI-only when the manifest says so; Limited when listed, in the
/// manifest as API, or marked "available when compiling for the Stable
/// ABI"; then unstable, private, general.
fn tier_of(
    name: &str,
    kind: Kind,
    origin: &Origin<'_>,
    stable_note: Option<&StableNote>,
    listed: &BTreeSet<&str>,
    notes: &mut Vec<String>,
) -> Tier {
    let doc = origin.doc.as_ref().map(|(d, _)| *d);
    let manifest = origin.manifest;
    let abi_only = manifest.is_some_and(|m| m.abi_only == Some(true));
    // The manifest decides: an item it made ABI-only is ABI-only even
    // where the docs' list still names it (`Py_UTF8Mode`).
    let tier = if abi_only {
        Tier::AbiOnly
    } else if listed.contains(name)
        || manifest.is_some_and(|m| m.kind != "feature_macro")
        || stable_note.is_some_and(|s| s.available_macro)
    {
        Tier::Limited
    } else if kind == Kind::FeatureMacro {
        Tier::General
    } else if name.starts_with("PyUnstable") || doc.is_some_and(|d| d.unstable) {
        Tier::Unstable
    } else if name.starts_with('_') {
        Tier::Private
    } else {
        Tier::General
    };
    if abi_only && listed.contains(name) {
        notes.push(
            "The Stable ABI manifest marks this ABI-only; the 3.15 documentation still lists it in the Limited API."
                .to_string(),
        );
    }
    tier
}

/// The manifest's version; for Limited items the manifest lacks, the docs'
/// ("Part of the Stable ABI" without a version means since 3.2).
fn stable_since_of(
    origin: &Origin<'_>,
    stable_note: Option<&StableNote>,
    tier: Tier,
    notes: &mut Vec<String>,
) -> Option<Version> {
    let manifest_since = origin
        .manifest
        .and_then(|m| m.added.as_deref())
        .and_then(|v| v.parse::<Version>().ok());
    let docs_since = stable_note.map(|s| s.since.unwrap_or(Version::new(3, 2)));
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
