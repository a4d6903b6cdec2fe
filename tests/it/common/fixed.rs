//! Building a project in memory edit by edit, with fixed ids (`c-KEY` for codes, `m-KEY` for
//! memos, `s-CODER-TRANSCRIPT-START` for segments) and fixed times, so that what a snapshot
//! shows of them never changes from run to run. `ProjectBuilder` (project.rs) makes projects
//! on disk; these make the small, exact projects the report's tests draw.

use jiff::Timestamp;
use thematic::model::transcript::sha256_hex;
use thematic::model::*;

fn id(s: &str) -> CoderId {
    CoderId::new(s).unwrap()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A code with a fixed id, so that snapshots (which use ids as anchors) are stable.
pub fn code(key: &str, name: &str, level: Level) -> Code {
    let mut c = Code::new(name, level);
    c.id = CodeId::new(format!("c-{key}")).unwrap();
    c
}

pub fn add_code(p: &mut Project, c: Code, parent: Option<&str>) {
    let parent = parent.map(|k| CodeId::new(format!("c-{k}")).unwrap());
    let index = p.codebook.children(parent.as_ref()).len();
    Edit::AddCode {
        code: c,
        at: Position { parent, index },
    }
    .apply(p)
    .unwrap();
}

pub fn add_transcript(p: &mut Project, key: &str, n: u32, text: &str) {
    let meta = TranscriptMeta {
        title: format!("Interview {n}"),
        participant: format!("Participant {n}"),
        order: Some(n),
        sha256: sha256_hex(text),
        chars: text.chars().count(),
        ..Default::default()
    };
    Edit::AddTranscript(Box::new(Transcript::new(
        TranscriptId::new(key).unwrap(),
        meta,
        text.to_string(),
    )))
    .apply(p)
    .unwrap();
}

pub fn add_segment(
    p: &mut Project,
    who: &str,
    t: &str,
    (start, end): (usize, usize),
    codes: &[&str],
) {
    let tid = TranscriptId::new(t).unwrap();
    let text = p
        .transcript(&tid)
        .unwrap()
        .slice(start, end)
        .unwrap()
        .to_string();
    Edit::AddSegment {
        coder: id(who),
        transcript: tid,
        segment: Segment {
            id: SegmentId::new(format!("s-{who}-{t}-{start}")).unwrap(),
            start,
            end,
            codes: codes
                .iter()
                .map(|k| CodeId::new(format!("c-{k}")).unwrap())
                .collect(),
            text,
            created: at("2025-05-01T10:00:00Z"),
            updated: None,
        },
    }
    .apply(p)
    .unwrap();
}

pub fn add_memo(p: &mut Project, key: &str, title: &str, links: Vec<MemoLink>, body: &str) {
    Edit::AddMemo(Box::new(Memo {
        id: MemoId::new(format!("m-{key}")).unwrap(),
        author: id("alex"),
        title: title.into(),
        created: at("2025-05-02T09:00:00Z"),
        updated: at("2025-05-03T09:00:00Z"),
        links,
        body: body.into(),
    }))
    .apply(p)
    .unwrap();
}
