//! `connlint models`: the releases of the Connection model, one line each, with the counts
//! of its lists and what the release changed, read from the model tables (not re-parsed
//! history). It builds text; `main.rs` prints it.

use crate::model::{releases, List, Model};

/// The lists a release line counts and describes, with their plural nouns.
const LISTS: [(List, &str, &str); 4] = [
    (List::Fields, "field", "fields"),
    (List::AuthFields, "auth field", "auth fields"),
    (List::Categories, "category", "categories"),
    (List::Permissions, "permission", "permissions"),
];

/// The whole listing: a header, a line per release (oldest first), and how to pick one.
pub(crate) fn table() -> String {
    let mut text = format!(
        "{:<10}  {:<8}  {:>6}  {:>4}  {:>10}  {:>11}  CHANGES\n",
        "DATE", "SDK", "FIELDS", "AUTH", "CATEGORIES", "PERMISSIONS"
    );
    for index in 0..releases().len() {
        let model = Model::at_release(index);
        let release = model.release();
        let counts = model.counts();
        text.push_str(&format!(
            "{:<10}  {:<8}  {:>6}  {:>4}  {:>10}  {:>11}  {}\n",
            release.date.to_string(),
            release.sdk_version,
            counts.fields,
            counts.auth,
            counts.categories,
            counts.permissions,
            changes(index)
        ));
    }
    let latest = Model::latest();
    text.push_str(&format!(
        "\nThe default is the latest model, {}. Pick another with --model DATE or `model = \
            \"DATE\"` in connlint.toml:\nthe model in force that day is the last release on or \
            before it. SDK versions are the PHP SDK's.\n",
        latest.describe()
    ));
    text
}

/// What release `index` changed: names added and removed per list, and the required list
/// when it changed. The first release is the baseline.
fn changes(index: usize) -> String {
    let mut parts = Vec::new();
    for (list, one, many) in LISTS {
        let entries = list.entries();
        let added: Vec<&str> = entries
            .iter()
            .filter(|e| e.lifetime.added == index)
            .map(|e| e.wire)
            .collect();
        let removed: Vec<&str> = entries
            .iter()
            .filter(|e| e.lifetime.removed == Some(index))
            .map(|e| e.wire)
            .collect();
        for (sign, names) in [("+", added), ("-", removed)] {
            if names.is_empty() {
                continue;
            }
            let noun = if names.len() == 1 { one } else { many };
            if index == 0 {
                parts.push(format!("{sign}{} {noun}", names.len()));
            } else {
                parts.push(format!(
                    "{sign}{} {noun}: {}",
                    names.len(),
                    names.join(", ")
                ));
            }
        }
    }
    let required = releases()[index].required;
    if index > 0 && releases()[index - 1].required != required {
        parts.push(format!("required: {}", required.join(", ")));
    }
    match (index, parts.is_empty()) {
        (0, _) => format!("baseline: {}", parts.join(", ")),
        (_, true) => "no change to names or the required list".to_string(),
        (_, false) => parts.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_release_with_its_changes() {
        let text = table();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("DATE        SDK"));
        assert_eq!(lines.len(), 1 + releases().len() + 3);
        let first = "2023-09-13  0.1.0         12    20           9           46  \
                     baseline: +12 fields, +20 auth fields, +9 categories, +46 permissions";
        assert!(lines[1].starts_with(first), "{}", lines[1]);
        let removal = lines
            .iter()
            .find(|l| l.starts_with("2024-11-09"))
            .expect("the release of 2024-11-09");
        assert!(removal.contains("-1 field: cursors_cache"), "{removal}");
        assert!(removal.contains("+2 categories: lms, repo"), "{removal}");
        let required = lines
            .iter()
            .find(|l| l.starts_with("2025-02-06"))
            .expect("the release of 2025-02-06");
        assert!(
            required.ends_with("required: categories, integration_type, permissions"),
            "{required}"
        );
        assert!(text.contains("The default is the latest model, 2026-08-14 (SDK 1.6.104)."));
    }
}
