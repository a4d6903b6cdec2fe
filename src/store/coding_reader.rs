//! A fast reader for coding files exactly as thematic writes them (see
//! `CodingFile::to_yaml`): coding files are most of a large project, and the general YAML
//! parser spends most of the time opening one. Anything not in exactly that shape (a file
//! edited by hand, an older layout) returns `None`, and the general parser reads it, with its
//! line-and-column errors; so this reader never decides what a file means on its own.

use super::files::CodingFile;
use crate::model::{CodeId, CoderId, Segment, SegmentId, TranscriptId};

/// Reads `text` if it is in the exact shape thematic writes.
pub fn read_coding(text: &str) -> Option<CodingFile> {
    let mut lines = text.split('\n');
    let transcript = TranscriptId::new(lines.next()?.strip_prefix("transcript: ")?).ok()?;
    let coder = CoderId::new(lines.next()?.strip_prefix("coder: ")?).ok()?;
    let mut line = lines.next()?;
    let done = line == "done: true";
    if done {
        line = lines.next()?;
    }
    let mut segments = Vec::new();
    match line {
        "segments: []" => {}
        "segments:" => {
            let mut next = lines.next()?;
            while let Some(id) = next.strip_prefix("- id: ") {
                let id = SegmentId::new(id).ok()?;
                let start: usize = lines.next()?.strip_prefix("  start: ")?.parse().ok()?;
                let end: usize = lines.next()?.strip_prefix("  end: ")?.parse().ok()?;
                let codes = lines
                    .next()?
                    .strip_prefix("  codes: [")?
                    .strip_suffix(']')?;
                let codes = codes
                    .split(", ")
                    .map(|c| CodeId::new(c).ok())
                    .collect::<Option<Vec<_>>>()?;
                let text = quoted(lines.next()?.strip_prefix("  text: ")?)?;
                let created = quoted(lines.next()?.strip_prefix("  created: ")?)?
                    .parse()
                    .ok()?;
                next = lines.next()?;
                let updated = match next.strip_prefix("  updated: ") {
                    Some(value) => {
                        next = lines.next()?;
                        Some(quoted(value)?.parse().ok()?)
                    }
                    None => None,
                };
                segments.push(Segment {
                    id,
                    start,
                    end,
                    codes,
                    text,
                    created,
                    updated,
                });
            }
            if !next.is_empty() {
                return None;
            }
        }
        _ => return None,
    }
    // Nothing may follow but the final newline.
    if lines.any(|l| !l.is_empty()) {
        return None;
    }
    Some(CodingFile {
        transcript,
        coder,
        done,
        segments,
    })
}

/// A double-quoted scalar with the escapes thematic writes; `None` for anything else.
/// Runs without a backslash are copied whole (the usual quote has none).
fn quoted(value: &str) -> Option<String> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    if memchr::memchr2(b'\\', b'"', inner.as_bytes()).is_none() {
        return Some(inner.to_string());
    }
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = memchr::memchr2(b'\\', b'"', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        if rest.as_bytes()[at] == b'"' {
            return None;
        }
        let mut chars = rest[at + 1..].chars();
        match chars.next()? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'u' => {
                let hex = chars.as_str().get(..4)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                chars = chars.as_str().get(4..)?.chars();
            }
            _ => return None,
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file(texts: Vec<String>, done: bool) -> CodingFile {
        let segments = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Segment {
                id: SegmentId::random(),
                start: i * 3,
                end: i * 3 + 2,
                codes: (0..=i % 3).map(|_| CodeId::random()).collect(),
                text,
                created: jiff::Timestamp::from_second(1_700_000_000 + i as i64).unwrap(),
                updated: (i % 2 == 1).then(jiff::Timestamp::now),
            })
            .collect();
        CodingFile {
            transcript: TranscriptId::new("p01").unwrap(),
            coder: CoderId::new("alex").unwrap(),
            done,
            segments,
        }
    }

    fn same(a: &CodingFile, b: &CodingFile) -> bool {
        a.transcript == b.transcript
            && a.coder == b.coder
            && a.done == b.done
            && a.segments == b.segments
    }

    proptest! {
        #[test]
        fn reads_what_the_writer_writes_as_the_yaml_parser_does(texts in prop::collection::vec(any::<String>(), 0..6), done in any::<bool>()) {
            let written = file(texts, done);
            let yaml = written.to_yaml();
            let fast = read_coding(&yaml).expect("the writer's own shape");
            let general: CodingFile = crate::store::yaml::parse(&yaml).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(same(&fast, &written));
            prop_assert!(same(&general, &written));
        }
    }

    #[test]
    fn anything_else_is_left_to_the_general_parser() {
        let yaml = file(vec!["a".into(), "b".into()], false).to_yaml();
        for changed in [
            yaml.replacen("  start:", "  start :", 1),
            yaml.replacen("text: \"a\"", "text: a", 1),
            yaml.replacen("transcript: p01", "# note\ntranscript: p01", 1),
            format!("{yaml}extra: 1\n"),
            yaml.replacen("\"a\"", "\"a\\x41\"", 1),
            yaml.replacen("segments:", "segments:  ", 1),
        ] {
            assert!(read_coding(&changed).is_none(), "{changed}");
        }
    }
}
