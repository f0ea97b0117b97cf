//! The Connection JSON Schema of each release: derived from the types in `model/` by
//! schemars and filtered to what existed at that release, with that release's required list.
//!
//! The latest model's schema is committed as `schemas/connection.schema.json`, embedded in
//! the binary and compiled once per run; a run never derives it. Only `--model DATE`, which
//! picks an older release, derives that release's schema (once per run). The seed model's
//! schema is committed too (`schemas/connection-2023-11-07.schema.json`); `connlint schema
//! --check` (run by the tests) proves both files equal their derivation, so the types, the
//! files and the behaviour cannot drift apart.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::error::RunError;
use crate::model::{releases, Connection, List, Model};
use crate::tree::representation::Tree;

/// The `$id` of the latest model's schema.
pub const SCHEMA_ID: &str = "https://connlint.dev/schemas/connection.schema.json";

/// The committed schema of the latest model, embedded at build time.
pub const COMMITTED_SCHEMA: &str = include_str!("../schemas/connection.schema.json");

/// Repository-relative path of the latest model's committed schema.
pub const COMMITTED_SCHEMA_PATH: &str = "schemas/connection.schema.json";

/// The committed schemas, as the `--model` that derives each and its repository-relative
/// path: the latest model, and the model of the seed document (2023-11-07).
pub const COMMITTED_SCHEMAS: &[(&str, &str)] = &[
    ("latest", COMMITTED_SCHEMA_PATH),
    ("2023-11-07", "schemas/connection-2023-11-07.schema.json"),
];

/// The `$id` of `model`'s schema: the latest model's own, or one named for the date.
pub fn schema_id(model: Model) -> String {
    if model.is_latest() && model.requested().is_none() {
        SCHEMA_ID.to_string()
    } else {
        format!(
            "https://connlint.dev/schemas/connection-{}.schema.json",
            model.date()
        )
    }
}

/// Derives the JSON Schema of `model` from the Rust types, as draft 7: the dialect editors
/// and validators support most widely, and whose meta-schema `jsonschema` checks a schema
/// against in a fraction of the time 2020-12's takes (about 1 ms of every run's start-up,
/// most of a pre-commit hook's cost on one file). The keywords it uses (`$ref` alone,
/// `anyOf`, `enum`, `format`, `properties`, `required`, `items`, `type`) mean the same in
/// every draft.
///
/// The types cover every field and value that ever existed; what the release did not have
/// is taken out, and its required list replaces the types' own.
pub fn derive(model: Model) -> Value {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Connection>();
    let mut value = schema.to_value();
    strip_numeric_formats(&mut value);
    restrict(&mut value, model);
    if let Value::Object(map) = &mut value {
        map.insert("$id".into(), Value::String(schema_id(model)));
    }
    value
}

/// Filters the schema of every release to the release of `model`.
fn restrict(schema: &mut Value, model: Model) {
    let release = model.index();
    let keep = |list: List, map: &mut serde_json::Map<String, Value>| {
        map.retain(|name, _| {
            list.find(name)
                .is_some_and(|e| e.lifetime.exists_at(release))
        });
    };
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        keep(List::Fields, properties);
    }
    let defs = schema.get_mut("definitions");
    if let Some(properties) = defs
        .and_then(|d| d.pointer_mut("/ConnectionAuth/properties"))
        .and_then(Value::as_object_mut)
    {
        keep(List::AuthFields, properties);
    }
    for (name, list) in [
        ("Category", List::Categories),
        ("Permission", List::Permissions),
    ] {
        let pointer = format!("/definitions/{name}/enum");
        if let Some(values) = schema.pointer_mut(&pointer).and_then(Value::as_array_mut) {
            values.retain(|v| {
                v.as_str()
                    .and_then(|wire| list.find(wire))
                    .is_some_and(|e| e.lifetime.exists_at(release))
            });
        }
    }
    let required = model.release().required;
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        // A field the types make optional (it is optional today) but this release required:
        // required fields are never null.
        for name in required {
            if let Some(Value::Array(types)) =
                properties.get_mut(*name).and_then(|p| p.get_mut("type"))
            {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    properties[*name]["type"] = only;
                }
            }
        }
    }
    if let Value::Object(map) = schema {
        map.insert(
            "required".into(),
            Value::Array(
                required
                    .iter()
                    .map(|r| Value::String((*r).into()))
                    .collect(),
            ),
        );
    }
}

/// The derived schema as it is committed: pretty-printed with a trailing newline.
pub fn derive_text(model: Model) -> String {
    let mut text = serde_json::to_string_pretty(&derive(model)).unwrap_or_default();
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

/// The embedded committed schema of the latest model, parsed once.
pub fn builtin() -> &'static Value {
    static BUILTIN: OnceLock<Value> = OnceLock::new();
    BUILTIN.get_or_init(|| serde_json::from_str(COMMITTED_SCHEMA).unwrap_or(Value::Bool(true)))
}

/// The schema of `model`'s release: the committed one for the latest, else derived on first
/// use and kept for the process (rules read names from it for as long as it runs).
pub fn model_schema(model: Model) -> &'static Value {
    if model.is_latest() {
        return builtin();
    }
    static DERIVED: OnceLock<Vec<OnceLock<Value>>> = OnceLock::new();
    let slots = DERIVED.get_or_init(|| releases().iter().map(|_| OnceLock::new()).collect());
    match slots.get(model.index()) {
        Some(slot) => slot.get_or_init(|| derive(Model::at_release(model.index()))),
        None => builtin(),
    }
}

/// A compiled schema, ready to validate many documents from many threads.
pub struct CompiledSchema {
    /// Validates documents as parsed ([`crate::tree`]), not as `serde_json::Value`s.
    pub(crate) validator: jsonschema::Validator<Tree>,
    /// The model of a built-in Connection schema (model lint rules and list semantics
    /// apply); `None` for a user's schema.
    pub(crate) model: Option<Model>,
}

impl std::fmt::Debug for CompiledSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSchema")
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl CompiledSchema {
    /// Compiles the built-in Connection schema of the latest model.
    pub fn builtin() -> Result<Self, RunError> {
        Self::of_model(Model::latest())
    }

    /// Compiles the built-in Connection schema of `model`.
    pub fn of_model(model: Model) -> Result<Self, RunError> {
        let validator =
            compile(model_schema(model), None, Some(true)).map_err(|message| RunError::Schema {
                path: if model.is_latest() {
                    COMMITTED_SCHEMA_PATH.into()
                } else {
                    format!("the schema of the model of {}", model.date())
                },
                message,
            })?;
        Ok(Self {
            validator,
            model: Some(model),
        })
    }

    /// The schema of `model`, compiled once per run: the latest model's is
    /// [`shared_builtin`](Self::shared_builtin).
    pub fn for_model(model: Model) -> Result<Arc<Self>, RunError> {
        if model == Model::latest() {
            Self::shared_builtin()
        } else {
            Self::of_model(model).map(Arc::new)
        }
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
            model: None,
        })
    }

    /// Whether this is the built-in Connection schema.
    pub fn is_builtin(&self) -> bool {
        self.model.is_some()
    }

    /// The model of the built-in schema; `None` for a user's schema.
    pub fn model(&self) -> Option<Model> {
        self.model
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
    use crate::model::Model;

    fn committed(path: &str) -> String {
        let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&full).unwrap_or_else(|err| panic!("{full}: {err}"))
    }

    #[test]
    fn committed_schemas_match_derivation() {
        assert_eq!(
            COMMITTED_SCHEMA,
            derive_text(Model::latest()),
            "run `bash scripts/update-model.sh`"
        );
        for (model, path) in COMMITTED_SCHEMAS {
            let derived = derive_text(Model::parse(model).expect("a model"));
            assert!(
                committed(path) == derived,
                "{path} is stale: run `bash scripts/update-model.sh`"
            );
        }
    }

    fn names(schema: &Value, pointer: &str) -> Vec<String> {
        match schema.pointer(pointer) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The seed document's model, exactly: the lists in the vendored history's `seed_model`.
    #[test]
    fn the_seed_model_schema_is_the_seed_model() {
        let history: Value =
            serde_json::from_str(include_str!("model/history.json")).expect("history");
        let seed = &history["seed_model"];
        let schema = derive(Model::parse("2023-11-07").expect("a model"));
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let list = |key: &str| {
            sorted(
                seed[key]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect(),
            )
        };
        assert_eq!(sorted(names(&schema, "/properties")), list("fields"));
        assert_eq!(
            sorted(names(&schema, "/definitions/ConnectionAuth/properties")),
            list("auth")
        );
        assert_eq!(
            sorted(names(&schema, "/definitions/Category/enum")),
            list("categories")
        );
        assert_eq!(
            sorted(names(&schema, "/definitions/Permission/enum")),
            list("permissions")
        );
        assert_eq!(
            schema["required"],
            serde_json::json!(["categories", "integration_type", "permissions"])
        );
        assert_eq!(
            schema["$id"],
            "https://connlint.dev/schemas/connection-2023-11-07.schema.json"
        );
    }

    #[test]
    fn the_latest_schema_has_the_latest_counts() {
        let schema = builtin();
        assert_eq!(names(schema, "/properties").len(), 17);
        assert_eq!(
            names(schema, "/definitions/ConnectionAuth/properties").len(),
            26
        );
        assert_eq!(names(schema, "/definitions/Category/enum").len(), 34);
        assert_eq!(names(schema, "/definitions/Permission/enum").len(), 310);
        assert_eq!(
            schema["required"],
            serde_json::json!(["categories", "integration_type", "permissions"])
        );
        assert_eq!(schema["$id"], SCHEMA_ID);
    }

    /// PHP SDK 1.1.31 required `integration_name` for one day; required is never null.
    #[test]
    fn a_release_required_list_replaces_the_types_own() {
        let schema = derive(Model::parse("2025-02-05").expect("a model"));
        assert_eq!(
            schema["required"],
            serde_json::json!([
                "categories",
                "integration_name",
                "integration_type",
                "permissions"
            ])
        );
        assert_eq!(schema["properties"]["integration_name"]["type"], "string");
        let next = derive(Model::parse("2025-02-06").expect("a model"));
        assert_eq!(
            next["properties"]["integration_name"]["type"],
            serde_json::json!(["string", "null"])
        );
    }

    #[test]
    fn every_release_schema_compiles() {
        for index in 0..releases().len() {
            let model = Model::at_release(index);
            assert!(CompiledSchema::of_model(model).is_ok(), "{}", model.date());
        }
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
