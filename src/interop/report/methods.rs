//! The methods summary: the COREQ items on sample size, saturation and data analysis
//! (Tong, Sainsbury and Craig 2007, items 12 and 22-29) answered from what the project
//! records. What the data cannot show is left as a marked gap for the researcher, never
//! guessed (nothing here can tell whether themes were derived inductively, for instance).

use super::data::{Report, SATURATION_RUN, SaturationPart, coder_name, count, figure, thousands};
use crate::analysis::node_counts::Coders;
use crate::analysis::tables::{EXEMPLAR_DEFINITION, LEVELS_DEFINITION, SATURATION_DEFINITION};
use std::collections::{BTreeMap, BTreeSet};

/// One COREQ item: what the project data says, and what the researcher still has to add.
pub struct MethodItem {
    pub number: u8,
    pub topic: &'static str,
    /// Plain text; the renderers escape it.
    pub text: String,
    pub fill: Option<&'static str>,
}

pub fn items(report: &Report) -> Vec<MethodItem> {
    let item = |number, topic, text: String, fill| MethodItem {
        number,
        topic,
        text,
        fill,
    };
    vec![
        item(12, "Sample size", sample_size(report), None),
        item(22, "Data saturation", saturation_summary(report), None),
        item(
            23,
            "Transcripts returned",
            "Not recorded by thematic.".into(),
            Some("whether transcripts were returned to participants for comment or correction"),
        ),
        item(
            24,
            "Number of data coders",
            coders(report),
            Some("how disagreements between coders were discussed and resolved"),
        ),
        item(25, "Description of the coding tree", tree(report), None),
        item(
            26,
            "Derivation of themes",
            derivation(report),
            Some(
                "whether themes were identified in advance or derived from the data, and how the codebook was developed",
            ),
        ),
        item(
            27,
            "Software",
            format!(
                "thematic {} (coding, codebook, agreement, saturation and this report).",
                env!("CARGO_PKG_VERSION")
            ),
            None,
        ),
        item(
            28,
            "Participant checking",
            "Not recorded by thematic.".into(),
            Some("whether participants gave feedback on the findings"),
        ),
        item(29, "Quotations presented", quotations(report), None),
    ]
}

fn sample_size(report: &Report) -> String {
    let s = &report.stats;
    let labels: BTreeSet<&str> = s
        .per_transcript
        .iter()
        .map(|t| t.participant.as_str())
        .collect();
    format!(
        "{} ({} by label), {} words in all.",
        count(s.transcripts, "transcript", "transcripts"),
        count(
            labels.len(),
            "distinct participant",
            "distinct participants"
        ),
        thousands(s.words)
    )
}

fn saturation_summary(report: &Report) -> String {
    let mut sentences: Vec<String> = crate::wording::LEVELS_UP
        .iter()
        .map(|&level| saturation_sentence(&report.saturation, level))
        .collect();
    // The definitions, word for word as docs/definitions.md gives them.
    sentences.push(SATURATION_DEFINITION.to_string());
    sentences.push(LEVELS_DEFINITION.to_string());
    sentences.join(" ")
}

/// Whether, and where, `level` reached saturation, in the words
/// of [`crate::wording::saturation_sentence`] (which `thematic stats DIR saturation` uses
/// too). Only coded interviews count.
pub fn saturation_sentence(part: &SaturationPart, level: crate::model::Level) -> String {
    crate::wording::saturation_sentence(&part.rows, &part.participants, level, SATURATION_RUN)
}

fn coders(report: &Report) -> String {
    let project = report.project;
    let coding: Vec<String> = report
        .stats
        .coders
        .iter()
        .filter(|c| c.segments > 0)
        .filter_map(|c| {
            crate::model::CoderId::new(c.coder.as_str())
                .ok()
                .map(|id| (id, c))
        })
        .map(|(id, c)| {
            format!(
                "{}, {} in {}",
                coder_name(project, &id),
                count(c.segments, "segment", "segments"),
                count(c.transcripts_coded, "transcript", "transcripts")
            )
        })
        .collect();
    let mut text = match coding.len() {
        0 => "Nobody has coded the data yet.".to_string(),
        n => format!(
            "{} coded the data: {}.",
            count(n, "coder", "coders"),
            coding.join("; ")
        ),
    };
    if let Coders::Only(ids) = &report.coders {
        let names: Vec<String> = ids.iter().map(|id| coder_name(project, id)).collect();
        text.push_str(&format!(
            " The codebook counts, theme table and saturation in this report count the coding of {} only.",
            names.join(" and ")
        ));
    }
    text.push(' ');
    text.push_str(&sample_sentence(report));
    text.push_str(&rounds_sentence(report));
    text
}

/// Every round of double coding with its independent and current kappa, and whether anyone
/// revealed a transcript before both coders had finished it.
fn rounds_sentence(report: &Report) -> String {
    let project = report.project;
    let rounds = super::data::round_summaries(project);
    if rounds.is_empty() {
        return String::new();
    }
    let listed: Vec<String> = rounds
        .iter()
        .map(|r| {
            let coders = names_of(project, &r.round.coders());
            let total = r.round.transcripts.len();
            let by = if r.round.has_several_seconds() {
                "all its coders"
            } else {
                "both coders"
            };
            let figures = match &r.round.independent {
                Some(i) if r.round.has_several_seconds() => {
                    several_seconds_figures(project, i, r.current_alpha_all_coders)
                }
                Some(i) => format!(
                    "kappa {} independent, {} after discussion",
                    figure(i.kappa, false),
                    figure(r.current_kappa, false)
                ),
                None => format!(
                    "{} of {total} finished by {by}, no independent figures yet",
                    r.finished
                ),
            };
            format!(
                "round {} ({coders}, {}): {figures}",
                r.number,
                count(total, "transcript", "transcripts")
            )
        })
        .collect();
    let revealed: Vec<String> = rounds
        .iter()
        .filter_map(|r| r.round.independent.as_ref())
        .flat_map(|i| i.revealed_early.iter().map(ToString::to_string))
        .chain(crate::model::audit::revealed(project))
        .collect::<std::collections::BTreeSet<String>>()
        .into_iter()
        .collect();
    // "both" reads wrong once a round has three coders or more.
    let all = if rounds.iter().any(|r| r.round.has_several_seconds()) {
        "every coder of its round"
    } else {
        "both"
    };
    let reveal = if revealed.is_empty() {
        format!(" No coder revealed another's work on a transcript before {all} had finished it.")
    } else {
        let all = if all == "both" { "both coders" } else { all };
        format!(
            " Revealed before {all} had finished (so not independent): {}.",
            revealed.join(", ")
        )
    };
    format!(" Rounds of double coding: {}.{reveal}", listed.join("; "))
}

/// "Alex, Kim and Lee": the coders' names joined for a sentence.
fn names_of(project: &crate::model::Project, coders: &[&crate::model::CoderId]) -> String {
    let names: Vec<String> = coders.iter().map(|c| coder_name(project, c)).collect();
    match names.as_slice() {
        [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => names.concat(),
    }
}

/// The frozen figures of a round with several second coders: the alpha over all its coders
/// (independent, then now) and each pair's independent kappa.
fn several_seconds_figures(
    project: &crate::model::Project,
    independent: &crate::model::RoundFigures,
    alpha_now: Option<f64>,
) -> String {
    let pairs: Vec<String> = independent
        .pairs
        .iter()
        .map(|p| {
            format!(
                "{} and {} {}",
                coder_name(project, &p.coders[0]),
                coder_name(project, &p.coders[1]),
                figure(p.kappa, false)
            )
        })
        .collect();
    format!(
        "Krippendorff's alpha over all its coders {} independent, {} after discussion; independent kappa per pair: {}",
        figure(independent.alpha_all_coders, false),
        figure(alpha_now, false),
        pairs.join(", ")
    )
}

/// The double-coding sample and its agreement, in one or two sentences.
fn sample_sentence(report: &Report) -> String {
    let Some(part) = &report.agreement else {
        return "No double-coding sample is recorded in thematic.yaml, so no inter-coder agreement is reported.".into();
    };
    let project = report.project;
    let s = part.sample;
    let total = report.stats.transcripts;
    let share = if total == 0 {
        0.0
    } else {
        s.transcripts.len() as f64 * 100.0 / total as f64
    };
    let how = match (s.fraction, s.seed) {
        (Some(f), Some(seed)) => {
            let strata = s
                .stratify
                .as_ref()
                .map(|a| format!(", stratified by {a}"))
                .unwrap_or_default();
            format!("drawn by thematic (fraction {f}, seed {seed}{strata})")
        }
        _ => "chosen by hand".into(),
    };
    let o = &part.result.overall;
    let pairwise = format!(
        "{} agreement, Cohen's kappa {}, Krippendorff's alpha {}",
        figure(o.percent_agreement(), true),
        figure(o.kappa(), false),
        figure(o.alpha(), false)
    );
    let agreement = if s.has_several_seconds() {
        format!(
            "Krippendorff's alpha over all {} coders {}; between {} and {}: {pairwise}",
            s.coders().len(),
            figure(part.alpha_all_coders, false),
            coder_name(project, &part.result.coder_a),
            coder_name(project, &part.result.coder_b)
        )
    } else {
        pairwise
    };
    format!(
        "Double-coding sample: {} of {total} transcripts ({share:.0}%), {how}, coded by {}. Agreement on it (character level, all codes pooled): {agreement}.",
        s.transcripts.len(),
        names_of(project, &s.coders()),
    )
}

fn tree(report: &Report) -> String {
    let s = &report.stats;
    let depth = report
        .codebook
        .iter()
        .map(|n| n.depth + 1)
        .max()
        .unwrap_or(0);
    format!(
        "A codebook tree of {}, {} and {} ({} in all, up to {} deep), applied to {} by the coders counted here. The tree with every definition is in the Codebook section.",
        count(s.themes, "theme", "themes"),
        count(s.sub_themes, "sub-theme", "sub-themes"),
        count(s.codes, "code", "codes"),
        count(report.codebook.len(), "node", "nodes"),
        count(depth, "level", "levels"),
        count(segments_in_scope(report), "segment", "segments"),
    )
}

/// Segments of the coders the report counts, from the per-coder totals of `thematic stats`.
pub fn segments_in_scope(report: &Report) -> usize {
    report
        .stats
        .coders
        .iter()
        .filter(|c| match &report.coders {
            Coders::All => true,
            Coders::Only(ids) => ids.iter().any(|id| id.as_str() == c.coder),
        })
        .map(|c| c.segments)
        .sum()
}

fn derivation(report: &Report) -> String {
    let nodes = &report.codebook;
    let total = nodes.len();
    let with = |f: fn(&crate::model::Code) -> bool| nodes.iter().filter(|n| f(n.code)).count();
    let described = with(|c| !c.description.trim().is_empty());
    let criteria = with(|c| !c.inclusion.trim().is_empty() && !c.exclusion.trim().is_empty());
    let examples = with(|c| !c.example.trim().is_empty());
    let mut text = format!(
        "thematic records the codebook as it stands, not how it was arrived at. Themes are organised in a codebook tree of {} over {}; {described} of {total} nodes have a description, {criteria} of {total} have both inclusion and exclusion criteria, and {examples} of {total} have an example.",
        count(report.stats.themes, "theme", "themes"),
        count(report.stats.codes, "code", "codes"),
    );
    text.push_str(&tags(report));
    text.push_str(&audit(report));
    text
}

/// "Tags: barrier on 7 nodes, enabler on 7."
fn tags(report: &Report) -> String {
    let mut tagged: BTreeMap<&str, usize> = BTreeMap::new();
    for node in &report.codebook {
        for tag in &node.code.tags {
            *tagged.entry(tag.as_str()).or_default() += 1;
        }
    }
    if tagged.is_empty() {
        return String::new();
    }
    let list: Vec<String> = tagged
        .iter()
        .map(|(tag, n)| format!("{tag} on {}", count(*n, "node", "nodes")))
        .collect();
    format!(" Tags recorded: {}.", list.join(", "))
}

/// What the audit trail shows about how the codebook changed, if it shows anything.
fn audit(report: &Report) -> String {
    let trail = report.project.audit();
    let (Some((_, first)), Some((_, last))) = (trail.first(), trail.last()) else {
        return String::new();
    };
    let who: BTreeSet<&crate::model::CoderId> = trail.iter().map(|(c, _)| *c).collect();
    format!(
        " The audit trail records {} by {} between {} and {}.",
        count(trail.len(), "codebook decision", "codebook decisions"),
        count(who.len(), "coder", "coders"),
        super::data::day(first.at),
        super::data::day(last.at)
    )
}

fn quotations(report: &Report) -> String {
    let example = report
        .stats
        .per_transcript
        .first()
        .map_or("Participant 1", |t| t.participant.as_str());
    format!(
        "Quotations are identified by the participant label recorded with each transcript, e.g. “…” ({example}). The theme table gives one exemplar quote per theme and sub-theme. {EXEMPLAR_DEFINITION}"
    )
}
