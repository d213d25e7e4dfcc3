//! What the headers expose under each Stable ABI target, found by compiling
//! probes: one translation unit per configuration, one probe line per name.
//!
//! A probe redeclares the name as something nothing else can be: an object
//! of a fresh struct type (`extern struct abiscope_probe_N NAME;`), or, for a
//! struct tag, a fresh definition. That compiles when the headers do not
//! declare the name and draws a "conflicting types" or "redefinition" error
//! when they do; a macro draws an `#error` instead. Probing this way
//! round keeps errors to the names that exist, which the compiler reports
//! cheaply (undeclared identifiers would each cost a spelling search), so
//! the 16 configurations take a few seconds.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Result, bail};

use crate::compiler::{Compiler, Config, FEATURE_DEFINES};
use crate::schema::Version;

/// How to test that a name is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A function, variable, enumerator or typedef: any ordinary identifier.
    Ordinary,
    /// A struct known only by its tag: declared when defined.
    Tag,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub form: Form,
    /// Probe with the platform feature macros defined (`MS_WINDOWS`, ...).
    pub feature: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exposure {
    /// The lowest `Py_LIMITED_API` that declares the name.
    pub abi3: Option<Version>,
    /// Declared under `Py_TARGET_ABI3T=0x030F0000`.
    pub abi3t: bool,
}

/// The `Py_LIMITED_API` minors probed: 3.2 up to the headers' own 3.15.
pub const LIMITED_MINORS: std::ops::RangeInclusive<u8> = 2..=15;
/// The newest version the headers know.
pub const NEWEST_HEADERS: Version = Version::new(3, 15);
pub const ABI3T_MINOR: u8 = 15;

/// Compiles one probe file for `config` and returns the names it declares.
pub fn declared(compiler: &Compiler, config: Config, targets: &[&Target], feature: bool) -> Result<BTreeSet<String>> {
    let mut source = Compiler::prelude(config);
    let mut line_of = BTreeMap::new();
    let mut line = source.lines().count();
    for (n, t) in targets.iter().enumerate() {
        let probe = match t.form {
            Form::Ordinary => format!("extern struct abiscope_probe_{n} {};", t.name),
            Form::Tag => format!("struct {} {{ int abiscope_probe_{n}; }};", t.name),
        };
        // Five lines: a macro draws the `#error` (line 2), a declaration the probe (line 4).
        writeln!(
            source,
            "#if defined({})\n#error declared\n#else\n{probe}\n#endif",
            t.name
        )?;
        line_of.insert(line + 2, t.name.clone());
        line_of.insert(line + 4, t.name.clone());
        line += 5;
    }
    let extra: &[&str] = if feature { FEATURE_DEFINES } else { &[] };
    let diags = compiler.check(config, extra, &source)?;
    if !diags.foreign_errors.is_empty() {
        bail!(
            "the headers do not compile under {config:?} {extra:?}:\n{}",
            diags.foreign_errors.join("\n")
        );
    }
    if let Some(stray) = diags.error_lines.iter().find(|l| !line_of.contains_key(l)) {
        bail!("probe file line {stray} drew an error that belongs to no probe ({config:?})");
    }
    Ok(line_of
        .into_iter()
        .filter(|(l, _)| diags.error_lines.contains(l))
        .map(|(_, n)| n)
        .collect())
}

/// Runs every configuration (a few compiles at a time) and folds the
/// answers into one exposure per name. Also returns the names the full API
/// declares, which the caller checks against the header index.
pub fn exposure(compiler: &Compiler, targets: &[Target]) -> Result<(BTreeMap<String, Exposure>, BTreeSet<String>)> {
    let mut configs: Vec<Config> = LIMITED_MINORS.map(Config::Limited).collect();
    configs.push(Config::Abi3t(ABI3T_MINOR));
    configs.push(Config::Full);
    let jobs: Vec<(Config, bool)> = configs.iter().flat_map(|&c| [(c, false), (c, true)]).collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .min(4);
    let run = |(config, feature): (Config, bool)| {
        let mine: Vec<&Target> = targets.iter().filter(|t| t.feature == feature).collect();
        declared(compiler, config, &mine, feature).map(|set| (config, set))
    };
    let answers: Vec<(Config, BTreeSet<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine: Vec<(Config, bool)> = jobs.iter().skip(w).step_by(workers).copied().collect();
                scope.spawn(move || mine.into_iter().map(run).collect::<Result<Vec<_>>>())
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.join().map_err(|_| anyhow::anyhow!("a probe worker panicked"))??);
        }
        Ok::<_, anyhow::Error>(all)
    })?;
    let mut exposure: BTreeMap<String, Exposure> =
        targets.iter().map(|t| (t.name.clone(), Exposure::default())).collect();
    let mut full = BTreeSet::new();
    for (config, names) in answers {
        for name in names {
            let e = exposure.entry(name.clone()).or_default();
            match config {
                Config::Limited(minor) => {
                    let v = Version::new(3, minor);
                    e.abi3 = Some(e.abi3.map_or(v, |old| old.min(v)));
                }
                Config::Abi3t(_) => e.abi3t = true,
                Config::Full => {
                    full.insert(name);
                }
            }
        }
    }
    Ok((exposure, full))
}

/// `int (NAME)(...)`: a redeclaration that a same-named function-like macro
/// cannot expand, so it compiles against a `static inline` function wrapped
/// by a casting macro too.
pub fn redeclaration(signature: &str) -> Option<String> {
    let mut toks = crate::cdecl::tokenize(signature);
    let at = crate::cdecl::declarator_name(&toks)?;
    let name = toks[at].clone();
    let paren = |text: &str| crate::cdecl::Token {
        kind: crate::cdecl::TokKind::Punct,
        text: text.to_string(),
    };
    toks.splice(at..=at, [paren("("), name, paren(")")]);
    Some(format!("{};", crate::cdecl::render(&toks)))
}

/// The names whose documented declaration does not compile against the
/// headers: `(name, redeclaration, feature)` in.
pub fn conflicting_docs(compiler: &Compiler, candidates: &[(String, String, bool)]) -> Result<BTreeSet<String>> {
    let mut conflicting = BTreeSet::new();
    for feature in [false, true] {
        let mut source = Compiler::prelude(Config::Full);
        let mut line_of = BTreeMap::new();
        let mut line = source.lines().count();
        for (name, decl, _) in candidates.iter().filter(|c| c.2 == feature) {
            line += 1;
            line_of.insert(line, name.clone());
            source.push_str(decl);
            source.push('\n');
        }
        let extra: &[&str] = if feature { FEATURE_DEFINES } else { &[] };
        let diags = compiler.check(Config::Full, extra, &source)?;
        if !diags.foreign_errors.is_empty() {
            bail!("the headers do not compile:\n{}", diags.foreign_errors.join("\n"));
        }
        conflicting.extend(diags.error_lines.iter().filter_map(|l| line_of.get(l).cloned()));
    }
    Ok(conflicting)
}
