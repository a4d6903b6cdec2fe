//! Applying the memos' edits: adding, removing and changing a memo, and a reviewer's marks,
//! comments and answers on it. A memo's links must point at things that exist.

use super::{EditError, FileKey, Touched, expect};
use crate::model::ids::{CoderId, MemoId};
use crate::model::memo::{Memo, MemoLink, MemoReview};
use crate::model::project::Project;

fn memo_file(memo: &Memo) -> Touched {
    Touched::from([FileKey::Memo(memo.author.clone(), memo.id.clone())])
}

fn review_file(key: (CoderId, MemoId)) -> Touched {
    Touched::from([FileKey::Review(key.0, key.1)])
}

pub(super) fn add(project: &mut Project, memo: &Memo) -> Result<Touched, EditError> {
    if project.memos.contains_key(&memo.id) {
        return Err(EditError::MemoExists(memo.id.clone()));
    }
    check_memo(project, memo)?;
    project.memos.insert(memo.id.clone(), memo.clone());
    Ok(memo_file(memo))
}

/// Removes a memo nobody has reviewed.
pub(super) fn remove(project: &mut Project, memo: &Memo) -> Result<Touched, EditError> {
    let current = project
        .memos
        .get(&memo.id)
        .ok_or_else(|| EditError::UnknownMemo(memo.id.clone()))?;
    expect(current == memo, "memo")?;
    if project.reviews_of(&memo.id).next().is_some() {
        return Err(EditError::MemoHasReviews(memo.id.clone()));
    }
    project.memos.remove(&memo.id);
    Ok(memo_file(memo))
}

pub(super) fn update(
    project: &mut Project,
    before: &Memo,
    after: &Memo,
) -> Result<Touched, EditError> {
    if before.id != after.id || before.author != after.author {
        return Err(EditError::Immutable("a memo's id and author"));
    }
    let current = project
        .memos
        .get(&before.id)
        .ok_or_else(|| EditError::UnknownMemo(before.id.clone()))?;
    expect(current == before, "memo")?;
    check_memo(project, after)?;
    project.memos.insert(after.id.clone(), after.clone());
    Ok(memo_file(after))
}

pub(super) fn add_review(project: &mut Project, review: &MemoReview) -> Result<Touched, EditError> {
    let key = (review.reviewer.clone(), review.memo.clone());
    if project.reviews.contains_key(&key) {
        return Err(EditError::ReviewExists {
            reviewer: key.0,
            memo: key.1,
        });
    }
    check_review(project, review)?;
    project.reviews.insert(key.clone(), review.clone());
    Ok(review_file(key))
}

pub(super) fn remove_review(
    project: &mut Project,
    review: &MemoReview,
) -> Result<Touched, EditError> {
    let key = (review.reviewer.clone(), review.memo.clone());
    let current = current_review(project, &key)?;
    expect(current == review, "review")?;
    project.reviews.remove(&key);
    Ok(review_file(key))
}

pub(super) fn update_review(
    project: &mut Project,
    before: &MemoReview,
    after: &MemoReview,
) -> Result<Touched, EditError> {
    if before.reviewer != after.reviewer || before.memo != after.memo {
        return Err(EditError::Immutable("a review's reviewer and memo"));
    }
    let key = (before.reviewer.clone(), before.memo.clone());
    let current = current_review(project, &key)?;
    expect(current == before, "review")?;
    project.reviews.insert(key.clone(), after.clone());
    Ok(review_file(key))
}

fn current_review<'p>(
    project: &'p Project,
    key: &(CoderId, MemoId),
) -> Result<&'p MemoReview, EditError> {
    project
        .reviews
        .get(key)
        .ok_or_else(|| EditError::UnknownReview {
            reviewer: key.0.clone(),
            memo: key.1.clone(),
        })
}

fn check_review(project: &Project, review: &MemoReview) -> Result<(), EditError> {
    if project.meta.person(&review.reviewer).is_none() {
        return Err(EditError::UnknownCoder(review.reviewer.clone()));
    }
    if project.memo(&review.memo).is_none() {
        return Err(EditError::UnknownMemo(review.memo.clone()));
    }
    Ok(())
}

fn check_memo(project: &Project, memo: &Memo) -> Result<(), EditError> {
    if project.meta.coder(&memo.author).is_none() {
        return Err(EditError::UnknownCoder(memo.author.clone()));
    }
    for link in &memo.links {
        let exists = match link {
            MemoLink::Code(id) => project.codebook.contains(id),
            MemoLink::Transcript(id) => project.transcript(id).is_some(),
            MemoLink::Segment(r) => project
                .segments(&r.coder, &r.transcript)
                .iter()
                .any(|s| s.id == r.id),
        };
        if !exists {
            return Err(EditError::BrokenMemoLink {
                memo: memo.id.clone(),
                link: link.clone(),
            });
        }
    }
    Ok(())
}
