//! Text positions in REFI-QDA selections. The standard counts Unicode code points from 0,
//! end exclusive; real exports differ: NVivo for Windows counts UTF-16 code units with CRLF
//! as two, other tools count CRLF as one character. The convention is worked out from the
//! selections themselves: people select words, so under the right reading nearly every
//! selection starts and ends on a word boundary.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// The standard: code points, a CRLF line break counts 2.
    CodePoints,
    /// Code points, CRLF counted as one character.
    CodePointsLf,
    /// UTF-16 code units (astral characters count 2), CRLF counts 2.
    Utf16,
    /// UTF-16 code units, CRLF counted as one.
    Utf16Lf,
}

impl Convention {
    pub const ALL: [Convention; 4] = [
        Convention::CodePoints,
        Convention::CodePointsLf,
        Convention::Utf16,
        Convention::Utf16Lf,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Convention::CodePoints => "Unicode code points, CRLF as 2 (the REFI-QDA standard)",
            Convention::CodePointsLf => "Unicode code points, CRLF as 1",
            Convention::Utf16 => "UTF-16 code units, CRLF as 2 (as NVivo for Windows writes)",
            Convention::Utf16Lf => "UTF-16 code units, CRLF as 1",
        }
    }

    /// The convention an exporting program is known to use, from `Project@origin`.
    pub fn expected_from(origin: &str) -> Convention {
        let origin = origin.to_ascii_lowercase();
        if origin.contains("nvivo") && origin.contains("windows") {
            Convention::Utf16
        } else {
            Convention::CodePoints
        }
    }

    fn units(self, c: char, next: Option<char>) -> usize {
        let crlf_as_one = matches!(self, Convention::CodePointsLf | Convention::Utf16Lf);
        if crlf_as_one && c == '\r' && next == Some('\n') {
            // The pair counts once; giving the CR no width keeps a position at the
            // line's end before the line break.
            return 0;
        }
        match self {
            Convention::Utf16 | Convention::Utf16Lf => c.len_utf16(),
            Convention::CodePoints | Convention::CodePointsLf => 1,
        }
    }
}

/// One source text (without its BOM) measured under one convention.
pub struct Units {
    /// Units before each char; one more entry than chars.
    before: Vec<usize>,
}

impl Units {
    pub fn new(raw: &str, convention: Convention) -> Units {
        let chars: Vec<char> = raw.chars().collect();
        let mut before = Vec::with_capacity(chars.len() + 1);
        let mut total = 0usize;
        for (i, &c) in chars.iter().enumerate() {
            before.push(total);
            total += convention.units(c, chars.get(i + 1).copied());
        }
        before.push(total);
        Units { before }
    }

    pub fn len(&self) -> usize {
        self.before.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The raw char index of a unit offset, and whether it falls exactly between chars
    /// (not inside a surrogate pair). `None` past the end.
    fn locate(&self, unit: usize) -> Option<(usize, bool)> {
        if unit > self.len() {
            return None;
        }
        let i = self.before.partition_point(|&u| u < unit);
        Some((i, self.before.get(i) == Some(&unit)))
    }

    /// Raw char range of a selection; a position inside a character widens the range to
    /// take the whole character. `None` if out of range or empty.
    pub fn to_chars(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let (s, s_exact) = self.locate(start)?;
        let (e, _) = self.locate(end)?;
        let s = if s_exact { s } else { s.saturating_sub(1) };
        (s < e).then_some((s, e))
    }

    /// Whether both ends fall exactly between characters.
    pub fn exact(&self, start: usize, end: usize) -> bool {
        matches!(
            (self.locate(start), self.locate(end)),
            (Some((_, true)), Some((_, true)))
        )
    }
}

/// Whether a char position in `chars` is at a word boundary: the start or end of the text,
/// or not between two letters or digits. (Unicode's word-boundary rules keep "3.5" or
/// "20:49" together, which is not how people judge where a selection was cut.)
pub fn is_word_boundary(chars: &[char], at: usize) -> bool {
    if at == 0 || at >= chars.len() {
        return at <= chars.len();
    }
    let word = |c: char| c.is_alphanumeric();
    !(word(chars[at - 1]) && word(chars[at]))
}

/// A source's text and its selections' positions as written in the file.
pub struct SourceSelections<'a> {
    pub raw: &'a str,
    pub positions: Vec<(usize, usize)>,
}

/// How well one convention fits: selections that start and end on word boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub convention: Convention,
    pub on_boundaries: usize,
    pub total: usize,
}

/// Scores every convention and picks the best; ties go to the one the origin suggests,
/// then to the standard.
pub fn detect(sources: &[SourceSelections<'_>], origin: &str) -> (Fit, Vec<Fit>) {
    let texts: Vec<Vec<char>> = sources.iter().map(|s| s.raw.chars().collect()).collect();
    let fits: Vec<Fit> = Convention::ALL
        .iter()
        .map(|&convention| score(sources, &texts, convention))
        .collect();
    let expected = Convention::expected_from(origin);
    let preference = |c: Convention| {
        if c == expected {
            0
        } else {
            1 + Convention::ALL.iter().position(|&x| x == c).unwrap_or(4)
        }
    };
    let best = fits
        .iter()
        .copied()
        .max_by(|a, b| {
            a.on_boundaries
                .cmp(&b.on_boundaries)
                .then(preference(b.convention).cmp(&preference(a.convention)))
        })
        .unwrap_or(Fit {
            convention: expected,
            on_boundaries: 0,
            total: 0,
        });
    (best, fits)
}

fn score(sources: &[SourceSelections<'_>], texts: &[Vec<char>], convention: Convention) -> Fit {
    let mut fit = Fit {
        convention,
        on_boundaries: 0,
        total: 0,
    };
    for (source, chars) in sources.iter().zip(texts) {
        let units = Units::new(source.raw, convention);
        for &(start, end) in &source.positions {
            fit.total += 1;
            let on = units.exact(start, end)
                && units
                    .to_chars(start, end)
                    .is_some_and(|(s, e)| is_word_boundary(chars, s) && is_word_boundary(chars, e));
            fit.on_boundaries += usize::from(on);
        }
    }
    fit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_astral_characters_twice() {
        let raw = "a😀b";
        let units = Units::new(raw, Convention::Utf16);
        assert_eq!(units.len(), 4);
        assert_eq!(units.to_chars(3, 4), Some((2, 3)));
        // Inside the surrogate pair: widened to the whole emoji.
        assert_eq!(units.to_chars(2, 3), Some((1, 2)));
        assert!(!units.exact(2, 3));
        assert_eq!(
            Units::new(raw, Convention::CodePoints).to_chars(2, 3),
            Some((2, 3))
        );
    }

    #[test]
    fn crlf_as_one_keeps_line_ends_before_the_break() {
        let raw = "ab\r\ncd";
        let units = Units::new(raw, Convention::CodePointsLf);
        assert_eq!(units.len(), 5);
        // "cd" is at units 3..5, raw chars 4..6.
        assert_eq!(units.to_chars(3, 5), Some((4, 6)));
        // "ab" ends at unit 2: before the CR.
        assert_eq!(units.to_chars(0, 2), Some((0, 2)));
        assert_eq!(units.to_chars(0, 9), None);
    }

    #[test]
    fn detects_the_convention_whose_selections_fall_on_words() {
        let raw = "Héllo 😀 wörld\r\nsecond line 😀 here and more words";
        let words = ["wörld", "second", "here", "more"];
        let char_pos = |w: &str| raw[..raw.find(w).unwrap()].chars().count();
        let utf16_pos = |w: &str| raw[..raw.find(w).unwrap()].encode_utf16().count();
        let lens: Vec<usize> = words.iter().map(|w| w.chars().count()).collect();
        let standard: Vec<(usize, usize)> = words
            .iter()
            .zip(&lens)
            .map(|(w, l)| (char_pos(w), char_pos(w) + l))
            .collect();
        let nvivo: Vec<(usize, usize)> = words
            .iter()
            .zip(&lens)
            .map(|(w, l)| (utf16_pos(w), utf16_pos(w) + l))
            .collect();
        let detect_with = |positions| detect(&[SourceSelections { raw, positions }], "Some tool").0;
        assert_eq!(detect_with(standard).convention, Convention::CodePoints);
        let fit = detect_with(nvivo);
        assert_eq!(fit.convention, Convention::Utf16);
        assert_eq!((fit.on_boundaries, fit.total), (4, 4));
    }

    #[test]
    fn ties_go_to_the_origins_convention() {
        let raw = "plain ascii text";
        let sources = [SourceSelections {
            raw,
            positions: vec![(0, 5)],
        }];
        assert_eq!(
            detect(&sources, "NVivo for Windows 12.6").0.convention,
            Convention::Utf16
        );
        assert_eq!(
            detect(&sources, "ATLAS.ti").0.convention,
            Convention::CodePoints
        );
    }
}
