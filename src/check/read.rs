//! Reading the paths `check` is given: files by their names, directories
//! walked, pipes and devices named on the command line read as streams
//! and sniffed, all through [`crate::untrusted`] (no blocking open, only
//! regular files in a walk, size limits), and symbolic links followed only
//! within the tree given. What a walk leaves alone is said in
//! [`Input::skipped`], copies of CPython's headers among it.
//!
//! Paths are walked first, then the C sources read once for the macros
//! they define (another file may include them), then everything read.

use std::fs;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

use super::{Input, InputError, Limits, WheelInput, binary, parse_nm, project, wheel};
use crate::catalog::Catalog;
use crate::io_error::io_message;
use crate::untrusted::{self, ReadError};

/// The kinds of file a path can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileType {
    C,
    Rust,
    Module,
    Wheel,
}

impl FileType {
    fn of(path: &Path) -> Option<FileType> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "c" | "h" | "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" | "inl" => FileType::C,
            "rs" => FileType::Rust,
            "so" | "pyd" | "dll" | "dylib" => FileType::Module,
            "whl" => FileType::Wheel,
            _ => return None,
        })
    }
}

/// Directories a walk does not enter: build outputs and caches.
const SKIPPED_DIRS: [&str; 3] = ["target", "node_modules", "__pycache__"];

/// An input to read: a path named on the command line (`tree` is
/// `None`) or found walking the directory `tree` (canonical), or standard
/// input.
pub(super) enum Pending {
    File { path: PathBuf, tree: Option<PathBuf> },
    Stdin,
}

impl Input {
    /// The files a path named on the command line stands for: itself, or
    /// what a walk of it finds.
    pub(super) fn walk(&mut self, path: &Path, out: &mut Vec<Pending>) {
        if self.skipped_by_project(path) {
            return;
        }
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                if let Err(message) = self.compile_commands.find_in(path) {
                    self.error(path.display().to_string(), message);
                }
                let root = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                self.walk_dir(path, &root, out);
            }
            Ok(_) => out.push(Pending::File {
                path: path.to_path_buf(),
                tree: None,
            }),
            Err(e) => self.error(path.display().to_string(), io_message(&e)),
        }
    }

    /// Whether the project's `[tool.abiscope] skip` leaves `path` out
    /// (said in the report's skipped files).
    fn skipped_by_project(&mut self, path: &Path) -> bool {
        if self.env.skip.is_empty() {
            return false;
        }
        let Ok(absolute) = std::path::absolute(path) else {
            return false;
        };
        let skipped = self.env.skip.iter().any(|s| absolute.starts_with(s));
        if skipped {
            self.skip(
                path.display().to_string(),
                "left out by [tool.abiscope] skip in pyproject.toml",
            );
        }
        skipped
    }

    /// Walks a directory: sources, modules and wheels by their names, in
    /// name order. Symbolic links are read when they lead to a file inside
    /// the tree given (`root`), never out of it (to `/etc/shadow` or
    /// `/proc/kmsg`), and never to a directory (no cycles). A copy of
    /// CPython's headers is CPython's code, not the project's: skipped.
    fn walk_dir(&mut self, dir: &Path, root: &Path, out: &mut Vec<Pending>) {
        if project::is_cpython_include(dir) {
            return self.skip(
                dir.display().to_string(),
                "a copy of CPython's headers (its Python.h), which are CPython's code, not the project's",
            );
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.error(dir.display().to_string(), io_message(&e)),
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(file_type) = entry.file_type() else { continue };
            let path = entry.path();
            if name.starts_with('.') || self.skipped_by_project(&path) {
                continue;
            }
            if file_type.is_dir() {
                if !SKIPPED_DIRS.contains(&name.as_ref()) {
                    self.walk_dir(&path, root, out);
                }
                continue;
            }
            if FileType::of(&path).is_none() || path.is_dir() {
                continue;
            }
            if file_type.is_symlink() {
                match fs::canonicalize(&path) {
                    Ok(target) if target.starts_with(root) => {}
                    Ok(target) => {
                        let why = format!("a symbolic link out of the tree, to {}", target.display());
                        self.skip(path.display().to_string(), why);
                        continue;
                    }
                    Err(e) => {
                        let why = format!("a symbolic link that leads nowhere ({})", io_message(&e));
                        self.skip(path.display().to_string(), why);
                        continue;
                    }
                }
            }
            out.push(Pending::File {
                path,
                tree: Some(root.to_path_buf()),
            });
        }
    }

    /// The macros each C source of several defines, for the others: read
    /// from regular files only (a stream is read once, later).
    pub(super) fn prescan(&mut self, files: &[Pending], limits: &Limits) {
        let sources: Vec<&Path> = files
            .iter()
            .filter_map(|f| match f {
                Pending::File { path, .. } if FileType::of(path) == Some(FileType::C) => Some(path.as_path()),
                _ => None,
            })
            .collect();
        if sources.len() < 2 {
            return;
        }
        for path in sources {
            if let Ok(data) = untrusted::read(path, limits.source) {
                project::defined_macros(&String::from_utf8_lossy(&data), &mut self.env.tree);
            }
        }
    }

    /// A path named on the command line (`tree` is `None`), or a file
    /// found walking the directory `tree`. A named path may be a pipe or a
    /// device (`<(cat mod.so)`, `/dev/stdin`): it is read to its end, up to
    /// the limit, and sniffed. In a walk only regular files are read;
    /// anything else is skipped, and said.
    pub(super) fn read_path(&mut self, catalog: &Catalog, path: &Path, tree: Option<&Path>, limits: &Limits) {
        let shown = path.display().to_string();
        let mut opened = match untrusted::open(path, tree.is_none()) {
            Ok(opened) => opened,
            Err(e @ ReadError::Special(_)) if tree.is_some() => return self.skip(shown, e.to_string()),
            Err(e) => return self.error(shown, e.to_string()),
        };
        let by_name = FileType::of(path);
        let mut head = Vec::new();
        if by_name != Some(FileType::Wheel)
            && let Err(e) = (&mut opened).take(HEAD).read_to_end(&mut head)
        {
            return self.error(shown, io_message(&e));
        }
        if head.is_empty() && opened.is_stream() {
            return self.error(
                shown,
                "nothing to read: an empty pipe or device (nothing was writing to it)",
            );
        }
        let file_type = match by_name.or_else(|| sniff(&head)) {
            Some(t) => t,
            // A pipe's text: `nm` output, else source.
            None if opened.is_stream() && looks_like_text(&head) => FileType::C,
            None => {
                return self.error(
                    shown,
                    "unknown file type: expected C, C++ or Rust sources, extension modules (.so, .pyd, .dylib) or wheels (.whl)",
                );
            }
        };
        if file_type == FileType::Wheel && !opened.is_stream() {
            let mut file = opened.into_file();
            if let Err(e) = file.seek(io::SeekFrom::Start(0)) {
                return self.error(shown, io_message(&e));
            }
            return self.read_wheel(catalog, file, &shown, limits);
        }
        if file_type == FileType::Module && !opened.is_stream() {
            if let Some(len) = opened.size().filter(|len| *len > limits.file) {
                return self.error(shown, ReadError::TooLarge { len, cap: limits.file }.to_string());
            }
            // Only the headers and symbol tables are read, not the whole
            // module.
            return match binary::read_file(&opened.into_file()) {
                Ok(module) => self.add_module(catalog, &module, shown, None),
                Err(message) => self.error(shown, message),
            };
        }
        let cap = match file_type {
            FileType::C => limits.source,
            FileType::Rust => limits.rust,
            FileType::Module | FileType::Wheel => limits.file,
        };
        if let Some(len) = opened.size().filter(|len| *len > cap) {
            let too_large = ReadError::TooLarge { len, cap };
            return self.error(shown, too_large.to_string());
        }
        let data = match untrusted::read_capped(io::Cursor::new(head).chain(opened), cap) {
            Ok(data) => data,
            Err(e) => return self.error(shown, e.to_string()),
        };
        match file_type {
            FileType::C | FileType::Rust => {
                let text = String::from_utf8_lossy(&data);
                if by_name.is_none()
                    && let Some(module) = parse_nm(catalog, &text)
                {
                    return self.add_module(catalog, &module, shown, None);
                }
                self.add_source_at(catalog, &text, &shown, Some(path), file_type == FileType::Rust);
            }
            FileType::Module => match binary::read(&data) {
                Ok(module) => self.add_module(catalog, &module, shown, None),
                Err(message) => self.error(shown, message),
            },
            FileType::Wheel => self.read_wheel(catalog, io::Cursor::new(data), &shown, limits),
        }
    }

    pub(super) fn skip(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.skipped.push(InputError {
            path: path.into(),
            message: message.into(),
        });
    }

    fn read_wheel(&mut self, catalog: &Catalog, reader: impl Read + io::Seek, shown: &str, limits: &Limits) {
        let file_name = Path::new(shown)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wheel = match wheel::read(io::BufReader::new(reader), &file_name, limits) {
            Ok(wheel) => wheel,
            Err(message) => return self.error(shown, message),
        };
        let index = self.wheels.len();
        self.wheels.push(WheelInput {
            path: shown.to_string(),
            tags: wheel.tags,
            metadata_tags: wheel.metadata_tags,
            unsafe_paths: wheel.unsafe_paths,
        });
        for message in wheel.errors {
            self.error(shown, message);
        }
        for member in wheel.members {
            let member_path = format!("{shown}/{}", member.name);
            match member.module {
                Ok(module) => self.add_module(catalog, &module, member_path, Some(index)),
                Err(message) => self.error(member_path, message),
            }
        }
    }
}

/// How much of a file [`sniff`] and [`looks_like_text`] see.
const HEAD: u64 = 512;

/// Whether the start of a stream is text: UTF-8 (the last character may
/// be cut) without NUL bytes. `/dev/zero` and `/dev/urandom` are not.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    valid && !head.contains(&0)
}

/// Guesses a file's type from its first bytes.
fn sniff(head: &[u8]) -> Option<FileType> {
    if head.starts_with(b"PK\x03\x04") {
        Some(FileType::Wheel)
    } else if binary::looks_binary(head) {
        Some(FileType::Module)
    } else {
        None
    }
}
