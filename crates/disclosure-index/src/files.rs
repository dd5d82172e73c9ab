//! The operator's files and folders: one error that names the path (`path: reason`), for
//! reading and writing alike.

use std::io;
use std::path::{Path, PathBuf};

/// A file or folder that could not be read, listed, created or written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {error}", path.display())]
pub struct FileError {
    /// The file or folder as the command was given or made it.
    pub path: PathBuf,
    /// What the operating system said.
    pub error: io::Error,
}

impl FileError {
    /// Makes the error of `path` from an I/O error: `fs::read(p).map_err(FileError::of(p))`.
    pub fn of(path: &Path) -> impl FnOnce(io::Error) -> FileError + '_ {
        move |error| FileError {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// Writes `bytes` to `path`, replacing what was there.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    std::fs::write(path, bytes).map_err(FileError::of(path))
}
