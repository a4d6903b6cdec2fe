//! How thematic's structured definitions travel in REFI-QDA's single `Description` field:
//! labelled paragraphs ("Inclusion: ...") that other programs show as plain text and that
//! come back apart on import.

/// A code's four-part definition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    pub description: String,
    pub inclusion: String,
    pub exclusion: String,
    pub example: String,
}

const INCLUSION: &str = "Inclusion: ";
const EXCLUSION: &str = "Exclusion: ";
const EXAMPLE: &str = "Example: ";
const VALUES: &str = "Values:";

pub fn render(parts: &Parts) -> String {
    let mut paragraphs = Vec::new();
    if !parts.description.is_empty() {
        paragraphs.push(parts.description.clone());
    }
    for (label, text) in [
        (INCLUSION, &parts.inclusion),
        (EXCLUSION, &parts.exclusion),
        (EXAMPLE, &parts.example),
    ] {
        if !text.is_empty() {
            paragraphs.push(format!("{label}{text}"));
        }
    }
    paragraphs.join("\n\n")
}

pub fn parse(text: &str) -> Parts {
    let text = text.replace("\r\n", "\n");
    let mut parts = Parts::default();
    let mut current = 0usize;
    let mut fields: [Vec<&str>; 4] = Default::default();
    for paragraph in text.trim().split("\n\n") {
        let (field, rest) = if let Some(rest) = paragraph.strip_prefix(INCLUSION) {
            (1, rest)
        } else if let Some(rest) = paragraph.strip_prefix(EXCLUSION) {
            (2, rest)
        } else if let Some(rest) = paragraph.strip_prefix(EXAMPLE) {
            (3, rest)
        } else {
            (current, paragraph)
        };
        current = field;
        fields[field].push(rest);
    }
    let joined = |f: &[&str]| f.join("\n\n").trim().to_string();
    parts.description = joined(&fields[0]);
    parts.inclusion = joined(&fields[1]);
    parts.exclusion = joined(&fields[2]);
    parts.example = joined(&fields[3]);
    parts
}

/// An attribute's description and its known values, as a variable's description.
pub fn render_attribute(description: &str, values: &[String]) -> String {
    let mut text = description.to_string();
    if !values.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(VALUES);
        for value in values {
            text.push_str("\n- ");
            text.push_str(value);
        }
    }
    text
}

pub fn parse_attribute(text: &str) -> (String, Vec<String>) {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    let (description, list) = match text.rfind(VALUES) {
        Some(at) if at == 0 || text[..at].ends_with("\n\n") => {
            (&text[..at], &text[at + VALUES.len()..])
        }
        _ => (text, ""),
    };
    let values = list
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .map(str::to_string)
        .collect();
    (description.trim().to_string(), values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_come_back_apart() {
        let parts = Parts {
            description: "What it is.\n\nSecond paragraph.".into(),
            inclusion: "Talk of X.".into(),
            exclusion: String::new(),
            example: "\"we did X\"".into(),
        };
        assert_eq!(parse(&render(&parts)), parts);
        assert_eq!(
            parse("  plain text from NVivo\n").description,
            "plain text from NVivo"
        );
    }

    #[test]
    fn attribute_values_come_back() {
        let values = vec!["Manager".to_string(), "Health professional".to_string()];
        let text = render_attribute("Job role", &values);
        assert_eq!(
            parse_attribute(&text),
            ("Job role".to_string(), values.clone())
        );
        assert_eq!(parse_attribute(&render_attribute("", &values)).1, values);
        assert_eq!(
            parse_attribute("Age in years"),
            ("Age in years".to_string(), vec![])
        );
    }
}
