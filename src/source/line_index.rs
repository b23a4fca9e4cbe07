//! Lines of a text, found once and kept sparse.
//!
//! A full table of line starts costs 8 bytes a line, a fifth of a typical export; reports
//! only ever ask for a handful of positions. So the index keeps a checkpoint every
//! [`LineMarks::STRIDE`] lines and counts the few lines in between with `memchr` when asked.
//! The LDIF reader visits every line anyway: it records the checkpoints of the part it reads
//! ([`LineMarks`]), and the parts, read in parallel, make the index with no pass of its own.

use memchr::{memchr, memchr_iter};

/// Where lines start in one part of a text, as the reader of that part saw them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineMarks {
    /// Line ends in the part.
    pub line_ends: usize,
    /// Where every `STRIDE`th line of the part starts (counting the part's first line as 0).
    pub starts: Vec<usize>,
}

impl LineMarks {
    pub const STRIDE: usize = 64;

    /// Counts a line end at `offset`.
    pub fn line_end(&mut self, offset: usize) {
        self.line_ends += 1;
        if self.line_ends.is_multiple_of(LineMarks::STRIDE) {
            self.starts.push(offset + 1);
        }
    }
}

pub(super) struct LineIndex {
    /// `(offset, line)`: a line start and its 0-based number; the first is `(0, 0)`.
    checkpoints: Vec<(usize, usize)>,
    /// Number of lines: line ends plus one.
    lines: usize,
}

impl LineIndex {
    /// Scans a whole text; for texts no reader went through.
    pub(super) fn new(text: &[u8]) -> LineIndex {
        let mut marks = LineMarks::default();
        for newline in memchr_iter(b'\n', text) {
            marks.line_end(newline);
        }
        LineIndex::from_parts(vec![marks])
    }

    /// Joins the marks of consecutive parts that cover the text from its start.
    pub(super) fn from_parts(parts: Vec<LineMarks>) -> LineIndex {
        let mut checkpoints = vec![(0, 0)];
        let mut lines_before = 0;
        for part in parts {
            checkpoints.extend(
                part.starts
                    .iter()
                    .enumerate()
                    .map(|(index, &start)| (start, lines_before + (index + 1) * LineMarks::STRIDE)),
            );
            lines_before += part.line_ends;
        }
        LineIndex { checkpoints, lines: lines_before + 1 }
    }

    /// 0-based line holding `offset`, and the offset where that line starts.
    pub(super) fn line_of(&self, text: &[u8], offset: usize) -> (usize, usize) {
        let (base, mut line) = self.checkpoints[self.checkpoints.partition_point(|&(start, _)| start <= offset) - 1];
        let mut line_start = base;
        for newline in memchr_iter(b'\n', &text[base..offset]) {
            line += 1;
            line_start = base + newline + 1;
        }
        (line, line_start)
    }

    /// Offset where a 0-based line starts.
    pub(super) fn line_start(&self, text: &[u8], line: usize) -> usize {
        let (mut start, base) = self.checkpoints[self.checkpoints.partition_point(|&(_, first)| first <= line) - 1];
        for _ in base..line {
            match memchr(b'\n', &text[start..]) {
                Some(newline) => start += newline + 1,
                None => return text.len(),
            }
        }
        start
    }

    /// Offset where a 0-based line ends, before its `\n` or `\r\n`.
    pub(super) fn line_end(&self, text: &[u8], line: usize) -> usize {
        let start = self.line_start(text, line);
        let end = memchr(b'\n', &text[start..]).map_or(text.len(), |newline| start + newline);
        if end > start && text[end - 1] == b'\r' { end - 1 } else { end }
    }

    pub(super) fn last_line(&self) -> usize {
        self.lines - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> Vec<u8> {
        (0..500).flat_map(|i| format!("line {i}\n").into_bytes()).collect()
    }

    fn check(index: &LineIndex, text: &[u8]) {
        for line in [0, 1, 63, 64, 65, 127, 128, 200, 499] {
            let start = index.line_start(text, line);
            assert!(text[start..].starts_with(format!("line {line}\n").as_bytes()));
            assert_eq!(index.line_of(text, start + 2), (line, start));
        }
        assert_eq!(index.last_line(), 500);
    }

    #[test]
    fn finds_lines_across_checkpoints() {
        let text = text();
        check(&LineIndex::new(&text), &text);
    }

    #[test]
    fn parts_make_the_same_index() {
        let text = text();
        let mut parts = Vec::new();
        for (from, to) in [(0, 700), (700, 1500), (1500, 1501), (1501, text.len())] {
            let mut marks = LineMarks::default();
            for newline in memchr_iter(b'\n', &text[from..to]) {
                marks.line_end(from + newline);
            }
            parts.push(marks);
        }
        check(&LineIndex::from_parts(parts), &text);
    }
}
