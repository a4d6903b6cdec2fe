//! The study's words, each numbered by its place in byte order and kept in one buffer: a
//! word is found by binary search, so opening the kept index builds no hash table of every
//! word, and numbering a set of words afresh (after new transcripts were read) keeps the
//! order of the words already numbered.

/// Distinct words in byte order, in one buffer.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Vocabulary {
    text: String,
    /// Where each word ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl Vocabulary {
    /// Adds `word` after the others, when it comes after the last in byte order (so the
    /// words stay distinct and in order); returns whether it did.
    pub(crate) fn push_sorted(&mut self, word: &str) -> bool {
        if self.len() > 0 && self.word(self.len() as u32 - 1) >= word {
            return false;
        }
        self.text.push_str(word);
        self.ends.push(self.text.len());
        true
    }

    /// The distinct words of `words`, in any order and with repeats, put in byte order.
    pub(crate) fn of<'w>(words: impl IntoIterator<Item = &'w str>) -> Vocabulary {
        let mut sorted: Vec<&str> = words.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut vocabulary = Vocabulary::default();
        for word in sorted {
            // Distinct and in order: always taken.
            vocabulary.push_sorted(word);
        }
        vocabulary
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Word number `n` (empty when there is none).
    pub(crate) fn word(&self, n: u32) -> &str {
        let n = n as usize;
        let Some(&end) = self.ends.get(n) else {
            return "";
        };
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        self.text.get(start..end).unwrap_or_default()
    }

    /// The number of `word`, when it is one of these.
    pub(crate) fn find(&self, word: &str) -> Option<u32> {
        let (mut low, mut high) = (0usize, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.word(middle as u32).cmp(word) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle as u32),
            }
        }
        None
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len() as u32).map(|n| self.word(n))
    }

    /// Each of `old` words' number here (0 for a word not here): the table [`renumber`]
    /// takes, from another numbering to this one.
    pub(crate) fn numbers_of<'w>(&self, old: impl IntoIterator<Item = &'w str>) -> Vec<u32> {
        old.into_iter().map(|w| self.find(w).unwrap_or(0)).collect()
    }
}

/// Numbers `numbers` afresh: each `n` becomes `table[n]`.
pub(crate) fn renumber(numbers: &mut [u32], table: &[u32]) {
    for n in numbers {
        *n = table[*n as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_by_their_place_in_byte_order() {
        let v = Vocabulary::of(["trust", "we", "μελέτη", "trust", "a"]);
        assert_eq!(v.iter().collect::<Vec<_>>(), ["a", "trust", "we", "μελέτη"]);
        assert_eq!(v.find("we"), Some(2));
        assert_eq!(v.find("μελέτη"), Some(3));
        assert_eq!(v.find("a"), Some(0));
        assert_eq!(v.find("tru"), None);
        assert_eq!(v.find("zzz"), None);
        assert_eq!(v.word(9), "");
    }

    #[test]
    fn words_out_of_order_or_repeated_are_refused() {
        let mut v = Vocabulary::default();
        assert!(v.push_sorted("a"));
        assert!(!v.push_sorted("a"), "repeated");
        assert!(v.push_sorted("b"));
        assert!(!v.push_sorted("a"), "out of order");
        assert_eq!(v.iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn words_are_numbered_afresh_through_a_table() {
        let old = Vocabulary::of(["b", "d"]);
        let new = Vocabulary::of(["a", "b", "c", "d"]);
        let table = new.numbers_of(old.iter());
        assert_eq!(table, [1, 3]);
        let mut numbers = [0, 1, 1];
        renumber(&mut numbers, &table);
        assert_eq!(numbers, [1, 3, 3]);
        assert_eq!(old.numbers_of(["a", "d"]), [0, 1], "a word not there is 0");
    }
}
