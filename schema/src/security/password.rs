//! Password hashing with Argon2id (m = 19 MiB, t = 2, p = 1, per-hash salt: OWASP's minimum).
//! Hashing is CPU-bound: it runs on the blocking thread pool, at most `concurrency` at a time,
//! so a storm of logins queues here instead of starving the async workers.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// Memory cost in KiB (19 MiB), iterations and lanes.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("the password hashing task stopped: {0}")]
    Task(String),
}

/// Hashes and verifies passwords, a bounded number at a time.
#[derive(Clone, Debug)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified when the account does not exist, so that the answer takes the same time.
    decoy_hash: Arc<String>,
}

fn argon2() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|error| PasswordError::Hashing(error.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|error| PasswordError::Hashing(error.to_string()))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|error| PasswordError::Hashing(error.to_string()))?;
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError::Hashing(error.to_string()))
}

fn verify_blocking(password: &str, hash: &str) -> Result<bool, PasswordError> {
    let parsed =
        PasswordHash::new(hash).map_err(|error| PasswordError::Hashing(error.to_string()))?;
    // The parameters come from the stored hash, so older hashes keep verifying.
    match argon2()?.verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(error) => Err(PasswordError::Hashing(error.to_string())),
    }
}

/// The hash verified for unknown accounts: computed once per process (each hasher of a
/// process, as in the tests, shares it).
fn decoy_hash() -> Result<Arc<String>, PasswordError> {
    static DECOY: std::sync::OnceLock<Arc<String>> = std::sync::OnceLock::new();
    if let Some(hash) = DECOY.get() {
        return Ok(hash.clone());
    }
    let hash = Arc::new(hash_blocking("certif decoy password")?);
    Ok(DECOY.get_or_init(|| hash).clone())
}

impl PasswordHasher {
    /// A hasher running at most `concurrency` hashes at once (at least one).
    pub fn new(concurrency: usize) -> Result<Self, PasswordError> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            decoy_hash: decoy_hash()?,
        })
    }

    /// The default bound: half the machine's cores, at least one, so reads keep a core.
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism().map_or(1, |cores| (cores.get() / 2).max(1))
    }

    pub async fn hash(&self, password: &SecretString) -> Result<String, PasswordError> {
        let password = password.expose_secret().to_owned();
        self.run(move || hash_blocking(&password)).await
    }

    /// Whether `password` matches `hash`. With no hash (unknown account, or an account without
    /// a password yet) a decoy is verified so that the answer takes as long, and is `false`.
    pub async fn verify(
        &self,
        password: &SecretString,
        hash: Option<&str>,
    ) -> Result<bool, PasswordError> {
        let password = password.expose_secret().to_owned();
        let (hash, real) = match hash {
            Some(hash) => (hash.to_owned(), true),
            None => (self.decoy_hash.as_str().to_owned(), false),
        };
        let matches = self.run(move || verify_blocking(&password, &hash)).await?;
        Ok(matches && real)
    }

    async fn run<T, F>(&self, work: F) -> Result<T, PasswordError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, PasswordError> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|error| PasswordError::Task(error.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|error| PasswordError::Task(error.to_string()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_cost_and_a_salt_each() {
        let hasher = PasswordHasher::new(1).unwrap();
        let password = SecretString::from("une phrase de passe solide");
        let first = hasher.hash(&password).await.unwrap();
        let second = hasher.hash(&password).await.unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "a salt per hash");
        assert!(hasher.verify(&password, Some(&first)).await.unwrap());
        assert!(
            !hasher
                .verify(&SecretString::from("autre chose"), Some(&first))
                .await
                .unwrap()
        );
        assert!(
            !hasher.verify(&password, None).await.unwrap(),
            "no hash never matches"
        );
    }
}
