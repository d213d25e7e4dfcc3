//! The catalog against the real upstream inputs: the Stable ABI manifest,
//! the C API reference (HTML and `objects.inv`), `CPython`'s exported symbol
//! list, and the headers compiled with the system C compiler, for 3.15.2
//! and every older release under `cpython-history/` (`upstream/history.rs`).
//!
//! These tests read `../shared/upstream` (or `ABISCOPE_UPSTREAM`). Without
//! it they are reported as ignored, with a note saying why, and the rest of
//! the suite does not depend on them. This binary uses libtest-mimic so that
//! it can decide at run time what to ignore.

mod common;
#[path = "upstream/docs.rs"]
mod docs;
#[path = "upstream/headers.rs"]
mod headers;
#[path = "upstream/history.rs"]
mod history;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use abiscope::catalog::{Abi3t, Catalog, Item, Kind, Member, StructKind, Tier, Version};
use common::Upstream;
use libtest_mimic::{Arguments, Failed, Trial};

type Test = fn(&Upstream) -> Result<(), Failed>;
type CompileTest = fn(&Upstream, &str) -> Result<(), Failed>;

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let upstream = Upstream::find().map(Arc::new);
    let cc = common::c_compiler();
    let plain: &[(&str, Test)] = &[
        (
            "manifest_items_are_in_the_catalog_with_their_facts",
            manifest_items_match,
        ),
        (
            "limited_tier_is_the_docs_list_plus_newer_manifest_items",
            limited_tier_equals_docs_list,
        ),
        (
            "every_documented_name_is_in_the_catalog",
            every_inventory_name_is_in_catalog,
        ),
        ("every_doc_url_anchor_exists", docs::doc_url_anchors_exist),
        ("signatures_cover_the_known_functions", signature_coverage),
        (
            "every_documented_item_renders_from_the_shipped_html",
            docs::every_entry_renders,
        ),
        (
            "exported_symbols_match_the_symbol_list",
            exported_symbols_match_symbol_list,
        ),
    ];
    let compiled: &[(&str, CompileTest)] = &[
        ("headers_accept_every_catalog_signature", headers_accept_every_signature),
        (
            "every_public_name_of_every_release_is_in_the_catalog",
            history::every_public_name_of_every_release,
        ),
        (
            "release_ranges_agree_with_each_releases_headers",
            history::ranges_agree_with_each_release,
        ),
        (
            "limited_items_are_declared_from_their_version",
            limited_items_are_declared_from_their_version,
        ),
        (
            "the_header_table_agrees_with_each_releases_headers",
            headers::table_agrees_with_each_releases_headers,
        ),
    ];
    let mut trials = Vec::new();
    for &(name, test) in plain {
        match &upstream {
            Ok(up) => {
                let up = Arc::clone(up);
                trials.push(Trial::test(name, move || test(&up)));
            }
            Err(_) => trials.push(Trial::test(name, || Ok(())).with_ignored_flag(true)),
        }
    }
    for &(name, test) in compiled {
        match (&upstream, &cc) {
            (Ok(up), Ok(cc)) => {
                let (up, cc) = (Arc::clone(up), cc.clone());
                trials.push(Trial::test(name, move || test(&up, &cc)));
            }
            _ => trials.push(Trial::test(name, || Ok(())).with_ignored_flag(true)),
        }
    }
    if let Err(why) = &upstream {
        eprintln!(
            "note: {why}: the {} tests that read it are ignored",
            plain.len() + compiled.len()
        );
    } else if let Err(why) = &cc {
        eprintln!(
            "note: {why}: the {} tests that compile the headers are ignored",
            compiled.len()
        );
    }
    libtest_mimic::run(&args, trials).exit_code()
}

/// Fails with every problem listed, or passes when there are none.
fn verdict(what: &str, problems: &[String]) -> Result<(), Failed> {
    if problems.is_empty() {
        return Ok(());
    }
    let mut msg = format!("{} {what}:\n", problems.len());
    for p in problems.iter().take(60) {
        let _ = writeln!(msg, "  {p}");
    }
    if problems.len() > 60 {
        let _ = writeln!(msg, "  ... and {} more", problems.len() - 60);
    }
    msg.push_str("(regenerate with `cargo xtask catalog` after fixing the generator)");
    Err(msg.into())
}

fn version(v: &serde_json::Value) -> Option<Version> {
    v.as_str().and_then(|s| s.parse().ok())
}

fn manifest_items_match(up: &Upstream) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let manifest = up.manifest();
    let items = manifest["items"].as_array().ok_or("manifest has no items")?;
    let mut problems = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in items {
        let name = m["name"].as_str().ok_or("item without a name")?;
        let mkind = m["kind"].as_str().ok_or("item without a kind")?;
        let Some(item) = catalog.get(name) else {
            problems.push(format!("{name}: missing"));
            continue;
        };
        let kind_ok = match mkind {
            "function" => item.kind == Kind::Function,
            "data" => item.kind == Kind::Variable,
            "macro" => matches!(item.kind, Kind::Macro | Kind::Constant),
            "typedef" => item.kind == Kind::Type,
            "struct" => item.kind == Kind::Struct,
            "feature_macro" => item.kind == Kind::FeatureMacro,
            _ => false,
        };
        if kind_ok {
            *counts.entry(mkind).or_default() += 1;
        } else {
            problems.push(format!("{name}: manifest kind {mkind}, catalog kind {}", item.kind));
        }
        if mkind == "feature_macro" {
            continue;
        }
        if item.stable_since != version(&m["added"]) {
            problems.push(format!(
                "{name}: added {} in the manifest, stable_since {:?}",
                m["added"], item.stable_since
            ));
        }
        if item.ifdef.map(|i| i.feature()) != m["ifdef"].as_str() {
            problems.push(format!(
                "{name}: ifdef {} in the manifest, {:?} in the catalog",
                m["ifdef"], item.ifdef
            ));
        }
        let abi_only = m["abi_only"].as_bool() == Some(true);
        let tier_ok = match item.tier {
            Tier::AbiOnly => abi_only,
            Tier::Limited => !abi_only,
            _ => false,
        };
        if !tier_ok {
            problems.push(format!(
                "{name}: abi_only={abi_only} in the manifest, tier {} in the catalog",
                item.tier
            ));
        }
        if mkind == "struct" {
            check_struct(name, m, item, &mut problems);
        }
    }
    let expected = [
        ("function", 825),
        ("data", 143),
        ("macro", 200),
        ("typedef", 44),
        ("struct", 30),
        ("feature_macro", 6),
    ];
    for (kind, n) in expected {
        let got = counts.get(kind).copied().unwrap_or(0);
        if got != n {
            problems.push(format!(
                "{n} manifest {kind} items expected in the catalog as such, found {got}"
            ));
        }
    }
    verdict("disagreements with the manifest", &problems)
}

fn check_struct(name: &str, m: &serde_json::Value, item: &Item, problems: &mut Vec<String>) {
    let (kind, abi3t) = match m["struct_kind"].as_str() {
        Some("opaque") => (StructKind::Opaque, Abi3t::Opaque),
        Some("partial") => (StructKind::Members, Abi3t::Opaque),
        Some("full") if m["abi3t_opaque"].as_bool() == Some(true) => (StructKind::Full, Abi3t::Opaque),
        Some("full") => (StructKind::Full, Abi3t::Available),
        other => {
            problems.push(format!("{name}: unknown struct kind {other:?}"));
            return;
        }
    };
    if item.struct_kind != Some(kind) {
        problems.push(format!(
            "{name}: struct kind {kind} expected, got {:?}",
            item.struct_kind
        ));
    }
    if item.abi3t != Some(abi3t) {
        problems.push(format!("{name}: abi3t {abi3t} expected, got {:?}", item.abi3t));
    }
    let stable: BTreeSet<&str> = item.members().iter().filter(|mm| mm.stable).map(Member::name).collect();
    match kind {
        StructKind::Members => {
            let listed: BTreeSet<&str> = m["members"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str())
                .collect();
            if stable != listed {
                problems.push(format!("{name}: stable members {stable:?}, manifest lists {listed:?}"));
            }
        }
        StructKind::Full => {
            if item.members().iter().any(|mm| !mm.stable) {
                problems.push(format!("{name}: a full struct with members not marked stable"));
            }
        }
        StructKind::Opaque => {
            if !stable.is_empty() {
                problems.push(format!("{name}: an opaque struct with stable members {stable:?}"));
            }
        }
    }
}

/// The names listed under "Contents of Limited API" in stable.html.
fn docs_limited_list(up: &Upstream) -> Result<Vec<String>, Failed> {
    let html = std::fs::read_to_string(up.html().join("c-api/stable.html"))?;
    let start = html
        .find("<section id=\"contents-of-limited-api\">")
        .ok_or("no 'Contents of Limited API' section")?;
    let section = &html[start..];
    let section = &section[..section.find("</section>").unwrap_or(section.len())];
    let names: Vec<String> = section
        .split("<li>")
        .skip(1)
        .filter_map(|li| {
            let pre = li.split("<span class=\"pre\">").nth(1)?;
            Some(pre[..pre.find('<')?].trim_end_matches("()").to_string())
        })
        .collect();
    if names.len() < 1000 {
        return Err(format!("only {} names read from the Limited API list", names.len()).into());
    }
    Ok(names)
}

fn limited_tier_equals_docs_list(up: &Upstream) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let listed = docs_limited_list(up)?;
    let mut expected: BTreeSet<String> = BTreeSet::new();
    let mut problems = Vec::new();
    for name in &listed {
        match name.split_once('.') {
            Some((parent, member)) => {
                let stable = catalog
                    .get(parent)
                    .is_some_and(|p| p.members().iter().any(|m| m.name() == member && m.stable));
                if !stable {
                    problems.push(format!(
                        "{name}: listed, but not a stable member of {parent} in the catalog"
                    ));
                }
            }
            None => {
                expected.insert(name.clone());
            }
        }
    }
    let newest_docs = Version::new(3, 15);
    let manifest = up.manifest();
    for m in manifest["items"].as_array().into_iter().flatten() {
        let name = m["name"].as_str().unwrap_or_default().to_string();
        if version(&m["added"]).is_some_and(|v| v > newest_docs) {
            expected.insert(name);
        } else if m["abi_only"].as_bool() == Some(true) && expected.remove(&name) {
            // The manifest made it ABI-only; the docs' list lags. The item says so.
            let noted = catalog.get(&name).is_some_and(|i| {
                i.notes()
                    .iter()
                    .any(|n| n.contains("still lists it in the Limited API"))
            });
            if !noted {
                problems.push(format!("{name}: listed, ABI-only in the manifest, without a note"));
            }
        }
    }
    let limited: BTreeSet<String> = catalog
        .items()
        .iter()
        .filter(|i| i.tier == Tier::Limited)
        .map(|i| i.name().to_string())
        .collect();
    problems.extend(
        expected
            .difference(&limited)
            .map(|n| format!("{n}: in the Limited API list, not tier limited")),
    );
    problems.extend(
        limited
            .difference(&expected)
            .map(|n| format!("{n}: tier limited, not in the Limited API list")),
    );
    println!(
        "Limited API: {} names listed ({} members), {} items in the limited tier",
        listed.len(),
        listed.len() - expected.len() + 1,
        limited.len()
    );
    verdict("differences from the docs' Limited API list", &problems)
}

fn every_inventory_name_is_in_catalog(up: &Upstream) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let mut problems = Vec::new();
    let inventory = up.inventory();
    for (name, role, _) in &inventory {
        let found = match name.split_once('.') {
            // Struct members belong to their struct.
            Some((parent, member)) if role == "member" => catalog
                .get(parent)
                .is_some_and(|p| p.members().iter().any(|m| m.name() == member)),
            // Nested enumerators and macros are global C names.
            Some(_) if role == "enumerator" || role == "macro" => {
                catalog.get(name.rsplit('.').next().unwrap_or(name)).is_some()
            }
            _ => catalog.get(name).is_some(),
        };
        if !found {
            problems.push(format!("{name} ({role})"));
        }
    }
    println!("{} documented C names checked", inventory.len());
    verdict("documented names missing from the catalog", &problems)
}

/// Every word of every header of every release, to tell which names the
/// headers mention.
fn header_words(up: &Upstream) -> Result<BTreeSet<String>, Failed> {
    let mut words = BTreeSet::new();
    let mut dirs: Vec<std::path::PathBuf> = up.releases().into_iter().map(|(_, d)| d.join("include")).collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "h") {
                let text = std::fs::read_to_string(&path)?;
                words.extend(
                    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .map(str::to_string),
                );
            }
        }
    }
    Ok(words)
}

fn signature_coverage(up: &Upstream) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let documented: BTreeSet<String> = up
        .releases()
        .iter()
        .flat_map(|(_, dir)| common::inventory(&dir.join("doc-html")))
        .map(|(n, _, _)| n)
        .collect();
    let in_headers = header_words(up)?;
    let functions: Vec<&Item> = catalog.items().iter().filter(|i| i.kind == Kind::Function).collect();
    let (known, unknown): (Vec<&Item>, Vec<&Item>) = functions
        .iter()
        .partition(|i| documented.contains(i.name()) || in_headers.contains(i.name()));
    let missing: Vec<&str> = known
        .iter()
        .filter(|i| i.signature().is_none())
        .map(|i| i.name())
        .collect();
    let without: Vec<&str> = unknown.iter().map(|i| i.name()).collect();
    let covered = known.len() - missing.len();
    #[allow(clippy::cast_precision_loss)] // counts in the thousands
    let ratio = covered as f64 / known.len() as f64;
    println!(
        "signatures: {covered}/{} functions that the docs or headers of some release know ({:.1}%); missing: {missing:?}",
        known.len(),
        ratio * 100.0
    );
    println!(
        "{} more functions exist only as exported symbols (no header or doc of any release declares them), so no signature is known: {without:?}",
        without.len()
    );
    let mut problems: Vec<String> = unknown
        .iter()
        .filter(|i| i.tier != Tier::AbiOnly)
        .map(|i| {
            format!(
                "{}: neither documented nor in the headers, but tier {}",
                i.name(),
                i.tier
            )
        })
        .collect();
    if !missing.is_empty() {
        problems.push(format!("{} known functions have no signature", missing.len()));
    }
    verdict("signature coverage problems", &problems)
}

fn exported_symbols_match_symbol_list(up: &Upstream) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let text = std::fs::read_to_string(up.python.join("test_stable_abi_ctypes.py"))?;
    // `SYMBOL_NAMES = ("A", ...)`, then `if feature_macros['MS_WINDOWS']: SYMBOL_NAMES += ('B', ...)`.
    let mut symbols: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut feature = None;
    let lines = text
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("SYMBOL_NAMES = ("))
        .take_while(|l| !l.starts_with("EXPECTED_FEATURE_MACROS"));
    for line in lines {
        if let Some(rest) = line.strip_prefix("if feature_macros['") {
            feature = rest.split('\'').next();
        } else if let Some(name) = line.strip_suffix(',').and_then(|l| l.strip_prefix(['"', '\''])) {
            symbols.insert(name.trim_end_matches(['"', '\'']), feature);
        }
    }
    let mut problems = Vec::new();
    for (s, feature) in &symbols {
        match catalog.get(s) {
            Some(i) if i.is_stable_abi() && matches!(i.kind, Kind::Function | Kind::Variable) => {
                if i.ifdef.map(|d| d.feature()) != *feature {
                    problems.push(format!("{s}: exported under {feature:?}, catalog ifdef {:?}", i.ifdef));
                }
            }
            Some(i) => problems.push(format!("{s}: exported, but {} {} in the catalog", i.tier, i.kind)),
            None => problems.push(format!("{s}: exported, missing from the catalog")),
        }
    }
    // The manifest's exported items up to 3.15 must all be in the list.
    let newest = Version::new(3, 15);
    let manifest = up.manifest();
    for m in manifest["items"].as_array().into_iter().flatten() {
        let exported = matches!(m["kind"].as_str(), Some("function" | "data"));
        let name = m["name"].as_str().unwrap_or_default();
        if exported && version(&m["added"]).is_some_and(|v| v <= newest) && !symbols.contains_key(name) {
            problems.push(format!("{name}: a manifest {} missing from the symbol list", m["kind"]));
        }
    }
    println!("{} exported symbols checked", symbols.len());
    verdict("disagreements with the exported symbol list", &problems)
}

/// `int (NAME)(...)`: the parentheses stop a same-named function-like
/// macro from expanding, so `static inline` functions wrapped by a casting
/// macro can be redeclared too.
fn redeclaration(item: &Item) -> Option<String> {
    let sig = item.signature()?;
    let at = find_word(sig, item.name())?;
    let (before, after) = sig.split_at(at);
    let after = &after[item.name().len()..];
    match item.kind {
        Kind::Function => Some(format!("{before}({}){after};", item.name())),
        Kind::Variable => Some(format!("extern {sig};")),
        _ => None,
    }
}

fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    haystack.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Every function and variable signature against the headers it comes
/// from: the 3.15 headers for names they have, the last release's that had
/// it for a removed name (under the platform feature macros too, since old
/// Windows-only names carry no `ifdef`).
fn headers_accept_every_signature(up: &Upstream, cc: &str) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let mut problems = Vec::new();
    let mut total = 0;
    let releases = up.releases();
    let newest = releases.last().map(|(v, _)| v.clone()).unwrap_or_default();
    for (version, dir) in &releases {
        let here = |i: &&Item| match i.removed_in {
            None => *version == newest,
            Some(_) => i.last_seen.map(|v| v.to_string()).as_deref() == Some(version.as_str()),
        };
        let candidates: Vec<(&Item, String)> = catalog
            .items()
            .iter()
            .filter(here)
            .filter(|i| !i.name().contains('.'))
            .filter(|i| matches!(i.kind, Kind::Function | Kind::Variable) && i.header().is_some())
            .filter_map(|i| redeclaration(i).map(|d| (i, d)))
            .collect();
        let mut failed: BTreeMap<&str, (String, u8)> = BTreeMap::new();
        for feature in [false, true] {
            let decls: Vec<&(&Item, String)> = candidates
                .iter()
                .filter(|(i, _)| i.is_removed() || i.ifdef.is_some() == feature)
                .collect();
            let body: String = decls.iter().map(|(_, d)| d.as_str()).collect::<Vec<_>>().join("\n");
            let defines = if feature { common::feature_defines() } else { Vec::new() };
            let (compiled, offset) =
                common::compile(cc, &dir.join("include"), &defines, &common::prelude(false), &body);
            if !compiled.other_errors.is_empty() {
                // The 3.9 headers are MSVC-only under `MS_WINDOWS`; their
                // Windows names are then checked without it (a fresh
                // declaration compiles where its types exist).
                if feature && version != &newest {
                    println!("the {version} headers do not compile with {defines:?}; that pass is skipped");
                    for (_, times) in failed.values_mut() {
                        *times += 1;
                    }
                    continue;
                }
                return Err(format!("the {version} headers do not compile: {:?}", compiled.other_errors).into());
            }
            for line in compiled.error_lines {
                if let Some((item, decl)) = line.checked_sub(offset + 1).and_then(|k| decls.get(k)) {
                    failed.entry(item.name()).or_insert_with(|| (decl.clone(), 0)).1 += 1;
                }
            }
        }
        for (name, (decl, times)) in failed {
            let item = catalog.get(name).ok_or("a catalog name")?;
            // A removed name is checked both ways and must pass one.
            if !item.is_removed() || times == 2 {
                problems.push(format!("{name}: `{decl}` conflicts with the {version} headers"));
            }
        }
        println!(
            "{} declarations compiled against the {version} headers",
            candidates.len()
        );
        total += candidates.len();
    }
    println!("{total} function and variable declarations compiled in all");
    verdict("catalog signatures that conflict with the headers", &problems)
}

/// A probe line that compiles only when the headers declare `item`.
fn probe(item: &Item, n: usize) -> String {
    let tag_only = item.kind == Kind::Struct && !item.signature().is_some_and(|s| s.starts_with("typedef"));
    let test = if tag_only {
        format!("extern char abiscope_p{n}[sizeof(struct {})];", item.name())
    } else {
        format!("extern __typeof__({}) *abiscope_p{n};", item.name())
    };
    // One line per probe: the `#ifndef` and `#endif` are on lines of their own.
    format!("#ifndef {name}\n{test}\n#endif\n", name = item.name())
}

/// For each Limited API item, a probe at `Py_LIMITED_API` = its
/// `stable_since` (must be declared) and one version below (must not be).
/// Disagreements are fine only when the catalog records them: its
/// `exposed.abi3` must say what the compiler found.
fn limited_items_are_declared_from_their_version(up: &Upstream, cc: &str) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let limited: Vec<&Item> = catalog
        .items()
        .iter()
        .filter(|i| i.tier == Tier::Limited && !i.name().contains('.') && i.kind != Kind::FeatureMacro)
        .filter(|i| i.stable_since.is_some_and(|v| v <= Version::new(3, 15)))
        .collect();
    let mut problems = Vec::new();
    let (mut agree, mut early, mut late) = (Vec::new(), Vec::new(), Vec::new());
    for minor in 2..=15u8 {
        let at = Version::new(3, minor);
        let below = Version::new(3, minor + 1);
        // Items new at `at` must be declared; items new at the next version must not be.
        let probes: Vec<(&Item, bool)> = limited
            .iter()
            .filter(|i| i.stable_since == Some(at) || (minor < 15 && i.stable_since == Some(below)))
            .map(|i| (*i, i.stable_since == Some(at)))
            .collect();
        for feature in [false, true] {
            let mine: Vec<&(&Item, bool)> = probes.iter().filter(|(i, _)| i.ifdef.is_some() == feature).collect();
            if mine.is_empty() {
                continue;
            }
            let body: String = mine.iter().enumerate().map(|(n, (i, _))| probe(i, n)).collect();
            let mut defines = vec![format!("-DPy_LIMITED_API=0x03{minor:02X}0000")];
            if feature {
                defines.extend(common::feature_defines());
            }
            let (compiled, offset) = common::compile(cc, &up.include(), &defines, &common::prelude(false), &body);
            if !compiled.other_errors.is_empty() {
                return Err(format!("the headers do not compile at 3.{minor}: {:?}", compiled.other_errors).into());
            }
            for (n, (item, expect_declared)) in mine.iter().enumerate() {
                let declared = !compiled.error_lines.contains(&(offset + n * 3 + 2));
                let exposed = item.exposed.abi3;
                match (expect_declared, declared) {
                    (true, true) | (false, false) => agree.push(item.name()),
                    (true, false) => {
                        late.push(item.name());
                        if exposed.is_some_and(|e| e <= at) {
                            problems.push(format!(
                                "{}: not declared at {at}, but the catalog says exposed from {exposed:?}",
                                item.name()
                            ));
                        }
                    }
                    (false, true) => {
                        early.push(item.name());
                        if exposed.is_none_or(|e| e > at) {
                            problems.push(format!(
                                "{}: declared at {at}, but the catalog says exposed from {exposed:?}",
                                item.name()
                            ));
                        }
                    }
                }
            }
        }
    }
    println!(
        "{} probes agree with stable_since; {} items are declared before their stable_since (macros or static inline helpers before the exported function, or an unguarded declaration): {early:?}; {} are not declared at their stable_since (recorded in exposed.abi3): {late:?}",
        agree.len(),
        early.len(),
        late.len()
    );
    verdict(
        "disagreements between the headers and the catalog's exposed facts",
        &problems,
    )
}
