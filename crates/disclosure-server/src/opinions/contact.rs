//! Phone numbers and e-mail addresses at rest: sealed with ChaCha20-Poly1305 under a key
//! from the environment, so a copy of the database alone reveals no contact.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Why a key could not be read or a contact sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    #[error("the contact key must be 64 hexadecimal digits (32 bytes)")]
    KeyFormat,
    #[error("no randomness: {0}")]
    Randomness(getrandom::Error),
    #[error("cannot seal a contact")]
    Seal,
    #[error("a sealed contact is damaged or does not open with this key")]
    Open,
    #[error("a contact cannot be written or read as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The contact fields of one opinion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none()
    }
}

/// The server's secret key: seals contacts and derives the secrets given with receipts.
#[derive(Clone)]
pub struct ContactKey {
    key: [u8; 32],
}

const NONCE_BYTES: usize = 12;

impl ContactKey {
    /// Reads a key written as 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Result<ContactKey, ContactError> {
        let bytes = hex::decode(text.trim()).map_err(|_| ContactError::KeyFormat)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| ContactError::KeyFormat)?;
        Ok(ContactKey { key })
    }

    /// A new random key, as 64 hexadecimal digits.
    pub fn generate_hex() -> Result<String, ContactError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(ContactError::Randomness)?;
        Ok(hex::encode(key))
    }

    /// Seals a contact: hex of a fresh 12-byte nonce and the ciphertext.
    pub fn seal(&self, contact: &Contact) -> Result<String, ContactError> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(ContactError::Randomness)?;
        let plain = serde_json::to_vec(contact)?;
        let sealed = self
            .cipher()
            .encrypt(Nonce::from_slice(&nonce), plain.as_slice())
            .map_err(|_| ContactError::Seal)?;
        Ok(format!("{}{}", hex::encode(nonce), hex::encode(sealed)))
    }

    /// Opens what [`ContactKey::seal`] made.
    pub fn open(&self, sealed: &str) -> Result<Contact, ContactError> {
        let bytes = hex::decode(sealed).map_err(|_| ContactError::Open)?;
        if bytes.len() < NONCE_BYTES {
            return Err(ContactError::Open);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .cipher()
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| ContactError::Open)?;
        Ok(serde_json::from_slice(&plain)?)
    }

    /// The secret given with a receipt, derived from the client's idempotency key, so that
    /// a retry receives the same secret without the server storing it.
    pub fn receipt_secret(&self, idempotency_key: &str) -> String {
        let digest = Sha256::new()
            .chain_update(self.key)
            .chain_update(b"receipt-secret")
            .chain_update(idempotency_key.as_bytes())
            .finalize();
        hex::encode(&digest[..8])
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(Key::from_slice(&self.key))
    }
}

/// SHA-256 in hex, for content and secret hashes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_contact_opens_only_with_its_key_and_hides_the_number() {
        let key = ContactKey::from_hex(&ContactKey::generate_hex().unwrap()).unwrap();
        let contact = Contact {
            phone: Some("13800001234".into()),
            email: Some("citizen@example.com".into()),
        };
        let sealed = key.seal(&contact).unwrap();
        assert!(!sealed.contains("13800001234") && !sealed.contains(&hex::encode("13800001234")));
        assert_eq!(key.open(&sealed).unwrap(), contact);
        let other = ContactKey::from_hex(&ContactKey::generate_hex().unwrap()).unwrap();
        assert!(other.open(&sealed).is_err());
        assert_ne!(
            key.seal(&contact).unwrap(),
            sealed,
            "a fresh nonce each time"
        );
        assert!(ContactKey::from_hex("abc").is_err());
        assert_eq!(key.receipt_secret("k1"), key.receipt_secret("k1"));
        assert_ne!(key.receipt_secret("k1"), key.receipt_secret("k2"));
    }
}
