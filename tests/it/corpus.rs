//! A generated corpus of a few hundred payloads with known defects: the verdict per file,
//! and every defect's code, pointer, line and column, must match what the generator knows it
//! put there. The generator writes the text itself (one member per line, in random order),
//! so the expected positions come from construction, not from connlint.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::check_json;

/// A small deterministic PRNG (xorshift64*), so failures are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "crm",
        &["crm_contact_read", "crm_deal_write", "crm_company_read"],
    ),
    ("ats", &["ats_job_read", "ats_candidate_write"]),
    ("hris", &["hris_employee_read", "hris_group_read"]),
    (
        "ticketing",
        &["ticketing_ticket_read", "ticketing_note_write"],
    ),
    ("accounting", &["accounting_invoice_read"]),
];

/// (code, pointer, line, column)
type Expected = BTreeSet<(String, String, u64, u64)>;

/// One member line being built: its text and, for defects, where they sit.
struct Builder {
    lines: Vec<String>,
    expected: Expected,
}

impl Builder {
    /// Adds `  "key": <value>` at the current line; returns (line, column of value).
    fn member(&mut self, indent: &str, key: &str, value: &str) -> (u64, u64) {
        let prefix = format!("{indent}\"{key}\": ");
        let line = self.lines.len() as u64 + 1;
        let column = prefix.chars().count() as u64 + 1;
        self.lines.push(format!("{prefix}{value}"));
        (line, column)
    }

    fn expect(&mut self, code: &str, pointer: &str, at: (u64, u64)) {
        self.expected
            .insert((code.to_string(), pointer.to_string(), at.0, at.1));
    }
}

fn generate(rng: &mut Rng) -> (String, Expected) {
    let mut b = Builder {
        lines: vec!["{".to_string()],
        expected: Expected::new(),
    };
    let (category, permissions) = CATEGORIES[rng.below(CATEGORIES.len())];
    let mut members: Vec<&str> = vec!["integration_type", "categories", "permissions"];
    for optional in ["id", "created_at", "is_paused", "environment", "auth"] {
        if rng.chance(60) {
            members.push(optional);
        }
    }
    // Shuffle member order.
    for i in (1..members.len()).rev() {
        let j = rng.below(i + 1);
        members.swap(i, j);
    }
    let mut missing = None;
    if rng.chance(15) {
        missing = Some(["integration_type", "categories", "permissions"][rng.below(3)]);
    }
    let count = members.len();
    for (n, member) in members.into_iter().enumerate() {
        if Some(member) == missing {
            continue;
        }
        let comma_after = n + 1 < count;
        let start_line = b.lines.len();
        match member {
            "integration_type" => {
                if rng.chance(10) {
                    let at = b.member("  ", member, "42");
                    b.expect("schema::type", "/integration_type", at);
                } else {
                    b.member("  ", member, "\"hubspot\"");
                }
            }
            "categories" => {
                if rng.chance(8) {
                    let at = b.member("  ", member, &format!("\"{category}\""));
                    b.expect("schema::type", "/categories", at);
                } else {
                    let bad = rng.chance(12);
                    let items = if bad {
                        format!("[\"{category}\", \"{}X\"]", category.to_uppercase())
                    } else {
                        format!("[\"{category}\"]")
                    };
                    let (line, column) = b.member("  ", member, &items);
                    if bad {
                        let offset = format!("[\"{category}\", ").chars().count() as u64;
                        b.expect("schema::enum", "/categories/1", (line, column + offset));
                    }
                }
            }
            "permissions" => {
                let first = permissions[rng.below(permissions.len())];
                if rng.chance(12) {
                    let typo = format!("{}x", &first[..first.len() - 1]);
                    let (line, column) =
                        b.member("  ", member, &format!("[\"{first}\", \"{typo}\"]"));
                    let offset = format!("[\"{first}\", ").chars().count() as u64;
                    b.expect("schema::enum", "/permissions/1", (line, column + offset));
                } else {
                    b.member("  ", member, &format!("[\"{first}\"]"));
                }
            }
            "id" => {
                b.member("  ", member, "\"conn_Zoë_😀\"");
            }
            "created_at" => {
                if rng.chance(15) {
                    let at = b.member("  ", member, "\"yesterday\"");
                    b.expect("schema::format", "/created_at", at);
                } else {
                    b.member("  ", member, "\"2023-11-07T09:15:27.123Z\"");
                }
            }
            "is_paused" => {
                if rng.chance(15) {
                    let at = b.member("  ", member, "\"yes\"");
                    b.expect("schema::type", "/is_paused", at);
                } else {
                    b.member("  ", member, "false");
                }
            }
            "environment" => {
                b.member("  ", member, "null");
            }
            "auth" => {
                if rng.chance(8) {
                    let at = b.member("  ", member, "\"Bearer FAKEtoken0123456789\"");
                    b.expect("schema::type", "/auth", at);
                } else {
                    b.member("  ", member, "{");
                    b.member("    ", "access_token", "\"at_FAKE0123456789abcdef\",");
                    if rng.chance(20) {
                        let at = b.member("    ", "expiry_date", "\"2023-13-01T00:00:00Z\",");
                        b.expect("schema::format", "/auth/expiry_date", at);
                    }
                    if rng.chance(20) {
                        let at = b.member("    ", "emails", "\"jo@example.com\",");
                        b.expect("schema::type", "/auth/emails", at);
                    }
                    if rng.chance(25) {
                        let at = b.member("    ", "expires_in", "\"3600\"");
                        b.expect("schema::type", "/auth/expires_in", at);
                    } else {
                        b.member("    ", "expires_in", "3600");
                    }
                    b.lines.push("  }".to_string());
                }
            }
            _ => unreachable!(),
        }
        if comma_after && b.lines.len() > start_line {
            if let Some(last) = b.lines.last_mut() {
                last.push(',');
            }
        }
    }
    // A trailing comma is left when the last member was the one removed.
    if let Some(last) = b.lines.last_mut() {
        if last.ends_with(',') {
            last.pop();
        }
    }
    b.lines.push("}".to_string());
    if missing.is_some() {
        b.expect("schema::required", "", (1, 1));
    }
    (b.lines.join("\n") + "\n", b.expected)
}

#[test]
fn generated_corpus_matches_the_generator_oracle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    for i in 0..400 {
        let (text, defects) = generate(&mut rng);
        serde_json::from_str::<Value>(&text)
            .unwrap_or_else(|e| panic!("generator wrote invalid JSON ({e}):\n{text}"));
        let path = dir.path().join(format!("payload-{i:03}.json"));
        std::fs::write(&path, text).expect("write");
        expected.insert(path.to_string_lossy().into_owned(), defects);
    }
    let run = check_json([dir.path()]);
    let mut actual: BTreeMap<String, Expected> = expected
        .keys()
        .map(|k| (k.clone(), Expected::new()))
        .collect();
    for d in run.diagnostics() {
        let code = d["code"].as_str().expect("code");
        if !code.starts_with("schema::") {
            continue;
        }
        let path = d["path"].as_str().expect("path").to_string();
        actual.entry(path).or_default().insert((
            code.to_string(),
            d["pointer"].as_str().expect("pointer").to_string(),
            d["line"].as_u64().expect("line"),
            d["column"].as_u64().expect("column"),
        ));
    }
    let defective = expected.values().filter(|e| !e.is_empty()).count();
    assert!(
        defective > 100 && defective < 380,
        "the generator should mix good and bad files: {defective} bad"
    );
    assert_eq!(run.summary("files"), 400);
    assert_eq!(run.summary("files_with_errors"), defective as u64);
    for (path, want) in &expected {
        assert_eq!(
            actual.get(path),
            Some(want),
            "{path}:\n{}",
            std::fs::read_to_string(path).unwrap_or_default()
        );
    }
    assert_eq!(run.code, 1);
}
