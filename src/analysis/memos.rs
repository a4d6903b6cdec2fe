//! Finding and describing memos: filters shared by the Memos view and `thematic memos`.

use crate::model::memo::Comment;
use crate::model::{CoderId, Memo, MemoKind, MemoLink, Project};
use jiff::civil::Date;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoFilter {
    pub author: Option<CoderId>,
    pub kind: Option<MemoKind>,
    /// Updated on or after this day (UTC).
    pub since: Option<Date>,
    /// Updated on or before this day (UTC).
    pub until: Option<Date>,
    /// Words in the title or body (ignoring case).
    pub text: Option<String>,
    /// Some(true): reviewed by someone; Some(false): not yet.
    pub reviewed: Option<bool>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MemoOrder {
    #[default]
    Newest,
    /// Grouped by what they are linked to (journal first), newest first within.
    ByLink,
}

fn day(t: jiff::Timestamp) -> Date {
    jiff::tz::TimeZone::UTC.to_datetime(t).date()
}

/// The memos that pass `filter`, in `order`.
pub fn find_memos<'p>(
    project: &'p Project,
    filter: &MemoFilter,
    order: MemoOrder,
) -> Vec<&'p Memo> {
    let needle = filter
        .text
        .as_ref()
        .map(|t| t.to_lowercase())
        .filter(|t| !t.trim().is_empty());
    let mut found: Vec<&Memo> = project
        .memos()
        .filter(|m| filter.author.as_ref().is_none_or(|a| &m.author == a))
        .filter(|m| filter.kind.is_none_or(|k| m.kind() == k))
        .filter(|m| filter.since.is_none_or(|d| day(m.updated) >= d))
        .filter(|m| filter.until.is_none_or(|d| day(m.updated) <= d))
        .filter(|m| {
            needle.as_ref().is_none_or(|n| {
                m.title.to_lowercase().contains(n.as_str())
                    || m.body.to_lowercase().contains(n.as_str())
            })
        })
        .filter(|m| {
            filter
                .reviewed
                .is_none_or(|r| project.is_reviewed(&m.id) == r)
        })
        .collect();
    match order {
        MemoOrder::Newest => found.sort_by_key(|m| std::cmp::Reverse(m.updated)),
        MemoOrder::ByLink => found.sort_by(|a, b| {
            let key = |m: &Memo| m.links.first().map(|l| link_label(project, l));
            (key(a), std::cmp::Reverse(a.updated)).cmp(&(key(b), std::cmp::Reverse(b.updated)))
        }),
    }
    found
}

/// A link as a reader would want it named.
pub fn link_label(project: &Project, link: &MemoLink) -> String {
    match link {
        MemoLink::Code(id) => match project.codebook.get(id) {
            Some(_) => format!("code {}", project.codebook.path(id)),
            None => format!("code {id} (deleted)"),
        },
        MemoLink::Transcript(id) => match project.transcript(id) {
            Some(t) => format!("transcript {id} ({})", t.meta.participant),
            None => format!("transcript {id} (missing)"),
        },
        MemoLink::Segment(r) => {
            let quote = project
                .segments(&r.coder, &r.transcript)
                .iter()
                .find(|s| s.id == r.id)
                .map(|s| crate::wording::one_line(&s.text));
            let participant = project
                .transcript(&r.transcript)
                .map_or("?", |t| t.meta.participant.as_str());
            match quote {
                Some(q) => format!(
                    "segment in {} ({participant}, coded by {}): “{q}”",
                    r.transcript, r.coder
                ),
                None => format!("segment {} in {} (missing)", r.id, r.transcript),
            }
        }
    }
}

/// A memo's review thread: every reviewer's comments in time order.
pub fn thread<'p>(project: &'p Project, memo: &'p Memo) -> Vec<(&'p CoderId, &'p Comment)> {
    let mut comments: Vec<(&CoderId, &Comment)> = project
        .reviews_of(&memo.id)
        .flat_map(|r| r.comments.iter().map(move |c| (&r.reviewer, c)))
        .collect();
    comments.sort_by_key(|(_, c)| c.at);
    comments
}

/// Who marked the memo reviewed, and when.
pub fn reviewed_by<'p>(
    project: &'p Project,
    memo: &'p Memo,
) -> Vec<(&'p CoderId, jiff::Timestamp)> {
    project
        .reviews_of(&memo.id)
        .filter_map(|r| r.reviewed.map(|at| (&r.reviewer, at)))
        .collect()
}

/// For a link to a segment: the segment's quote (on one line) and the names of its codes.
pub fn segment_detail(project: &Project, link: &MemoLink) -> Option<(String, Vec<String>)> {
    let MemoLink::Segment(r) = link else {
        return None;
    };
    let segment = project
        .segments(&r.coder, &r.transcript)
        .iter()
        .find(|s| s.id == r.id)?;
    let quote = segment
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let codes = segment
        .codes
        .iter()
        .map(|c| project.codebook.name_or_id(c))
        .collect();
    Some((quote, codes))
}

/// The memos `author` wrote that have comments by others newer than those they have read
/// (`read`: memo -> newest comment read), with how many are new.
pub fn unread_comments(
    project: &Project,
    author: &CoderId,
    read: &crate::store::read_marks::ReadMarks,
) -> std::collections::BTreeMap<crate::model::MemoId, usize> {
    project
        .memos()
        .filter(|m| &m.author == author)
        .filter_map(|m| {
            let seen = read.get(&m.id);
            let new = project
                .reviews_of(&m.id)
                .filter(|r| &r.reviewer != author)
                .flat_map(|r| r.comments.iter())
                .filter(|c| seen.is_none_or(|at| c.at > *at))
                .count();
            (new > 0).then(|| (m.id.clone(), new))
        })
        .collect()
}

/// The time of the newest comment on `memo`, by anyone.
pub fn newest_comment(project: &Project, memo: &crate::model::MemoId) -> Option<jiff::Timestamp> {
    project
        .reviews_of(memo)
        .flat_map(|r| r.comments.iter())
        .map(|c| c.at)
        .max()
}
