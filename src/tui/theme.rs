//! Colours and text styles, with a monochrome variant for NO_COLOR: every distinction made
//! by colour is also made by a modifier, so nothing is lost without colour.

use crate::model::Colour;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub colour: bool,
}

/// Colour of a code without one of its own.
const DEFAULT_CODE: Colour = Colour([0x8a, 0x8f, 0x98]);

impl Theme {
    /// Colour unless the NO_COLOR convention asks otherwise.
    pub fn from_env() -> Theme {
        Theme {
            colour: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn rgb(c: Colour) -> Color {
        Color::Rgb(c.0[0], c.0[1], c.0[2])
    }

    /// A code's colour darkened for use behind text.
    fn tint(c: Colour) -> Color {
        let [r, g, b] = c.0;
        let dim = |v: u8| (v as u16 * 45 / 100) as u8;
        Color::Rgb(dim(r), dim(g), dim(b))
    }

    /// Text covered by `depth` segments (at least one), the innermost coloured `colour`.
    pub fn coded(&self, colour: Option<Colour>, depth: usize) -> Style {
        let overlap = if depth > 1 {
            Modifier::UNDERLINED
        } else {
            Modifier::empty()
        };
        if self.colour {
            Style::default()
                .bg(Theme::tint(colour.unwrap_or(DEFAULT_CODE)))
                .add_modifier(overlap)
        } else {
            Style::default().add_modifier(
                Modifier::UNDERLINED
                    | if depth > 1 {
                        Modifier::BOLD
                    } else {
                        Modifier::empty()
                    },
            )
        }
    }

    /// A stripe in the gutter for a segment on this row.
    pub fn stripe(&self, colour: Option<Colour>) -> (Style, &'static str) {
        if self.colour {
            (
                Style::default().fg(Theme::rgb(colour.unwrap_or(DEFAULT_CODE))),
                "▌",
            )
        } else {
            (Style::default(), "│")
        }
    }

    /// A segment's bracket in the coding margin.
    pub fn margin_bracket(&self, colour: Option<Colour>) -> Style {
        if self.colour {
            Style::default().fg(Theme::rgb(colour.unwrap_or(DEFAULT_CODE)))
        } else {
            Style::default()
        }
    }

    /// A code's name in the coding margin: dimmed where its segment began above the screen,
    /// bold where the cursor is in the segment.
    pub fn margin_label(&self, colour: Option<Colour>, starts: bool, at_cursor: bool) -> Style {
        let mut style = self.margin_bracket(colour);
        if !starts {
            style = style.add_modifier(Modifier::DIM);
        }
        if at_cursor {
            style = style.add_modifier(Modifier::BOLD);
        }
        style
    }

    /// The "+N" for codes that found no lane in the margin.
    pub fn margin_more(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// A coder's id above their lanes in the margin.
    pub fn margin_header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// A colour swatch for a code in lists.
    pub fn swatch(&self, colour: Option<Colour>) -> (Style, &'static str) {
        if self.colour {
            (
                Style::default().fg(Theme::rgb(colour.unwrap_or(DEFAULT_CODE))),
                "■ ",
            )
        } else {
            (Style::default(), "")
        }
    }

    pub fn selection(&self) -> Style {
        if self.colour {
            Style::default()
                .bg(Color::Rgb(40, 70, 140))
                .fg(Color::White)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn search_hit(&self) -> Style {
        if self.colour {
            Style::default()
                .bg(Color::Rgb(150, 120, 0))
                .fg(Color::Black)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::ITALIC)
        }
    }

    /// The cursor over a cell styled `under`: reversed, or, where the cell is already
    /// reversed (a selection without colour), un-reversed and underlined.
    pub fn cursor(&self, under: Style) -> Style {
        if under.add_modifier.contains(Modifier::REVERSED) {
            under
                .remove_modifier(Modifier::REVERSED)
                .add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        } else {
            under.add_modifier(Modifier::REVERSED)
        }
    }

    pub fn interviewer(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    pub fn label(&self, interviewer: bool) -> Style {
        let style = Style::default().add_modifier(Modifier::BOLD);
        match (self.colour, interviewer) {
            (true, true) => style.fg(Color::Gray),
            (true, false) => style.fg(Color::Cyan),
            (false, _) => style,
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (self.colour, focused) {
            (true, true) => Style::default().fg(Color::Cyan),
            (false, true) => Style::default().add_modifier(Modifier::BOLD),
            _ => Style::default().add_modifier(Modifier::DIM),
        }
    }

    pub fn highlight(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn status(&self) -> Style {
        if self.colour {
            Style::default().bg(Color::Rgb(40, 44, 52)).fg(Color::White)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn mode(&self) -> Style {
        if self.colour {
            Style::default()
                .bg(Color::Rgb(40, 70, 140))
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }
}
