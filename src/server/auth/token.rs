//! Secret tokens: 32 random bytes from the OS, base64url in links and cookies.
//! Only a keyed hash (HMAC-SHA256 with the server secret) is ever stored.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;

/// A new random token, base64url without padding (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The keyed hash stored in place of `token`. Lookups compare these hashes in
/// the database; a hash leaks nothing usable without the server secret.
pub fn keyed_hash(secret: &[u8], token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(token.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_url_safe() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn hash_depends_on_the_secret() {
        let t = random_token();
        assert_eq!(keyed_hash(b"one", &t), keyed_hash(b"one", &t));
        assert_ne!(keyed_hash(b"one", &t), keyed_hash(b"two", &t));
        assert_ne!(keyed_hash(b"one", &t), t);
    }
}
