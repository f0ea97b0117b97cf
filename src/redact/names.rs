//! Which keys name a credential: the secret words, in any casing or separator, written with
//! escapes, or misspelt by one letter; and whether a JSON pointer leads into one.

use std::borrow::Cow;

use crate::pointer::{index_token, unescape_token};

/// True when a member named `key` holds a credential, in any casing (`access_token`,
/// `accessToken`, `ACCESS-TOKEN`) — SDK-cased keys are a common mistake and still secret.
pub fn is_secret_key(key: &str) -> bool {
    // This runs for every key of every file with a finding, and for every token of every
    // pointer a message is built for: an ordinary key (ASCII, not very long) is normalised
    // into a buffer on the stack, without allocating.
    let mut buffer = [0u8; 64];
    let mut len = 0;
    for byte in key.bytes() {
        if is_separator(byte) {
            continue;
        }
        if !byte.is_ascii() || len == buffer.len() {
            let normalized: Vec<char> = key
                .chars()
                .filter(|&c| !u8::try_from(c).is_ok_and(is_separator) && !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            return is_secret_name(&normalized);
        }
        buffer[len] = byte.to_ascii_lowercase();
        len += 1;
    }
    is_secret_name(&buffer[..len])
}

/// An ASCII byte that separates the words of a key rather than spelling them: `_`, `-`,
/// `.`, whitespace, control characters and other punctuation (`access.token`,
/// `access_token\t` and `Access Token` all name the same credential).
fn is_separator(byte: u8) -> bool {
    byte.is_ascii_punctuation() || byte.is_ascii_whitespace() || byte.is_ascii_control()
}

/// [`is_secret_key`] for a key already normalised: separators dropped, lowercased, as bytes
/// (an ASCII key) or characters.
fn is_secret_name<T: Copy + Into<u32>>(name: &[T]) -> bool {
    let ends_with = |word: &str| {
        name.len() >= word.len() && same_text(&name[name.len() - word.len()..], word.as_bytes())
    };
    SECRET_NAMES
        .iter()
        .any(|word| same_text(name, word.as_bytes()))
        || SECRET_SUFFIXES.iter().any(|suffix| ends_with(suffix))
        // A misspelt credential name (`acess_token`, `client_secert`) still holds the
        // credential, and it is exactly the file connlint reports with a snippet.
        || MISSPELT.iter().any(|word| ends_near(name, word))
}

/// Keys that are secret when they are exactly one of these (separators dropped, lowercased):
/// too short or too common to match as the end of a longer key. The README's "Secrets"
/// section lists these and [`SECRET_SUFFIXES`].
pub(crate) const SECRET_NAMES: &[&str] = &[
    "key",
    "pem",
    "pass",
    "pwd",
    "otherauthinfo",
    "authorization",
    "bearer",
    "credentials",
    "cookie",
    "session",
    "sessionid",
    "signature",
];

/// Keys that are secret when they end with one of these (`refresh_token`, `client_secret`,
/// `x-api-key`, `gcp_private_key_id`…).
pub(crate) const SECRET_SUFFIXES: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "passphrase",
    "apikey",
    "secretkey",
    "privatekey",
    "privatekeyid",
    "signature",
    "cookie",
];

/// Whether `text` (bytes or characters) spells `word` (ASCII).
fn same_text<T: Copy + Into<u32>>(text: &[T], word: &[u8]) -> bool {
    text.len() == word.len()
        && text
            .iter()
            .zip(word)
            .all(|(&c, &b)| c.into() == u32::from(b))
}

/// Secret names recognised one typo away (at the end of a key). Short ones (`key`, `pem`)
/// are not: one edit from them is too many ordinary words.
const MISSPELT: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "privatekey",
    "otherauthinfo",
    "credentials",
    "authorization",
];

/// Whether `name` ends with something one edit (Damerau–Levenshtein) from `word` (ASCII).
fn ends_near<T: Copy + Into<u32>>(name: &[T], word: &str) -> bool {
    let word = word.as_bytes(); // the words are ASCII
    let len = word.len();
    // One edit leaves one of the word's last two characters among the name's last two
    // (kept, substituted before it, inserted after it, deleted, or swapped): most keys fail
    // this before any comparison of the whole word.
    let (Some(&last), Some(&before)) = (word.last(), word.get(len.wrapping_sub(2))) else {
        return false;
    };
    let near_end = name[name.len().saturating_sub(2)..].iter().any(|&c| {
        let c: u32 = c.into();
        c == u32::from(last) || c == u32::from(before)
    });
    near_end
        && (len - 1..=len + 1)
            .any(|n| n <= name.len() && one_edit_apart(&name[name.len() - n..], word))
}

/// Whether the Damerau–Levenshtein distance of `a` (bytes or characters) and `b` is at most
/// 1, in one pass and without allocating: this runs for every key of every file with a
/// finding, and a general distance (a matrix per call) made it most of the cost of checking
/// a failing file. Once the common prefix and suffix are stripped, one edit leaves at most
/// one character on each side, or two swapped neighbours.
fn one_edit_apart<T: Copy + Into<u32>>(a: &[T], b: &[u8]) -> bool {
    let same = |x: &T, y: &u8| (*x).into() == u32::from(*y);
    let prefix = a.iter().zip(b).take_while(|(x, y)| same(x, y)).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| same(x, y))
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    match (a, b) {
        ([], []) | ([_], []) | ([], [_]) | ([_], [_]) => true,
        ([a0, a1], [b0, b1]) => same(a0, b1) && same(a1, b0),
        _ => false,
    }
}

/// `pointer` as output may show it: past a secret key's token, every key is `<redacted>`,
/// since inside a secret value even the keys are part of the secret
/// (`/auth/access_token/ghp_…`). Array indices are structure, not content, and stay.
pub fn redact_pointer(pointer: &str) -> Cow<'_, str> {
    let mut tokens = pointer.split('/').skip(1);
    let mut kept = 0;
    for token in tokens.by_ref() {
        kept += 1 + token.len();
        if is_secret_key(&unescape_token(token).unwrap_or(Cow::Borrowed(token))) {
            break;
        }
    }
    if kept == pointer.len() {
        return Cow::Borrowed(pointer);
    }
    let mut shown = pointer[..kept].to_string();
    for token in tokens {
        shown.push('/');
        shown.push_str(if index_token(token).is_some() {
            token
        } else {
            "<redacted>"
        });
    }
    Cow::Owned(shown)
}

/// True when the value at `pointer` is (or is inside) a credential: under a secret key at
/// any depth, or anything but an object or null where the `auth` object belongs.
pub fn is_secret_pointer(pointer: &str, value_is_object_or_null: bool) -> bool {
    let mut tokens = pointer
        .split('/')
        .skip(1)
        // A token that no key escapes to is taken as written.
        .map(|t| unescape_token(t).unwrap_or(Cow::Borrowed(t)))
        .peekable();
    while let Some(token) = tokens.next() {
        if is_secret_key(&token) {
            return true;
        }
        if token.eq_ignore_ascii_case("auth") {
            let secret = match tokens.peek() {
                None => !value_is_object_or_null,
                // `"auth": ["…"]`: an array where the auth object belongs.
                Some(next) => next.parse::<usize>().is_ok(),
            };
            if secret {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `word` with one edit at `at` (counted from the end): `kind` 0 keeps it, 1 substitutes
    /// `letter`, 2 inserts it, 3 deletes, 4 swaps with the next character.
    fn edited(word: &str, kind: u8, at: usize, letter: char) -> String {
        let mut chars: Vec<char> = word.chars().collect();
        let i = chars.len() - 1 - at.min(chars.len() - 1);
        match kind {
            1 => chars[i] = letter,
            2 => chars.insert(i + 1, letter),
            3 => {
                chars.remove(i);
            }
            4 if i + 1 < chars.len() => chars.swap(i, i + 1),
            _ => {}
        }
        chars.into_iter().collect()
    }

    proptest::proptest! {
        /// The two-character filter in `ends_near` only skips names that no full comparison
        /// would have matched: names near every secret word, edited anywhere, and unrelated.
        #[test]
        fn ends_near_agrees_with_comparing_every_ending(
            prefix in "[a-z]{0,4}",
            word in 0..MISSPELT.len(),
            kind in 0u8..6,
            at in 0usize..4,
            letter in proptest::char::range('a', 'z'),
            unrelated in "[a-z]{0,14}",
        ) {
            let misspelt = format!("{prefix}{}", edited(MISSPELT[word], kind, at, letter));
            for name in [misspelt, unrelated] {
                let bytes = name.as_bytes();
                for word in MISSPELT {
                    let len = word.len();
                    let every_ending = (len - 1..=len + 1).any(|n| {
                        n <= bytes.len()
                            && one_edit_apart(&bytes[bytes.len() - n..], word.as_bytes())
                    });
                    let near = ends_near(bytes, word);
                    proptest::prop_assert_eq!(near, every_ending, "{} {}", name, word);
                }
            }
        }
    }

    #[test]
    fn ends_near_finds_every_kind_of_edit_at_the_end() {
        for name in [
            "acesstoken",
            "tokne",
            "toke",
            "tokenx",
            "tokem",
            "clientsecert",
            "passwrd",
        ] {
            assert!(
                MISSPELT.iter().any(|w| ends_near(name.as_bytes(), w)),
                "{name}"
            );
        }
        assert!(!MISSPELT.iter().any(|w| ends_near(b"ispaused", w)));
    }

    #[test]
    fn one_edit_apart_matches_damerau_levenshtein_within_one() {
        let words = [
            "token", "tokne", "tkoen", "toke", "tokens", "xoken", "taken", "tok", "", "t", "okent",
            "tokenn",
        ];
        for a in words {
            for b in words {
                let chars: Vec<char> = a.chars().collect();
                assert_eq!(
                    one_edit_apart(&chars, b.as_bytes()),
                    strsim::damerau_levenshtein(a, b) <= 1,
                    "{a} / {b}"
                );
            }
        }
    }

    #[test]
    fn secret_pointers() {
        assert!(is_secret_pointer("/auth/access_token", false));
        assert!(is_secret_pointer("/0/auth/other_auth_info/1", false));
        assert!(is_secret_pointer("/auth", false));
        assert!(!is_secret_pointer("/auth", true));
        assert!(!is_secret_pointer("/auth/expires_in", false));
        assert!(!is_secret_pointer("/integration_type", false));
        assert!(is_secret_pointer("/auth/0", false));
    }

    #[test]
    fn pointers_hide_what_is_inside_a_secret_value() {
        assert_eq!(redact_pointer("/auth/access_token"), "/auth/access_token");
        assert_eq!(
            redact_pointer("/auth/access_token/ghp_abc/0"),
            "/auth/access_token/<redacted>/0"
        );
        assert_eq!(
            redact_pointer("/3/auth/meta/pass/x"),
            "/3/auth/meta/pass/<redacted>"
        );
        assert_eq!(redact_pointer("/auth/meta/name"), "/auth/meta/name");
        assert_eq!(
            redact_pointer("/auth/other_auth_info/1"),
            "/auth/other_auth_info/1"
        );
    }

    #[test]
    fn the_widened_names_are_secret() {
        for key in [
            "secret_key",
            "private_key",
            "private_key_id",
            "passphrase",
            "pass",
            "pwd",
            "cookie",
            "session",
            "signature",
            "credentials",
            "Set-Cookie",
            "session_id",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "name",
            "emails",
            "passenger",
            "sessions_count",
            "password_hint_url",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
        assert!(is_secret_pointer("/Auth", false));
    }
}
