//! The build files of the projects `check` reads, turned into the run's
//! target (when neither `--target` nor the config gives one), its macros
//! (`[tool.abiscope] defines`, which `-D`/`-U` override) and the paths it
//! leaves out, and the sentence the report opens with to say where the
//! target came from.
//!
//! Only sources and directories have a project: wheels and modules carry
//! their own claim in their tags. Projects that declare different targets
//! give none; the sentence says so and how to settle it.

use std::io;
use std::path::{Path, PathBuf};

use crate::check::Env;
use crate::check::buildfiles::{Inferred, Origin, Project};
use crate::sanitize::escape;
use crate::target::Target;

/// What the build files decided for one run.
#[derive(Debug, Default)]
pub struct FromBuildFiles {
    /// The target taken from them, if the run had none.
    pub target: Option<Inferred>,
    /// One sentence for the report: where the target came from, or why
    /// none was taken. `None` when there was nothing to say.
    pub said: Option<String>,
    pub projects: Vec<Project>,
}

impl FromBuildFiles {
    /// Reads the build files of the projects around `paths`. A broken
    /// `pyproject.toml` or `[tool.abiscope]` is an error (exit 2).
    pub fn read(paths: &[PathBuf], target: Target) -> io::Result<FromBuildFiles> {
        let mut roots: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.as_os_str() != "-" && has_project(p))
            .filter_map(|p| Project::root_of(p))
            .collect();
        roots.sort();
        roots.dedup();
        let projects = roots
            .iter()
            .map(|r| Project::read(r).map_err(io::Error::other))
            .collect::<io::Result<Vec<Project>>>()?;
        let mut out = FromBuildFiles {
            projects,
            ..FromBuildFiles::default()
        };
        if target.is_set() {
            return Ok(out);
        }
        let inferred: Vec<Inferred> = out.projects.iter().filter_map(Project::target).collect();
        let notes: Vec<String> = out.projects.iter().flat_map(|p| p.notes.iter().cloned()).collect();
        match inferred.as_slice() {
            [] if notes.is_empty() => {}
            [] => {
                let mut said = "No build file declares a Stable ABI version (--target sets one).".to_string();
                for note in notes {
                    said.push(' ');
                    said.push_str(&escape(&note));
                    said.push('.');
                }
                out.said = Some(said);
            }
            [first, rest @ ..] if rest.iter().all(|i| i.target == first.target) => {
                out.said = Some(format!(
                    "Target {} from the build files: {}",
                    first.target,
                    origins(inferred.iter().flat_map(|i| &i.from))
                ));
                out.target = Some(first.clone());
            }
            _ => {
                let each: Vec<String> = inferred
                    .iter()
                    .map(|i| format!("{} ({})", i.target, origins(&i.from)))
                    .collect();
                out.said = Some(format!(
                    "No target taken: the projects declare different ones, {}; --target settles it.",
                    each.join("; ")
                ));
            }
        }
        Ok(out)
    }

    /// The run's macros and skipped paths: the tables' defines unless the
    /// command line sets the same name.
    pub fn apply(&self, env: &mut Env) {
        for project in &self.projects {
            for define in &project.table.defines {
                let name = define.split_once('=').map_or(define.as_str(), |(n, _)| n).trim();
                if !env.defines.contains_key(name) {
                    env.define(define);
                }
            }
            env.skip.extend(project.table.skip.iter().map(|s| project.root.join(s)));
        }
    }
}

/// Sources and directories belong to a project; wheels, modules and
/// standard input do not.
fn has_project(path: &Path) -> bool {
    if path.is_dir() {
        return true;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "c" | "h" | "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" | "inl" | "rs"
    )
}

/// `setup.cfg:5 ([bdist_wheel] py_limited_api = cp39), ...`, relative to
/// the current directory where possible.
fn origins<'a>(from: impl IntoIterator<Item = &'a Origin>) -> String {
    let cwd = std::env::current_dir().ok();
    let shown: Vec<String> = from
        .into_iter()
        .map(|o| {
            let path = cwd
                .as_deref()
                .and_then(|c| o.path.strip_prefix(c).ok())
                .unwrap_or(&o.path);
            format!(
                "{}:{} ({})",
                escape(&path.display().to_string()),
                o.line,
                escape(&o.says)
            )
        })
        .collect();
    shown.join(", ")
}
