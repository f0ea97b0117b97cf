//! The Connection model as the Unified.to API puts it on the wire, for every SDK release
//! from 2023-09 on: one set of types that covers every field and value that ever existed,
//! the releases, and when each name came and went.
//!
//! `generated.rs` is written from `history.json` (the releases, as read from the SDK's
//! model files) and `annotations.json` (doc comments, categoryless permissions) by
//! `codegen.rs`, which only the tests compile: the binary reads no history at start-up. The
//! JSON Schema of a release is derived from these types in `schema.rs`. This module only
//! describes data and picks a release: it does no I/O and no validation.

#[cfg(test)]
mod codegen;
#[rustfmt::skip]
mod generated;

use std::fmt;

pub use generated::{Category, Connection, ConnectionAuth, Permission};

/// A calendar date, `YYYY-MM-DD`: the date of a release, or the one `--model` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts (the generated release table; not checked).
    pub(crate) const fn new(year: u16, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, a day that exists in the calendar.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || !text
                .bytes()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        {
            return None;
        }
        let year: u16 = text[..4].parse().ok()?;
        let month: u8 = text[5..7].parse().ok()?;
        let day: u8 = text[8..].parse().ok()?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Self { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One SDK release that changed the model.
#[derive(Debug)]
pub struct Release {
    /// The date of the release (its commit in the PHP SDK).
    pub date: Date,
    /// The PHP SDK's version number.
    pub sdk_version: &'static str,
    /// The PHP SDK commit the model was read from.
    pub commit: &'static str,
    /// The Connection's required fields in this release.
    pub required: &'static [&'static str],
}

/// When a name existed: from the release it appeared in up to (not including) the one that
/// removed it. Releases are indices into [`releases`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    /// The release it appeared in.
    pub added: usize,
    /// The release that removed it, if one did.
    pub removed: Option<usize>,
}

impl Lifetime {
    pub(crate) const fn new(added: usize, removed: Option<usize>) -> Self {
        Self { added, removed }
    }

    /// Whether the name is part of the model of release `release`.
    pub fn exists_at(self, release: usize) -> bool {
        self.added <= release && self.removed.is_none_or(|removed| release < removed)
    }

    /// The release it appeared in.
    pub fn added_in(self) -> &'static Release {
        &generated::RELEASES[self.added]
    }

    /// The release that removed it, if one did.
    pub fn removed_in(self) -> Option<&'static Release> {
        self.removed.map(|r| &generated::RELEASES[r])
    }
}

/// One name of the model's history: a field, a category or a permission.
#[derive(Debug)]
pub struct Entry {
    /// The wire name.
    pub wire: &'static str,
    /// When it existed.
    pub lifetime: Lifetime,
    /// Whether its value is a credential (fields only).
    pub secret: bool,
}

/// The lists of names the model's history keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// The Connection's own fields.
    Fields,
    /// The fields of its `auth` object.
    AuthFields,
    /// The values of `categories`.
    Categories,
    /// The values of `permissions`.
    Permissions,
}

impl Entry {
    /// An entry of the generated tables: `wire`, in releases `added` up to `removed`.
    pub(crate) const fn new(
        wire: &'static str,
        added: usize,
        removed: Option<usize>,
        secret: bool,
    ) -> Self {
        Self {
            wire,
            lifetime: Lifetime::new(added, removed),
            secret,
        }
    }
}

impl List {
    /// Every name that was ever in this list, with its lifetime.
    pub fn entries(self) -> &'static [Entry] {
        match self {
            List::Fields => &generated::CONNECTION_FIELDS,
            List::AuthFields => &generated::AUTH_FIELDS,
            List::Categories => &generated::CATEGORIES,
            List::Permissions => &generated::PERMISSIONS,
        }
    }

    /// The history of `wire` in this list, if it was ever in it.
    pub fn find(self, wire: &str) -> Option<&'static Entry> {
        self.entries().iter().find(|entry| entry.wire == wire)
    }

    /// The names in the model of release `release`, in table order.
    pub fn at(self, release: usize) -> impl Iterator<Item = &'static str> {
        self.entries()
            .iter()
            .filter(move |e| e.lifetime.exists_at(release))
            .map(|e| e.wire)
    }
}

impl Category {
    /// The wire name.
    pub fn wire(self) -> &'static str {
        generated::CATEGORIES[self as usize].wire
    }

    /// When this category existed.
    pub fn lifetime(self) -> Lifetime {
        generated::CATEGORIES[self as usize].lifetime
    }
}

impl Permission {
    /// The wire name.
    pub fn wire(self) -> &'static str {
        generated::PERMISSIONS[self as usize].wire
    }

    /// When this permission existed.
    pub fn lifetime(self) -> Lifetime {
        generated::PERMISSIONS[self as usize].lifetime
    }

    /// The category the permission belongs to; `None` for `webhook` and `auth_login`.
    pub fn category(self) -> Option<Category> {
        generated::PERMISSION_CATEGORIES[self as usize].map(|c| Category::ALL[usize::from(c)])
    }

    /// The permission named `wire`, in any release.
    pub fn from_wire(wire: &str) -> Option<Self> {
        generated::PERMISSIONS
            .iter()
            .position(|entry| entry.wire == wire)
            .map(|index| Self::ALL[index])
    }
}

/// Every release that changed the model, oldest first.
pub fn releases() -> &'static [Release] {
    &generated::RELEASES
}

/// How many names each list has in one release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Top-level fields.
    pub fields: usize,
    /// `auth` fields.
    pub auth: usize,
    /// Categories.
    pub categories: usize,
    /// Permissions.
    pub permissions: usize,
}

/// The model a run checks against: a release, and the date that picked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    release: usize,
    /// The date asked for, when it is not the release's own (`--model 2023-11-07` picks the
    /// release of 2023-10-31); `None` for `latest` and for a release's own date.
    requested: Option<Date>,
}

/// Why a `--model` value picks no release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Not `latest` and not a date.
    NotADate(String),
    /// A date before the first release.
    TooEarly(Date),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NotADate(given) => write!(
                f,
                "`{given}` is not a model: use `latest` or a date YYYY-MM-DD (`connlint models` \
                    lists the releases)"
            ),
            ModelError::TooEarly(date) => write!(
                f,
                "{date} is before the first release connlint knows ({}): use `latest` or a date \
                    from {} on",
                Model::first().release().date,
                Model::first().release().date
            ),
        }
    }
}

impl std::error::Error for ModelError {}

impl Default for Model {
    fn default() -> Self {
        Self::latest()
    }
}

impl Model {
    /// The newest release.
    pub fn latest() -> Self {
        Self {
            release: releases().len() - 1,
            requested: None,
        }
    }

    /// The first release.
    fn first() -> Self {
        Self {
            release: 0,
            requested: None,
        }
    }

    /// The model of `latest` or of a date `YYYY-MM-DD`: the last release on or before it.
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let text = text.trim();
        if text == "latest" {
            return Ok(Self::latest());
        }
        let date = Date::parse(text).ok_or_else(|| ModelError::NotADate(text.to_string()))?;
        let release = releases()
            .iter()
            .rposition(|r| r.date <= date)
            .ok_or(ModelError::TooEarly(date))?;
        let requested = (releases()[release].date != date).then_some(date);
        Ok(Self { release, requested })
    }

    /// The model of release `index` (clamped to the newest).
    pub fn at_release(index: usize) -> Self {
        Self {
            release: index.min(releases().len() - 1),
            requested: None,
        }
    }

    /// The index of its release in [`releases`].
    pub fn index(self) -> usize {
        self.release
    }

    /// Its release.
    pub fn release(self) -> &'static Release {
        &releases()[self.release]
    }

    /// Whether it is the newest release (the committed, default schema).
    pub fn is_latest(self) -> bool {
        self.release == releases().len() - 1
    }

    /// The date a message names: the date asked for, else the release's.
    pub fn date(self) -> Date {
        self.requested.unwrap_or(self.release().date)
    }

    /// The date asked for, when it is not the release's own.
    pub fn requested(self) -> Option<Date> {
        self.requested
    }

    /// Whether `lifetime`'s name is part of this model.
    pub fn has(self, lifetime: Lifetime) -> bool {
        lifetime.exists_at(self.release)
    }

    /// How many names each list has.
    pub fn counts(self) -> Counts {
        Counts {
            fields: List::Fields.at(self.release).count(),
            auth: List::AuthFields.at(self.release).count(),
            categories: List::Categories.at(self.release).count(),
            permissions: List::Permissions.at(self.release).count(),
        }
    }

    /// "2023-11-07 (the release of 2023-10-31, SDK 0.6.5)": what the run checked against.
    pub fn describe(self) -> String {
        let release = self.release();
        match self.requested {
            Some(date) => format!(
                "{date} (the release of {}, SDK {})",
                release.date, release.sdk_version
            ),
            None => format!("{} (SDK {})", release.date, release.sdk_version),
        }
    }
}

/// The newest release's date, for "in any release up to …".
pub fn newest_date() -> Date {
    Model::latest().release().date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-1-01",
            "20230101",
            "2023-01-00",
            "2023-01-1x",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_date_picks_the_last_release_on_or_before_it() {
        let seed = Model::parse("2023-11-07").expect("a model");
        assert_eq!(seed.release().date.to_string(), "2023-10-31");
        assert_eq!(seed.release().sdk_version, "0.6.5");
        assert_eq!(seed.date().to_string(), "2023-11-07");
        assert_eq!(
            seed.describe(),
            "2023-11-07 (the release of 2023-10-31, SDK 0.6.5)"
        );
        // A release's own date names it; two releases on one day: the later one.
        let own = Model::parse("2023-10-31").expect("a model");
        assert_eq!(own.index(), seed.index());
        assert_eq!(own.requested(), None);
        assert_eq!(own.describe(), "2023-10-31 (SDK 0.6.5)");
        assert_eq!(Model::parse(" latest ").expect("latest"), Model::latest());
        assert!(Model::parse("2099-01-01").expect("a model").is_latest());
        assert_eq!(
            Model::parse("2023-09-12"),
            Err(ModelError::TooEarly(Date::new(2023, 9, 12)))
        );
        assert!(matches!(
            Model::parse("yesterday"),
            Err(ModelError::NotADate(_))
        ));
        assert!(ModelError::TooEarly(Date::new(2023, 9, 12))
            .to_string()
            .contains("before the first release connlint knows (2023-09-13)"));
    }

    #[test]
    fn the_seed_and_the_latest_counts() {
        let seed = Model::parse("2023-11-07").expect("a model").counts();
        assert_eq!(
            seed,
            Counts {
                fields: 12,
                auth: 22,
                categories: 10,
                permissions: 49
            }
        );
        assert_eq!(
            Model::latest().counts(),
            Counts {
                fields: 17,
                auth: 26,
                categories: 34,
                permissions: 310
            }
        );
    }

    #[test]
    fn variants_and_tables_agree() {
        for category in Category::ALL {
            let json = serde_json::to_value(category).expect("serialises");
            assert_eq!(json, category.wire());
        }
        for permission in Permission::ALL {
            let json = serde_json::to_value(permission).expect("serialises");
            assert_eq!(json, permission.wire());
            assert_eq!(Permission::from_wire(permission.wire()), Some(permission));
        }
        assert_eq!(
            Permission::from_wire("webhook").and_then(Permission::category),
            None
        );
        assert_eq!(
            Permission::from_wire("auth_login").and_then(Permission::category),
            None
        );
        assert_eq!(
            Permission::from_wire("lms_course_read")
                .and_then(Permission::category)
                .map(Category::wire),
            Some("lms")
        );
        // Every other permission's first word is its category.
        for permission in Permission::ALL {
            if let Some(category) = permission.category() {
                assert!(permission
                    .wire()
                    .starts_with(&format!("{}_", category.wire())));
            } else {
                assert!(["webhook", "auth_login"].contains(&permission.wire()));
            }
        }
    }

    #[test]
    fn lifetimes_come_from_the_history() {
        let dropped = List::Permissions
            .find("crm_user_read")
            .expect("in the history");
        assert_eq!(dropped.lifetime.added_in().date.to_string(), "2023-09-13");
        assert_eq!(
            dropped
                .lifetime
                .removed_in()
                .map(|r| r.date.to_string())
                .as_deref(),
            Some("2023-10-18")
        );
        let removed = List::Permissions
            .entries()
            .iter()
            .filter(|e| e.lifetime.removed.is_some())
            .count();
        assert_eq!(removed, 19);
        let fields_removed: Vec<&str> = List::Fields
            .entries()
            .iter()
            .filter(|e| e.lifetime.removed.is_some())
            .map(|e| e.wire)
            .collect();
        assert_eq!(
            fields_removed,
            vec![
                "auth_aws_arn",
                "auth_azure_keyvault_id",
                "auth_gcp_secret_name",
                "auth_hashi_vault_path",
                "cursors_cache"
            ]
        );
        // `integration_name` was required for one day.
        let required: Vec<&str> = releases()
            .iter()
            .filter(|r| r.required.contains(&"integration_name"))
            .map(|r| r.sdk_version)
            .collect();
        assert_eq!(required, vec!["1.1.31"]);
    }

    /// Every credential field of every release is redacted: `dev_api_key` too.
    #[test]
    fn every_secret_field_of_the_history_is_redacted() {
        let secret: Vec<&str> = List::AuthFields
            .entries()
            .iter()
            .chain(List::Fields.entries())
            .filter(|e| e.secret)
            .map(|e| e.wire)
            .collect();
        assert!(secret.contains(&"dev_api_key"), "{secret:?}");
        assert_eq!(secret.len(), 9, "{secret:?}");
        for wire in secret {
            assert!(crate::redact::is_secret_key(wire), "{wire}");
        }
    }
}
