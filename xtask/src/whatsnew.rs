//! The C API sections of the What's New pages (3.9 to 3.15): which names
//! each release says it added, removed, deprecated or plans to remove, and
//! what it says to use instead.
//!
//! The pages are prose, so this reads patterns, and the caller only
//! believes a claim the headers bracket (a name "removed in 3.12" must be
//! in the 3.11 headers and gone from 3.13's). A unit is one innermost list
//! item or paragraph; the heading above it says what happened ("Removed",
//! "Deprecated", "Pending removal in Python 3.15", "New Features",
//! "Porting"). In a unit, replacements read either way round:
//!
//! - old first: "`X`: use `Y` instead", "Remove `X`. Please migrate to `Y`",
//!   "Replace both with `Y`";
//! - new first: "Add `Y` as a replacement for `X`", "`Y` replaces `X`",
//!   "`Y` (renamed from `X`)", "use `Y` instead of `X`".
//!
//! A code span counts as a name only when it is one identifier (`Py_UNICODE`
//! or `PyEval_CallObject()`, not `Py_UNICODE*`), except on the replacement
//! side, where calls in an expression count (`PyConfig_Get("home")`).

use std::path::Path;

use anyhow::{Context, Result};
use scraper::{ElementRef, Html, Selector};

use crate::notes::{collapse, versions_in};
use crate::schema::Version;

/// What a heading says happened to the names under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Deprecated,
    /// "Pending removal in Python 3.N" (`None`: in future versions).
    PendingRemoval(Option<Version>),
    /// Porting notes and other changes: only replacements are read.
    Other,
}

/// One name a unit is about, under its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub name: String,
    pub release: Version,
    pub change: Change,
}

/// "Use `new` instead of `old`", as one page says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub old: String,
    pub new: Vec<String>,
    pub release: Version,
    /// "renamed from": the old name is an alias of the new one.
    pub renamed: bool,
}

#[derive(Debug, Default)]
pub struct WhatsNew {
    pub mentions: Vec<Mention>,
    pub replacements: Vec<Replacement>,
    /// The pages read, by release.
    pub releases: Vec<Version>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e}"))
}

impl WhatsNew {
    /// Reads every `3.N.html` in `dir`.
    pub fn load(dir: &Path) -> Result<WhatsNew> {
        let mut pages: Vec<(Version, std::path::PathBuf)> = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter_map(|p| {
                let stem = p.file_stem()?.to_str()?;
                let v: Version = stem.parse().ok()?;
                (p.extension()? == "html").then_some((v, p))
            })
            .collect();
        pages.sort();
        let mut out = WhatsNew::default();
        for (release, path) in pages {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            out.read_page(release, &Html::parse_document(&text));
            out.releases.push(release);
        }
        Ok(out)
    }

    fn read_page(&mut self, release: Version, html: &Html) {
        let roots = sel("section#c-api-changes, section#changes-in-the-c-api");
        for root in html.select(&roots) {
            self.read_section(release, root, Change::Other);
        }
    }

    fn read_section(&mut self, release: Version, section: ElementRef<'_>, inherited: Change) {
        let change = section
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| matches!(c.value().name(), "h2" | "h3" | "h4" | "h5"))
            .map_or(inherited, |h| {
                heading_change(&collapse(&h.text().collect::<String>()), inherited)
            });
        for child in section.children().filter_map(ElementRef::wrap) {
            match child.value().name() {
                "section" => self.read_section(release, child, change),
                "p" => self.read_unit(release, change, &tokens(child), false),
                "ul" | "ol" => self.read_list(release, change, child, false),
                _ => {}
            }
        }
    }

    /// Each item of a list is a unit. A nested list takes its change from
    /// the sentence that introduces it ("Legacy Unicode APIs have been
    /// removed:", "Deprecate global configuration variable:"), not from
    /// the heading: under "Deprecated", "Its contents are now available
    /// ...:" lists the new names. Under "Pending removal" and "New
    /// Features" every list is what the heading says (added names are
    /// only believed where the headers bracket them anyway).
    fn read_list(&mut self, release: Version, change: Change, list: ElementRef<'_>, trusted: bool) {
        for li in list
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "li")
        {
            let toks = tokens(li);
            self.read_unit(release, change, &toks, trusted);
            for nested in li.descendants().filter_map(ElementRef::wrap).filter(|e| {
                matches!(e.value().name(), "ul" | "ol")
                    && e.ancestors()
                        .filter_map(ElementRef::wrap)
                        .find(|a| a.value().name() == "li")
                        .is_some_and(|a| a.id() == li.id())
            }) {
                let intro = nested
                    .prev_siblings()
                    .filter_map(ElementRef::wrap)
                    .find(|e| e.value().name() == "p")
                    .map_or_else(|| prose(&toks), |p| prose(&tokens(p)));
                let nested_change = match change {
                    Change::PendingRemoval(_) | Change::Added => change,
                    _ => prose_change(&intro),
                };
                self.read_list(release, nested_change, nested, nested_change != Change::Other);
            }
        }
    }

    /// `trusted`: the change comes from the sentence introducing the list,
    /// so the unit need not say it again; otherwise a unit under "Removed"
    /// or "Deprecated" must say so itself ("`X` is deprecated"), as not
    /// every paragraph there is about a removal ("Exclude `X` from the
    /// limited C API", "The `X` API should be used with `Y` instead").
    fn read_unit(&mut self, release: Version, change: Change, toks: &[Tok], trusted: bool) {
        let unit = Unit::read(toks);
        let said = |stem: &str| prose(toks).contains(stem);
        let change = match change {
            Change::Removed if !trusted && !said("remov") => Change::Other,
            Change::Deprecated if !trusted && !said("deprecat") => Change::Other,
            other => other,
        };
        let mention = |name: &String, change: Change| Mention {
            name: name.clone(),
            release,
            change,
        };
        match change {
            Change::Deprecated if unit.deprecation == Deprecation::Soft => {}
            Change::Added if unit.reverse => self.mentions.extend(unit.new.iter().map(|n| mention(n, change))),
            Change::Added => self.mentions.extend(unit.old.iter().map(|n| mention(n, change))),
            Change::Other if unit.deprecation == Deprecation::Hard => {
                self.mentions
                    .extend(unit.old.iter().map(|n| mention(n, Change::Deprecated)));
            }
            Change::Other => {}
            _ => self.mentions.extend(unit.old.iter().map(|n| mention(n, change))),
        }
        if !unit.new.is_empty() {
            for old in &unit.old {
                self.replacements.push(Replacement {
                    old: old.clone(),
                    new: unit.new.iter().filter(|n| *n != old).cloned().collect(),
                    release,
                    renamed: unit.renamed,
                });
            }
        }
    }
}

/// What the sentence introducing a list says happened to the names listed.
fn prose_change(lower: &str) -> Change {
    if words(lower).any(|w| matches!(w, "removed" | "remove")) && !lower.contains("will be removed") {
        Change::Removed
    } else if words(lower).any(|w| matches!(w, "deprecated" | "deprecate")) && !lower.contains("soft") {
        Change::Deprecated
    } else {
        Change::Other
    }
}

fn heading_change(title: &str, inherited: Change) -> Change {
    let lower = title.to_ascii_lowercase();
    if lower.contains("pending removal") {
        Change::PendingRemoval(versions_in(&lower).first().copied())
    } else if lower.starts_with("removed") {
        Change::Removed
    } else if lower.starts_with("deprecated") {
        Change::Deprecated
    } else if lower.starts_with("new feature") || lower.contains("configuration c api") {
        Change::Added
    } else if lower.starts_with("porting") || lower.starts_with("changes in") || lower.starts_with("changed") {
        Change::Other
    } else {
        inherited
    }
}

/// A piece of a unit: prose, or a code span's text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Text(String),
    Code(String),
}

/// The unit's own content: nested lists and code blocks are units of their
/// own or no prose at all.
fn tokens(el: ElementRef<'_>) -> Vec<Tok> {
    let mut out = Vec::new();
    collect(el, &mut out);
    out
}

fn collect(el: ElementRef<'_>, out: &mut Vec<Tok>) {
    for child in el.children() {
        if let Some(e) = ElementRef::wrap(child) {
            match e.value().name() {
                "ul" | "ol" | "dl" | "pre" | "table" => {}
                "div" if e.value().classes().any(|c| c.starts_with("highlight")) => {}
                "code" => out.push(Tok::Code(collapse(&e.text().collect::<String>()))),
                _ => collect(e, out),
            }
        } else if let Some(text) = child.value().as_text() {
            out.push(Tok::Text(text.to_string()));
        }
    }
}

/// What one unit says: the names it is about (`old`), the names it
/// recommends instead (`new`).
#[derive(Debug, Default, PartialEq, Eq)]
struct Unit {
    old: Vec<String>,
    new: Vec<String>,
    /// The new names came first ("`Y` replaces `X`").
    reverse: bool,
    renamed: bool,
    /// What the prose says of the names' deprecation.
    deprecation: Deprecation,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Deprecation {
    #[default]
    Unsaid,
    /// "`X` is (now) deprecated", "Deprecate `X`".
    Hard,
    /// "Soft deprecated": no removal planned, so no deprecation recorded.
    Soft,
}

/// Words after which the names that follow replace the ones before.
const FORWARD: &[&str] = &["use", "migrate", "replaced", "favor", "favour", "prefer"];
/// Phrases after which the names that follow are replaced by the ones before.
const REVERSE: &[&str] = &[
    "replaces",
    "as a replacement for",
    "as replacements for",
    "as an alternative to",
    "as alternatives to",
    "to replace",
    "renamed from",
    "instead of",
];
/// How a unit about names may start, before the first name.
const VERBS: &[&str] = &["remove", "removed", "deprecate", "deprecated", "add", "added"];

impl Unit {
    /// A unit is about names when it starts with them ("`X` and `Y`: ...",
    /// "The `X` function ...") or with a verb that acts on them ("Remove
    /// the private `X` function", "Add new functions: `X`, `Y`"). The
    /// names it is about are the first run of names; prose ends the run.
    fn read(toks: &[Tok]) -> Unit {
        let mut unit = Unit::default();
        let Some(start) = toks.iter().position(|t| matches!(t, Tok::Code(_))) else {
            return unit;
        };
        let prefix = prose(&toks[..start]);
        let first_word = words(&prefix).next().unwrap_or("");
        // "Deprecate global variables: The `X` API ...": the list the colon
        // introduced is elsewhere, so `X` is not what the verb acts on.
        let broken = prefix.contains(". ")
            || prefix
                .rsplit_once(':')
                .is_some_and(|(_, after)| !after.trim().is_empty());
        let leads = prefix.trim().is_empty()
            || (first_word == "the" && prefix.split_whitespace().count() <= 2)
            || (!broken && VERBS.contains(&first_word))
            || (!broken && first_word == "soft");
        if !leads {
            return unit;
        }
        let (run, end) = run_of_names(toks, start);
        let all = prose(toks);
        unit.deprecation =
            if all.contains("soft deprecate") || all.contains("soft-deprecate") || prefix.contains("soft") {
                Deprecation::Soft
            } else if first_word == "deprecate" || (all.contains("deprecated") && !all.contains("deprecated in python"))
            {
                Deprecation::Hard
            } else {
                Deprecation::Unsaid
            };
        // "`X`: use `Y`": a colon right after the run (a word or two may
        // sit between, as in "`PyBytesObject.ob_shash` member:").
        let colon = match toks.get(end) {
            Some(Tok::Text(t)) => {
                let before = t.split(':').next().unwrap_or("");
                t.contains(':') && before.split_whitespace().count() <= 2 && !before.contains('.')
            }
            _ => false,
        };
        unit.old = run;
        if colon {
            unit.new = names_until_sentence_end(toks, end);
            return unit;
        }
        for at in end..toks.len() {
            let Tok::Text(text) = &toks[at] else { continue };
            let lower = text.to_ascii_lowercase();
            if let Some(reverse) = REVERSE.iter().find(|r| lower.contains(*r)) {
                unit.reverse = true;
                unit.renamed = *reverse == "renamed from";
                unit.new = std::mem::take(&mut unit.old);
                unit.old = run_of_names(toks, at + 1).0;
                return unit;
            }
            let replace_with =
                words(&lower).any(|w| w == "with") && words(&prose(&toks[end..=at])).any(|w| w == "replace");
            if words(&lower).any(|w| FORWARD.contains(&w)) || replace_with {
                unit.new = names_until_sentence_end(toks, at + 1);
                return unit;
            }
        }
        unit
    }
}

/// The prose of some tokens, lowercase.
fn prose(toks: &[Tok]) -> String {
    toks.iter()
        .filter_map(|t| match t {
            Tok::Text(s) => Some(s.to_ascii_lowercase()),
            Tok::Code(_) => None,
        })
        .collect()
}

/// The names of consecutive code spans from `start`, joined by commas,
/// "and", "or": (the names, the index after the run).
fn run_of_names(toks: &[Tok], start: usize) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut at = start;
    while at < toks.len() {
        match &toks[at] {
            Tok::Code(code) => push_names(&mut names, exact_name(code)),
            Tok::Text(t) => {
                let joiner = t.trim().trim_start_matches(',').trim();
                if !(joiner.is_empty() || matches!(joiner, "and" | "or" | "/" | "and the" | "or the")) {
                    break;
                }
            }
        }
        at += 1;
    }
    (names, at)
}

/// The names offered from `start` to the end of the sentence, calls in
/// expressions included.
fn names_until_sentence_end(toks: &[Tok], start: usize) -> Vec<String> {
    let mut names = Vec::new();
    for tok in toks.iter().skip(start) {
        match tok {
            Tok::Code(code) => push_names(&mut names, call_names(code)),
            Tok::Text(t) if ends_sentence(t) => break,
            Tok::Text(_) => {}
        }
    }
    names
}

fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end();
    t.contains(". ") || t.ends_with('.') || t.contains(';')
}

fn push_names(list: &mut Vec<String>, names: Vec<String>) {
    for n in names {
        if !list.contains(&n) {
            list.push(n);
        }
    }
}

/// A code span that is one name: `PyEval_CallObject()`, `Py_UNICODE`,
/// `PyBytesObject.ob_shash` (a member, kept dotted).
fn exact_name(code: &str) -> Vec<String> {
    let name = code.trim().trim_end_matches("()");
    let ident = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let ok = match name.split_once('.') {
        Some((_, "h")) => false,
        Some((a, b)) => ident(a) && ident(b),
        None => ident(name),
    };
    if ok { vec![name.to_string()] } else { Vec::new() }
}

/// The names a replacement's code span offers: the span as a name, or the
/// `Py` identifiers in an expression (`writer = PyUnicodeWriter_Create(0)`).
fn call_names(code: &str) -> Vec<String> {
    let exact = exact_name(code);
    if !exact.is_empty() {
        return exact;
    }
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            let bare = w.trim_start_matches('_');
            bare.starts_with("Py") || bare.starts_with("PY")
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Tok {
        Tok::Code(s.to_string())
    }
    fn text(s: &str) -> Tok {
        Tok::Text(s.to_string())
    }

    #[test]
    fn a_colon_list_item_replaces_its_names() {
        let unit = Unit::read(&[
            code("PyEval_CallObject()"),
            text(", "),
            code("PyEval_CallObjectWithKeywords()"),
            text(": Use "),
            code("PyObject_CallNoArgs()"),
            text(" or "),
            code("PyObject_Call()"),
            text(" instead. See "),
            code("PyObject_Vectorcall()"),
        ]);
        assert_eq!(unit.old, ["PyEval_CallObject", "PyEval_CallObjectWithKeywords"]);
        assert_eq!(unit.new, ["PyObject_CallNoArgs", "PyObject_Call"]);
        let none = Unit::read(&[code("_PyUnicodeWriter_Prepare()"), text(": (no replacement).")]);
        assert!(none.new.is_empty());
    }

    #[test]
    fn new_first_phrases_read_the_other_way() {
        let unit = Unit::read(&[
            text("Add the "),
            code("PyWeakref_GetRef()"),
            text(" function as an alternative to "),
            code("PyWeakref_GetObject()"),
            text(" that returns a strong reference."),
        ]);
        assert_eq!(unit.new, ["PyWeakref_GetRef"]);
        assert_eq!(unit.old, ["PyWeakref_GetObject"]);
        assert!(unit.reverse);
        let renamed = Unit::read(&[
            code("PyUnstable_Code_New()"),
            text(" (renamed from "),
            code("PyCode_New"),
            text(")"),
        ]);
        assert!(renamed.renamed);
        assert_eq!(renamed.old, ["PyCode_New"]);
        assert_eq!(renamed.new, ["PyUnstable_Code_New"]);
    }

    #[test]
    fn a_verb_then_names_then_a_cue() {
        let unit = Unit::read(&[
            text("Remove the private "),
            code("_PyObject_FastCall()"),
            text(" function: use "),
            code("PyObject_Vectorcall()"),
            text(" which is available since Python 3.8."),
        ]);
        assert_eq!(unit.old, ["_PyObject_FastCall"]);
        assert_eq!(unit.new, ["PyObject_Vectorcall"]);
        let plain = Unit::read(&[code("PyUnicode_WCHAR_KIND")]);
        assert_eq!((plain.old.len(), plain.new.len()), (1, 0));
    }

    #[test]
    fn names_in_passing_are_not_what_a_unit_is_about() {
        let typed = Unit::read(&[
            text("Removed "),
            code("Py_UNICODE_str*"),
            text(" functions manipulating "),
            code("Py_UNICODE*"),
            text(" strings."),
        ]);
        assert!(typed.old.is_empty(), "{typed:?}");
        let field = Unit::read(&[
            text("The "),
            code("ma_version_tag"),
            text(" field in "),
            code("PyDictObject"),
            text(" for extension modules."),
        ]);
        assert_eq!(field.old, ["ma_version_tag"]);
        let prose = Unit::read(&[
            text("The pythoncapi-compat project can be used to get "),
            code("PyConfig_Get()"),
            text(" on Python 3.13 and older."),
        ]);
        assert!(prose.old.is_empty());
    }

    #[test]
    fn expressions_offer_their_py_calls() {
        assert_eq!(
            call_names("writer = PyUnicodeWriter_Create(0)"),
            ["PyUnicodeWriter_Create"]
        );
        assert_eq!(call_names("PyConfig_Get(\"home\")"), ["PyConfig_Get"]);
        assert_eq!(exact_name("Py_UNICODE*"), Vec::<String>::new());
        assert_eq!(exact_name("token.h"), Vec::<String>::new());
    }
}
