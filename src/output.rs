//! Files written whole or not at all: `--output` and `--write-baseline`.
//!
//! A report is written to a temporary file beside its target and renamed over the target only
//! once it is complete, so that a failure (a full disk, a target that is a folder, an
//! interrupted run) leaves the previous report as it was, and a reader never sees half of one.
//! The rename stays within one folder, so one file system: it is atomic.

use std::fs::Permissions;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use tempfile::NamedTempFile;

/// Writes `path` with what `write` writes, atomically. On any error the target is untouched
/// and the temporary file removed.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    if let Some(permissions) = permissions_for(path) {
        builder.permissions(permissions);
    }
    let temporary = builder.tempfile_in(folder)?;
    let mut out = BufWriter::new(temporary);
    write(&mut out)?;
    let temporary: NamedTempFile = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// The permissions of the file replaced, or those `File::create` gives a new one (the umask
/// applies), rather than the temporary file's own 0600.
fn permissions_for(path: &Path) -> Option<Permissions> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => Some(metadata.permissions()),
        _ => new_file_permissions(),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(0o666))
}

/// Elsewhere a new file's permissions are the temporary file's, which are a new file's.
#[cfg(not(unix))]
fn new_file_permissions() -> Option<Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failure_while_writing_leaves_the_old_file_and_no_temporary() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("report.txt");
        std::fs::write(&target, "old report\n").unwrap();
        let error = write_atomically(&target, |out| {
            out.write_all(&[b'x'; 100_000])?;
            Err(io::Error::other("the disk is full"))
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "the disk is full");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old report\n");
        assert_eq!(entries(folder.path()), ["report.txt"]);
    }

    #[test]
    fn a_complete_write_replaces_the_file_and_keeps_its_permissions() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("report.txt");
        std::fs::write(&target, "old report, longer than the new one\n").unwrap();
        let mut permissions = std::fs::metadata(&target).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&target, permissions.clone()).unwrap();
        write_atomically(&target, |out| out.write_all(b"new\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
        assert_eq!(std::fs::metadata(&target).unwrap().permissions(), permissions);
        assert_eq!(entries(folder.path()), ["report.txt"]);
    }

    #[test]
    fn a_target_that_is_a_folder_stays_one() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("reports");
        std::fs::create_dir(&target).unwrap();
        assert!(write_atomically(&target, |out| out.write_all(b"report\n")).is_err());
        assert!(target.is_dir());
        assert_eq!(entries(folder.path()), ["reports"]);
    }
}
