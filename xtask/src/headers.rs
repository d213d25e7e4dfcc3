//! The header index of one release: for every name its headers declare,
//! what it is (function, variable, typedef, enumerator, macro), its
//! declaration as one line, the header that declares it, and the members
//! of records; and which names are public (declared outside `internal/` and
//! the build configuration).
//!
//! It is read from the preprocessed full API (no `Py_LIMITED_API`), then from
//! a second pass with the platform feature macros defined (`MS_WINDOWS`, ...)
//! for the names that exist only there. Names that no pass declares (headers
//! that cannot be included here, such as `pydtrace.h`) fall back to a plain
//! text search of the header files, which finds the header but no signature.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::cdecl::{self, Declared, MacroDef, Member, TypedefTarget};
use crate::compiler::{Compiler, Config, FEATURE_DEFINES};

#[derive(Debug, Clone, PartialEq)]
pub enum DeclKind {
    Function { inline: bool },
    Variable,
    Typedef(TypedefTarget),
    Enumerator,
}

#[derive(Debug, Clone)]
pub struct Decl {
    pub kind: DeclKind,
    /// One-line declaration (`None` for enumerators).
    pub signature: Option<String>,
    /// `Include/...` path.
    pub header: String,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub members: Vec<Member>,
    pub header: String,
}

#[derive(Debug, Default)]
pub struct HeaderIndex {
    /// Ordinary identifiers, first declaration first.
    pub decls: BTreeMap<String, Vec<Decl>>,
    /// Struct/union bodies by tag.
    pub records: BTreeMap<String, Record>,
    /// Bodies of `typedef struct { ... } Name;` by typedef name.
    pub anonymous_records: BTreeMap<String, Record>,
    pub macros: BTreeMap<String, Macro>,
    /// Macros of system headers (`SIZE_MAX`, `HUGE_VAL`), for reading values.
    pub system_macros: BTreeMap<String, MacroDef>,
    /// For names no pass declared: the header whose text mentions them.
    pub text_only: BTreeMap<String, String>,
    /// For functions no pass declared: the `PyAPI_FUNC` declaration read
    /// from the header text (internal headers need `Py_BUILD_CORE`, so no
    /// compile sees the ABI-only functions declared only there).
    pub text_signatures: BTreeMap<String, String>,
    /// Names only the pass with the platform feature macros declares.
    pub feature_only: std::collections::BTreeSet<String>,
    /// Names a public header's text `#define`s, even where the build
    /// configuration defines them first (3.9's `pyconfig.h` defines
    /// `PY_FORMAT_SIZE_T`, which `pyport.h` defines otherwise).
    pub public_defines: std::collections::BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct Macro {
    pub def: MacroDef,
    pub header: String,
}

impl HeaderIndex {
    pub fn build(compiler: &Compiler, include: &Path, wanted: &[&str]) -> Result<Self> {
        let mut index = HeaderIndex::default();
        index.absorb(&compiler.preprocess(Config::Full, &[])?);
        let plain: Vec<String> = index.names().collect();
        index.absorb(&compiler.preprocess(Config::Full, FEATURE_DEFINES)?);
        index.feature_only = index.names().filter(|n| plain.binary_search(n).is_err()).collect();
        let missing: Vec<&str> = wanted.iter().copied().filter(|n| !index.declares(n)).collect();
        (index.text_only, index.text_signatures) = text_search(include, &missing)?;
        index.public_defines = defined_in_text(include)?;
        Ok(index)
    }

    /// What one preprocessed pass declares.
    pub fn of_pass(text: &str) -> Self {
        let mut index = HeaderIndex::default();
        index.absorb(text);
        index
    }

    /// Every declared name, sorted.
    fn names(&self) -> impl Iterator<Item = String> + '_ {
        let all: std::collections::BTreeSet<&String> = self
            .decls
            .keys()
            .chain(self.macros.keys())
            .chain(self.records.keys())
            .collect();
        all.into_iter().cloned()
    }

    pub fn declares(&self, name: &str) -> bool {
        self.decls.contains_key(name) || self.macros.contains_key(name) || self.records.contains_key(name)
    }

    /// Whether a public header (outside `internal/` and the build
    /// configuration) declares or defines `name`, include guards aside.
    pub fn declares_publicly(&self, name: &str) -> bool {
        self.decls
            .get(name)
            .is_some_and(|d| d.iter().any(|d| is_public_header(&d.header)))
            || self.macros.get(name).is_some_and(|m| {
                !is_include_guard(&m.def) && (is_public_header(&m.header) || self.public_defines.contains(name))
            })
            || self.records.get(name).is_some_and(|r| is_public_header(&r.header))
    }

    /// The `Py`/`PY` names the public headers declare: what a release
    /// offers extensions besides what its docs describe. Underscore names
    /// are private by `CPython`'s naming rule.
    pub fn public_names(&self) -> std::collections::BTreeSet<String> {
        self.names()
            .filter(|n| (n.starts_with("Py") || n.starts_with("PY")) && self.declares_publicly(n))
            .collect()
    }

    /// Adds what one preprocessed pass declares; earlier passes win.
    fn absorb(&mut self, text: &str) {
        let pp = cdecl::read_preprocessed(text);
        let header_of = |file: usize| pp.files.get(file).and_then(|f| include_path(f));
        for range in cdecl::split_declarations(&pp.tokens) {
            let Some(header) = pp.token_file.get(range.start).and_then(|&f| header_of(f)) else {
                continue;
            };
            let found = cdecl::analyze(&pp.tokens[range]);
            let anonymous: Option<&Vec<Member>> = found.iter().find_map(|d| match d {
                Declared::Record { tag: None, members, .. } => Some(members),
                _ => None,
            });
            for d in &found {
                let (name, decl) = match d {
                    Declared::Function {
                        name,
                        signature,
                        inline,
                    } => (
                        name,
                        Decl {
                            kind: DeclKind::Function { inline: *inline },
                            signature: Some(signature.clone()),
                            header: header.clone(),
                        },
                    ),
                    Declared::Variable { name, signature } => (
                        name,
                        Decl {
                            kind: DeclKind::Variable,
                            signature: Some(signature.clone()),
                            header: header.clone(),
                        },
                    ),
                    Declared::Typedef {
                        name,
                        signature,
                        target,
                    } => {
                        if let (TypedefTarget::Record { tag: None }, Some(members)) = (target, anonymous) {
                            self.anonymous_records.entry(name.clone()).or_insert_with(|| Record {
                                members: members.clone(),
                                header: header.clone(),
                            });
                        }
                        (
                            name,
                            Decl {
                                kind: DeclKind::Typedef(target.clone()),
                                signature: Some(signature.clone()),
                                header: header.clone(),
                            },
                        )
                    }
                    Declared::Enumerator { name } => (
                        name,
                        Decl {
                            kind: DeclKind::Enumerator,
                            signature: None,
                            header: header.clone(),
                        },
                    ),
                    Declared::Record {
                        tag: Some(tag),
                        members,
                        ..
                    } => {
                        self.records.entry(tag.clone()).or_insert_with(|| Record {
                            members: members.clone(),
                            header: header.clone(),
                        });
                        continue;
                    }
                    Declared::Record { tag: None, .. } => continue,
                };
                let list = self.decls.entry(name.clone()).or_default();
                if !list.iter().any(|d| d.kind == decl.kind && d.header == decl.header) {
                    list.push(decl);
                }
            }
        }
        for (name, def) in pp.macros {
            match include_path(&def.file) {
                Some(header) => {
                    self.macros.entry(name).or_insert(Macro { def, header });
                }
                None => {
                    self.system_macros.entry(name).or_insert(def);
                }
            }
        }
    }

    /// The members of a struct item: through its typedef, or by tag.
    pub fn record_of(&self, name: &str) -> Option<&Record> {
        if let Some(r) = self.anonymous_records.get(name) {
            return Some(r);
        }
        let via_typedef = self.decls.get(name).into_iter().flatten().find_map(|d| match &d.kind {
            DeclKind::Typedef(TypedefTarget::Record { tag: Some(tag) }) => self.records.get(tag),
            _ => None,
        });
        via_typedef.or_else(|| self.records.get(name))
    }
}

/// A header extensions include: not `internal/`, not the build
/// configuration (`pyconfig.h` describes the build, not the API).
fn is_public_header(header: &str) -> bool {
    !header.starts_with("Include/internal/") && !matches!(header, "Include/pyconfig.h" | "Include/pymacconfig.h")
}

/// `#define Py_OBJECT_H` with nothing after it.
fn is_include_guard(def: &MacroDef) -> bool {
    def.params.is_none() && def.body.trim().is_empty() && def.name.ends_with("_H")
}

/// `./cpython/object.h` -> `Include/cpython/object.h`; system headers -> `None`.
fn include_path(file: &str) -> Option<String> {
    let rel = file.strip_prefix("./")?;
    Path::new(rel)
        .extension()
        .is_some_and(|e| e == "h")
        .then(|| format!("Include/{rel}"))
}

/// For each name, the first header (public, then `cpython/`, then
/// `internal/`) whose text defines or declares it, and for functions the
/// `PyAPI_FUNC` declaration found there.
fn text_search(include: &Path, names: &[&str]) -> Result<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let mut found = BTreeMap::new();
    let mut signatures = BTreeMap::new();
    for dir in ["", "cpython", "internal"] {
        let mut files: Vec<_> = std::fs::read_dir(include.join(dir))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "h"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)?;
            let tokens = cdecl::tokenize(&text);
            let file = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = if dir.is_empty() { file } else { format!("{dir}/{file}") };
            for (at, w) in tokens.windows(2).enumerate() {
                let name = if w[0].text == "define" {
                    &w[1].text
                } else if matches!(w[1].text.as_str(), "(" | ";" | "[" | "{") {
                    &w[0].text
                } else {
                    continue;
                };
                if !names.contains(&name.as_str()) {
                    continue;
                }
                if !found.contains_key(name) {
                    found.insert(name.clone(), format!("Include/{rel}"));
                }
                if w[1].text == "("
                    && !signatures.contains_key(name)
                    && let Some(sig) = api_declaration(&tokens, at)
                {
                    signatures.insert(name.clone(), sig);
                }
            }
        }
    }
    Ok((found, signatures))
}

/// The names the public headers' text `#define`s (outside `internal/` and
/// the build configuration).
fn defined_in_text(include: &Path) -> Result<std::collections::BTreeSet<String>> {
    let mut found = std::collections::BTreeSet::new();
    for dir in ["", "cpython"] {
        for entry in std::fs::read_dir(include.join(dir))? {
            let path = entry?.path();
            let rel = path
                .strip_prefix(include)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            if path.extension().is_none_or(|e| e != "h") || !is_public_header(&format!("Include/{rel}")) {
                continue;
            }
            let text = std::fs::read_to_string(&path)?;
            for line in text.lines() {
                let Some(rest) = line.trim_start().strip_prefix('#') else {
                    continue;
                };
                if let Some(def) = rest.trim_start().strip_prefix("define") {
                    let name: String = def
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.insert(name);
                    }
                }
            }
        }
    }
    Ok(found)
}

/// `PyAPI_FUNC(int) name(params)` around the name at `at`, as one line.
fn api_declaration(tokens: &[cdecl::Token], at: usize) -> Option<String> {
    let close_type = at.checked_sub(1).filter(|&j| tokens[j].text == ")")?;
    let open_type = matching(tokens, close_type, ")", "(", false)?;
    if open_type == 0 || tokens[open_type - 1].text != "PyAPI_FUNC" {
        return None;
    }
    let close_params = matching(tokens, at + 1, "(", ")", true)?;
    let decl: Vec<cdecl::Token> = tokens[open_type + 1..close_type]
        .iter()
        .chain(&tokens[at..=close_params])
        .cloned()
        .collect();
    Some(cdecl::render(&decl))
}

/// The index of the bracket matching the one at `from`, scanning forward
/// or backward.
fn matching(tokens: &[cdecl::Token], from: usize, this: &str, other: &str, forward: bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = from;
    loop {
        let t = tokens.get(at)?.text.as_str();
        if t == this {
            depth += 1;
        } else if t == other {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        }
        at = if forward { at + 1 } else { at.checked_sub(1)? };
    }
}

/// For each name, the lowest `Py_LIMITED_API` version at which the headers
/// give it as a macro or a `static inline` function, forms that need no
/// exported symbol at run time (`Py_TYPE` is a macro before it became an
/// exported function in 3.14).
pub fn inline_forms(compiler: &Compiler, names: &[&str]) -> Result<BTreeMap<String, crate::schema::Version>> {
    let wanted: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    let mut found = BTreeMap::new();
    for minor in crate::probe::LIMITED_MINORS {
        let mut version = HeaderIndex::default();
        version.absorb(&compiler.preprocess(Config::Limited(minor), &[])?);
        let inline = version.decls.iter().filter(|(_, decls)| {
            decls
                .iter()
                .any(|d| matches!(d.kind, DeclKind::Function { inline: true }))
        });
        for name in version.macros.keys().chain(inline.map(|(n, _)| n)) {
            if wanted.contains(name.as_str()) {
                found
                    .entry(name.clone())
                    .or_insert(crate::schema::Version::new(3, minor));
            }
        }
    }
    Ok(found)
}
