//! Secrets: password hashing (Argon2id, off the async runtime, bounded) and the random tokens
//! handed out in links and cookies (stored only as SHA-256).

pub mod password;
pub mod token;

pub use password::{PasswordError, PasswordHasher};
pub use token::TokenSecret;
