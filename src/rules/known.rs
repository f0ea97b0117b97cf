//! What a model's schema defines, read once per release from `schema::model_schema`: the
//! model's objects (the Connection and the objects nested in it, such as `auth`), their
//! keys, and the lists of enum values (`categories`, `permissions`).
//!
//! Rules take their names from here rather than from hand-copied lists, so a change to
//! `model.rs` (and the regenerated schema) reaches every rule. This module reads the schema
//! only; it reports nothing. Rules run on every document, so lookups are hashed and walking
//! a document's model objects allocates nothing but the list it returns.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::model::{releases, Entry, List, Model};
use crate::tree;

use crate::pointer::escape_token;

/// The hasher for the schema's own short names: rustc's Fx hash, much cheaper than the
/// default SipHash on keys of a few bytes. The table keys come from the schema, not from
/// input, so hash flooding cannot make a lookup slow.
pub(crate) type FastHash = rustc_hash::FxBuildHasher;

/// What a key of a model object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// A wire property name.
    Wire,
    /// The SDK's camelCase spelling of this wire name.
    Sdk(&'static str),
}

/// One object type of the model: the Connection itself, or an object nested in it.
#[derive(Debug)]
pub(crate) struct ModelObject {
    /// How messages name it: "a Connection", "the `auth` object".
    pub name: String,
    /// Its wire (snake_case) property names, in schema order.
    pub keys: Vec<&'static str>,
    /// Wire names and SDK spellings (where they differ), for one lookup per key.
    lookup: HashMap<String, KeyKind, FastHash>,
    /// Properties whose value is itself a model object: key → index in [`Known::objects`].
    pub children: Vec<(&'static str, usize)>,
}

impl ModelObject {
    /// What `key` is in this object, if the model knows it.
    pub(crate) fn classify(&self, key: &str) -> Option<KeyKind> {
        self.lookup.get(key).copied()
    }
}

/// A top-level array property whose items are enum values (`categories`, `permissions`).
#[derive(Debug, Default)]
pub(crate) struct EnumList {
    /// The property's wire name.
    pub key: &'static str,
    /// The allowed values, in schema order.
    pub values: Vec<&'static str>,
    /// The same, hashed.
    set: HashSet<&'static str, FastHash>,
}

impl EnumList {
    /// Whether `value` is one of the allowed values.
    pub(super) fn allows(&self, value: &str) -> bool {
        self.set.contains(value)
    }
}

/// A place where a model object can appear in a Connection: the root, or a property of
/// another place. The places form a tree fixed by the model, so each has a static pointer.
#[derive(Debug)]
struct Place {
    /// Which model object is found here (index in [`Known::objects`]).
    object: usize,
    /// The enclosing place and the key leading here; `None` for the Connection itself.
    parent: Option<(usize, &'static str)>,
    /// This place's pointer relative to the Connection: `""`, `/auth`.
    suffix: String,
}

/// Everything rules need to know about the model.
#[derive(Debug)]
pub(crate) struct Known {
    /// Object types; index 0 is the Connection.
    pub objects: Vec<ModelObject>,
    /// The enum list properties.
    pub enum_lists: Vec<EnumList>,
    /// Where model objects appear, parents before children.
    places: Vec<Place>,
    /// Returned for a list the model does not have.
    no_list: EnumList,
}

impl Known {
    /// The enum list property `key` (an empty list if there is none).
    pub(crate) fn enum_list(&self, key: &str) -> &EnumList {
        self.enum_lists
            .iter()
            .find(|list| list.key == key)
            .unwrap_or(&self.no_list)
    }
}

/// The model of `model`'s release as its schema describes it, read on first use.
pub(crate) fn known(model: Model) -> &'static Known {
    static LATEST: OnceLock<Known> = OnceLock::new();
    static OLDER: OnceLock<Vec<OnceLock<Known>>> = OnceLock::new();
    if model.is_latest() {
        return LATEST.get_or_init(|| from_schema(crate::schema::builtin()));
    }
    let slots = OLDER.get_or_init(|| releases().iter().map(|_| OnceLock::new()).collect());
    match slots.get(model.index()) {
        Some(slot) => slot.get_or_init(|| from_schema(crate::schema::model_schema(model))),
        None => LATEST.get_or_init(|| from_schema(crate::schema::builtin())),
    }
}

/// Reads the model from a schema shaped like the one schemars derives: object properties,
/// nested objects as `$ref`s (possibly inside `anyOf`/`oneOf` for nullable ones), enums in
/// `definitions` (draft 7) or `$defs` (2019-09 and later).
fn from_schema(schema: &'static Value) -> Known {
    let defs = schema
        .get("definitions")
        .or_else(|| schema.get("$defs"))
        .and_then(Value::as_object);
    let mut objects = vec![object_skeleton("a Connection".to_string(), schema)];
    // Definitions already turned into objects, by `$ref`: shared, and a cycle stops here.
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    let mut pending: Vec<(usize, &'static Value)> = vec![(0, schema)];
    while let Some((index, node)) = pending.pop() {
        let Some(properties) = node.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (key, property) in properties {
            let Some((reference, def)) = object_ref(property, defs) else {
                continue;
            };
            let child = match seen.iter().find(|(r, _)| *r == reference) {
                Some((_, child)) => *child,
                None => {
                    let child = objects.len();
                    objects.push(object_skeleton(format!("the `{key}` object"), def));
                    seen.push((reference, child));
                    pending.push((child, def));
                    child
                }
            };
            objects[index].children.push((key.as_str(), child));
        }
    }
    let enum_lists = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(key, property)| {
            let reference = property.get("items")?.get("$ref")?.as_str()?;
            let def = resolve(reference, defs)?;
            let values: Vec<&'static str> = def
                .get("enum")?
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let set = values.iter().copied().collect();
            Some(EnumList {
                key: key.as_str(),
                values,
                set,
            })
        })
        .collect();
    let places = places(&objects);
    Known {
        objects,
        enum_lists,
        places,
        no_list: EnumList::default(),
    }
}

/// Unfolds the object graph into the tree of places, breadth first. An object already on a
/// place's own path is not entered again, so a recursive model still gives a finite tree.
fn places(objects: &[ModelObject]) -> Vec<Place> {
    let mut places = vec![Place {
        object: 0,
        parent: None,
        suffix: String::new(),
    }];
    let mut next = 0;
    while next < places.len() {
        let mut children = Vec::new();
        if let Some(object) = objects.get(places[next].object) {
            for (key, child) in &object.children {
                if !on_path(&places, next, *child) {
                    children.push(Place {
                        object: *child,
                        parent: Some((next, key)),
                        suffix: format!("{}/{}", places[next].suffix, escape_token(key)),
                    });
                }
            }
        }
        places.extend(children);
        next += 1;
    }
    places
}

/// Whether `object` is found at `place` or at one of its ancestors.
fn on_path(places: &[Place], mut place: usize, object: usize) -> bool {
    loop {
        if places[place].object == object {
            return true;
        }
        match places[place].parent {
            Some((parent, _)) => place = parent,
            None => return false,
        }
    }
}

fn object_skeleton(name: String, node: &'static Value) -> ModelObject {
    let keys: Vec<&'static str> = node
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut lookup: HashMap<String, KeyKind, FastHash> = HashMap::default();
    for wire in &keys {
        let sdk = sdk_name(wire);
        if sdk != *wire {
            lookup.insert(sdk, KeyKind::Sdk(wire));
        }
    }
    // Inserted last: a wire name is a wire name even if it looked like another's SDK name.
    for wire in &keys {
        lookup.insert((*wire).to_string(), KeyKind::Wire);
    }
    ModelObject {
        name,
        keys,
        lookup,
        children: Vec::new(),
    }
}

/// The object definition a property refers to, directly or as one branch of `anyOf`/`oneOf`.
fn object_ref(
    property: &'static Value,
    defs: Option<&'static Map<String, Value>>,
) -> Option<(&'static str, &'static Value)> {
    let direct = property.get("$ref").and_then(Value::as_str);
    let branch = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| property.get(*k).and_then(Value::as_array))
        .flatten()
        .find_map(|b| b.get("$ref").and_then(Value::as_str));
    let reference = direct.or(branch)?;
    let def = resolve(reference, defs)?;
    def.get("properties")?;
    Some((reference, def))
}

fn resolve(reference: &str, defs: Option<&'static Map<String, Value>>) -> Option<&'static Value> {
    let name = reference
        .strip_prefix("#/definitions/")
        .or_else(|| reference.strip_prefix("#/$defs/"))?;
    defs?.get(name)
}

/// The SDK's spelling of a wire name: `auth_aws_arn` → `authAwsArn`.
pub(crate) fn sdk_name(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for (i, part) in wire.split('_').enumerate() {
        let mut chars = part.chars();
        match chars.next() {
            Some(first) if i > 0 => {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// The wire name an SDK spelling stands for: `integrationName` → `integration_name`.
pub(crate) fn wire_name(sdk: &str) -> String {
    let mut out = String::with_capacity(sdk.len() + 4);
    for c in sdk.chars() {
        if c.is_uppercase() {
            out.push('_');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// One object of the checked value that is a model object.
#[derive(Debug)]
pub(crate) struct ObjectAt<'v> {
    /// The Connection's pointer in the file (`""`, or `/3` in a list file).
    prefix: &'v str,
    /// Which place of the model it is.
    place: usize,
    /// Its members.
    pub map: &'v tree::Object<'v>,
    /// What the model says it is.
    pub model: &'static ModelObject,
    /// The whole model it is part of.
    pub known: &'static Known,
    /// What each member's key is, in member order (`None`: not the model's).
    kinds: Vec<Option<KeyKind>>,
}

impl<'v> ObjectAt<'v> {
    /// Its members in document order, each with what its key is to the model.
    pub(crate) fn members(
        &self,
    ) -> impl Iterator<Item = (&'v str, &'v tree::Value<'v>, Option<KeyKind>)> + '_ {
        self.map
            .iter()
            .zip(&self.kinds)
            .map(|((key, value), kind)| (key, value, *kind))
    }

    /// Its JSON pointer in the file.
    pub(crate) fn pointer(&self) -> String {
        let suffix = self.known.places.get(self.place).map_or("", |p| &p.suffix);
        format!("{}{suffix}", self.prefix)
    }

    /// The history of this object's keys: the Connection's fields, or its `auth` object's.
    pub(crate) fn history(&self) -> Option<List> {
        match self.known.places.get(self.place).map(|p| p.suffix.as_str()) {
            Some("") => Some(List::Fields),
            Some("/auth") => Some(List::AuthFields),
            _ => None,
        }
    }

    /// What the history knows of the key `key` of this object, by its wire name or the
    /// wire name of its SDK spelling (`integrationName` → `integration_name`).
    pub(crate) fn key_history(&self, key: &str) -> Option<&'static Entry> {
        let list = self.history()?;
        list.find(key).or_else(|| list.find(&wire_name(key)))
    }

    /// The pointer of the member `key` (the place a finding about that key points at).
    pub(crate) fn member_pointer(&self, key: &str) -> String {
        format!("{}/{}", self.pointer(), escape_token(key))
    }
}

/// Every model object in the Connection `value` (at `prefix` in its file): the Connection
/// itself, then nested objects (`auth`) that are JSON objects, each key classified once for
/// all rules. Free-form objects (`auth.meta`) are not model objects. Iterates over the model's
/// places, not over the input, so nothing recurses. Rules get this through
/// [`Context::objects`], which computes it once per Connection.
pub(crate) fn objects<'v>(
    value: &'v tree::Value<'v>,
    prefix: &'v str,
    known: &'static Known,
) -> Vec<ObjectAt<'v>> {
    let Some(root) = value.as_object() else {
        return Vec::new();
    };
    let mut found: Vec<ObjectAt<'v>> = Vec::with_capacity(known.places.len());
    for (index, place) in known.places.iter().enumerate() {
        let map = match place.parent {
            None => Some(root),
            Some((parent, key)) => found
                .iter()
                .find(|o| o.place == parent)
                .and_then(|o| o.map.get(key))
                .and_then(tree::Value::as_object),
        };
        if let (Some(map), Some(model)) = (map, known.objects.get(place.object)) {
            found.push(ObjectAt {
                prefix,
                place: index,
                map,
                model,
                known,
                kinds: map.keys().map(|key| model.classify(key)).collect(),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::Context;
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_connection_and_auth_from_the_schema() {
        let known = known(Model::latest());
        assert_eq!(known.objects.len(), 2);
        let connection = &known.objects[0];
        assert_eq!(connection.classify("integration_type"), Some(KeyKind::Wire));
        assert_eq!(
            connection.classify("integrationType"),
            Some(KeyKind::Sdk("integration_type"))
        );
        assert!(connection
            .keys
            .iter()
            .all(|k| connection.classify(k) == Some(KeyKind::Wire)));
        assert_eq!(connection.children, vec![("auth", 1)]);
        let auth = &known.objects[1];
        assert_eq!(auth.classify("expires_in"), Some(KeyKind::Wire));
        assert_eq!(auth.name, "the `auth` object");
        assert_eq!(
            auth.classify("refreshTokenExpiresIn"),
            Some(KeyKind::Sdk("refresh_token_expires_in"))
        );
        // Single-word keys are spelt the same in both: nothing to flag.
        assert_eq!(connection.classify("auth"), Some(KeyKind::Wire));
        assert_eq!(connection.classify("expiresIn"), None);
        let suffixes: Vec<&str> = known.places.iter().map(|p| p.suffix.as_str()).collect();
        assert_eq!(suffixes, vec!["", "/auth"]);
    }

    #[test]
    fn reads_the_enum_lists_from_the_schema() {
        let known = known(Model::latest());
        assert_eq!(known.enum_list("categories").values.len(), 34);
        assert_eq!(known.enum_list("permissions").values.len(), 310);
        let seed = super::known(Model::parse("2023-11-07").expect("a model"));
        assert_eq!(seed.enum_list("categories").values.len(), 10);
        assert_eq!(seed.enum_list("permissions").values.len(), 49);
        assert!(!seed.enum_list("permissions").allows("lms_course_read"));
        assert!(seed
            .enum_list("permissions")
            .allows("accounting_customer_read"));
        assert!(known.enum_list("permissions").allows("crm_contact_read"));
        assert!(!known.enum_list("permissions").allows("crm_user_read"));
        assert!(known.enum_list("emails").values.is_empty());
        assert!(!known.enum_list("emails").allows(""));
    }

    #[test]
    fn a_recursive_model_unfolds_to_a_finite_tree() {
        let schema: &'static Value = Box::leak(Box::new(json!({
            "properties": {"child": {"$ref": "#/$defs/Node"}},
            "$defs": {"Node": {"properties": {
                "next": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
                "leaf_value": {"type": "string"}
            }}}
        })));
        let known = from_schema(schema);
        assert_eq!(known.objects.len(), 2);
        let suffixes: Vec<&str> = known.places.iter().map(|p| p.suffix.as_str()).collect();
        assert_eq!(suffixes, vec!["", "/child"]);
        assert_eq!(
            known.objects[1].classify("leafValue"),
            Some(KeyKind::Sdk("leaf_value"))
        );
    }

    #[test]
    fn sdk_names_are_camel_case() {
        assert_eq!(wire_name("integrationName"), "integration_name");
        assert_eq!(sdk_name("auth_aws_arn"), "authAwsArn");
        assert_eq!(sdk_name("id"), "id");
    }

    #[test]
    fn objects_walks_auth_but_not_meta_or_non_objects() {
        let value = tree::Value::from_serde(&json!({"auth": {"meta": {"x": {}}, "name": "n"}}));
        let ctx = Context::new(&value, "/2", Model::latest());
        let pointers: Vec<String> = ctx.objects().iter().map(ObjectAt::pointer).collect();
        assert_eq!(pointers, vec!["/2", "/2/auth"]);
        assert_eq!(ctx.objects()[1].member_pointer("a/b"), "/2/auth/a~1b");

        let value = tree::Value::from_serde(&json!({"auth": "Bearer x"}));
        let ctx = Context::new(&value, "", Model::latest());
        assert_eq!(ctx.objects().len(), 1);
        let value = tree::Value::from_serde(&json!(["not", "an", "object"]));
        let ctx = Context::new(&value, "", Model::latest());
        assert!(ctx.objects().is_empty());
    }
}
