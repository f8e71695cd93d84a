/** Small helpers that reproduce Go's string semantics where JavaScript's differ. */

/**
 * Compares strings by their UTF-8 bytes, like Go's `sort.Strings`. JavaScript's default order
 * compares UTF-16 code units, which differs for characters outside the Basic Multilingual Plane.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Surrogates (U+D800–U+DFFF) encode code points above U+FFFF, which sort after U+E000–U+FFFF
    // in UTF-8 but before them in UTF-16.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb && (ca >= 0xe000 || cb >= 0xe000)) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

/** Sorts (a copy of) `list` in Go's byte order and removes duplicates. */
export function sortedUnique(list: Iterable<string>): string[] {
  const out = [...new Set(list)];
  sortGoStrings(out);
  return out;
}

const NON_BMP_OR_HIGH = /[\ud800-\uffff]/;

/**
 * Sorts `list` in place in Go's byte order. UTF-16 order (JavaScript's native comparison) only
 * differs from it for characters at or above U+D800, so the common case uses the native sort.
 */
export function sortGoStrings(list: string[]): string[] {
  if (list.some((s) => NON_BMP_OR_HIGH.test(s))) list.sort(compareGoStrings);
  else list.sort();
  return list;
}

/**
 * Unquotes a Go string literal (`"…"` with escapes, or `` `…` `` raw), like strconv.Unquote.
 * Returns undefined when the literal is malformed.
 */
export function unquoteGoString(lit: string): string | undefined {
  if (lit.length < 2) return undefined;
  const q = lit[0];
  if (q !== lit[lit.length - 1]) return undefined;
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) return undefined;
    return body.replace(/\r/g, '');
  }
  if (q !== '"') return undefined;
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body.charAt(i);
    if (c === '"' || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body.charAt(i + 1);
    i += 2;
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i, i + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        const v = parseInt(hex, 16);
        i += len;
        if (e === 'x') {
          // A \x escape is a raw byte; only ASCII bytes map to a JavaScript character directly.
          if (v >= 0x80) return undefined;
          out += String.fromCharCode(v);
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
          out += String.fromCodePoint(v);
        }
        break;
      }
      default: {
        if (e >= '0' && e <= '7') {
          const oct = body.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(oct)) return undefined;
          const v = parseInt(oct, 8);
          if (v > 255 || v >= 0x80) return undefined;
          out += String.fromCharCode(v);
          i += 2;
          break;
        }
        return undefined;
      }
    }
  }
  return out;
}

/**
 * Finds the end of a Go string literal starting at `s[0]` (a `"` or a backquote), like
 * strconv.QuotedPrefix. Returns the literal's length, or undefined if it is not terminated.
 */
export function quotedPrefixLength(s: string): number | undefined {
  const q = s[0];
  if (q === '`') {
    const end = s.indexOf('`', 1);
    return end < 0 ? undefined : end + 1;
  }
  if (q !== '"') return undefined;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') return undefined;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') return unquoteGoString(s.slice(0, i + 1)) === undefined ? undefined : i + 1;
  }
  return undefined;
}
