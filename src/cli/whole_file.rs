//! A file the user names for a command's output: never one of the database's own files, and
//! replaced whole or not at all.
//!
//! The output is written to a hidden temporary file beside it (same directory, so the same file
//! system) that takes its name only once complete and on disk: an export that fails half-way, or
//! is killed, leaves whatever was at the path as it was. Every error names the path.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{CliError, CliResult, texts};
use crate::domain::Lang;
use crate::interchange::ExportError;
use crate::store;

/// Large writes: an export of a million rows is a couple of hundred MB.
pub const BUFFER: usize = 1 << 20;

/// The files SQLite keeps for a database, the database first.
const COMPANIONS: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Writes `path` with `content`, refused when it is `database` or one of its companion files.
pub fn write(
    path: &Path,
    database: Option<&Path>,
    lang: Lang,
    content: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> CliResult {
    refuse_database_file(path, database, lang)?;
    let cannot_write = |e: io::Error| CliError::input(texts::cannot_write(lang, path.display(), e));
    // Through a symbolic link, the file it leads to is replaced and the link kept.
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
        return Err(cannot_write(io::ErrorKind::IsADirectory.into()));
    }
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    // A new file is readable by its owner only, like the database and its backups: an export
    // holds the whole pipeline. A replaced file keeps the mode its owner gave it.
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}.partial-"))
        .make_in(directory(&target), store::new_private_file)
        .map_err(cannot_write)?;
    if let Some(old) = existing {
        temp.as_file()
            .set_permissions(old.permissions())
            .map_err(cannot_write)?;
    }
    // Through the `File`: the temporary file's own `Write` adds its name to errors, and the user
    // knows only the output's.
    let mut out = BufWriter::with_capacity(BUFFER, temp.as_file());
    content(&mut out).map_err(|e| match e {
        ExportError::Write(e) => cannot_write(e),
        other => CliError::input(other.say(lang)),
    })?;
    let file = out.into_inner().map_err(|e| cannot_write(e.into_error()))?;
    // On disk before it takes the name: a crash just after never leaves an empty file there.
    file.sync_all().map_err(cannot_write)?;
    // On any error, here or above, the temporary file goes with `temp`.
    temp.persist(&target).map_err(|e| cannot_write(e.error))?;
    Ok(())
}

/// Refuses `path` when it names `database` or one of its companion files (an export or a
/// backup written there would destroy the data it copies).
pub fn refuse_database_file(path: &Path, database: Option<&Path>, lang: Lang) -> CliResult {
    match database.and_then(|db| database_file(path, db)) {
        Some(file) => Err(CliError::input(texts::is_the_database(
            lang,
            path.display(),
            file.display(),
        ))),
        None => Ok(()),
    }
}

/// Which of the database's files `path` names, whatever its spelling.
fn database_file(path: &Path, database: &Path) -> Option<PathBuf> {
    COMPANIONS
        .iter()
        .map(|suffix| {
            let mut file = database.as_os_str().to_owned();
            file.push(suffix);
            PathBuf::from(file)
        })
        .find(|file| same_file(path, file))
}

/// Whether two paths name one file: the same device and inode when both exist (which catches a
/// hard link too), else the same canonical path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    if let (Ok(a), Ok(b)) = (fs::metadata(a), fs::metadata(b)) {
        use std::os::unix::fs::MetadataExt;
        return (a.dev(), a.ino()) == (b.dev(), b.ino());
    }
    canonical(a).is_some_and(|a| canonical(b) == Some(a))
}

/// The absolute path with every link resolved, for a file that may not exist yet.
fn canonical(path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok().or_else(|| {
        Some(
            fs::canonicalize(directory(path))
                .ok()?
                .join(path.file_name()?),
        )
    })
}

/// The directory holding `path` (`.` for a bare file name).
fn directory(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}
