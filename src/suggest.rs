//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `given`, if one is close enough to be a plausible typo:
/// a case-insensitive match first, then the smallest edit distance within a third of the length.
pub fn did_you_mean<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lowered = given.to_lowercase();
    let normalized = normalize(given);
    if let Some(exact) = candidates
        .iter()
        .find(|c| c.to_lowercase() == lowered || normalize(c) == normalized)
    {
        return Some(exact);
    }
    let limit = (given.chars().count() / 3).max(1);
    let length = lowered.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let candidate = c.to_lowercase();
            // The distance is at least the difference in length: skip the (costly) distance
            // when that alone is over the limit. Failing files run this for every bad value.
            (candidate.chars().count().abs_diff(length) <= limit)
                .then(|| (strsim::damerau_levenshtein(&lowered, &candidate), *c))
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// Lowercase with separators removed, so `integrationType`, `integration-type` and
/// `integration_type` compare equal.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
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
