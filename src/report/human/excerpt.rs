//! The lines of an export that one view shows, as miette reads them: control characters
//! escaped.
//!
//! Escaping changes lengths, so miette cannot read the [`Source`] itself: the labels' spans
//! would no longer point at what they mark. An [`Excerpt`] holds, escaped, only the lines its
//! labels touch and their context, each run of touching lines a region of its own, and gives
//! the labels spans in its own offsets. Those offsets follow the source's, shifted by what the
//! escapes of earlier regions added, so that labels keep their order and a span miette asks for
//! (a label's, or the cover of two whose lines touch) lies within one region.

use std::borrow::Cow;
use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::report::controls::{escape_controls, escape_controls_in_lines};
use crate::source::{Source, Span};

/// Lines shown above and below a label, as miette is told.
pub(super) const CONTEXT_LINES: usize = 1;

pub(super) struct Excerpt<'s> {
    source: &'s Source,
    name: String,
    regions: Vec<Region>,
    /// Where each span it was made for starts, in its offsets and in the source's: miette's
    /// header gives the column of the primary label, which the source counts unescaped.
    starts: Vec<(usize, usize)>,
}

struct Region {
    /// The whole lines of the source it holds.
    lines: Range<usize>,
    /// Where its text starts in the excerpt's offsets.
    start: usize,
    /// Index of its first line in the source.
    first_line: usize,
    text: String,
}

impl<'s> Excerpt<'s> {
    /// The regions that the spans and their context lines cover.
    pub(super) fn new(source: &'s Source, spans: &[Span]) -> Excerpt<'s> {
        let mut ranges: Vec<(Range<usize>, usize, usize)> = Vec::new();
        let mut sorted = spans.to_vec();
        sorted.sort_unstable();
        for span in sorted {
            let Ok(contents) = source.read_span(&span.into(), CONTEXT_LINES, CONTEXT_LINES) else { continue };
            let (from, first, count) = (contents.span().offset(), contents.line(), contents.line_count());
            let range = from..from + contents.span().len();
            match ranges.last_mut() {
                Some((last, last_first, last_count)) if first <= *last_first + *last_count => {
                    last.end = last.end.max(range.end);
                    *last_count = (*last_count).max(first + count - *last_first);
                }
                _ => ranges.push((range, first, count)),
            }
        }
        let mut regions: Vec<Region> = Vec::with_capacity(ranges.len());
        for (lines, first_line, _) in ranges {
            let start = match regions.last() {
                Some(last) => last.start + last.text.len() + (lines.start - last.lines.end),
                None => lines.start,
            };
            let text = escaped(&source.text()[lines.clone()]).into_owned();
            regions.push(Region { lines, start, first_line, text });
        }
        let mut excerpt =
            Excerpt { source, name: escape_controls(source.name()).into_owned(), regions, starts: Vec::new() };
        excerpt.starts = spans.iter().map(|&span| (excerpt.span(span).offset(), span.start)).collect();
        excerpt
    }

    /// Where a span of the source is in the excerpt (an empty span at the start of the first
    /// region when it is in none, which a view's spans never are).
    pub(super) fn span(&self, span: Span) -> SourceSpan {
        let within = |region: &&Region| region.lines.start <= span.start && span.start <= region.lines.end;
        let Some(region) = self.regions.iter().find(within) else {
            return SourceSpan::new(self.regions.first().map_or(0, |region| region.start).into(), 0);
        };
        let text = self.source.text();
        let offset = |at: usize| {
            let mut at = at.clamp(region.lines.start, region.lines.end);
            // A span that ends between the CR and the LF of a line end ends at the line's end: a
            // CR cut from its LF would be escaped as a control character and shift the offset.
            if at > region.lines.start && text[at - 1] == b'\r' && text.get(at) == Some(&b'\n') {
                at -= 1;
            }
            region.start + escaped(&text[region.lines.start..at]).len()
        };
        let (start, end) = (offset(span.start), offset(span.end()));
        SourceSpan::new(start.into(), end - start)
    }
}

fn escaped(bytes: &[u8]) -> Cow<'_, str> {
    match String::from_utf8_lossy(bytes) {
        Cow::Borrowed(text) => escape_controls_in_lines(text),
        Cow::Owned(text) => Cow::Owned(escape_controls_in_lines(&text).into_owned()),
    }
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let region = self
            .regions
            .iter()
            .find(|region| region.start <= start && end <= region.start + region.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let text = &region.text;
        let (start, end) = (start - region.start, end - region.start);
        let line_starts: Vec<usize> =
            std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
        let line_of = |offset: usize| line_starts.partition_point(|&line_start| line_start <= offset) - 1;
        let first = line_of(start);
        let last = line_of(end.saturating_sub(1).max(start));
        let context_first = first.saturating_sub(context_lines_before);
        let context_last = (last + context_lines_after).min(line_starts.len() - 1);
        let from = line_starts[context_first];
        let to = match line_starts.get(context_last + 1) {
            Some(&next) => text[..next - 1].strip_suffix('\r').map_or(next - 1, str::len),
            None => text.len(),
        };
        let column = match self.starts.iter().find(|&&(at, _)| at == span.offset()) {
            Some(&(_, original)) if context_lines_before == 0 => {
                self.source.read_span(&SourceSpan::new(original.into(), 0), 0, 0)?.column()
            }
            _ if context_lines_before == 0 => start - line_starts[first],
            _ => 0,
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[from..to],
            SourceSpan::new((region.start + from).into(), to - from),
            region.first_line + context_first,
            column,
            context_last - context_first + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(excerpt: &Excerpt<'_>, span: SourceSpan) -> (String, usize) {
        let contents = excerpt.read_span(&span, 0, 0).unwrap();
        (String::from_utf8(contents.data().to_vec()).unwrap(), contents.line())
    }

    #[test]
    fn labels_point_at_the_escaped_value() {
        let text = "dn: a\nname: EX\x1b]0;x\x07\n\nother: 1\nlast: \x1b[2J\n";
        let source = Source::from_bytes("t", text.as_bytes().to_vec());
        let name = Span::new(6, 6 + "name: EX\x1b]0;x\x07".len());
        let last = Span::new(text.find("last").unwrap(), text.len() - 1);
        let excerpt = Excerpt::new(&source, &[name, last]);
        assert_eq!(read(&excerpt, excerpt.span(name)), (r"name: EX\x1b]0;x\x07".to_owned(), 1));
        assert_eq!(read(&excerpt, excerpt.span(last)), (r"last: \x1b[2J".to_owned(), 4));
        let whole = excerpt.read_span(&excerpt.span(name), 1, 1).unwrap();
        assert_eq!(whole.line(), 0);
        assert_eq!(whole.line_count(), 3);
    }

    #[test]
    fn a_span_that_ends_before_the_lf_of_a_crlf_stays_on_its_line() {
        let text = "a,b\r\n\"x\" y\r\n";
        let source = Source::from_bytes("t", text.as_bytes().to_vec());
        let stray = Span::new(text.find(" y").unwrap(), text.len() - 1);
        let excerpt = Excerpt::new(&source, &[stray]);
        assert_eq!(read(&excerpt, excerpt.span(stray)), ("\"x\" y".to_owned(), 1));
    }

    #[test]
    fn distant_lines_are_regions_of_their_own() {
        let text: String = (0..20).map(|line| format!("line{line}\x07\r\n")).collect();
        let source = Source::from_bytes("t", text.into_bytes());
        let second = Span::new(8, 14);
        let tenth = Span::new(72, 78);
        let excerpt = Excerpt::new(&source, &[tenth, second]);
        assert_eq!(excerpt.regions.len(), 2);
        assert_eq!(read(&excerpt, excerpt.span(second)), (r"line1\x07".to_owned(), 1));
        assert_eq!(read(&excerpt, excerpt.span(tenth)), (r"line9\x07".to_owned(), 9));
    }
}
