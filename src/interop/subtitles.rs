//! WebVTT and SRT captions, as produced by Zoom, Teams and recording tools, turned into
//! transcript turns: "[00:01:23] Speaker: what they said". Consecutive cues of one speaker
//! become one turn, since recorders cut a turn into many short cues.

use crate::text::turns::split_speaker;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubtitleError {
    #[error("not a WebVTT file: the first line must be WEBVTT")]
    MissingHeader,
    #[error("line {line}: {message}")]
    Bad { line: usize, message: String },
    #[error("no captions found")]
    Empty,
}

/// Cues without a speaker are joined into one paragraph until it is about this long.
const UNNAMED_PARAGRAPH_CHARS: usize = 500;

#[derive(Debug)]
struct Cue {
    start_seconds: u64,
    speaker: Option<String>,
    text: String,
}

pub fn vtt_to_text(input: &str) -> Result<String, SubtitleError> {
    let input = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    let first = input.lines().next().unwrap_or("");
    if !(first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t")) {
        return Err(SubtitleError::MissingHeader);
    }
    let cues = parse_blocks(input, true)?;
    join_cues(cues)
}

pub fn srt_to_text(input: &str) -> Result<String, SubtitleError> {
    let input = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    let cues = parse_blocks(input, false)?;
    join_cues(cues)
}

/// Splits into blank-line separated blocks and reads each cue block.
fn parse_blocks(input: &str, vtt: bool) -> Result<Vec<Cue>, SubtitleError> {
    let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
    let mut cues = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let lines: Vec<&str> = normalised.split('\n').collect();
    for (n, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            if let Some(cue) = read_cue(&block, vtt)? {
                cues.push(cue);
            }
            block.clear();
        } else {
            block.push((n + 1, line));
        }
    }
    if let Some(cue) = read_cue(&block, vtt)? {
        cues.push(cue);
    }
    if cues.is_empty() {
        return Err(SubtitleError::Empty);
    }
    Ok(cues)
}

fn read_cue(block: &[(usize, &str)], vtt: bool) -> Result<Option<Cue>, SubtitleError> {
    let Some(timing_at) = block.iter().position(|(_, l)| l.contains("-->")) else {
        // Header, NOTE, STYLE and REGION blocks in WebVTT; a stray number in SRT.
        let is_known = block.is_empty()
            || block[0].1.starts_with("WEBVTT")
            || ["NOTE", "STYLE", "REGION"]
                .iter()
                .any(|k| block[0].1.starts_with(k))
            || (!vtt && block.len() == 1 && block[0].1.trim().chars().all(|c| c.is_ascii_digit()));
        return if is_known {
            Ok(None)
        } else {
            Err(SubtitleError::Bad {
                line: block[0].0,
                message: "expected a timing line such as 00:00:01.000 --> 00:00:04.000".into(),
            })
        };
    };
    if block[..timing_at]
        .iter()
        .any(|(_, l)| l.starts_with("NOTE"))
    {
        return Ok(None);
    }
    let (line_no, timing) = block[timing_at];
    let start = timing.split("-->").next().unwrap_or("").trim();
    let start_seconds = parse_timestamp(start).ok_or_else(|| SubtitleError::Bad {
        line: line_no,
        message: format!("cannot read the time {start:?}"),
    })?;
    let mut speaker = None;
    let mut parts = Vec::new();
    for (_, raw) in &block[timing_at + 1..] {
        let (voice, rest) = take_voice(raw);
        if voice.is_some() {
            speaker = voice;
        }
        let clean = strip_markup(rest);
        let clean = clean.trim();
        let clean = match split_speaker(clean) {
            Some((label, speech)) if speaker.is_none() => {
                speaker = Some(label.to_string());
                speech.trim().to_string()
            }
            _ => clean.to_string(),
        };
        if !clean.is_empty() {
            parts.push(clean);
        }
    }
    Ok(Some(Cue {
        start_seconds,
        speaker,
        text: parts.join(" "),
    }))
}

/// WebVTT voice span `<v Name>` or `<v.loud Name>` at the start of a line.
fn take_voice(line: &str) -> (Option<String>, &str) {
    let Some(rest) = line.trim_start().strip_prefix("<v") else {
        return (None, line);
    };
    if !rest.starts_with([' ', '.']) {
        return (None, line);
    }
    let Some(close) = rest.find('>') else {
        return (None, line);
    };
    let inside = &rest[..close];
    let name = inside.split_once(' ').map_or("", |(_, n)| n).trim();
    let name = (!name.is_empty()).then(|| decode_entities(name));
    (name, &rest[close + 1..])
}

/// Removes `<i>`, `</v>`, `<00:00:01.000>` and `{\an8}` style markup and decodes entities.
fn strip_markup(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth_angle = false;
    let mut depth_brace = false;
    for c in line.chars() {
        match c {
            '<' if !depth_brace => depth_angle = true,
            '>' if depth_angle => depth_angle = false,
            '{' if !depth_angle && line.contains('}') => depth_brace = true,
            '}' if depth_brace => depth_brace = false,
            c if !depth_angle && !depth_brace => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&amp;", "&")
}

/// `hh:mm:ss.ttt`, `mm:ss.ttt` or SRT's `hh:mm:ss,ttt`, to whole seconds.
fn parse_timestamp(s: &str) -> Option<u64> {
    let main = s.split(['.', ',']).next()?;
    let fields: Vec<u64> = main
        .split(':')
        .map(|f| f.trim().parse::<u64>().ok())
        .collect::<Option<_>>()?;
    match fields.as_slice() {
        [m, sec] if *sec < 60 => Some(m * 60 + sec),
        [h, m, sec] if *m < 60 && *sec < 60 => Some(h * 3600 + m * 60 + sec),
        _ => None,
    }
}

fn format_time(seconds: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn join_cues(cues: Vec<Cue>) -> Result<String, SubtitleError> {
    let mut turns: Vec<Cue> = Vec::new();
    for cue in cues.into_iter().filter(|c| !c.text.is_empty()) {
        match turns.last_mut() {
            Some(last)
                if last.speaker == cue.speaker
                    && (cue.speaker.is_some() || last.text.len() < UNNAMED_PARAGRAPH_CHARS) =>
            {
                last.text.push(' ');
                last.text.push_str(&cue.text);
            }
            _ => turns.push(cue),
        }
    }
    if turns.is_empty() {
        return Err(SubtitleError::Empty);
    }
    let paragraphs: Vec<String> = turns
        .iter()
        .map(|t| match &t.speaker {
            Some(name) => format!("[{}] {name}: {}", format_time(t.start_seconds), t.text),
            None => format!("[{}] {}", format_time(t.start_seconds), t.text),
        })
        .collect();
    Ok(paragraphs.join("\n\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vtt_voices_are_merged_into_turns() {
        let vtt = "WEBVTT\n\nNOTE recorded on Teams\n\n1\n00:00:01.000 --> 00:00:03.500\n<v Interviewer>How did it start?</v>\n\n2\n00:00:04.000 --> 00:00:06.000 align:start\n<v Participant 3>Well, &amp; <i>slowly</i>.\n\n3\n00:01:06.000 --> 00:01:08.000\n<v Participant 3>Then faster.\n";
        assert_eq!(
            vtt_to_text(vtt).unwrap(),
            "[00:00:01] Interviewer: How did it start?\n\n[00:00:04] Participant 3: Well, & slowly. Then faster.\n"
        );
    }

    #[test]
    fn vtt_needs_its_header() {
        assert_eq!(
            vtt_to_text("00:00:01.000 --> 00:00:02.000\nhi"),
            Err(SubtitleError::MissingHeader)
        );
    }

    #[test]
    fn srt_with_name_prefixes_crlf_and_markup() {
        let srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nDr Shah: {\\an8}Hello there.\r\n\r\n2\r\n00:00:02,500 --> 00:00:04,000\r\nDr Shah: And welcome.\r\n\r\n3\r\n01:02:03,000 --> 01:02:05,000\r\nP4: 谢谢 👍\r\n";
        assert_eq!(
            srt_to_text(srt).unwrap(),
            "[00:00:01] Dr Shah: Hello there. And welcome.\n\n[01:02:03] P4: 谢谢 👍\n"
        );
    }

    #[test]
    fn bad_timing_is_reported_with_its_line() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nxx:00 --> 00:00:04,000\nno\n";
        assert_eq!(
            srt_to_text(srt),
            Err(SubtitleError::Bad {
                line: 6,
                message: "cannot read the time \"xx:00\"".into()
            })
        );
        assert_eq!(srt_to_text("\n\n"), Err(SubtitleError::Empty));
    }
}
