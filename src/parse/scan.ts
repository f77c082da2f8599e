/**
 * Character-level scanning of a system call's argument list. One pass, no regular
 * expressions: this is the parser's hot path, run on every line of the log.
 *
 * What makes it more than `split(',')`: strings (`"a, b"`), nesting (`[{…}, {…}]`),
 * and `-y` decorations, which hold paths strace does not quote
 * (`3</tmp/a)b>`, `1</dev/null<char 1:3>>`, `8<TCP:[127.0.0.1:1->127.0.0.1:2]>`).
 */

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LT = 0x3c;
const GT = 0x3e;
const COMMA = 0x2c;
const SLASH = 0x2f;

/** `"a\"b"…` at `i` (the opening quote) → index of the closing quote, or -1. */
export function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j;
  }
  return -1;
}

/** A `<` that follows a descriptor number or `AT_FDCWD` opens a decoration: `3<`, `AT_FDCWD<`. */
export function opensDecoration(text: string, i: number): boolean {
  if (i === 0) return false;
  const p = text.charCodeAt(i - 1);
  return (p >= 0x30 && p <= 0x39) || (p >= 0x41 && p <= 0x5a) || (p >= 0x61 && p <= 0x7a);
}

/**
 * `<…>` at `i` → index of its closing `>`, or -1.
 * A path decoration (`</a/b>`) ends at the first `>` that closes it: strace escapes `<`
 * and `>` inside paths (`\74`, `\76`) but nothing else, so `)` or `[` in a path is text.
 * Any other decoration (`<pipe:[1]>`, `<TCP:[a->b]>`, `<TCPv6:[[::1]:80->[::1]:9]>`)
 * has brackets, and a `>` inside them (`->`) does not close it.
 */
export function skipDecoration(text: string, i: number): number {
  const n = text.length;
  if (text.charCodeAt(i + 1) === SLASH) {
    let depth = 0;
    for (let j = i; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) j++;
      else if (c === LT) depth++;
      else if (c === GT && --depth === 0) return j;
    }
    return -1;
  }
  let depth = 0;
  let brackets = 0;
  for (let j = i; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) {
      j = skipString(text, j);
      if (j < 0) return -1;
    } else if (c === LBRACKET) brackets++;
    else if (c === RBRACKET) brackets--;
    else if (brackets === 0) {
      if (c === LT) depth++;
      else if (c === GT && --depth === 0) return j;
    }
  }
  return -1;
}

export interface ScannedArgs {
  readonly args: string[];
  /** Index just after the closing `)`; the text's length when `openEnd` and none was found. */
  readonly end: number;
  /** Brackets and parentheses still open where the text ended (`openEnd`); 0 otherwise. */
  readonly depth: number;
}

/**
 * `3</a>, "x, y", [1, 2]) = 0` from `start` → `{ args: ['3</a>', '"x, y"', '[1, 2]'], end }`.
 * With `openEnd`, a list that runs to the end of the text without `)` is accepted
 * (the head of an `<unfinished ...>` call). Returns undefined when the text is not an
 * argument list: an unterminated string or decoration, or no closing `)`.
 */
export function scanArgs(text: string, start: number, openEnd: boolean): ScannedArgs | undefined {
  const args: string[] = [];
  const n = text.length;
  let depth = 0;
  let argStart = start;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case QUOTE:
        i = skipString(text, i);
        if (i < 0) return undefined;
        break;
      case BACKSLASH:
        i++;
        break;
      case LPAREN:
      case LBRACKET:
      case LBRACE:
        depth++;
        break;
      case RBRACKET:
      case RBRACE:
        depth--;
        break;
      case RPAREN:
        if (depth === 0) {
          pushArg(args, text, argStart, i, true);
          return { args, end: i + 1, depth: 0 };
        }
        depth--;
        break;
      case COMMA:
        if (depth === 0) {
          pushArg(args, text, argStart, i, false);
          argStart = i + 1;
        }
        break;
      case LT:
        if (opensDecoration(text, i)) {
          i = skipDecoration(text, i);
          if (i < 0) return undefined;
        }
        break;
    }
  }
  if (!openEnd) return undefined;
  pushArg(args, text, argStart, n, true);
  return { args, end: n, depth };
}

/**
 * Adds `text[from, to)` trimmed. An empty last slot is not an argument: `f()` has none,
 * and the head of `wait4(-1,  <unfinished ...>` has one.
 */
function pushArg(args: string[], text: string, from: number, to: number, last: boolean): void {
  // Trim by moving the ends, so that each argument costs one slice, not two.
  while (from < to && text.charCodeAt(from) === 0x20) from++;
  while (to > from && text.charCodeAt(to - 1) === 0x20) to--;
  if (from === to && last) return;
  args.push(text.slice(from, to));
}
