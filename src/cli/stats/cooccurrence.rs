//! `thematic stats DIR cooccurrence`: pairs of nodes applied to overlapping text.

use super::super::output::Listing;
use super::super::text_table::Table;
use super::name;
use serde::Serialize;
use std::io::Stdout;
use thematic::analysis::tables::{Pair, Scope, ScopeSummary, cooccurrence};
use thematic::model::{CodeId, Project};

pub struct Cooccurrence<'p> {
    project: &'p Project,
    summary: ScopeSummary,
    pairs: Vec<Pair>,
}

pub fn table<'p>(project: &'p Project, scope: &Scope, summary: ScopeSummary) -> Cooccurrence<'p> {
    Cooccurrence {
        project,
        summary,
        pairs: cooccurrence(project, scope),
    }
}

impl Listing for Cooccurrence<'_> {
    fn table(&self) -> String {
        let mut t = Table::new(&["Node", "With node", "Times", "Transcripts"]).right_align(&[2, 3]);
        for p in &self.pairs {
            t.row(vec![
                name(self.project, &p.a),
                name(self.project, &p.b),
                p.count.to_string(),
                p.transcripts.to_string(),
            ]);
        }
        format!(
            "{}\n\n{}(nodes applied to overlapping text by one coder in one transcript, each at its own level; most frequent first)\n",
            self.summary.line(),
            t.render()
        )
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        w.write_record(["a", "b", "count", "transcripts"])?;
        for p in &self.pairs {
            w.write_record([
                self.project.codebook.path(&p.a),
                self.project.codebook.path(&p.b),
                p.count.to_string(),
                p.transcripts.to_string(),
            ])?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        let project = self.project;
        let level = |id: &CodeId| project.codebook.get(id).map(|c| c.level.label());
        let list: Vec<serde_json::Value> = self.pairs.iter().map(|p| serde_json::json!({ "a": name(project, &p.a), "a_id": p.a.to_string(), "a_level": level(&p.a), "b": name(project, &p.b), "b_id": p.b.to_string(), "b_level": level(&p.b), "count": p.count, "transcripts": p.transcripts })).collect();
        serde_json::json!({ "scope": self.summary, "pairs": list })
    }

    fn csv_note(&self) -> Option<String> {
        Some(self.summary.line())
    }
}
