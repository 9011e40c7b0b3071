//! Sections checked against the JSON Schema of the document they belong to:
//! the host, not the phase, decides whether a section keeps its slot's
//! promise. One validator per section, built from the document schema's
//! `properties.KEY` with the document's `$defs`, so `$ref`s still resolve.

use serde_json::{Map, Value};

use super::Promise;

/// The section schemas of one document schema.
pub struct Sections {
    /// The schema's path in the repository, named in errors.
    name: &'static str,
    schema: Value,
}

impl Sections {
    /// `text` is the document schema shipped at `name` (embedded, so a
    /// broken schema is a test failure, not a user's problem).
    pub fn new(name: &'static str, text: &str) -> Self {
        let schema = serde_json::from_str(text).unwrap_or(Value::Null);
        Self { name, schema }
    }

    /// `schemas/plan.schema.json`.
    pub fn plan() -> Self {
        Self::new(
            "schemas/plan.schema.json",
            include_str!("../../schemas/plan.schema.json"),
        )
    }

    /// The promise that `key` is written with a value its schema accepts:
    /// its own, or the document's `additionalProperties` for a key the
    /// schema does not name (an added phase's); anything when neither says.
    pub fn promise(&self, key: &str) -> Promise {
        let section = self.schema["properties"]
            .get(key)
            .or_else(|| self.schema.get("additionalProperties"))
            .filter(|schema| schema.is_object())
            .cloned();
        let validator = section.map(|section| {
            let mut schema = Map::new();
            if let Some(defs) = self.schema.get("$defs") {
                schema.insert("$defs".into(), defs.clone());
            }
            if let Value::Object(section) = section {
                schema.extend(section);
            }
            jsonschema::validator_for(&Value::Object(schema))
        });
        let key_name = key.to_string();
        Promise {
            key: key.to_string(),
            schema: self.name,
            check: Box::new(move |value| match &validator {
                None => Ok(()),
                Some(Err(e)) => Err(format!("the schema of `{key_name}` is broken: {e}")),
                Some(Ok(validator)) => validator.validate(value).map_err(|e| {
                    let at = e.instance_path().to_string();
                    let message = e.to_string().replace('\n', " ");
                    if at.is_empty() {
                        message
                    } else {
                        format!("{message} at {at}")
                    }
                }),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_gates_checklist_is_checked_against_the_plan_schema() {
        let promise = Sections::plan().promise("pre_flight_checklist");
        let err = (promise.check)(&json!({"checks": []})).unwrap_err();
        assert!(err.contains("required"), "{err}");
        let err = (promise.check)(&json!({"status": "unavailable", "reason": "x"})).unwrap_err();
        assert!(!err.is_empty());
        assert!((promise.check)(&json!("x")).is_err());
    }

    #[test]
    fn refs_to_the_documents_defs_resolve() {
        let promise = Sections::plan().promise("strategy");
        assert!((promise.check)(&json!({"status": "unavailable", "reason": "r"})).is_ok());
        assert!((promise.check)(&json!({"anything": 1})).is_ok());
        assert!((promise.check)(&json!("a string")).is_err());
    }

    #[test]
    fn a_key_the_schema_does_not_name_is_an_added_section() {
        let promise = Sections::plan().promise("mine");
        assert!((promise.check)(&json!({"any": 1})).is_ok());
        assert!((promise.check)(&json!(1)).is_err());
        let open = Sections::new("open.json", r#"{"properties": {}}"#);
        assert!((open.promise("mine").check)(&json!(1)).is_ok());
    }
}
