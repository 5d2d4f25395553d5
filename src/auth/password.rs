//! argon2id hashing with OWASP parameters (m = 19 MiB, t = 2, p = 1), run on the blocking pool
//! so a burst of sign-ins never stalls the async runtime serving other pages.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult};

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with its own random salt.
/// The password hash of an account whose person has not chosen a password yet (invited): no
/// password verifies against it (it is not a hash at all), so it cannot be signed in to.
pub const NOT_CHOSEN: &str = "!not-chosen";

pub async fn hash(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::fill(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| AppError::internal("argon2 task", e))?
    .map_err(|e| AppError::internal("argon2 hash", e))
}

/// Whether `password` matches `phc`. A malformed stored hash counts as no match.
pub async fn verify(phc: String, password: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| AppError::internal("argon2 task", e))
}

/// A real hash of a random password, verified against when the account does not exist, so
/// a sign-in for an unknown name costs the same time as one for a known name.
pub async fn decoy_hash() -> &'static str {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_init(|| async {
            let mut bytes = [0u8; 24];
            rand::fill(&mut bytes);
            hash(format!("{bytes:?}")).await.unwrap_or_default()
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_carry_owasp_parameters() {
        let h = hash("correct horse battery staple".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify(h.clone(), "correct horse battery staple".into())
                .await
                .unwrap()
        );
        assert!(!verify(h.clone(), "wrong".into()).await.unwrap());
        let again = hash("correct horse battery staple".into()).await.unwrap();
        assert_ne!(h, again, "each hash has its own salt");
        assert!(!verify("not a phc string".into(), "x".into()).await.unwrap());
    }
}
