//! Stable fingerprints of diagnostics, for the CI platforms that track a problem across
//! commits: SARIF `partialFingerprints` (GitHub code scanning) and the GitLab Code Quality
//! `fingerprint`.
//!
//! A fingerprint hashes what identifies a problem, not where it happens to sit: the
//! repository-relative path, the code, the JSON pointer with its array indices left out,
//! and the message (which never holds a secret), never line numbers, byte offsets or
//! indices. An edit elsewhere in the file moves the problem's line, or its index in a list
//! (an item added before it), but keeps its fingerprint; fixing it or changing the
//! offending value gives a new one. Diagnostics that share all four (a copy of the same
//! problem) are told apart by their occurrence number, as GitHub's own
//! `primaryLocationLineHash` does; the count runs over the whole report, so no two results
//! of one report share a fingerprint even when two files print the same path (names that
//! are not UTF-8). The hash is FNV-1a, spelt out here, so that it cannot change with the Rust
//! release or a dependency: a fingerprint that changed between versions would close every
//! open alert and open it again.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;

/// The SARIF `partialFingerprints` key; the version changes if the recipe ever does.
pub(crate) const SARIF_KEY: &str = "connlint/v2";

/// FNV-1a, 64 bits: the offset basis and prime of the published algorithm.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Fingerprints for the diagnostics of one report, in the order they are given.
#[derive(Default)]
pub(crate) struct Fingerprints {
    seen: HashMap<u64, usize>,
}

/// `pointer` without its array indices (`/0/permissions/3` → `/-/permissions/-`).
fn without_indices(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|token| {
            if crate::pointer::index_token(token).is_some() {
                "-"
            } else {
                token
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Fingerprints {
    /// A fingerprinter for one report.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The fingerprint of the next diagnostic, of the file at `path` (the
    /// repository-relative path the formats print, [`super::repo_path`]): 16 hex digits of
    /// the hash of its identity, `:` and its occurrence number among identical ones.
    pub(crate) fn next(&mut self, path: &str, diagnostic: &Diagnostic) -> String {
        // NUL separates the fields: none of them can hold one unescaped in a way that makes
        // two different tuples hash the same text (a pointer or message with a NUL would
        // need the same NUL in the same place of the other field).
        let mut key = Vec::with_capacity(path.len() + diagnostic.message.len() + 48);
        let pointer = diagnostic
            .pointer
            .as_deref()
            .map_or_else(|| "\u{1}none".to_string(), without_indices);
        for field in [
            path,
            diagnostic.code.as_ref(),
            pointer.as_str(),
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
        let before = Fingerprints::new().next("a.json", &at(3, "/auth/x", "bad"));
        let moved = Fingerprints::new().next("a.json", &at(40, "/auth/x", "bad"));
        assert_eq!(before, moved);
        assert_eq!(before.len(), 18, "{before}");
        assert!(before.ends_with(":1"));
        for other in [
            Fingerprints::new().next("b.json", &at(3, "/auth/x", "bad")),
            Fingerprints::new().next("a.json", &at(3, "/auth/y", "bad")),
            Fingerprints::new().next("a.json", &at(3, "/auth/x", "worse")),
        ] {
            assert_ne!(before, other);
        }
        let mut io = Diagnostic::whole_file("io::not-found", "bad");
        io.pointer = None;
        assert_ne!(Fingerprints::new().next("a.json", &io), before);
    }

    #[test]
    fn identical_problems_are_numbered() {
        let mut prints = Fingerprints::new();
        let first = prints.next("a.json", &at(1, "", "missing required property `x`"));
        let other = prints.next("a.json", &at(1, "", "missing required property `y`"));
        let second = prints.next("a.json", &at(9, "", "missing required property `x`"));
        assert!(
            first.ends_with(":1") && other.ends_with(":1"),
            "{first} {other}"
        );
        assert_eq!(second, format!("{}:2", &first[..16]));
    }

    /// An item added before the problem moves its index, not its identity.
    #[test]
    fn array_indices_are_not_part_of_the_identity() {
        let message = "expected one of the 310 allowed values, found the string \"x\"";
        let first = Fingerprints::new().next("a.json", &at(4, "/permissions/0", message));
        let moved = Fingerprints::new().next("a.json", &at(5, "/permissions/1", message));
        assert_eq!(first, moved);
        let key = Fingerprints::new().next("a.json", &at(4, "/permissions/x", message));
        assert_ne!(first, key);
        assert_eq!(without_indices("/0/auth/token"), "/-/auth/token");
    }

    /// Two files printed with one path (names that are not UTF-8 print lossily): the
    /// second file's problems are numbered on, not given the first file's fingerprints.
    #[test]
    fn fingerprints_are_unique_across_the_files_of_a_report() {
        let mut prints = Fingerprints::new();
        let first = prints.next("a\u{fffd}.json", &at(1, "/auth", "bad"));
        let second = prints.next("a\u{fffd}.json", &at(1, "/auth", "bad"));
        assert_ne!(first, second);
        assert!(second.ends_with(":2"), "{second}");
    }
}
