//! Arguments several commands take, parsed and checked against the project once:
//! `--coders A,B|all`, `--attr KEY=VALUE`, `--transcript ID`, and a code named by name, path
//! or id.

use super::command_error::{CommandError, user_error};
use thematic::analysis::node_counts::Coders;
use thematic::analysis::tables::{Scope, ScopeSummary};
use thematic::model::{CodeId, CoderId, Project, TranscriptId};

/// `--coders A,B` or `--coders all`; without it, every coder (the project as opened holds
/// only the work its viewer may see).
pub fn parse_coders(arg: Option<&str>) -> Result<Coders, CommandError> {
    let Some(arg) = arg.map(str::trim) else {
        return Ok(Coders::All);
    };
    if arg.eq_ignore_ascii_case("all") {
        return Ok(Coders::All);
    }
    let ids: Vec<CoderId> = arg
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(CoderId::new)
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Err(user_error(
            "--coders: give coder ids separated by commas, or `all`".into(),
        ));
    }
    Ok(Coders::Only(ids))
}

/// `--attr KEY=VALUE`, repeatable: each key once, trimmed.
pub fn parse_attributes(pairs: &[String]) -> Result<Vec<(String, String)>, CommandError> {
    let mut attributes: Vec<(String, String)> = Vec::new();
    for pair in pairs {
        let (k, v) = pair
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| user_error(format!("--attr {pair:?}: expected KEY=VALUE")))?;
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if attributes.iter().any(|(other, _)| *other == k) {
            return Err(user_error(format!(
                "--attr {k} is given twice; a transcript has one value of it"
            )));
        }
        attributes.push((k, v));
    }
    Ok(attributes)
}

/// Whose coding and which transcripts a command counts (`--coders`, `--attr`), checked
/// against the project (an unknown coder or attribute is an error naming those there are),
/// with the scope in words.
pub fn scope(
    project: &Project,
    coders: Option<&str>,
    attributes: &[String],
) -> Result<(Scope, ScopeSummary), CommandError> {
    let scope = Scope {
        coders: parse_coders(coders)?,
        attributes: parse_attributes(attributes)?,
        ..Scope::default()
    };
    scope.check(project)?;
    let summary = scope.summary(project);
    Ok((scope, summary))
}

/// Whose coding a command counts, from `--coders` alone, with the scope in words.
pub fn coders_in_scope(
    project: &Project,
    coders: Option<&str>,
) -> Result<(Coders, ScopeSummary), CommandError> {
    let (scope, summary) = scope(project, coders, &[])?;
    Ok((scope.coders, summary))
}

/// Transcript ids given on the command line (`flag` names them in messages), each checked
/// to be well formed and to exist.
pub fn transcript_ids(
    project: &Project,
    flag: &str,
    given: &[String],
) -> Result<Vec<TranscriptId>, CommandError> {
    let ids = given
        .iter()
        .map(|id| {
            TranscriptId::new(id.trim()).map_err(|e| user_error(format!("{flag} {id:?}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(missing) = ids.iter().find(|t| project.transcript(t).is_none()) {
        return Err(user_error(format!(
            "{:?}: no such transcript (see `thematic stats` for the ids)",
            missing.as_str()
        )));
    }
    Ok(ids)
}

/// A code by name, path ("Theme > Code") or id; an unknown name is refused with the codes
/// whose names contain it, a name several codes share with their paths.
pub fn find_code(project: &Project, query: &str) -> Result<CodeId, CommandError> {
    let found = project.codebook.find(query);
    match found.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(user_error(format!(
            "no code named {query:?} (give a name, a path such as \"Theme > Code\", or an id){}",
            did_you_mean(project, query)
        ))),
        many => {
            let paths: Vec<String> = many.iter().map(|c| project.codebook.path(&c.id)).collect();
            Err(user_error(format!(
                "{query:?} names {} codes; give the path: {}",
                many.len(),
                paths.join("; ")
            )))
        }
    }
}

/// "; did you mean: A; B" for the codes whose names contain `query`, or nothing.
fn did_you_mean(project: &Project, query: &str) -> String {
    let wanted = query.to_lowercase();
    let close: Vec<String> = project
        .codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| c.name.to_lowercase().contains(&wanted))
        .map(|(_, c)| project.codebook.path(&c.id))
        .take(8)
        .collect();
    if close.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}", close.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_need_a_key_and_each_key_once() {
        let pairs =
            |p: &[&str]| parse_attributes(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            pairs(&[" role = Manager ", "site=North=East"]).unwrap(),
            vec![
                ("role".to_string(), "Manager".to_string()),
                ("site".to_string(), "North=East".to_string())
            ]
        );
        assert!(pairs(&["novalue"]).is_err());
        assert!(pairs(&["=x"]).is_err());
        assert!(pairs(&["a=1", "a=2"]).is_err());
    }

    #[test]
    fn coders_are_all_by_default_and_a_list_otherwise() {
        assert!(matches!(parse_coders(None), Ok(Coders::All)));
        assert!(matches!(parse_coders(Some(" ALL ")), Ok(Coders::All)));
        match parse_coders(Some("alex, sam")) {
            Ok(Coders::Only(ids)) => assert_eq!(ids.len(), 2),
            _ => panic!("two coders"),
        }
        assert!(parse_coders(Some(",")).is_err());
        assert!(parse_coders(Some("Not Valid")).is_err());
    }
}
