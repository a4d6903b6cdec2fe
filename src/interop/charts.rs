//! Charts as standalone SVG for the report and the manual: a line chart (the saturation
//! curve), grouped horizontal bars (code frequencies by theme) and a heat map (the code by
//! attribute matrix, co-occurrence). Plain data in, SVG text out; no JavaScript, readable
//! in grey scale (series differ by dash and marker, cells by lightness and their printed
//! value), text laid out by the reader's browser.

use super::refi::xml::escape;
use std::fmt::Write;

const FONT: &str = "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\"";
const CHAR_WIDTH: f64 = 6.6;
const INK: &str = "#222222";
const GRID: &str = "#dddddd";

/// One line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// A line chart over labelled points on the x axis, with an optional vertical marker.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub x_labels: Vec<String>,
    pub y_label: String,
    pub series: Vec<Series>,
    /// A point to mark with a dotted vertical line, and its label.
    pub marker: Option<(usize, String)>,
}

/// Dash patterns and marker shapes, so each series is told apart without colour.
const STYLES: [(&str, &str, &str); 3] = [
    ("#0072b2", "", "circle"),
    ("#d55e00", "7 4", "square"),
    ("#009e73", "2 3", "triangle"),
];

pub fn line_chart(chart: &LineChart) -> String {
    let (left, right, top, bottom) = (56.0, 150.0, 36.0, 60.0);
    let points = chart.x_labels.len().max(1);
    let step = (560.0 / points as f64).clamp(18.0, 48.0);
    let plot_width = step * points.saturating_sub(1).max(1) as f64;
    let plot_height = 240.0;
    let width = left + plot_width + right;
    let height = top + plot_height + bottom;
    let most = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let y_max = nice_ceiling(most);
    let x = |i: usize| left + i as f64 * step;
    let y = |v: f64| top + plot_height - v / y_max * plot_height;
    let mut svg = open(width, height, &chart.title);
    for tick in ticks(y_max) {
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            left + plot_width,
            left - 6.0,
            y(tick) + 4.0,
            format_number(tick),
            y = y(tick),
        );
    }
    for (i, label) in chart.x_labels.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text transform=\"translate({:.1},{:.1}) rotate(-45)\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            x(i) + 3.0,
            top + plot_height + 14.0,
            escape(label)
        );
    }
    if let Some((at, label)) = &chart.marker {
        let _ = writeln!(
            svg,
            "<g class=\"marker\"><line x1=\"{mx:.1}\" x2=\"{mx:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"{INK}\" \
             stroke-dasharray=\"1 3\" stroke-width=\"1.5\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{}</text></g>",
            top + plot_height,
            x(*at) + 4.0,
            top - 8.0,
            escape(label),
            mx = x(*at),
        );
    }
    for (n, series) in chart.series.iter().enumerate() {
        let (colour, dash, shape) = STYLES[n % STYLES.len()];
        let path: Vec<String> = series
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            svg,
            "<g class=\"series\" data-name=\"{}\"><polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
            escape(&series.name),
            path.join(" ")
        );
        for (i, v) in series.values.iter().enumerate() {
            svg.push_str(&point_marker(shape, x(i), y(*v), colour));
        }
        let legend_y = top + 10.0 + n as f64 * 20.0;
        let legend_x = left + plot_width + 20.0;
        let _ = writeln!(
            svg,
            "<line x1=\"{legend_x:.1}\" x2=\"{:.1}\" y1=\"{legend_y:.1}\" y2=\"{legend_y:.1}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>{}\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{}</text></g>",
            legend_x + 24.0,
            point_marker(shape, legend_x + 12.0, legend_y, colour),
            legend_x + 30.0,
            legend_y + 4.0,
            escape(&series.name)
        );
    }
    let _ = writeln!(
        svg,
        "<text transform=\"translate(14,{:.1}) rotate(-90)\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
        top + plot_height / 2.0,
        escape(&chart.y_label)
    );
    close(svg)
}

fn point_marker(shape: &str, x: f64, y: f64, colour: &str) -> String {
    match shape {
        "square" => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{colour}\"/>",
            x - 3.5,
            y - 3.5
        ),
        "triangle" => format!(
            "<path d=\"M{x:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z\" fill=\"{colour}\"/>",
            y - 4.5,
            x + 4.5,
            y + 3.5,
            x - 4.5,
            y + 3.5
        ),
        _ => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{colour}\"/>"),
    }
}

/// One bar: a label, its value, its colour (`#rrggbb`).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub colour: String,
}

/// Bars under a heading (a theme's codes).
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    pub name: String,
    pub bars: Vec<Bar>,
}

/// Horizontal bars grouped under headings, each bar with its value printed after it.
pub fn grouped_bars(title: &str, value_label: &str, groups: &[BarGroup]) -> String {
    let row = 18.0;
    let label_width = groups
        .iter()
        .flat_map(|g| g.bars.iter().map(|b| b.label.chars().count()))
        .max()
        .unwrap_or(0)
        .min(48) as f64
        * CHAR_WIDTH
        + 24.0;
    let bar_width = 360.0;
    let most = groups
        .iter()
        .flat_map(|g| g.bars.iter().map(|b| b.value))
        .fold(0.0, f64::max)
        .max(1.0);
    let rows: usize = groups.iter().map(|g| g.bars.len() + 1).sum();
    let width = label_width + bar_width + 60.0;
    let height = 40.0 + rows as f64 * row + 10.0;
    let mut svg = open(width, height, title);
    let _ = writeln!(
        svg,
        "<text x=\"{label_width:.1}\" y=\"20\" fill=\"{INK}\">{}</text>",
        escape(value_label)
    );
    let mut y = 40.0;
    for group in groups {
        let _ = writeln!(
            svg,
            "<text class=\"group\" x=\"8\" y=\"{:.1}\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
            y + 13.0,
            escape(&group.name)
        );
        y += row;
        for bar in &group.bars {
            let length = bar.value / most * bar_width;
            let _ = writeln!(
                svg,
                "<g class=\"bar\"><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>\
                 <rect x=\"{label_width:.1}\" y=\"{:.1}\" width=\"{length:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"0.5\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{}</text></g>",
                label_width - 6.0,
                y + 13.0,
                escape(&shorten(&bar.label, 48)),
                y + 3.0,
                row - 6.0,
                escape(&bar.colour),
                label_width + length + 4.0,
                y + 13.0,
                format_number(bar.value)
            );
            y += row;
        }
    }
    close(svg)
}

/// A table of numbers drawn as shaded cells (darker is more), each with its value printed.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    pub title: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `cells[row][column]`; `None` where a cell is undefined (shown as "—").
    pub cells: Vec<Vec<Option<f64>>>,
    /// Leave zeros unprinted (a sparse table reads better with only its counts shown).
    pub blank_zeros: bool,
}

pub fn heat_map(map: &HeatMap) -> String {
    let cell = 34.0;
    let row_label = map
        .rows
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .min(40) as f64
        * CHAR_WIDTH
        + 16.0;
    let column_label = map
        .columns
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .min(30) as f64
        * CHAR_WIDTH
        * 0.75
        + 16.0;
    // Column labels run up and to the right at 45 degrees, past the last column.
    let width = row_label + map.columns.len() as f64 * cell + column_label + 20.0;
    let height = column_label + map.rows.len() as f64 * cell + 20.0;
    let most = map
        .cells
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(0.0, f64::max)
        .max(1.0);
    let mut svg = open(width, height, &map.title);
    for (c, column) in map.columns.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text transform=\"translate({:.1},{:.1}) rotate(-45)\" fill=\"{INK}\">{}</text>",
            row_label + c as f64 * cell + cell / 2.0,
            column_label - 4.0,
            escape(&shorten(column, 30))
        );
    }
    for (r, label) in map.rows.iter().enumerate() {
        let y = column_label + r as f64 * cell;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            row_label - 6.0,
            y + cell / 2.0 + 4.0,
            escape(&shorten(label, 40))
        );
        for c in 0..map.columns.len() {
            let value = map
                .cells
                .get(r)
                .and_then(|row| row.get(c))
                .copied()
                .flatten();
            let x = row_label + c as f64 * cell;
            let (fill, text_colour, text) = match value {
                Some(v) if v == 0.0 && map.blank_zeros => (shade(0.0), INK, String::new()),
                Some(v) => {
                    let share = v / most;
                    let fill = shade(share);
                    let ink = if share > 0.55 { "#ffffff" } else { INK };
                    (fill, ink, format_number(v))
                }
                None => ("#ffffff".to_string(), INK, "—".to_string()),
            };
            let _ = writeln!(
                svg,
                "<g class=\"cell\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#ffffff\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{text_colour}\" font-size=\"11\">{text}</text></g>",
                x + cell / 2.0,
                y + cell / 2.0 + 4.0
            );
        }
    }
    close(svg)
}

/// A single-hue sequential shade from near white (0) to deep blue (1): lightness alone
/// carries the value, so it survives grey-scale printing and colour blindness.
fn shade(share: f64) -> String {
    let share = share.clamp(0.0, 1.0);
    let mix = |light: f64, dark: f64| (light + (dark - light) * share).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(247.0, 8.0),
        mix(251.0, 48.0),
        mix(255.0, 107.0)
    )
}

fn open(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" {FONT}>\n<title>{}</title>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        escape(title)
    )
}

fn close(mut svg: String) -> String {
    svg.push_str("</svg>\n");
    svg
}

/// The first of 1, 2, 5, 10, 20, 50... at or above `value` (at least 1).
fn nice_ceiling(value: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for factor in [1.0, 2.0, 5.0] {
            if step * factor >= value {
                return step * factor;
            }
        }
        step *= 10.0;
    }
}

/// Five grid lines from 0 to `max`.
fn ticks(max: f64) -> Vec<f64> {
    (0..=4).map(|i| max * f64::from(i) / 4.0).collect()
}

fn format_number(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// At most `max` characters, an ellipsis marking any shortening.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let head: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_and_numbers_read_well() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(37.0), 50.0);
        assert_eq!(nice_ceiling(50.0), 50.0);
        assert_eq!(nice_ceiling(51.0), 100.0);
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(12.25), "12.2");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }

    #[test]
    fn shades_get_darker_with_the_value() {
        let lightness = |hex: &str| {
            let v = u32::from_str_radix(&hex[1..], 16).unwrap();
            (v >> 16) + ((v >> 8) & 0xff) + (v & 0xff)
        };
        let shades: Vec<u32> = (0..=10)
            .map(|i| lightness(&shade(f64::from(i) / 10.0)))
            .collect();
        assert!(shades.windows(2).all(|w| w[0] > w[1]), "{shades:?}");
    }

    #[test]
    fn the_marker_sits_on_its_point() {
        let chart = LineChart {
            title: "t".into(),
            x_labels: vec!["p01".into(), "p02".into(), "p03".into()],
            y_label: "codes".into(),
            series: vec![Series {
                name: "codes".into(),
                values: vec![1.0, 3.0, 3.0],
            }],
            marker: Some((1, "saturation after p02".into())),
        };
        let svg = line_chart(&chart);
        // Three points 48 apart from x = 56; the marker on the second.
        assert!(svg.contains("points=\"56.0,"), "{svg}");
        assert!(svg.contains("x1=\"104.0\" x2=\"104.0\""), "{svg}");
        assert!(svg.contains("saturation after p02"));
    }
}
