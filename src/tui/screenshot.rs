//! Pictures of the screen: a drawn ratatui buffer as an SVG image, cell for cell with its
//! colours and text styles, so the manual's pictures are rendered by the program itself
//! (`thematic dev screenshot`) and can be made again whenever the screen changes.

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Width and height of one terminal cell in the picture, in SVG user units.
const CELL_WIDTH: f32 = 8.4;
const CELL_HEIGHT: f32 = 17.0;
/// Where the text sits in its cell (the baseline, from the cell's top).
const BASELINE: f32 = 13.0;
/// The terminal's own colours for `Color::Reset`.
const DEFAULT_FG: &str = "#d4d4d4";
const DEFAULT_BG: &str = "#1e1e1e";

/// The buffer as a standalone SVG document.
pub fn buffer_to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let width = f32::from(area.width) * CELL_WIDTH;
    let height = f32::from(area.height) * CELL_HEIGHT;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.1}\" height=\"{height:.1}\" \
         viewBox=\"0 0 {width:.1} {height:.1}\" role=\"img\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{DEFAULT_BG}\"/>\n\
         <g font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\" font-size=\"14\" \
         xml:space=\"preserve\">\n"
    );
    for y in 0..area.height {
        let row: Vec<&Cell> = (0..area.width)
            .filter_map(|x| buffer.cell((area.x + x, area.y + y)))
            .collect();
        draw_row(&mut svg, &row, y);
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}

/// The look of a cell that decides how it is drawn.
#[derive(Clone, PartialEq)]
struct Look {
    fg: String,
    bg: String,
    bold: bool,
    italic: bool,
    underline: bool,
    dim: bool,
}

fn look(cell: &Cell) -> Look {
    let mut fg = colour(cell.fg).unwrap_or(DEFAULT_FG.to_string());
    let mut bg = colour(cell.bg).unwrap_or(DEFAULT_BG.to_string());
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    Look {
        fg,
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
        italic: cell.modifier.contains(Modifier::ITALIC),
        underline: cell.modifier.contains(Modifier::UNDERLINED),
        dim: cell.modifier.contains(Modifier::DIM),
    }
}

/// One row: runs of cells with the same look, each a background rectangle (unless it is the
/// terminal's own) and a text element whose characters are placed on the cell grid.
fn draw_row(svg: &mut String, row: &[&Cell], y: u16) {
    let looks = row_looks(row);
    let mut start = 0;
    while start < row.len() {
        let mut end = start + 1;
        while end < row.len() && looks[end] == looks[start] {
            end += 1;
        }
        draw_run(svg, &row[start..end], start, y, &looks[start]);
        start = end;
    }
}

/// Each cell's look; the cell that a wide character spills into takes that character's.
fn row_looks(row: &[&Cell]) -> Vec<Look> {
    let mut looks: Vec<Look> = Vec::with_capacity(row.len());
    let mut spill = 0;
    for cell in row {
        if spill > 0 {
            spill -= 1;
            let previous = looks.last().cloned().unwrap_or_else(|| look(cell));
            looks.push(previous);
            continue;
        }
        spill = UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        looks.push(look(cell));
    }
    looks
}

fn draw_run(svg: &mut String, cells: &[&Cell], x: usize, y: u16, look: &Look) {
    let left = x as f32 * CELL_WIDTH;
    let top = f32::from(y) * CELL_HEIGHT;
    if look.bg != DEFAULT_BG {
        let _ = writeln!(
            svg,
            "<rect x=\"{left:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{CELL_HEIGHT}\" fill=\"{}\"/>",
            cells.len() as f32 * CELL_WIDTH,
            look.bg
        );
    }
    let mut xs = Vec::new();
    let mut text = String::new();
    // Spaces between words are kept (so the picture's text can be searched and copied),
    // those at the ends of a run are not.
    let first = cells.iter().position(|c| !c.symbol().trim().is_empty());
    let last = cells.iter().rposition(|c| !c.symbol().trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return;
    };
    let mut spill = 0;
    for (i, cell) in cells.iter().enumerate().take(last + 1).skip(first) {
        let symbol = cell.symbol();
        // The cell a wide character spills into has nothing of its own to place.
        if spill > 0 || symbol.is_empty() {
            spill -= usize::from(spill > 0);
            continue;
        }
        spill = UnicodeWidthStr::width(symbol).saturating_sub(1);
        for _ in symbol.chars() {
            xs.push(format!("{:.1}", left + i as f32 * CELL_WIDTH));
        }
        escape_into(&mut text, symbol);
    }
    if text.is_empty() {
        return;
    }
    let mut attributes = format!("fill=\"{}\"", look.fg);
    if look.bold {
        attributes.push_str(" font-weight=\"bold\"");
    }
    if look.italic {
        attributes.push_str(" font-style=\"italic\"");
    }
    if look.underline {
        attributes.push_str(" text-decoration=\"underline\"");
    }
    if look.dim {
        attributes.push_str(" opacity=\"0.6\"");
    }
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" {attributes}>{text}</text>",
        xs.join(" "),
        top + BASELINE
    );
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A no-break space, which SVG renderers never collapse, keeps the grid.
            ' ' => out.push('\u{a0}'),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// A ratatui colour as `#rrggbb`, or None for the terminal's default.
fn colour(color: Color) -> Option<String> {
    let (r, g, b) = match color {
        Color::Reset => return None,
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => indexed(i),
        named => named_rgb(named),
    };
    Some(format!("#{r:02x}{g:02x}{b:02x}"))
}

/// The 16 named colours as xterm draws them.
fn named_rgb(color: Color) -> (u8, u8, u8) {
    match color {
        Color::Black => (0, 0, 0),
        Color::Red => (205, 49, 49),
        Color::Green => (13, 188, 121),
        Color::Yellow => (229, 229, 16),
        Color::Blue => (36, 114, 200),
        Color::Magenta => (188, 63, 188),
        Color::Cyan => (17, 168, 205),
        Color::Gray => (229, 229, 229),
        Color::DarkGray => (102, 102, 102),
        Color::LightRed => (241, 76, 76),
        Color::LightGreen => (35, 209, 139),
        Color::LightYellow => (245, 245, 67),
        Color::LightBlue => (59, 142, 234),
        Color::LightMagenta => (214, 112, 214),
        Color::LightCyan => (41, 184, 219),
        _ => (255, 255, 255),
    }
}

/// xterm's 256-colour palette: 16 named, a 6x6x6 cube, 24 greys.
fn indexed(i: u8) -> (u8, u8, u8) {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => named_rgb(NAMED[usize::from(i)]),
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let v = i - 16;
            (level(v / 36), level(v / 6 % 6), level(v % 6))
        }
        _ => {
            let grey = 8 + (i - 232) * 10;
            (grey, grey, grey)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn cells_keep_their_text_colour_and_place() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 2));
        buffer.set_string(0, 0, "a<b", Style::default().fg(Color::Rgb(255, 0, 0)));
        buffer.set_string(
            1,
            1,
            "界x",
            Style::default().add_modifier(Modifier::REVERSED),
        );
        let svg = buffer_to_svg(&buffer);
        assert!(svg.contains("fill=\"#ff0000\">a&lt;b</text>"), "{svg}");
        assert!(svg.contains("x=\"0.0 8.4 16.8\""), "{svg}");
        // The wide character takes two cells, so `x` sits in the fourth column, and its
        // background runs on under both.
        assert!(svg.contains("x=\"8.4 25.2\""), "{svg}");
        assert!(svg.contains("width=\"25.2\" height=\"17\""), "{svg}");
        // Reversed: the default foreground becomes the background.
        assert!(svg.contains(&format!("fill=\"{DEFAULT_FG}\"/>")), "{svg}");
    }

    #[test]
    fn the_palette_matches_xterm() {
        assert_eq!(indexed(16), (0, 0, 0));
        assert_eq!(indexed(196), (255, 0, 0));
        assert_eq!(indexed(231), (255, 255, 255));
        assert_eq!(indexed(232), (8, 8, 8));
        assert_eq!(indexed(255), (238, 238, 238));
    }
}
