//! The Connection JSON Schema: derived from `model.rs` by schemars, committed as
//! `schemas/connection.schema.json`, embedded in the binary, and compiled at most once per
//! process ([`CompiledSchema::shared_builtin`]), then shared by every file and thread.
//!
//! The binary validates against the committed file, never against a fresh derivation, and
//! `connlint schema --check` (run by the tests) proves the two are identical, so the types,
//! the file and the behaviour cannot drift apart.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::error::RunError;
use crate::model::Connection;
use crate::tree::representation::Tree;

/// The `$id` of the built-in schema.
pub const SCHEMA_ID: &str = "https://connlint.dev/schemas/connection.schema.json";

/// The committed schema, embedded at build time.
pub const COMMITTED_SCHEMA: &str = include_str!("../schemas/connection.schema.json");

/// Repository-relative path of the committed schema.
pub const COMMITTED_SCHEMA_PATH: &str = "schemas/connection.schema.json";

/// Derives the JSON Schema of [`Connection`] from the Rust types, as draft 7: the dialect
/// editors and validators support most widely, and whose meta-schema `jsonschema` checks a
/// schema against in a fraction of the time 2020-12's takes (about 1 ms of every run's
/// start-up, most of a pre-commit hook's cost on one file). The keywords it uses (`$ref`
/// alone, `anyOf`, `enum`, `format`, `properties`, `required`, `items`, `type`) mean the
/// same in every draft.
pub fn derive() -> Value {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Connection>();
    let mut value = schema.to_value();
    strip_numeric_formats(&mut value);
    if let Value::Object(map) = &mut value {
        map.insert("$id".into(), Value::String(SCHEMA_ID.into()));
    }
    value
}

/// The derived schema as it is committed: pretty-printed with a trailing newline.
pub fn derive_text() -> String {
    let mut text = serde_json::to_string_pretty(&derive()).unwrap_or_default();
    text.push('\n');
    text
}

/// schemars marks Rust floats with `"format": "double"`, which is not a JSON Schema format:
/// strict validators (ajv) reject it, and it says nothing a JSON number does not.
fn strip_numeric_formats(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if matches!(
                map.get("format").and_then(Value::as_str),
                Some(
                    "double"
                        | "float"
                        | "int8"
                        | "int16"
                        | "int32"
                        | "int64"
                        | "uint"
                        | "uint8"
                        | "uint16"
                        | "uint32"
                        | "uint64"
                )
            ) {
                map.remove("format");
            }
            map.values_mut().for_each(strip_numeric_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_numeric_formats),
        _ => {}
    }
}

/// The embedded committed schema, parsed once.
pub fn builtin() -> &'static Value {
    static BUILTIN: OnceLock<Value> = OnceLock::new();
    BUILTIN.get_or_init(|| serde_json::from_str(COMMITTED_SCHEMA).unwrap_or(Value::Bool(true)))
}

/// A compiled schema, ready to validate many documents from many threads.
pub struct CompiledSchema {
    /// Validates documents as parsed ([`crate::tree`]), not as `serde_json::Value`s.
    pub(crate) validator: jsonschema::Validator<Tree>,
    /// True for the built-in Connection schema: model lint rules and list semantics apply.
    pub(crate) builtin: bool,
}

impl std::fmt::Debug for CompiledSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSchema")
            .field("builtin", &self.builtin)
            .finish_non_exhaustive()
    }
}

impl CompiledSchema {
    /// Compiles the built-in Connection schema.
    pub fn builtin() -> Result<Self, RunError> {
        let validator =
            compile(builtin(), None, Some(true)).map_err(|message| RunError::Schema {
                path: COMMITTED_SCHEMA_PATH.into(),
                message,
            })?;
        Ok(Self {
            validator,
            builtin: true,
        })
    }

    /// The built-in schema compiled once per process and shared: a second run in the same
    /// process (a library caller's) compiles nothing, and the compiled schema is never
    /// freed, so no run pays for freeing it on the way out.
    pub fn shared_builtin() -> Result<Arc<Self>, RunError> {
        static SHARED: OnceLock<Result<Arc<CompiledSchema>, String>> = OnceLock::new();
        let compiled = SHARED.get_or_init(|| {
            Self::builtin().map(Arc::new).map_err(|err| match err {
                RunError::Schema { message, .. } => message,
                other => other.to_string(),
            })
        });
        compiled.clone().map_err(|message| RunError::Schema {
            path: COMMITTED_SCHEMA_PATH.into(),
            message,
        })
    }

    /// Reads and compiles a user-supplied schema file. Draft 2020-12 unless `$schema` names
    /// another. `format` follows the draft (an annotation in 2019-09 and 2020-12) unless
    /// `assert_format`.
    pub fn from_file(path: &Path, assert_format: bool) -> Result<Self, RunError> {
        let text =
            crate::input::read_support_file(path).map_err(|source| RunError::SchemaRead {
                path: path.display().to_string(),
                source,
            })?;
        let value: Value = serde_json::from_str(&text).map_err(|err| RunError::Schema {
            path: path.display().to_string(),
            message: format!("not valid JSON: {err}"),
        })?;
        let base_uri = std::fs::canonicalize(path)
            .ok()
            .and_then(|abs| abs.to_str().map(|s| format!("file://{s}")));
        let validator =
            compile(&value, base_uri, assert_format.then_some(true)).map_err(|message| {
                RunError::Schema {
                    path: path.display().to_string(),
                    message,
                }
            })?;
        Ok(Self {
            validator,
            builtin: false,
        })
    }

    /// Whether this is the built-in Connection schema.
    pub fn is_builtin(&self) -> bool {
        self.builtin
    }
}

/// `validate_formats`: `None` leaves it to the draft's rules.
/// Fetches a schema's `$ref` targets: local files only (no network), each read as
/// [`crate::input::read_support_file`] reads, so a `$ref` to a FIFO or `/dev/zero` is an
/// error instead of a hang.
struct FileRetriever;

impl jsonschema::Retrieve for FileRetriever {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.scheme().as_str() != "file" {
            return Err(format!("{uri}: only local files are read (no network)").into());
        }
        let path = Path::new(uri.path().as_str());
        let text = crate::input::read_support_file(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn compile(
    schema: &Value,
    base_uri: Option<String>,
    validate_formats: Option<bool>,
) -> Result<jsonschema::Validator<Tree>, String> {
    let mut options = jsonschema::options_for::<Tree>().with_retriever(FileRetriever);
    if let Some(yes) = validate_formats {
        options = options.should_validate_formats(yes);
    }
    let declares_dialect = schema.get("$schema").and_then(Value::as_str).is_some();
    if !declares_dialect {
        options = options.with_draft(jsonschema::Draft::Draft202012);
    }
    if let Some(base) = base_uri {
        if schema.get("$id").is_none() {
            options = options.with_base_uri(base);
        }
    }
    options.build(schema).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_matches_derivation() {
        assert_eq!(
            COMMITTED_SCHEMA,
            derive_text(),
            "run `cargo run -- schema > {COMMITTED_SCHEMA_PATH}`"
        );
    }

    #[test]
    fn requires_exactly_the_three_wire_fields() {
        let required = derive()["required"].clone();
        assert_eq!(
            required,
            serde_json::json!(["categories", "integration_type", "permissions"])
        );
    }

    #[test]
    fn builtin_schema_compiles() {
        assert!(CompiledSchema::builtin().is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_ref_to_a_fifo_or_a_device_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        for target in [fifo.display().to_string(), "/dev/zero".to_string()] {
            let schema = dir.path().join("schema.json");
            let text = serde_json::json!({"$ref": format!("file://{target}")}).to_string();
            std::fs::write(&schema, text).expect("write");
            match CompiledSchema::from_file(&schema, false) {
                Err(RunError::Schema { message, .. }) => {
                    assert!(message.contains("not a regular file"), "{message}");
                }
                other => panic!("{target}: {other:?}"),
            }
        }
    }
}
