//! CSV of coded segments, for statistics packages and spreadsheets: one row per segment per
//! code, offsets in Unicode code points (chars), the recording's time where the transcript
//! has time codes, RFC 4180 quoting by the `csv` crate.

use crate::model::Project;
use std::collections::BTreeSet;
use std::io::Write;

/// The fixed columns; one column per attribute follows them.
pub const HEADER: [&str; 9] = [
    "transcript",
    "participant",
    "coder",
    "code",
    "code_path",
    "start",
    "end",
    "time",
    "text",
];

/// Attribute columns: those declared in thematic.yaml in their order, then any other
/// attribute a transcript carries, alphabetically.
pub fn attribute_columns(project: &Project) -> Vec<String> {
    let mut columns: Vec<String> = project
        .meta
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let declared: BTreeSet<String> = columns.iter().cloned().collect();
    let others: BTreeSet<&String> = project
        .transcripts_in_order()
        .into_iter()
        .flat_map(|t| t.meta.attributes.keys())
        .filter(|k| !declared.contains(*k))
        .collect();
    columns.extend(others.into_iter().cloned());
    columns
}

/// Writes every coder's segments, transcripts in interview order, segments in reading order,
/// codes in the order the segment lists them. Returns the number of rows written.
pub fn write_segments<W: Write>(project: &Project, out: W) -> Result<usize, csv::Error> {
    let attributes = attribute_columns(project);
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = HEADER.to_vec();
    header.extend(attributes.iter().map(String::as_str));
    writer.write_record(&header)?;
    let mut rows = 0;
    for transcript in project.transcripts_in_order() {
        let values: Vec<&str> = attributes
            .iter()
            .map(|a| transcript.meta.attributes.get(a).map_or("", String::as_str))
            .collect();
        for (coder, by_transcript) in project.codings() {
            let Some(segments) = by_transcript.get(&transcript.id) else {
                continue;
            };
            for segment in segments {
                for code in &segment.codes {
                    let name = project.codebook.get(code).map_or("", |c| c.name.as_str());
                    let (start, end) = (segment.start.to_string(), segment.end.to_string());
                    // The recording's time at the segment's start; empty where unknown.
                    let time = transcript
                        .time_at(segment.start)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                    let path = project.codebook.path(code);
                    let mut record: Vec<&str> = vec![
                        transcript.id.as_str(),
                        &transcript.meta.participant,
                        coder.as_str(),
                        name,
                        &path,
                        &start,
                        &end,
                        &time,
                        &segment.text,
                    ];
                    record.extend(values.iter().copied());
                    writer.write_record(&record)?;
                    rows += 1;
                }
            }
        }
    }
    writer.flush()?;
    Ok(rows)
}
