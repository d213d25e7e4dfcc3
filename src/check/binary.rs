//! Built extension modules: ELF shared objects, Mach-O bundles and dylibs
//! (universal ones too) and PE DLLs (`.pyd`), read with the `object` crate.
//! What matters is what the module imports (undefined symbols that the
//! interpreter must provide), which entry points it exports (`PyInit_*`,
//! `PyModExport_*`), and, for PE, which DLLs it imports from.

use object::read::ReadCache;
use object::read::macho::{FatArch, MachOFatFile32, MachOFatFile64};
use object::{BinaryFormat, FileKind, NameOrOrdinal, Object, ObjectSymbol, ReadRef};

/// What a module needs from and offers to the interpreter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Module {
    pub format: &'static str,
    /// Imported symbol names, sorted, without Mach-O's leading underscore.
    pub imports: Vec<String>,
    /// Exported symbol names, sorted.
    pub exports: Vec<String>,
    /// The DLLs a PE module imports from, as written.
    pub libraries: Vec<String>,
}

impl Module {
    /// Whether the module exports a `PyInit_` or `PyModExport_` hook.
    pub fn is_extension(&self) -> bool {
        self.exports
            .iter()
            .any(|e| e.starts_with("PyInit_") || e.starts_with("PyModExport_"))
    }
}

/// Whether `data` starts like a module this reader knows.
pub fn looks_binary(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
        || data.starts_with(b"MZ")
        || [
            [0xfe, 0xed, 0xfa, 0xce],
            [0xfe, 0xed, 0xfa, 0xcf],
            [0xce, 0xfa, 0xed, 0xfe],
            [0xcf, 0xfa, 0xed, 0xfe],
            [0xca, 0xfe, 0xba, 0xbe],
        ]
        .iter()
        .any(|magic| data.starts_with(magic))
}

/// Reads a module's imports and exports. Every architecture of a
/// universal Mach-O file counts.
pub fn read(data: &[u8]) -> Result<Module, String> {
    read_from(data, |offset, size| {
        let start = usize::try_from(offset).ok()?;
        data.get(start..start.checked_add(usize::try_from(size).ok()?)?)
    })
}

/// [`read`] from a file, reading only the parts the symbol tables need:
/// a large module costs its tables, not its size, in memory.
pub fn read_file(file: &std::fs::File) -> Result<Module, String> {
    let cache = ReadCache::new(file);
    read_from(&cache, |offset, size| Some(cache.range(offset, size)))
}

/// The reader behind [`read`] and [`read_file`]: `range` gives one
/// architecture of a universal file.
fn read_from<'a, R: ReadRef<'a>, A: ReadRef<'a>>(
    data: R,
    range: impl Fn(u64, u64) -> Option<A>,
) -> Result<Module, String> {
    let kind = FileKind::parse(data).map_err(|e| format!("not an extension module: {e}"))?;
    let mut module = Module::default();
    let arches: Vec<(u64, u64)> = match kind {
        FileKind::MachOFat32 => MachOFatFile32::parse(data)
            .map_err(damaged_fat)?
            .arches()
            .iter()
            .map(FatArch::file_range)
            .collect(),
        FileKind::MachOFat64 => MachOFatFile64::parse(data)
            .map_err(damaged_fat)?
            .arches()
            .iter()
            .map(FatArch::file_range)
            .collect(),
        FileKind::Elf32 | FileKind::Elf64 | FileKind::MachO32 | FileKind::MachO64 | FileKind::Pe32 | FileKind::Pe64 => {
            read_one(data, &mut module)?;
            Vec::new()
        }
        other => return Err(format!("not an extension module ({other:?} file)")),
    };
    for (offset, size) in arches {
        let arch = range(offset, size).ok_or("damaged universal Mach-O file: an architecture past its end")?;
        read_one(arch, &mut module)?;
    }
    for list in [&mut module.imports, &mut module.exports, &mut module.libraries] {
        list.sort_unstable();
        list.dedup();
    }
    Ok(module)
}

fn damaged_fat(e: object::Error) -> String {
    format!("damaged universal Mach-O file: {e}")
}

fn read_one<'a, R: ReadRef<'a>>(data: R, module: &mut Module) -> Result<(), String> {
    let file = object::File::parse(data).map_err(|e| format!("damaged file: {e}"))?;
    let format = file.format();
    module.format = match format {
        BinaryFormat::Elf => "ELF",
        BinaryFormat::MachO => "Mach-O",
        BinaryFormat::Pe => "PE",
        _ => "object file",
    };
    let macho = format == BinaryFormat::MachO;
    let clean = |name: &[u8]| -> Option<String> {
        let name = std::str::from_utf8(name).ok()?;
        let name = if macho {
            name.strip_prefix('_').unwrap_or(name)
        } else {
            name
        };
        // ELF symbol versions (`malloc@GLIBC_2.2.5`) are not part of the name.
        let name = name.split('@').next().unwrap_or(name);
        (!name.is_empty()).then(|| name.to_string())
    };
    let imports = file.imports().map_err(|e| format!("damaged import table: {e}"))?;
    for import in imports {
        let import = import.map_err(|e| format!("damaged import table: {e}"))?;
        let library = import.library();
        if !library.is_empty() {
            module.libraries.push(String::from_utf8_lossy(library).into_owned());
        }
        if let NameOrOrdinal::Name(name) = import.name() {
            module.imports.extend(clean(name));
        }
    }
    for export in file.exports().map_err(|e| format!("damaged export table: {e}"))? {
        let export = export.map_err(|e| format!("damaged export table: {e}"))?;
        if let NameOrOrdinal::Name(name) = export.name() {
            module.exports.extend(clean(name));
        }
    }
    // Object files and Mach-O files with a flat namespace list what they
    // need only in their symbol tables.
    for symbol in file.symbols().chain(file.dynamic_symbols()) {
        let Some(name) = symbol.name_bytes().ok().and_then(clean) else {
            continue;
        };
        if symbol.is_undefined() {
            module.imports.push(name);
        } else if symbol.is_global() && (name.starts_with("PyInit_") || name.starts_with("PyModExport_")) {
            module.exports.push(name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for data in [
            &b""[..],
            b"\x7fELF",
            b"MZ\0\0",
            b"\xca\xfe\xba\xbe\0\0\0\x02",
            b"hello world",
        ] {
            assert!(read(data).is_err(), "{data:?}");
        }
        assert!(looks_binary(b"\x7fELF\x02") && !looks_binary(b"#include"));
    }
}
