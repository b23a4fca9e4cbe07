//! Line ends, found 64 bytes at a time.
//!
//! The reader visits every line of an export, 26 million in a gigabyte. Calling `memchr` once
//! per line costs more in setting up each call than in scanning the 40 bytes of an average
//! line. This scanner compares a 64-byte block with `\n` in four SIMD steps, keeps the result
//! as a bit mask, and hands out one position per set bit, so a line end costs a few cycles.

use wide::u8x16;

/// The positions of `\n` in a range of a text, in order.
pub(super) struct Newlines<'a> {
    text: &'a [u8],
    /// Start of the 64-byte block that `mask` describes.
    block: usize,
    /// Line ends of the block not handed out yet, one bit per byte.
    mask: u64,
    end: usize,
}

const BLOCK: usize = 64;

impl<'a> Newlines<'a> {
    pub(super) fn new(text: &'a [u8], start: usize, end: usize) -> Newlines<'a> {
        let block = start - start % BLOCK;
        // Bytes of the first block before `start` belong to the previous range.
        let mask = block_mask(text, block) & (u64::MAX << (start - block));
        Newlines { text, block, mask, end }
    }
}

impl Iterator for Newlines<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.block += BLOCK;
            if self.block >= self.end {
                return None;
            }
            self.mask = block_mask(self.text, self.block);
        }
        let newline = self.block + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        (newline < self.end).then_some(newline)
    }
}

/// One bit per `\n` among the 64 bytes at `block` (fewer at the end of the text).
fn block_mask(text: &[u8], block: usize) -> u64 {
    let Some(bytes) = text.get(block..block + BLOCK) else {
        let tail = text.get(block..).unwrap_or_default();
        return tail.iter().enumerate().fold(0, |mask, (index, &byte)| mask | (u64::from(byte == b'\n') << index));
    };
    let newline = u8x16::splat(b'\n');
    bytes.chunks_exact(16).enumerate().fold(0, |mask, (index, chunk)| {
        let lanes = u8x16::new(<[u8; 16]>::try_from(chunk).unwrap_or_default());
        mask | (u64::from(lanes.simd_eq(newline).to_bitmask()) << (16 * index))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(text: &[u8], start: usize, end: usize) -> Vec<usize> {
        (start..end).filter(|&index| text[index] == b'\n').collect()
    }

    #[test]
    fn finds_every_line_end_of_a_range() {
        let text: Vec<u8> = (0..1000u32).map(|i| if i % 7 == 0 || i % 61 == 0 { b'\n' } else { b'a' }).collect();
        for (start, end) in [(0, 1000), (1, 999), (63, 64), (64, 128), (100, 100), (130, 1000), (0, 5)] {
            assert_eq!(
                Newlines::new(&text, start, end).collect::<Vec<_>>(),
                expected(&text, start, end),
                "{start}..{end}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_a_byte_scan(text in proptest::collection::vec(proptest::sample::select(vec![b'\n', b'a', b'\r']), 0..300), cut in 0usize..300) {
            let start = cut.min(text.len());
            proptest::prop_assert_eq!(Newlines::new(&text, start, text.len()).collect::<Vec<_>>(), expected(&text, start, text.len()));
        }
    }
}
