//! Where documents' bytes are kept, through the `object_store` crate: a
//! folder under the data directory by default, or an S3-compatible bucket
//! (`STORAGE_URL=s3://bucket/prefix`). Files are written as they arrive
//! (a multipart upload), counted on the way, and thrown away whole if they
//! grow past their cap or the sender stops: a file is stored complete or
//! not at all.

use std::sync::Arc;

use futures::stream::BoxStream;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};

use crate::server::config::{ConfigError, StorageSettings};

/// Multipart parts written at the same time.
const CONCURRENT_PARTS: usize = 2;

/// The documents' store.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Where under the store the keys go (a bucket's prefix).
    root: Path,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({} at {})", self.store, self.root)
    }
}

/// Why a file could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The file grew past its cap (bytes) while it arrived; nothing is kept.
    #[error("the file is larger than {0} bytes")]
    TooLarge(u64),
    /// The sender stopped before the end; nothing is kept.
    #[error("the upload was cut short: {0}")]
    CutShort(String),
    /// The store failed.
    #[error("storage: {0}")]
    Store(#[from] object_store::Error),
}

/// A file stored whole: its key and size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub size: u64,
}

impl Storage {
    /// Opens the store `settings` name, or the folder `<data_dir>/files`
    /// (created, readable by the server's user only) when none is named.
    ///
    /// Errors: STORAGE_URL names no store that can be opened.
    pub fn open(
        settings: &StorageSettings,
        data_dir: &std::path::Path,
    ) -> Result<Storage, ConfigError> {
        let bad = |message: String| ConfigError {
            setting: "STORAGE_URL",
            message,
        };
        match &settings.url {
            None => {
                let folder = data_dir.join("files");
                create_private_dir(&folder)
                    .map_err(|e| bad(format!("cannot create {}: {e}", folder.display())))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&folder)
                    .map_err(|e| bad(e.to_string()))?;
                Ok(Storage {
                    store: Arc::new(store),
                    root: Path::default(),
                })
            }
            Some(url) => {
                if url.scheme() == "file" {
                    let folder = url
                        .to_file_path()
                        .map_err(|()| bad("not a folder path".into()))?;
                    create_private_dir(&folder)
                        .map_err(|e| bad(format!("cannot create {}: {e}", folder.display())))?;
                }
                let (store, root) =
                    object_store::parse_url_opts(url, settings.options.iter().cloned())
                        .map_err(|e| bad(e.to_string()))?;
                Ok(Storage {
                    store: Arc::from(store),
                    root,
                })
            }
        }
    }

    /// The full path of `key`.
    fn path(&self, key: &str) -> Path {
        key.split('/')
            .fold(self.root.clone(), |path, part| path.join(part))
    }

    /// Stores the chunks of `body` under `key` as they arrive, at most `cap`
    /// bytes. Past the cap, or when `body` fails, the upload is aborted and
    /// nothing stays in the store.
    ///
    /// Errors: [`StorageError::TooLarge`], [`StorageError::CutShort`], or the
    /// store's own.
    pub async fn put_capped<S, E>(
        &self,
        key: &str,
        mut body: S,
        cap: u64,
    ) -> Result<Stored, StorageError>
    where
        S: futures::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        use futures::StreamExt;

        let upload = self.store.put_multipart(&self.path(key)).await?;
        let mut writer = WriteMultipart::new(upload);
        let mut size: u64 = 0;
        let failure = loop {
            match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(StorageError::CutShort(e.to_string())),
                Some(Ok(chunk)) => {
                    size += chunk.len() as u64;
                    if size > cap {
                        break Some(StorageError::TooLarge(cap));
                    }
                    if let Err(e) = writer.wait_for_capacity(CONCURRENT_PARTS).await {
                        break Some(StorageError::Store(e));
                    }
                    writer.put(chunk);
                }
            }
        };
        match failure {
            None => {
                writer.finish().await?;
                Ok(Stored {
                    key: key.to_owned(),
                    size,
                })
            }
            Some(e) => {
                if let Err(abort) = writer.abort().await {
                    tracing::warn!(error = %abort, key, "an abandoned upload was not cleaned up");
                }
                Err(e)
            }
        }
    }

    /// The bytes stored under `key`, as a stream.
    ///
    /// Errors: the store's (not found for a key it does not hold).
    pub async fn get(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, Result<bytes::Bytes, object_store::Error>>, StorageError> {
        Ok(self.store.get(&self.path(key)).await?.into_stream())
    }

    /// Removes what is stored under `key` (nothing for a key it does not
    /// hold).
    ///
    /// Errors: the store's.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Creates `dir` (and its parents) readable by its owner only (mode 0700),
/// when it does not exist yet.
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(
        sizes: &[usize],
    ) -> impl futures::Stream<Item = Result<bytes::Bytes, String>> + Unpin {
        let owned: Vec<Result<bytes::Bytes, String>> = sizes
            .iter()
            .map(|n| Ok(bytes::Bytes::from(vec![b'x'; *n])))
            .collect();
        futures::stream::iter(owned)
    }

    fn files_in(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            files_in(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn a_file_is_stored_whole_or_not_at_all() {
        let data = tempfile::tempdir().unwrap();
        let storage = Storage::open(&StorageSettings::default(), data.path()).unwrap();
        let stored = storage
            .put_capped("a/one", chunks(&[1000, 24]), 1024)
            .await
            .unwrap();
        assert_eq!(stored.size, 1024);
        let mut read = Vec::new();
        let mut stream = storage.get("a/one").await.unwrap();
        while let Some(chunk) = futures::StreamExt::next(&mut stream).await {
            read.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(read.len(), 1024);

        // One byte over: refused while it arrives, and nothing is left.
        let over = storage
            .put_capped("a/two", chunks(&[1000, 25, 5000]), 1024)
            .await;
        assert!(
            matches!(over, Err(StorageError::TooLarge(1024))),
            "{over:?}"
        );
        // Cut short by the sender: nothing is left either.
        let cut = storage
            .put_capped(
                "a/three",
                futures::stream::iter(vec![
                    Ok(bytes::Bytes::from_static(b"start")),
                    Err("connection reset".to_owned()),
                ]),
                1024,
            )
            .await;
        assert!(matches!(cut, Err(StorageError::CutShort(_))), "{cut:?}");
        assert_eq!(files_in(&data.path().join("files")), 1);

        storage.delete("a/one").await.unwrap();
        storage.delete("a/one").await.unwrap();
        assert_eq!(files_in(&data.path().join("files")), 0);
    }
}
