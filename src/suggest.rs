//! "Did you mean …?": the closest known name to a misspelt one.

use std::borrow::Cow;

/// The candidate closest to `given`, if one is close enough to be a plausible typo:
/// a case-insensitive match first, then the smallest edit distance (optimal string alignment:
/// insertions, deletions, substitutions and swaps of neighbours) within a third of the length.
pub(crate) fn did_you_mean<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Failing files run this for every bad value, against dozens of candidates: comparisons
    // allocate nothing unless a candidate has capitals.
    if let Some(exact) = candidates.iter().find(|c| folded(c).eq(folded(given))) {
        return Some(exact);
    }
    let lowered = given.to_lowercase();
    let limit = (given.chars().count() / 3).max(1);
    let length = lowered.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            // The distance is at least the difference in length: skip the (costly) distance
            // when that alone is over the limit.
            if c.chars().count().abs_diff(length) > limit {
                return None;
            }
            let candidate: Cow<'_, str> = if c.chars().any(char::is_uppercase) {
                Cow::Owned(c.to_lowercase())
            } else {
                Cow::Borrowed(c)
            };
            Some((strsim::osa_distance(&lowered, &candidate), *c))
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// A name lowercased with separators removed, so `integrationType`, `integration-type` and
/// `integration_type` compare equal.
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &[
        "integration_type",
        "categories",
        "permissions",
        "crm",
        "crm_contact_read",
    ];

    #[test]
    fn suggests_typos_and_case() {
        assert_eq!(
            did_you_mean("integraton_type", KNOWN),
            Some("integration_type")
        );
        assert_eq!(
            did_you_mean("crm_contact_reed", KNOWN),
            Some("crm_contact_read")
        );
        assert_eq!(did_you_mean("CRM", KNOWN), Some("crm"));
        assert_eq!(
            did_you_mean("integrationType", KNOWN),
            Some("integration_type")
        );
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(did_you_mean("zzzzzz", KNOWN), None);
        assert_eq!(did_you_mean("ats", KNOWN), None);
    }
}
