//! `lint::timestamp-order`: `updated_at` earlier than `created_at`.

use crate::tree::Value;

use crate::diagnostic::{Finding, Target};

use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::timestamp-order",
    default_level: Level::Warning,
    summary: "`updated_at` is earlier than `created_at`",
    explanation: r#"## What it does
Compares the Connection's `created_at` and `updated_at` and finds an `updated_at` that is
earlier than `created_at`. Time-zone offsets are taken into account, so
`2023-11-07T10:00:00+02:00` is earlier than `2023-11-07T09:00:00Z`. Timestamps that are not
RFC 3339 date-times are left to `schema::format`.

## Why is this bad?
A connection cannot be updated before it exists. The two values were swapped, one has the
wrong time-zone offset, or one was edited by hand; whichever it is, code that orders or
expires connections by these dates will misbehave.

## Example
```json
{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "created_at": "2023-11-08T10:00:00Z", "updated_at": "2023-11-07T09:15:27Z"}
```

## Use instead
```json
{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "created_at": "2023-11-07T09:15:27Z", "updated_at": "2023-11-08T10:00:00Z"}
```
"#,
    scope: Scope::Model,
    replaces: &[],
    check: Check::Value(check),
};

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = |key: &str| ctx.value.get(key).and_then(Value::as_str);
    let (Some(created), Some(updated)) = (text("created_at"), text("updated_at")) else {
        return;
    };
    let (Some(created_at), Some(updated_at)) = (instant(created), instant(updated)) else {
        return;
    };
    if updated_at >= created_at {
        return;
    }
    out.push(
        Finding::new(
            RULE.code,
            format!("{}/updated_at", ctx.prefix),
            Target::Value,
            format!("`updated_at` ({updated}) is earlier than `created_at` ({created})"),
        )
        .with_label("earlier than created_at")
        .with_help(
            "a connection cannot be updated before it is created: swap the values or fix \
            the time-zone offset",
        ),
    );
}

/// An RFC 3339 date-time as (seconds since 1970-01-01T00:00:00Z, nanoseconds), or `None`
/// when it is not one. Only ordering matters here, so leap seconds simply count as `:60`.
fn instant(text: &str) -> Option<(i64, u32)> {
    let b = text.as_bytes();
    // Bytes, not `str::parse`: this runs for every document that has both timestamps.
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if part.is_empty() {
            return None;
        }
        part.iter().try_fold(0i64, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if b[at] == b'.' {
        let start = at + 1;
        at = start;
        while at < b.len() && b[at].is_ascii_digit() {
            at += 1;
        }
        if at == start {
            return None;
        }
        // Nanosecond precision; further digits cannot change the order of real timestamps.
        let mut fraction = b[start..at].iter().chain(std::iter::repeat(&b'0')).take(9);
        nanos = fraction.try_fold(0u32, |n, d| Some(n * 10 + u32::from(d - b'0')))?;
    }
    let offset = match text.get(at..)? {
        "Z" | "z" => 0,
        zone if zone.len() == 6
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone.as_bytes()[3] == b':' =>
        {
            let hours = digits(at + 1..at + 3)?;
            let minutes = digits(at + 4..at + 6)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let sign = if zone.as_bytes()[0] == b'-' { -1 } else { 1 };
            sign * (hours * 3600 + minutes * 60)
        }
        _ => return None,
    };
    let seconds =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some((seconds, nanos))
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: &serde_json::Value) -> Vec<Finding> {
        super::super::run_value_check(check, value, "")
    }

    #[test]
    fn flags_an_update_before_the_creation() {
        let out = run(&json!({
            "created_at": "2023-11-08T10:00:00Z",
            "updated_at": "2023-11-07T09:15:27.123Z"
        }));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].pointer, "/updated_at");
        assert_eq!(out[0].target, Target::Value);
    }

    #[test]
    fn offsets_and_fractions_are_compared_as_instants() {
        // 10:00+02:00 is 08:00Z: earlier than 09:00Z although it reads later.
        assert_eq!(
            run(&json!({
                "created_at": "2023-11-07T09:00:00Z", "updated_at": "2023-11-07T10:00:00+02:00"
            }))
            .len(),
            1
        );
        assert!(run(&json!({
            "created_at": "2023-11-07T09:00:00.5Z",
            "updated_at": "2023-11-07T09:00:00.500000+00:00"
        }))
        .is_empty());
        assert_eq!(
            run(&json!({
                "created_at": "2023-11-07T09:00:00.5Z", "updated_at": "2023-11-07T09:00:00.49Z"
            }))
            .len(),
            1
        );
    }

    #[test]
    fn silent_when_in_order_equal_missing_or_unparsable() {
        assert!(run(&json!({
            "created_at": "2023-11-07T09:15:27.123Z",
            "updated_at": "2023-11-08T10:00:00.000+00:00"
        }))
        .is_empty());
        assert!(run(
            &json!({"created_at": "2023-11-07T09:15:27Z", "updated_at": "2023-11-07T09:15:27Z"})
        )
        .is_empty());
        assert!(run(&json!({"created_at": "2023-11-07T09:15:27Z"})).is_empty());
        assert!(
            run(&json!({"created_at": "2023-11-08T00:00:00Z", "updated_at": "yesterday"}))
                .is_empty()
        );
        assert!(run(&json!({"created_at": null, "updated_at": "2023-11-07T09:15:27Z"})).is_empty());
    }

    #[test]
    fn parses_rfc3339() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(instant("2000-03-01T00:00:00Z"), Some((951_868_800, 0)));
        assert_eq!(instant("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(instant("1970-01-01T00:00:00.25z"), Some((0, 250_000_000)));
        assert_eq!(instant("2023-11-07 09:15"), None);
        assert_eq!(instant("2023-13-07T09:15:27Z"), None);
        assert_eq!(instant("2023-11-07T09:15:27"), None);
        assert_eq!(instant("2023-11-07T09:15:27.Z"), None);
        assert_eq!(instant("2023-11-07T09:15:27+0100"), None);
        assert_eq!(instant("２０２３-11-07T09:15:27Z"), None);
    }
}
