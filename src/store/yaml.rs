//! YAML reading and writing with serde-saphyr, with limits suited to untrusted files and
//! errors that carry line and column.

use serde::{Serialize, de::DeserializeOwned};

/// Largest YAML file the store will parse.
pub const MAX_YAML_BYTES: usize = 32 * 1024 * 1024;

/// A YAML file that could not be read as what it should hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render_location(*line, *column, message))]
pub struct YamlError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

fn render_location(line: Option<u64>, column: Option<u64>, message: &str) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: {message}"),
        (Some(l), None) => format!("line {l}: {message}"),
        _ => message.to_string(),
    }
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // Project files are small and shallow: a deep or alias-heavy file is hostile.
    budget.max_depth = 200;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    }
}

/// Parses `text` as a `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            line: None,
            column: None,
            message: format!(
                "the file is {} bytes, more than the {} bytes a project file may have",
                text.len(),
                MAX_YAML_BYTES
            ),
        });
    }
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| {
        let location = e.location().filter(|l| l.line() > 0);
        YamlError {
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message: strip_location_suffix(&e.to_string()),
        }
    })
}

/// serde-saphyr appends " at line L, column C" to some messages; the location is reported
/// separately, so keep the message itself.
fn strip_location_suffix(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or(message);
    let message = match first_line.rfind(" at line ") {
        Some(i) => &first_line[..i],
        None => first_line,
    };
    // Advice meant for programmers using the library, not for someone fixing a file.
    message
        .trim_end_matches(", set DuplicateKeyPolicy in Options if acceptable")
        .to_string()
}

#[derive(Debug, thiserror::Error)]
#[error("could not write YAML: {0}")]
pub struct YamlWriteError(String);

/// Serialises `value` as YAML text.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlWriteError> {
    serde_saphyr::to_string(value).map_err(|e| YamlWriteError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: String,
        count: u32,
        #[serde(default)]
        notes: Vec<String>,
    }

    #[test]
    fn reports_line_and_column_of_a_type_error() {
        let err = parse::<Doc>("name: x\ncount: many\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.column.is_some(), "{err}");
        assert!(err.to_string().starts_with("line 2, column"), "{err}");
    }

    #[test]
    fn reports_syntax_errors_and_unknown_fields() {
        let err = parse::<Doc>("name: [unclosed\ncount: 1\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        let err = parse::<Doc>("name: x\ncount: 1\ncolour: red\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("colour"), "{err}");
    }

    #[test]
    fn refuses_alias_bombs_and_deep_nesting() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse::<serde::de::IgnoredAny>(&bomb).is_err());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse::<serde::de::IgnoredAny>(&deep).is_err());
    }

    #[test]
    fn hostile_strings_round_trip() {
        let notes: Vec<String> = [
            "no",
            "yes",
            "- x",
            "key: value",
            "# not a comment",
            "  leading spaces",
            "trailing spaces  ",
            "multi\nline\n\nwith blank",
            "ends with newline\n",
            "'quoted'",
            "\"double\"",
            "~",
            "null",
            "1e3",
            "0x10",
            "@at",
            "`tick",
            "* star",
            "&anchor",
            "!tag",
            "{flow}",
            "[seq]",
            "tab\there",
            "emoji 👩‍⚕️ and 医生",
            "",
            " ",
            "\n",
            "a\r\nb",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([("long ".repeat(500))])
        .collect();
        let doc = Doc {
            name: ":".into(),
            count: 7,
            notes,
        };
        let text = to_string(&doc).unwrap();
        assert_eq!(parse::<Doc>(&text).unwrap(), doc, "{text}");
    }
}
