//! What the model says, one narrow function per fact, for hover and completion: the keys of
//! the object at a path, a key's description, type and secrecy, the allowed values of a list
//! property, a permission's category, and when something was added or removed.
//!
//! Everything is read from the built-in schema (`schema::builtin`, derived from `model.rs`)
//! and the rules' view of it (`rules::known`), never from copied lists. The dates come from
//! [`added`] and [`removed`] alone, so a model with a history only has to change those.

use serde_json::{Map, Value};

use crate::model::{List, Model};
use crate::rules::known::{known, sdk_name};

/// The schema object (a node with `properties`) reached by following `keys` from the
/// Connection, through `$ref`s and nullable `anyOf` branches.
fn object_at(keys: &[&str]) -> Option<&'static Map<String, Value>> {
    let schema = crate::schema::builtin();
    let mut node = schema;
    for key in keys {
        let property = node.get("properties")?.get(*key)?;
        node = deref(property)?;
    }
    node.get("properties")?.as_object()
}

/// The definition a property refers to, directly or through one `anyOf`/`oneOf` branch.
fn deref(property: &'static Value) -> Option<&'static Value> {
    let reference = property.get("$ref").and_then(Value::as_str).or_else(|| {
        ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| property.get(*k).and_then(Value::as_array))
            .flatten()
            .find_map(|b| b.get("$ref").and_then(Value::as_str))
    })?;
    let name = reference
        .strip_prefix("#/definitions/")
        .or_else(|| reference.strip_prefix("#/$defs/"))?;
    let schema = crate::schema::builtin();
    schema
        .get("definitions")
        .or_else(|| schema.get("$defs"))?
        .get(name)
}

/// The wire keys of the model object at `keys` (`[]` for the Connection, `["auth"]`), in
/// schema order; `None` where the model has no object.
pub(super) fn object_keys(keys: &[&str]) -> Option<Vec<&'static str>> {
    Some(object_at(keys)?.keys().map(String::as_str).collect())
}

/// The wire name `key` stands for in the object at `keys`: itself, or the wire name whose
/// SDK (camelCase) spelling it is.
pub(super) fn wire_name(keys: &[&str], key: &str) -> Option<&'static str> {
    let properties = object_at(keys)?;
    if let Some((wire, _)) = properties.get_key_value(key) {
        return Some(wire.as_str());
    }
    properties
        .keys()
        .find(|wire| sdk_name(wire) == key)
        .map(String::as_str)
}

/// What hover says about a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeyFacts {
    /// The wire name.
    pub(super) wire: &'static str,
    /// The schema's description.
    pub(super) description: Option<&'static str>,
    /// The type, in words (`string or null`, `array of Permission`).
    pub(super) type_text: String,
    /// Whether its value is a credential that connlint never shows.
    pub(super) secret: bool,
    /// Whether the object requires it.
    pub(super) required: bool,
}

/// The facts of the key `key` (wire or SDK spelling) of the object at `keys`.
pub(super) fn key_facts(keys: &[&str], key: &str) -> Option<KeyFacts> {
    let wire = wire_name(keys, key)?;
    let properties = object_at(keys)?;
    let property = properties.get(wire)?;
    let required = required_keys(keys).contains(&wire);
    Some(KeyFacts {
        wire,
        description: property.get("description").and_then(Value::as_str),
        type_text: type_text(property),
        secret: crate::redact::is_secret_key(wire),
        required,
    })
}

/// The keys the object at `keys` requires.
fn required_keys(keys: &[&str]) -> Vec<&'static str> {
    let schema = crate::schema::builtin();
    let mut node = schema;
    for key in keys {
        let Some(next) = node
            .get("properties")
            .and_then(|p| p.get(*key))
            .and_then(deref)
        else {
            return Vec::new();
        };
        node = next;
    }
    node.get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A property's type in words.
fn type_text(property: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut add = |text: String| {
        if !parts.contains(&text) {
            parts.push(text);
        }
    };
    match property.get("type") {
        Some(Value::String(t)) => add(one_type(t, property)),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .for_each(|t| add(one_type(t, property))),
        _ => {}
    }
    if let Some(reference) = property.get("$ref").and_then(Value::as_str) {
        add(ref_name(reference).to_string());
    }
    for branch in ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| property.get(*k).and_then(Value::as_array))
        .flatten()
    {
        add(type_text(branch));
    }
    if let Some(format) = property.get("format").and_then(Value::as_str) {
        if let Some(first) = parts.first_mut() {
            first.push_str(&format!(" ({format})"));
        }
    }
    if parts.is_empty() {
        "any JSON value".to_string()
    } else {
        parts.join(" or ")
    }
}

fn one_type(t: &str, property: &Value) -> String {
    if t != "array" {
        return t.to_string();
    }
    match property.get("items") {
        Some(items) => format!("array of {}", type_text(items)),
        None => "array".to_string(),
    }
}

fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// The allowed values of the list property `key` of a Connection (`categories`,
/// `permissions`); empty for any other key.
pub(super) fn list_values(key: &str) -> &'static [&'static str] {
    &known(Model::latest()).enum_list(key).values
}

/// The list of the model's history that `name` belongs to: a value of `categories` or
/// `permissions` when `keys` ends with one, else a key of the object at `keys` (the
/// Connection, or its `auth`).
fn history_entry(keys: &[&str], name: &str) -> Option<&'static crate::model::Entry> {
    let list = match keys {
        [.., "categories"] => List::Categories,
        [.., "permissions"] => List::Permissions,
        [] => List::Fields,
        [.., "auth"] => List::AuthFields,
        _ => return None,
    };
    list.find(name)
}

/// The category a current permission belongs to (`None`: none, or not a permission).
pub(super) fn permission_category(permission: &str) -> Option<&'static str> {
    crate::rules::category_of_permission(permission)
}

/// The date `name` (a key of the object at `keys`, or a category or permission value when
/// `keys` ends with `categories`/`permissions`) appeared in the model's history.
pub(super) fn added(keys: &[&str], name: &str) -> Option<String> {
    let entry = history_entry(keys, name)?;
    let release = entry.lifetime.added_in();
    Some(format!("{} (SDK {})", release.date, release.sdk_version))
}

/// When `name` (as for [`added`]) was removed from the model, if a release removed it.
pub(super) fn removed(keys: &[&str], name: &str) -> Option<String> {
    let release = history_entry(keys, name)?.lifetime.removed_in()?;
    Some(format!("{} (SDK {})", release.date, release.sdk_version))
}

/// What a permission or category value grants, in words; `None` for a value the model does
/// not have (it is never repeated back: it could be anything the user typed).
pub(super) fn value_meaning(list: &str, value: &str) -> Option<String> {
    match list {
        "categories" if list_values("categories").contains(&value) => {
            let permissions: Vec<&str> = list_values("permissions")
                .iter()
                .copied()
                .filter(|p| permission_category(p) == Some(value))
                .collect();
            Some(format!(
                "The `{value}` category: the connection may be used for this kind of \
                 integration. Its permissions: {}.",
                if permissions.is_empty() {
                    "none".to_string()
                } else {
                    permissions
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ))
        }
        "permissions" if list_values("permissions").contains(&value) => {
            Some(permission_text(value))
        }
        "permissions" if removed(&["permissions"], value).is_some() => Some(format!(
            "`{value}` is a permission the current model no longer has."
        )),
        _ => None,
    }
}

/// `crm_contact_read` → "Read access to CRM contact objects (category `crm`)."
fn permission_text(permission: &str) -> String {
    let category = permission_category(permission);
    let (rest, access) = match permission.rsplit_once('_') {
        Some((rest, "read")) => (rest, "Read"),
        Some((rest, "write")) => (rest, "Write"),
        _ => (permission, ""),
    };
    let object = match category {
        Some(c) => rest
            .strip_prefix(c)
            .map(|r| r.trim_start_matches('_'))
            .unwrap_or(rest),
        None => rest,
    };
    match (category, access) {
        (Some(category), access) if !access.is_empty() => format!(
            "{access} access to `{object}` objects of the `{category}` category; the \
             connection needs `{category}` in `categories`."
        ),
        (Some(category), _) => format!("A permission of the `{category}` category."),
        (None, _) => format!("`{permission}` belongs to no category."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_facts_come_from_the_model() {
        let root = object_keys(&[]).expect("connection");
        assert!(root.contains(&"integration_type") && root.contains(&"auth"));
        let auth = object_keys(&["auth"]).expect("auth object");
        assert!(auth.contains(&"access_token"));
        assert_eq!(object_keys(&["categories"]), None);
        let facts = key_facts(&["auth"], "accessToken").expect("sdk spelling");
        assert_eq!(facts.wire, "access_token");
        assert!(facts.secret);
        assert_eq!(facts.type_text, "string or null");
        let facts = key_facts(&[], "permissions").expect("permissions");
        assert!(facts.required && !facts.secret);
        assert_eq!(facts.type_text, "array of Permission");
        assert_eq!(
            key_facts(&[], "created_at").map(|f| f.type_text),
            Some("string (date-time) or null".to_string())
        );
    }

    #[test]
    fn permissions_know_their_category() {
        assert_eq!(permission_category("crm_contact_read"), Some("crm"));
        assert_eq!(permission_category("webhook"), None);
        assert!(list_values("permissions").contains(&"crm_contact_read"));
        let text = value_meaning("permissions", "crm_contact_read").expect("known");
        assert!(
            text.starts_with("Read access to `contact` objects of the `crm` category"),
            "{text}"
        );
        assert_eq!(value_meaning("permissions", "made_up"), None);
        assert!(removed(&["permissions"], "crm_user_read").is_some());
    }
}
