//! The content-addressed file store: each file is written once, under its SHA-256, at
//! `<files dir>/<first two hex digits>/<sha256>`, and read back by that hash.
//!
//! A file is first written to a temporary file in `<files dir>/tmp/` (the same file system, so
//! the final rename is atomic) while it is hashed, flushed to disk, and only renamed into place
//! when the caller persists it; a staged file that is dropped instead leaves nothing behind.

pub mod sniff;

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// A SHA-256 in lower-case hex: the only names the store reads or writes, so a value from the
/// database can never point outside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(String);

impl ContentHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ContentHash {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if value.len() == 64
            && value
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
        {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!("not a lower-case hex SHA-256: {value:?}"))
        }
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The store rooted at a directory (`CERTIF_DATA_DIR/files` by default).
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file of this hash lives.
    pub fn path_of(&self, hash: &ContentHash) -> PathBuf {
        self.root.join(&hash.0[..2]).join(&hash.0)
    }

    /// Writes `content` to a temporary file while hashing it, and flushes it to disk. Nothing
    /// is visible under its hash until [`StagedFile::persist`].
    pub fn stage(&self, content: &[u8]) -> io::Result<StagedFile> {
        let tmp_dir = self.root.join("tmp");
        fs::create_dir_all(&tmp_dir)?;
        let temp = tmp_dir.join(format!("{}.part", uuid::Uuid::new_v4()));
        let mut staged = StagedFile {
            temp: Some(temp.clone()),
            hash: ContentHash(String::new()),
            size: content.len() as u64,
            destination: PathBuf::new(),
        };
        let mut file = File::create_new(&temp)?;
        let mut hasher = Sha256::new();
        for chunk in content.chunks(64 * 1024) {
            hasher.update(chunk);
            file.write_all(chunk)?;
        }
        file.sync_all()?;
        let hash = ContentHash(
            hasher
                .finalize()
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect(),
        );
        staged.destination = self.path_of(&hash);
        staged.hash = hash;
        Ok(staged)
    }

    /// The bytes stored under `hash`.
    pub fn read(&self, hash: &ContentHash) -> io::Result<Vec<u8>> {
        fs::read(self.path_of(hash))
    }

    pub fn contains(&self, hash: &ContentHash) -> bool {
        self.path_of(hash).is_file()
    }
}

/// A file written and flushed to a temporary name; removed when dropped unless persisted.
#[derive(Debug)]
pub struct StagedFile {
    temp: Option<PathBuf>,
    hash: ContentHash,
    size: u64,
    destination: PathBuf,
}

impl StagedFile {
    pub fn hash(&self) -> &ContentHash {
        &self.hash
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Moves the file under its hash (atomically), unless the same content is already there,
    /// and makes the rename durable.
    pub fn persist(mut self) -> io::Result<()> {
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        if self.destination.is_file() {
            // Same hash, same bytes: stored once.
            return fs::remove_file(&temp);
        }
        let result = (|| {
            let folder = self.destination.parent().unwrap_or(Path::new("."));
            fs::create_dir_all(folder)?;
            fs::rename(&temp, &self.destination)?;
            File::open(folder)?.sync_all()
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        std::env::temp_dir().join(format!("certif-store-{}", uuid::Uuid::new_v4()))
    }

    fn files_under(root: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut folders = vec![root.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    found.push(path);
                }
            }
        }
        found
    }

    #[test]
    fn a_file_is_stored_once_under_its_hash_and_read_back() {
        let root = scratch();
        let store = FileStore::new(&root);
        let staged = store.stage(b"compte rendu").unwrap();
        let hash = staged.hash().clone();
        assert_eq!(
            hash.as_str(),
            "dca77045de4be2de75a95390f919f64c2f77737ba680f941b72ea823fd345e12"
        );
        assert!(!store.contains(&hash), "not visible before persist");
        staged.persist().unwrap();
        store.stage(b"compte rendu").unwrap().persist().unwrap();
        assert_eq!(store.read(&hash).unwrap(), b"compte rendu");
        let files = files_under(&root);
        assert_eq!(
            files,
            vec![root.join(&hash.as_str()[..2]).join(hash.as_str())]
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_staged_file_that_is_dropped_leaves_nothing() {
        let root = scratch();
        let store = FileStore::new(&root);
        let staged = store.stage(b"brouillon").unwrap();
        assert_eq!(files_under(&root).len(), 1, "the temporary file");
        drop(staged);
        assert!(files_under(&root).is_empty());
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn only_hex_hashes_name_files() {
        assert!("../../etc/passwd".parse::<ContentHash>().is_err());
        assert!("A".repeat(64).parse::<ContentHash>().is_err());
        assert!("a".repeat(64).parse::<ContentHash>().is_ok());
    }
}
