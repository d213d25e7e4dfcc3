//! The table of what each release's headers give (`assets/header-names.txt`)
//! against the compiler: for every fifth name, in every release and
//! several configurations, a probe line asks whether the name is a macro
//! (`#ifdef` / `#error`) or declared (`__typeof__`), and the table must
//! say the same. The table is read from preprocessed headers; the probes
//! ask the compiler itself.

use std::collections::BTreeSet;

use abiscope::catalog::Version;
use abiscope::catalog::headers::{self, Config, Form, HeaderKind, Seen};
use libtest_mimic::Failed;

use crate::common::{self, Upstream};

/// Two probe lines per name: the `#error` on the second says it is a
/// macro, an error on the fourth that it is not declared.
fn probe(name: &str, n: usize) -> String {
    format!("#ifdef {name}\n#error macro\n#else\nextern __typeof__({name}) *abiscope_p{n};\n#endif\n")
}

pub fn table_agrees_with_each_releases_headers(up: &Upstream, cc: &str) -> Result<(), Failed> {
    let names: Vec<&str> = headers::all()
        .iter()
        .step_by(5)
        .filter(|h| h.kinds().any(|k| !matches!(k, HeaderKind::Tag | HeaderKind::Internal)))
        .map(headers::HeaderName::name)
        .collect();
    let body: String = names.iter().enumerate().map(|(n, name)| probe(name, n)).collect();
    let mut problems = Vec::new();
    let mut broken_macros = BTreeSet::new();
    let mut probed = 0;
    for (version, dir) in up.releases() {
        let release: Version = version.parse().map_err(|e| format!("{version}: {e}"))?;
        let mut configs = vec![Config::Full, Config::Limited(Version::new(3, 2))];
        configs.push(Config::Limited(release.min(Version::new(3, 9))));
        configs.push(Config::Limited(release));
        if release.minor >= 15 {
            configs.push(Config::Abi3t);
        }
        for config in configs {
            let defines: Vec<String> = match config {
                Config::Limited(v) => vec![format!("-DPy_LIMITED_API=0x03{:02X}0000", v.minor)],
                Config::Abi3t => vec!["-DPy_TARGET_ABI3T=0x030F0000".to_string()],
                Config::Full => Vec::new(),
            };
            let prelude = common::prelude(config == Config::Abi3t);
            let (compiled, offset) = common::compile(cc, &dir.join("include"), &defines, &prelude, &body);
            if !compiled.other_errors.is_empty() {
                return Err(format!(
                    "the {version} headers do not compile ({config:?}): {:?}",
                    compiled.other_errors
                )
                .into());
            }
            for (n, name) in names.iter().enumerate() {
                let line = offset + n * 5;
                let macro_ = compiled.error_lines.contains(&(line + 2));
                let declared = !macro_ && !compiled.error_lines.contains(&(line + 4));
                let entry = headers::get(name).ok_or("a table name")?;
                let seen = entry.seen(release, config, Form::Any);
                probed += 1;
                match (seen, macro_ || declared) {
                    (Seen::Yes(HeaderKind::Tag), _) | (Seen::Yes(_), true) | (Seen::No, false) => {}
                    // The table leaves out a macro whose expansion needs
                    // what this configuration lacks.
                    (Seen::No, true) if macro_ => {
                        broken_macros.insert(format!("{name} ({version}, {config:?})"));
                    }
                    (seen, found) => problems.push(format!(
                        "{name} in {version} under {config:?}: the table says {seen:?}, the compiler {}",
                        if found { "finds it" } else { "does not" }
                    )),
                }
            }
        }
    }
    println!(
        "{probed} probes; macros the table leaves out because their expansion needs what the configuration lacks: {} ({:?})",
        broken_macros.len(),
        broken_macros.iter().take(10).collect::<Vec<_>>()
    );
    super::verdict("disagreements between the header table and the compiler", &problems)
}
