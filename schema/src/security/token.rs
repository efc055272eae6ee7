//! Random tokens: 256 bits from the operating system's generator, shown as 64 hex digits,
//! stored only as their SHA-256. Lookups go through the hash (an index probe), so the secret
//! itself is never compared.

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// Number of random bytes in a token (256 bits, above the 128 required).
const TOKEN_BYTES: usize = 32;

/// A token as given to a person (in a link, a cookie, a header).
#[derive(Debug, Clone)]
pub struct TokenSecret(SecretString);

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random generator failed: {0}")]
pub struct RandomError(String);

impl TokenSecret {
    /// A new token from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, RandomError> {
        let mut bytes = [0_u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|error| RandomError(error.to_string()))?;
        Ok(Self(SecretString::from(hex(&bytes))))
    }

    /// Reads a token received from a client; `None` unless it has the shape of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (raw.len() == TOKEN_BYTES * 2
            && raw
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| Self(SecretString::from(raw.to_owned())))
    }

    /// The value to hand out. Never log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// What the database stores and looks up.
    pub fn sha256(&self) -> Vec<u8> {
        Sha256::digest(self.0.expose_secret().as_bytes()).to_vec()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_parse_back() {
        let first = TokenSecret::generate().unwrap();
        let second = TokenSecret::generate().unwrap();
        assert_eq!(first.expose().len(), 64);
        assert_ne!(first.expose(), second.expose());
        let parsed = TokenSecret::parse(first.expose()).unwrap();
        assert_eq!(parsed.sha256(), first.sha256());
        assert_eq!(first.sha256().len(), 32);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for raw in [
            "",
            "abc",
            &"g".repeat(64),
            &"A".repeat(64),
            &"a".repeat(63),
            &"a".repeat(65),
        ] {
            assert!(TokenSecret::parse(raw).is_none(), "{raw:?}");
        }
    }
}
