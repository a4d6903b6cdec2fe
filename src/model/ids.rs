//! Stable identifiers. An id never changes when the thing it names is renamed or moved.
//!
//! Ids are also used as file names (transcripts, coders, memos), so every id is checked on
//! load: lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit, at
//! most 64 chars. That rules out `..`, `/`, absolute paths and surprises on case-insensitive
//! file systems.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

pub const MAX_ID_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid id {0:?}: use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit"
)]
pub struct InvalidId(pub String);

/// True if `s` is a well-formed id.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_LEN
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Turns any name into a valid id: lowercased, runs of other characters become `-`.
/// Returns `None` when nothing usable remains (a name of only punctuation, say).
pub fn slugify(name: &str) -> Option<String> {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug
        .trim_end_matches('-')
        .chars()
        .take(MAX_ID_LEN)
        .collect();
    let slug = slug.trim_end_matches('-').to_string();
    is_valid_id(&slug).then_some(slug)
}

/// Candidate ids made from a (valid) base: `base`, then `base-2`, `base-3`... with the base
/// shortened where needed so that every candidate fits [`MAX_ID_LEN`]. Finite, so that a
/// search for a free one always ends.
pub fn numbered(base: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::once(base.to_string()).chain((2..100_000u32).map(move |n| {
        let suffix = format!("-{n}");
        let room = MAX_ID_LEN.saturating_sub(suffix.len());
        // Ids are ASCII, so cutting at any byte is a char boundary.
        let stem = base.get(..room.min(base.len())).unwrap_or(base);
        format!("{}{suffix}", stem.trim_end_matches('-'))
    }))
}

/// A GUID made of `bytes`, its first six bytes replaced by an id's 12 hex digits (`c-`,
/// `s-`, `m-` and the like): a REFI-QDA import reads the id back from the GUID. An id that
/// does not end in 12 hex digits leaves the bytes as they are.
pub fn guid_with_id(mut bytes: [u8; 16], id: &str) -> uuid::Uuid {
    let hex = id
        .get(2..)
        .filter(|h| h.len() == 12 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    if let Some(hex) = hex {
        for (i, byte) in bytes.iter_mut().take(6).enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(*byte);
        }
    }
    uuid::Uuid::from_bytes(bytes)
}

/// A fresh random id with a one-letter kind prefix, such as `c-3f9a2b1c04d2`.
/// 48 random bits: callers still check for a clash with ids already in use.
pub fn random_id(prefix: char) -> String {
    let bits = uuid::Uuid::new_v4().as_u128();
    format!("{prefix}-{:012x}", bits & 0xffff_ffff_ffff)
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Result<Self, InvalidId> {
                let s = s.into();
                if is_valid_id(&s) { Ok(Self(s)) } else { Err(InvalidId(s)) }
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::new(s).map_err(serde::de::Error::custom)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Self::new(s)
            }
        }
    };
}

id_type!(
    /// A code, sub-theme or theme in the codebook.
    CodeId
);
id_type!(
    /// A transcript; also its file stem under `transcripts/`.
    TranscriptId
);
id_type!(
    /// A coder; also the folder name under `codings/` and `memos/`.
    CoderId
);
id_type!(
    /// A coded segment, unique within one coder's coding of one transcript.
    SegmentId
);
id_type!(
    /// A memo; also its file stem under `memos/<coder>/`.
    MemoId
);

impl CodeId {
    pub fn random() -> Self {
        Self(random_id('c'))
    }
}
impl SegmentId {
    pub fn random() -> Self {
        Self(random_id('s'))
    }
}
impl MemoId {
    pub fn random() -> Self {
        Self(random_id('m'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_path_like_ids() {
        for bad in ["", "..", "../x", "/etc", "a/b", "A", "-x", "a b", "é"] {
            assert!(TranscriptId::new(bad).is_err(), "{bad:?} accepted");
        }
        assert!(TranscriptId::new("p01").is_ok());
        assert!(TranscriptId::new("x".repeat(65)).is_err());
    }

    #[test]
    fn slugify_names() {
        assert_eq!(
            slugify("Interview 03 (Café).docx").as_deref(),
            Some("interview-03-caf-docx")
        );
        assert_eq!(slugify("Alex Morgan").as_deref(), Some("alex-morgan"));
        assert_eq!(slugify("!!!"), None);
        let long = "a".repeat(MAX_ID_LEN);
        let second = numbered(&long).nth(1).unwrap();
        assert!(is_valid_id(&second) && second.ends_with("-2"), "{second}");
        assert_eq!(
            numbered("p").take(3).collect::<Vec<_>>(),
            ["p", "p-2", "p-3"]
        );
        assert_eq!(slugify("医生"), None);
    }

    #[test]
    fn random_ids_are_valid_and_prefixed() {
        let id = CodeId::random();
        assert!(id.as_str().starts_with("c-"));
        assert_eq!(id.as_str().len(), 14);
        assert_ne!(CodeId::random(), CodeId::random());
    }
}
