//! The target a project's build files declare, for `check` without
//! `--target`: the project is the nearest directory above the sources
//! with a `pyproject.toml`, `setup.py` or `setup.cfg` (not above the
//! repository's root), and its build files name the Stable ABI version
//! the wheel is built for ([`scan`] reads each build system's spelling;
//! `Cargo.toml`'s PyO3 features are read by [`super::project`]).
//!
//! A `[tool.abiscope]` table in `pyproject.toml` decides alone: its
//! `target`, the `defines` the sources are compiled with (as `-D`) and
//! the paths to `skip`. Otherwise the declarations are combined: for each
//! ABI the lowest version declared, since that is what the wheel promises
//! (a `cp39` tag with code compiled at 3.11 still has to run on 3.9), and
//! the report names every file and line that decided it. Sources of two
//! projects that declare different targets get none: the report says so
//! and `--target` settles it.

mod scan;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::target::Target;

/// A build file larger than this is not read.
const MAX_SIZE: u64 = 1 << 20;
/// How deep below the project's root `meson.build` and `CMakeLists.txt`
/// files are looked for, and how many directories at most.
const MAX_DEPTH: usize = 3;
const MAX_DIRS: usize = 200;

/// Where a declaration is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    pub line: u32,
    /// What the file says, as written (`wheel.py-api = "cp39"`).
    pub says: String,
}

/// One build file's declared Stable ABI version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub target: Target,
    /// The build system that reads it (`setuptools`, `scikit-build-core`).
    pub system: &'static str,
    pub origin: Origin,
}

/// `[tool.abiscope]` in `pyproject.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub target: Option<Target>,
    /// `NAME` or `NAME=VALUE`, as `-D` takes them.
    pub defines: Vec<String>,
    /// Files and directories left out, relative to the project's root.
    pub skip: Vec<PathBuf>,
    pub origin: Option<Origin>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    target: Option<crate::config::TargetSpec>,
    #[serde(default)]
    defines: Vec<String>,
    #[serde(default)]
    skip: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RawPyproject {
    tool: Option<RawTool>,
}

#[derive(Debug, Deserialize)]
struct RawTool {
    abiscope: Option<RawTable>,
}

/// What a project's build files say.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub root: PathBuf,
    pub table: Table,
    pub declarations: Vec<Declaration>,
    /// What the build files leave undecided, one sentence each.
    pub notes: Vec<String>,
}

/// A build file that could not be used.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BuildFileError {
    pub path: String,
    pub message: String,
}

/// The target a check run takes from the build files, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    pub target: Target,
    /// The declarations that decided it (the table, or the lowest per ABI).
    pub from: Vec<Origin>,
}

impl Project {
    /// The project around `path` (a source file or a directory): the
    /// nearest directory with a `pyproject.toml`, `setup.py` or
    /// `setup.cfg`, looking up to the repository's root (a `.git`).
    pub fn root_of(path: &Path) -> Option<PathBuf> {
        let start = if path.is_dir() { path } else { path.parent()? };
        // A bare file name (`ext.c`) is in the current directory.
        let start = if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            start
        };
        let mut dir = std::path::absolute(start).ok()?;
        loop {
            if ["pyproject.toml", "setup.py", "setup.cfg"]
                .iter()
                .any(|f| dir.join(f).is_file())
            {
                return Some(dir);
            }
            if dir.join(".git").exists() || !dir.pop() {
                return None;
            }
        }
    }

    /// Reads the build files of the project at `root`. A `pyproject.toml`
    /// that is not TOML, or a `[tool.abiscope]` table with a mistake, is an
    /// error naming the file, line and column; other files that cannot be
    /// read are left out with a note.
    pub fn read(root: &Path) -> Result<Project, BuildFileError> {
        let mut project = Project {
            root: root.to_path_buf(),
            ..Project::default()
        };
        let pyproject = root.join("pyproject.toml");
        let mut meson_limited = None;
        if let Some(text) = project.text(&pyproject) {
            let shown = pyproject.display().to_string();
            let error = |e: toml::de::Error| BuildFileError {
                path: shown.clone(),
                message: e.to_string().trim_end().to_string(),
            };
            let doc: toml::Table = toml::from_str(&text).map_err(error)?;
            let raw: RawPyproject = toml::from_str(&text).map_err(error)?;
            if let Some(table) = raw.tool.and_then(|t| t.abiscope) {
                project.table = Table {
                    target: table.target.map(|t| t.0),
                    defines: table.defines,
                    skip: table.skip.iter().map(PathBuf::from).collect(),
                    origin: Some(Origin {
                        path: pyproject.clone(),
                        line: text
                            .lines()
                            .position(|l| l.trim_start().starts_with("[tool.abiscope]"))
                            .map_or(1, |n| u32::try_from(n + 1).unwrap_or(u32::MAX)),
                        says: "[tool.abiscope]".to_string(),
                    }),
                };
            }
            project.declarations.extend(scan::pyproject(&pyproject, &text, &doc));
            meson_limited = scan::meson_python_limited(&pyproject, &text, &doc);
        }
        let setup_cfg = root.join("setup.cfg");
        if let Some(text) = project.text(&setup_cfg) {
            project.declarations.extend(scan::setup_cfg(&setup_cfg, &text));
        }
        let setup_py = root.join("setup.py");
        if let Some(text) = project.text(&setup_py) {
            project.declarations.extend(scan::setup_py(&setup_py, &text));
        }
        let cargo = root.join("Cargo.toml");
        if let Some(text) = project.text(&cargo)
            && let Some(floor) = super::project::floor_in(&cargo, &text)
        {
            project.declarations.push(Declaration {
                target: Target {
                    abi3: Some(floor.version),
                    ..Target::default()
                },
                system: "PyO3 (Cargo.toml)",
                origin: Origin {
                    path: floor.manifest,
                    line: floor.line,
                    says: format!("pyo3 feature {}", floor.feature),
                },
            });
        }
        let mut meson_declared = false;
        for file in project.nested(&["meson.build", "CMakeLists.txt"]) {
            let Some(text) = project.text(&file) else { continue };
            let found = if file.ends_with("meson.build") {
                let found = scan::meson_build(&file, &text);
                meson_declared |= !found.is_empty();
                found
            } else {
                scan::cmake(&file, &text)
            };
            project.declarations.extend(found);
        }
        if let Some(origin) = meson_limited
            && !meson_declared
        {
            project.notes.push(format!(
                "{}:{}: meson-python tags the wheel abi3, but no meson.build gives extension_module() a \
                 limited_api version; each source's own Py_LIMITED_API decides",
                origin.path.display(),
                origin.line
            ));
        }
        Ok(project)
    }

    /// The target the build files give: the table's, else the lowest
    /// version declared for each ABI.
    pub fn target(&self) -> Option<Inferred> {
        if let (Some(target), Some(origin)) = (self.table.target, &self.table.origin) {
            let mut origin = origin.clone();
            origin.says = format!("[tool.abiscope] target = \"{}\"", spec(target));
            return Some(Inferred {
                target,
                from: vec![origin],
            });
        }
        let abi3 = self.declarations.iter().filter_map(|d| d.target.abi3).min();
        let abi3t = self.declarations.iter().filter_map(|d| d.target.abi3t).min();
        let target = Target {
            abi3,
            abi3t,
            ..Target::default()
        };
        target.is_set().then(|| Inferred {
            target,
            from: self
                .declarations
                .iter()
                .filter(|d| (abi3.is_some() && d.target.abi3 == abi3) || (abi3t.is_some() && d.target.abi3t == abi3t))
                .map(|d| d.origin.clone())
                .collect(),
        })
    }

    /// A build file's text; unreadable ones are noted and left out.
    fn text(&mut self, path: &Path) -> Option<String> {
        match crate::untrusted::read(path, MAX_SIZE) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).ok();
                if text.is_none() {
                    self.notes.push(format!("{}: not UTF-8 text, not read", path.display()));
                }
                text
            }
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                self.notes.push(format!("{}: {e}, not read", path.display()));
                None
            }
        }
    }

    /// Files named `names` in the root and the directories below it (not
    /// hidden ones, not build output), at most [`MAX_DEPTH`] deep.
    fn nested(&self, names: &[&str]) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut dirs = vec![(self.root.clone(), 0)];
        let mut seen = 0;
        while let Some((dir, depth)) = dirs.pop() {
            seen += 1;
            if seen > MAX_DIRS {
                break;
            }
            found.extend(names.iter().map(|n| dir.join(n)).filter(|p| p.is_file()));
            if depth == MAX_DEPTH {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut subdirs: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    !name.starts_with('.') && !matches!(name.as_ref(), "build" | "dist" | "target" | "node_modules")
                })
                .map(|e| e.path())
                .collect();
            subdirs.sort();
            dirs.extend(subdirs.into_iter().rev().map(|d| (d, depth + 1)));
        }
        found
    }
}

/// A target in the `--target` notation (`abi3=3.9,abi3t=3.15`).
pub fn spec(target: Target) -> String {
    let parts: Vec<String> = [("abi3", target.abi3), ("abi3t", target.abi3t)]
        .into_iter()
        .filter_map(|(abi, v)| v.map(|v| format!("{abi}={v}")))
        .collect();
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Project, BuildFileError>) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
            std::fs::write(path, text).expect("written");
        }
        let read = Project::read(dir.path());
        (dir, read)
    }

    #[test]
    fn the_lowest_declaration_per_abi_decides() {
        let (_dir, read) = project(&[
            ("setup.cfg", "[bdist_wheel]\npy_limited_api = cp39\n"),
            (
                "setup.py",
                "setup(ext_modules=[Extension('s', ['s.c'], define_macros=[('Py_LIMITED_API', '0x030B0000')])])\n",
            ),
        ]);
        let inferred = read.expect("read").target().expect("a target");
        assert_eq!(spec(inferred.target), "abi3=3.9");
        assert_eq!(inferred.from.len(), 1);
        assert_eq!(inferred.from[0].says, "[bdist_wheel] py_limited_api = cp39");
    }

    #[test]
    fn the_abiscope_table_decides_alone() {
        let (_dir, read) = project(&[(
            "pyproject.toml",
            "[project]\nname = \"s\"\n\n[tool.abiscope]\ntarget = \"abi3=3.10,abi3t=3.15\"\n\
             defines = [\"NB_FREE_THREADED\", \"MYCFG=2\"]\nskip = [\"vendor\"]\n\n\
             [tool.scikit-build]\nwheel.py-api = \"cp39\"\n",
        )]);
        let project = read.expect("read");
        let inferred = project.target().expect("a target");
        assert_eq!(spec(inferred.target), "abi3=3.10,abi3t=3.15");
        assert_eq!(inferred.from[0].line, 4);
        assert_eq!(project.table.defines, vec!["NB_FREE_THREADED", "MYCFG=2"]);
        assert_eq!(project.table.skip, vec![PathBuf::from("vendor")]);
    }

    #[test]
    fn mistakes_in_the_table_name_the_line() {
        for (table, says) in [
            ("target = \"abi3=2.7\"", "invalid version '2.7'"),
            ("tagret = \"abi3=3.9\"", "unknown field `tagret`"),
            ("defines = \"X\"", "invalid type"),
        ] {
            let (_dir, read) = project(&[("pyproject.toml", &format!("[tool.abiscope]\n{table}\n"))]);
            let error = read.expect_err(table);
            assert!(error.path.ends_with("pyproject.toml"), "{error}");
            assert!(
                error.message.contains(says) && error.message.contains("line 2"),
                "{error}"
            );
        }
    }

    #[test]
    fn meson_python_without_a_version_is_noted() {
        let (_dir, read) = project(&[
            ("pyproject.toml", "[tool.meson-python]\nlimited-api = true\n"),
            ("meson.build", "py.extension_module('s', 's.c', install: true)\n"),
        ]);
        let project = read.expect("read");
        assert_eq!(project.target(), None);
        assert!(project.notes[0].contains("limited_api version"), "{:?}", project.notes);
    }

    #[test]
    fn the_root_is_the_nearest_python_project() {
        let (dir, _) = project(&[("pyproject.toml", ""), ("src/pkg/ext.c", ""), ("src/.git", "")]);
        let root = std::path::absolute(dir.path()).expect("absolute");
        assert_eq!(
            Project::root_of(&dir.path().join("src/pkg/ext.c")),
            None,
            "stops at the repository"
        );
        std::fs::remove_file(dir.path().join("src/.git")).expect("removed");
        assert_eq!(Project::root_of(&dir.path().join("src/pkg/ext.c")), Some(root.clone()));
        assert_eq!(Project::root_of(dir.path()), Some(root));
    }
}
