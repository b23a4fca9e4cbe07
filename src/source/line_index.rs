//! Lines of a text, found once and kept sparse.
//!
//! A full table of line starts costs 8 bytes a line, a fifth of a typical export; reports
//! only ever ask for a handful of positions. So the index keeps every [`STRIDE`]th line start
//! and counts the few lines in between with `memchr` when asked.

use memchr::{memchr, memchr_iter};

const STRIDE: usize = 64;

pub(super) struct LineIndex {
    /// Byte offset where line `k * STRIDE` (0-based) starts.
    checkpoints: Vec<usize>,
    /// Number of lines: line ends plus one.
    lines: usize,
}

impl LineIndex {
    pub(super) fn new(text: &[u8]) -> LineIndex {
        let mut checkpoints = vec![0];
        let mut lines = 1;
        for newline in memchr_iter(b'\n', text) {
            if lines % STRIDE == 0 {
                checkpoints.push(newline + 1);
            }
            lines += 1;
        }
        LineIndex { checkpoints, lines }
    }

    /// 0-based line holding `offset`, and the offset where that line starts.
    pub(super) fn line_of(&self, text: &[u8], offset: usize) -> (usize, usize) {
        let checkpoint = self.checkpoints.partition_point(|&start| start <= offset) - 1;
        let base = self.checkpoints[checkpoint];
        let mut line = checkpoint * STRIDE;
        let mut line_start = base;
        for newline in memchr_iter(b'\n', &text[base..offset]) {
            line += 1;
            line_start = base + newline + 1;
        }
        (line, line_start)
    }

    /// Offset where a 0-based line starts.
    pub(super) fn line_start(&self, text: &[u8], line: usize) -> usize {
        let mut start = self.checkpoints[line / STRIDE];
        for _ in 0..line % STRIDE {
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

    #[test]
    fn finds_lines_across_checkpoints() {
        let text: Vec<u8> = (0..500).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let index = LineIndex::new(&text);
        for line in [0, 1, 63, 64, 65, 127, 128, 499] {
            let start = index.line_start(&text, line);
            assert!(text[start..].starts_with(format!("line {line}\n").as_bytes()));
            assert_eq!(index.line_of(&text, start + 2), (line, start));
        }
        assert_eq!(index.last_line(), 500);
    }
}
