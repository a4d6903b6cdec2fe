//! Transcript details from a CSV table: `file,participant,role,organisation,...`.
//! `file` is required and matched against the imported file's name; `participant`, `title`,
//! `order`, `date` and `id` fill those fields; every other column is an attribute.

use super::import::ImportDetails;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AttributeTableError {
    #[error("{path}: cannot read: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}", path = path.display())]
    Csv { path: PathBuf, message: String },
    #[error("{path}: no `file` column (the header must name it)", path = path.display())]
    NoFileColumn { path: PathBuf },
    #[error("{path}, row {row}: {message}", path = path.display())]
    BadValue {
        path: PathBuf,
        row: u64,
        message: String,
    },
}

const SPECIAL: [&str; 6] = ["file", "participant", "title", "order", "date", "id"];

/// Details per file name (the `file` column's last path component).
pub fn read_attribute_table(
    path: &Path,
) -> Result<BTreeMap<String, ImportDetails>, AttributeTableError> {
    let bytes = std::fs::read(path).map_err(|source| AttributeTableError::Io {
        path: path.into(),
        source,
    })?;
    parse_attribute_table(&bytes, path)
}

pub fn parse_attribute_table(
    bytes: &[u8],
    path: &Path,
) -> Result<BTreeMap<String, ImportDetails>, AttributeTableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let csv_err = |e: csv::Error| AttributeTableError::Csv {
        path: path.into(),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(|h| h.to_string())
        .collect();
    let lower: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    if !lower.iter().any(|h| h == "file") {
        return Err(AttributeTableError::NoFileColumn { path: path.into() });
    }
    let mut table = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(csv_err)?;
        let row = record.position().map_or(0, |p| p.line());
        let bad = |message: String| AttributeTableError::BadValue {
            path: path.into(),
            row,
            message,
        };
        let mut details = ImportDetails::default();
        let mut file = String::new();
        for (i, value) in record.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            match lower[i].as_str() {
                "file" => file = file_name_of(value),
                "participant" => details.participant = Some(value.into()),
                "title" => details.title = Some(value.into()),
                "id" => details.id = Some(value.into()),
                "order" => {
                    details.order = Some(
                        value
                            .parse()
                            .map_err(|_| bad(format!("order {value:?} is not a whole number")))?,
                    )
                }
                "date" => {
                    details.date = Some(
                        value
                            .parse()
                            .map_err(|_| bad(format!("date {value:?} is not YYYY-MM-DD")))?,
                    )
                }
                _ => {
                    details.attributes.insert(headers[i].clone(), value.into());
                }
            }
        }
        if file.is_empty() {
            return Err(bad("the `file` cell is empty".into()));
        }
        if table.insert(file.clone(), details).is_some() {
            return Err(bad(format!("{file} is listed twice")));
        }
    }
    Ok(table)
}

/// Attribute columns of the table, in header order (for the project's attribute schema).
pub fn is_attribute_column(header: &str) -> bool {
    !SPECIAL.contains(&header.to_lowercase().as_str())
}

/// The last component of a path written with either kind of slash.
pub fn file_name_of(value: &str) -> String {
    value
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(value)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_special_columns_and_attributes() {
        let csv = "\u{FEFF}file,participant,role,Organisation,order,date\ninterviews/p01.docx,Participant 1,Manager,\"Brookfield, Council\",1,2025-03-03\np02.txt,Participant 2,Coordinator,Larchmere,,\n";
        let table = parse_attribute_table(csv.as_bytes(), Path::new("a.csv")).unwrap();
        let p01 = &table["p01.docx"];
        assert_eq!(p01.participant.as_deref(), Some("Participant 1"));
        assert_eq!(p01.order, Some(1));
        assert_eq!(p01.attributes["Organisation"], "Brookfield, Council");
        assert_eq!(p01.attributes["role"], "Manager");
        assert_eq!(table["p02.txt"].order, None);
    }

    #[test]
    fn bad_rows_are_named() {
        let err =
            parse_attribute_table(b"file,order\na.txt,first\n", Path::new("a.csv")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.csv, row 2: order \"first\" is not a whole number"
        );
        assert!(matches!(
            parse_attribute_table(b"name\nx\n", Path::new("a.csv")),
            Err(AttributeTableError::NoFileColumn { .. })
        ));
        let err = parse_attribute_table(b"file,role\na.txt\n", Path::new("a.csv")).unwrap_err();
        assert!(err.to_string().contains("a.csv"), "{err}");
    }
}
