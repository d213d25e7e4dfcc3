//! Facts about one name from a release's header index: its kind, its
//! declaration, its header, its struct members and abi3t status.
//!
//! The headers decide kinds and win over the docs on signatures that do
//! not compile against them (the caller says which docs signatures those
//! are); struct members come in header order with the documented type
//! where the docs give one.

use std::collections::BTreeSet;

use crate::assemble::Origin;
use crate::cdecl::{self, TypedefTarget};
use crate::docs::DocEntry;
use crate::headers::{DeclKind, HeaderIndex};
use crate::manifest::ManifestItem;
use crate::probe::Exposure;
use crate::schema::{Abi3t, Kind, MemberRecord, StructKind};

pub fn kind_of(name: &str, origin: &Origin<'_>, headers: &HeaderIndex) -> Kind {
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

pub fn struct_facts(
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

pub fn abi3t_status(
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
pub fn signature_of(
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

pub fn header_of(name: &str, kind: Kind, headers: &HeaderIndex) -> Option<String> {
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
