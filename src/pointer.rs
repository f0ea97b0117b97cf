//! JSON pointer reference tokens (RFC 6901): escaping a key into a token, and reading a
//! token back as a key or an array index, exactly as the validator writes instance paths.

use std::borrow::Cow;

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// The key a pointer token names, or `None` when no key escapes to it: the inverse of
/// [`escape_token`], so a `~` must start `~0` or `~1`.
pub(crate) fn unescape_token(token: &str) -> Option<Cow<'_, str>> {
    if !token.contains('~') {
        return Some(Cow::Borrowed(token));
    }
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

/// The array index a pointer token names: digits as `{i}` writes them (no sign, no leading
/// zero), so `/01` names no item, as in a map of formatted pointers.
pub(crate) fn index_token(token: &str) -> Option<usize> {
    let canonical = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'));
    canonical.then(|| token.parse().ok()).flatten()
}
