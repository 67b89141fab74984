// Offsets: the server counts Unicode code points, the DOM counts UTF-16
// code units. Everything that crosses that edge goes through here.
//
// A code point at or above U+10000 (most emoji) is two UTF-16 units, a
// surrogate pair; everything else, accented letters and combining marks
// included, is one. Text from the server is valid UTF-8, so it never holds a
// lone surrogate; a lone one is still counted as one code point, the way
// JavaScript's string iterator counts it.

function isHigh(u) { return u >= 0xd800 && u <= 0xdbff; }
function isLow(u) { return u >= 0xdc00 && u <= 0xdfff; }

/** cpLength returns the number of code points in s. */
export function cpLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}

/**
 * utf16ToCp converts a UTF-16 offset into s to a code point offset. An
 * offset that falls inside a surrogate pair is rounded down ("floor", for
 * the start of a selection) or up ("ceil", for its end).
 */
export function utf16ToCp(s, u16, round = "floor") {
  if (u16 <= 0) return 0;
  if (u16 > s.length) u16 = s.length;
  let n = 0;
  let i = 0;
  while (i < u16) {
    if (isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      if (i + 1 === u16) return round === "ceil" ? n + 1 : n; // inside the pair
      i += 2;
    } else {
      i++;
    }
    n++;
  }
  return n;
}

/** cpToUtf16 converts a code point offset into s to a UTF-16 offset (clamped to s). */
export function cpToUtf16(s, cp) {
  if (cp <= 0) return 0;
  let i = 0;
  let n = 0;
  while (i < s.length && n < cp) {
    if (isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) i += 2;
    else i++;
    n++;
  }
  return i;
}

/** cpSlice returns the text between code point offsets [start, end) of s. */
export function cpSlice(s, start, end) {
  const a = cpToUtf16(s, start);
  return s.slice(a, a + cpToUtf16(s.slice(a), end - start));
}

/**
 * splitBlocks cuts a text into blocks of roughly target UTF-16 units, at
 * line breaks where it can, at a space otherwise, and never inside a
 * surrogate pair. Each block knows where it starts in both units, so a DOM
 * position inside a block maps to a code point of the whole text by
 * counting only within that block.
 *
 * Returns [{index, text, u16Start, u16End, cpStart, cpEnd}] covering s
 * exactly (an empty text gives one empty block).
 */
export function splitBlocks(s, target = 3000) {
  const blocks = [];
  let u = 0;
  let cp = 0;
  const max = target * 2;
  while (u < s.length || blocks.length === 0) {
    let end = Math.min(s.length, u + target);
    if (end < s.length) {
      // Prefer the next line break after the target, then the last one
      // before it, then a space, then a hard cut.
      const next = s.indexOf("\n", end);
      if (next !== -1 && next + 1 - u <= max) {
        end = next + 1;
      } else {
        const prev = s.lastIndexOf("\n", end - 1);
        if (prev >= u + target / 4) {
          end = prev + 1;
        } else {
          const sp = s.lastIndexOf(" ", end - 1);
          if (sp >= u + target / 4) end = sp + 1;
          else if (isHigh(s.charCodeAt(end - 1)) && isLow(s.charCodeAt(end))) end++;
        }
      }
    }
    const text = s.slice(u, end);
    const n = cpLength(text);
    blocks.push({ index: blocks.length, text, u16Start: u, u16End: end, cpStart: cp, cpEnd: cp + n });
    u = end;
    cp += n;
    if (s.length === 0) break;
  }
  return blocks;
}

/** blockAt returns the index of the block holding code point cp (the last block for cp at the end). */
export function blockAt(blocks, cp) {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid].cpStart <= cp) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
