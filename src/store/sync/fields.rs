//! The columns of a row pulled from the hub, parsed once from the JSON object the hub sends.
//!
//! A first pull brings millions of rows of a dozen columns or more; as a `serde_json::Map`, each
//! cost a tree node and a string per name and per text (two thirds of the pulling thread went
//! to allocating and freeing them). Here a row's names and texts are copied, unescaped, into one
//! buffer and its values are ranges of it: a row costs two allocations, and the values are
//! handed to SQLite borrowed from it.

use std::fmt;
use std::ops::Range;

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::store::sums::PulledCard;
use crate::store::{Refusal, Result, StoreError};

/// A pulled row's columns, by name, in the order the hub sent them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    text: String,
    fields: Vec<(Range<usize>, Field)>,
}

/// One column's value; texts are ranges of the row's buffer.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    Null,
    Integer(i64),
    Real(f64),
    Text(Range<usize>),
    /// An array or object: no column holds one, so writing it is refused.
    Nested,
}

impl Fields {
    /// Parses a JSON object of scalars (a true or false becomes 1 or 0, as SQLite keeps them).
    pub fn parse(json: &str) -> serde_json::Result<Fields> {
        let mut fields = Fields {
            text: String::with_capacity(json.len()),
            fields: Vec::with_capacity(24),
        };
        let mut de = serde_json::Deserializer::from_str(json);
        de.deserialize_map(Row(&mut fields))?;
        de.end()?;
        Ok(fields)
    }

    /// The names of the columns, in order.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.fields.iter().map(|(name, _)| &self.text[name.clone()])
    }

    /// The values as SQLite takes them, texts borrowed, in the order of [`Fields::names`].
    pub fn values(&self) -> impl Iterator<Item = Result<ToSqlOutput<'_>>> {
        self.fields
            .iter()
            .map(|(name, field)| self.sql(name, field))
    }

    /// The value of column `name` (NULL when the row does not have it; the last one when it
    /// has it twice).
    pub fn get(&self, name: &str) -> Result<ToSqlOutput<'_>> {
        match self
            .fields
            .iter()
            .rfind(|(n, _)| &self.text[n.clone()] == name)
        {
            Some((n, field)) => self.sql(n, field),
            None => Ok(ToSqlOutput::Owned(SqlValue::Null)),
        }
    }

    /// The text of column `name`, empty if it has none.
    pub fn text(&self, name: &str) -> &str {
        match self.get(name) {
            Ok(ToSqlOutput::Borrowed(ValueRef::Text(t))) => std::str::from_utf8(t).unwrap_or(""),
            _ => "",
        }
    }

    /// Whether column `name` is a text equal to `value` (the last one when it has it twice).
    pub fn is_text(&self, name: &str, value: &str) -> bool {
        matches!(self.get(name), Ok(ToSqlOutput::Borrowed(ValueRef::Text(t))) if t == value.as_bytes())
    }

    /// The columns of a pulled card that a first pull sums as it writes them (see
    /// `Tx::restore_derived`), read in one pass over the row: a million rows, no lookup of each
    /// name.
    pub(in crate::store) fn card(&self) -> PulledCard<'_> {
        let mut card = PulledCard {
            alive: true,
            ..PulledCard::default()
        };
        for (name, field) in &self.fields {
            let text = match field {
                Field::Text(t) => &self.text[t.clone()],
                _ => "",
            };
            let number = match field {
                Field::Integer(i) => Some(*i),
                _ => None,
            };
            match &self.text[name.clone()] {
                "funnel_id" => card.funnel_id = text,
                "owner" => card.owner = text,
                "team" => card.team = text,
                "region" => card.region = text,
                "territory" => card.territory = text,
                "account" => card.account = text,
                "created" => card.created = text,
                "closed" => card.closed = text,
                "stage" => card.stage = number,
                "status" => card.status = number,
                "period" => card.period = number,
                "value_cents" => card.value_cents = number,
                "deleted_at" => card.alive = matches!(field, Field::Null),
                _ => {}
            }
        }
        card
    }

    /// The row as a JSON object (a conflict keeps the version it lost).
    pub fn to_map(&self) -> Map<String, Value> {
        self.fields
            .iter()
            .map(|(name, field)| {
                let value = match field {
                    Field::Null | Field::Nested => Value::Null,
                    Field::Integer(i) => (*i).into(),
                    Field::Real(f) => (*f).into(),
                    Field::Text(t) => self.text[t.clone()].into(),
                };
                (self.text[name.clone()].to_owned(), value)
            })
            .collect()
    }

    fn sql(&self, name: &Range<usize>, field: &Field) -> Result<ToSqlOutput<'_>> {
        Ok(match field {
            Field::Null => ToSqlOutput::Owned(SqlValue::Null),
            Field::Integer(i) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
            Field::Real(f) => ToSqlOutput::Owned(SqlValue::Real(*f)),
            Field::Text(t) => {
                ToSqlOutput::Borrowed(ValueRef::Text(self.text[t.clone()].as_bytes()))
            }
            Field::Nested => {
                let column = self.text[name.clone()].to_owned();
                return Err(Refusal::Nested { column }.into());
            }
        })
    }
}

impl TryFrom<&Map<String, Value>> for Fields {
    type Error = StoreError;

    fn try_from(map: &Map<String, Value>) -> Result<Fields> {
        let json = serde_json::to_string(map).map_err(Refusal::Json)?;
        Ok(Fields::parse(&json).map_err(Refusal::Json)?)
    }
}

/// Appends a string to the row's buffer; yields its range there.
struct Append<'a>(&'a mut String);

impl Append<'_> {
    fn push(self, s: &str) -> Range<usize> {
        let start = self.0.len();
        self.0.push_str(s);
        start..self.0.len()
    }
}

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = Range<usize>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Range<usize>, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Append<'_> {
    type Value = Range<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a column name")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Range<usize>, E> {
        Ok(self.push(s))
    }
}

/// One value, its text (if any) appended to the row's buffer.
struct ColumnValue<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for ColumnValue<'_> {
    type Value = Field;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Field, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ColumnValue<'_> {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a column value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Field, E> {
        Ok(Field::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Field, E> {
        Ok(Field::Integer(i64::from(b)))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Field, E> {
        Ok(Field::Integer(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Field, E> {
        // Past SQLite's integers, a real, as serde_json's own numbers become.
        Ok(i64::try_from(u).map_or(Field::Real(u as f64), Field::Integer))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Field, E> {
        Ok(Field::Real(f))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Field, E> {
        Ok(Field::Text(Append(self.0).push(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Nested)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Nested)
    }
}

/// The row's object: each name and value in turn.
struct Row<'a>(&'a mut Fields);

impl<'de> Visitor<'de> for Row<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row as a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Fields { text, fields } = self.0;
        while let Some(name) = map.next_key_seed(Append(text))? {
            let value = map.next_value_seed(ColumnValue(text))?;
            fields.push((name, value));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_keeps_its_columns_in_order_with_escapes_undone() {
        let row = Fields::parse(
            r#"{"title":"Say \"hi\" \u00e9","value_cents":120,"rate":0.5,"done":true,"lost":null}"#,
        )
        .unwrap();
        assert_eq!(
            row.names().collect::<Vec<_>>(),
            ["title", "value_cents", "rate", "done", "lost"]
        );
        assert_eq!(row.text("title"), "Say \"hi\" é");
        let values: Vec<SqlValue> = row
            .values()
            .map(|v| match v.unwrap() {
                ToSqlOutput::Borrowed(ValueRef::Text(t)) => {
                    SqlValue::Text(String::from_utf8(t.to_vec()).unwrap())
                }
                ToSqlOutput::Owned(v) => v,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            values,
            [
                SqlValue::Text("Say \"hi\" é".into()),
                SqlValue::Integer(120),
                SqlValue::Real(0.5),
                SqlValue::Integer(1),
                SqlValue::Null
            ]
        );
        assert_eq!(
            Value::Object(row.to_map()),
            serde_json::json!({"title": "Say \"hi\" é", "value_cents": 120, "rate": 0.5,
                "done": 1, "lost": null})
        );
    }

    #[test]
    fn a_nested_value_is_refused_when_written_a_repeated_name_read_last_and_other_json_not_parsed()
    {
        let row = Fields::parse(r#"{"id":"a","stage":[99,{"x":1}],"id":"b"}"#).unwrap();
        assert_eq!(row.text("id"), "b", "the last of a name sent twice");
        let err = row.get("stage").unwrap_err();
        assert!(err.to_string().contains("nested value in stage"), "{err}");
        for broken in [r#"["a"]"#, r#"{"a":1"#, r#"{"a":1} x"#, "7"] {
            assert!(Fields::parse(broken).is_err(), "{broken}");
        }
    }
}
