//! What a new password must be: long enough, not too long to hash, not a well-known password,
//! not the person's own email or name. Every refusal is a French sentence.

use secrecy::{ExposeSecret, SecretString};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// Among the most used passwords (public breach lists), and obvious local variants.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "azertyuiopqs",
    "azertyuiop123",
    "qwertyuiop123",
    "motdepasse123",
    "motdepasse1234",
    "motdepassesecret",
    "password1234",
    "password12345",
    "passwordpassword",
    "iloveyou1234",
    "jetaime123456",
    "soleil123456",
    "bonjour123456",
    "marseille1234",
    "liverpool1234",
    "chocolat1234",
    "doudou123456",
    "princesse1234",
    "betagouvfr123",
    "beta.gouv.fr1",
    "certification",
    "certification1",
    "certif123456",
    "intrapreneur1",
    "startupdetat1",
    "administrateur",
    "administrator1",
    "admin1234567",
    "welcome12345",
    "bienvenue1234",
    "changeme1234",
    "changezmoi123",
    "000000000000",
    "111111111111",
    "aaaaaaaaaaaa",
    "qwertyqwerty",
    "azertyazerty",
    "abcdefghijkl",
    "abc123abc123",
    "letmein12345",
    "football1234",
    "sunshine1234",
    "trustno11234",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("le mot de passe doit compter au moins {MIN_LENGTH} caractères")]
    TooShort,
    #[error("le mot de passe ne peut dépasser {MAX_LENGTH} caractères")]
    TooLong,
    #[error("ce mot de passe est trop courant : choisissez-en un autre")]
    Common,
    #[error("le mot de passe ne doit pas reprendre votre adresse électronique ou votre nom")]
    Personal,
}

/// Checks a password someone is choosing; `personal` holds their email and name.
pub fn check_new_password(
    password: &SecretString,
    personal: &[&str],
) -> Result<(), PasswordPolicyError> {
    let password = password.expose_secret();
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordPolicyError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordPolicyError::TooLong);
    }
    let folded: String = password
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let distinct = {
        let mut chars: Vec<char> = folded.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    if distinct <= 3 || COMMON.iter().any(|common| folded == *common) {
        return Err(PasswordPolicyError::Common);
    }
    let is_personal = personal.iter().flat_map(|text| {
        let text = text.to_lowercase();
        let local = text.split('@').next().unwrap_or_default().to_owned();
        [text, local]
    });
    for part in is_personal {
        let part: String = part.chars().filter(|c| !c.is_whitespace()).collect();
        if part.chars().count() >= 4 && folded.contains(&part) {
            return Err(PasswordPolicyError::Personal);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(password: &str) -> Result<(), PasswordPolicyError> {
        check_new_password(
            &SecretString::from(password),
            &["camille.martin@beta.gouv.fr", "Camille Martin"],
        )
    }

    #[test]
    fn accepts_a_long_unusual_passphrase() {
        assert_eq!(check("le jury siège mardi à dix heures"), Ok(()));
    }

    #[test]
    fn refuses_short_long_common_repetitive_and_personal_passwords() {
        assert_eq!(check("court"), Err(PasswordPolicyError::TooShort));
        assert_eq!(check(&"x1".repeat(65)), Err(PasswordPolicyError::TooLong));
        assert_eq!(check("MotDePasse123"), Err(PasswordPolicyError::Common));
        assert_eq!(check("abababababab"), Err(PasswordPolicyError::Common));
        assert_eq!(
            check("camille.martin2026!"),
            Err(PasswordPolicyError::Personal)
        );
        assert_eq!(
            check("xx CamilleMartin xx"),
            Err(PasswordPolicyError::Personal)
        );
    }

    #[test]
    fn messages_are_french() {
        assert_eq!(
            check("court").unwrap_err().to_string(),
            "le mot de passe doit compter au moins 12 caractères"
        );
    }
}
