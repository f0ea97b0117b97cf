//! Stable fingerprints of diagnostics, for the CI platforms that track a problem across
//! commits: SARIF `partialFingerprints` (GitHub code scanning) and the GitLab Code Quality
//! `fingerprint`.
//!
//! A fingerprint hashes what identifies a problem, not where it happens to sit: the
//! repository-relative path, the code, the JSON pointer and the message (which never holds a
//! secret), never line numbers or byte offsets. An edit elsewhere in the file moves the
//! problem's line but keeps its fingerprint; fixing it or changing the offending value
//! gives a new one. Diagnostics that share all four (a copy of the same problem) are told
//! apart by their occurrence number in the file, as GitHub's own `primaryLocationLineHash`
//! does. The hash is FNV-1a, spelt out here, so that it cannot change with the Rust
//! release or a dependency: a fingerprint that changed between versions would close every
//! open alert and open it again.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;

/// The SARIF `partialFingerprints` key; the version changes if the recipe ever does.
pub(crate) const SARIF_KEY: &str = "connlint/v1";

/// FNV-1a, 64 bits: the offset basis and prime of the published algorithm.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Fingerprints for the diagnostics of one file, in the order they are given.
///
/// `path` is the repository-relative path the formats print ([`super::repo_path`]).
pub(crate) struct Fingerprints {
    path: String,
    seen: HashMap<u64, usize>,
}

impl Fingerprints {
    /// A fingerprinter for the file at `path`.
    pub(crate) fn new(path: &str) -> Self {
        Self {
            path: path.to_string(),
            seen: HashMap::new(),
        }
    }

    /// The path it fingerprints for.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The fingerprint of the next diagnostic of the file: 16 hex digits of the hash of
    /// its identity, `:` and its occurrence number among the file's identical ones.
    pub(crate) fn next(&mut self, diagnostic: &Diagnostic) -> String {
        // NUL separates the fields: none of them can hold one unescaped in a way that makes
        // two different tuples hash the same text (a pointer or message with a NUL would
        // need the same NUL in the same place of the other field).
        let mut key = Vec::with_capacity(self.path.len() + diagnostic.message.len() + 48);
        for field in [
            self.path.as_str(),
            diagnostic.code.as_ref(),
            diagnostic.pointer.as_deref().unwrap_or("\u{1}none"),
            diagnostic.message.as_str(),
        ] {
            key.extend_from_slice(field.as_bytes());
            key.push(0);
        }
        let hash = fnv1a(&key);
        let occurrence = self.seen.entry(hash).or_insert(0);
        *occurrence += 1;
        format!("{hash:016x}:{occurrence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    fn at(line: usize, pointer: &str, message: &str) -> Diagnostic {
        let mut d = Diagnostic::whole_file("schema::type", message);
        d.pointer = Some(pointer.into());
        d.start = Some(Position { line, column: 3 });
        d
    }

    #[test]
    fn a_moved_problem_keeps_its_fingerprint_and_a_different_one_does_not() {
        let before = Fingerprints::new("a.json").next(&at(3, "/auth/x", "bad"));
        let moved = Fingerprints::new("a.json").next(&at(40, "/auth/x", "bad"));
        assert_eq!(before, moved);
        assert_eq!(before.len(), 18, "{before}");
        assert!(before.ends_with(":1"));
        for other in [
            Fingerprints::new("b.json").next(&at(3, "/auth/x", "bad")),
            Fingerprints::new("a.json").next(&at(3, "/auth/y", "bad")),
            Fingerprints::new("a.json").next(&at(3, "/auth/x", "worse")),
        ] {
            assert_ne!(before, other);
        }
        let mut io = Diagnostic::whole_file("io::not-found", "bad");
        io.pointer = None;
        assert_ne!(Fingerprints::new("a.json").next(&io), before);
    }

    #[test]
    fn identical_problems_are_numbered() {
        let mut prints = Fingerprints::new("a.json");
        let first = prints.next(&at(1, "", "missing required property `x`"));
        let other = prints.next(&at(1, "", "missing required property `y`"));
        let second = prints.next(&at(9, "", "missing required property `x`"));
        assert!(
            first.ends_with(":1") && other.ends_with(":1"),
            "{first} {other}"
        );
        assert_eq!(second, format!("{}:2", &first[..16]));
    }
}
