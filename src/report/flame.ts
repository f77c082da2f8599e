/**
 * An I/O flame graph of paths: where each program did its I/O, as Brendan Gregg's folded
 * stacks (`cc1;/;usr;include;stdio.h 42`, what flamegraph.pl, inferno and speedscope read)
 * and as a self-contained SVG drawn from them. A stack is the program, then the path's
 * root (`/`, or a token such as `{workspace}`) and its components; an endpoint or a pipe
 * label is one frame. Pure: the caller gathers the samples and writes the files.
 *
 * Written here, not taken from a package: no flame graph library may become a runtime
 * dependency, and the parts are small — a sort, a fold and one rect per frame.
 * Reference: https://www.brendangregg.com/flamegraphs.html (the format, zoom and search).
 */
export interface IoSample {
  /** The program's short name (`cc1`, `make`), already canonical and redacted by the caller. */
  readonly program: string;
  /** An absolute canonical path (`/usr/include/stdio.h`, `{workspace}/src/a.c`) or an endpoint (`203.0.113.5:443`), or a pipe label (`pipe`). */
  readonly path: string;
  /** The weight: calls or bytes (the caller chooses). Non-negative integer. */
  readonly weight: number;
}

/** What a frame's width measures: opens, or bytes read and written (no back end times calls without a cost). */
export type FlameWeight = 'calls' | 'bytes';

export interface FoldOptions {
  /** The most stacks kept; beyond it the lightest are folded. Default {@link MAX_FRAMES}; at least 1. */
  readonly maxFrames?: number;
  /**
   * A stack lighter than this share of the total is folded, at most down to `program;…`:
   * a program is not folded away for being light, only when there are too many stacks.
   * Default {@link MIN_FRACTION}; 0 to 1.
   */
  readonly minFraction?: number;
}

export interface FoldedStacks {
  /** One line per stack, sorted bytewise, each ending in a newline; empty when no sample has weight. */
  readonly text: string;
  /** How many distinct stacks of the input were folded into a `…` frame. */
  readonly folded: number;
  /** How many stacks (lines) `text` has. */
  readonly frames: number;
}

export interface FlameOptions extends FoldOptions {
  /** The heading, XML-escaped here. */
  readonly title: string;
  /** What a frame's width measures. */
  readonly weight: FlameWeight;
  /** In pixels. Default 1200; 200 to 100 000. */
  readonly width?: number;
}

export interface DirectoryWeight {
  /** `/usr/include`, `{workspace}/src`, or an endpoint (`203.0.113.5:443`) as it is. */
  readonly directory: string;
  readonly weight: number;
  /** Of the total weight, 0 to 1. */
  readonly share: number;
}

/** The most stacks kept by default: the folded text of a 100 000-file build stays under ~200 KB. */
export const MAX_FRAMES = 5_000;
export const MIN_FRACTION = 0.001;
/** The frame that stands for the small stacks folded into their parent directory. */
export const FOLD = '…';
const SEPARATOR = ';';
/** A frame narrower than this share of the total is not drawn (nor, so, its children). */
const MIN_DRAWN = 0.001;

// eslint-disable-next-line no-control-regex -- control characters are among what is escaped
const FRAME_UNSAFE = /[%;\u0000-\u001f\u007f]/g;
/** `{workspace}/…`, `{tmp}/…`: a canonical root of its own (any `{name}`, so new tokens need no change here). */
const TOKEN_ROOT = /^\{[^/{}]+\}(?=\/|$)/;

/**
 * A name as one frame: percent-encoding (as in a URL) of `%`, `;` (the separator) and the
 * C0 controls and DEL (a newline would end the line), so decoding gives the name back:
 * `a;b` → `a%3Bb`, `50%` → `50%25`. A real file named `…` is `%E2%80%A6`, so a bare `…`
 * is always a fold, and an empty name is `%00` (NUL, which no file or program name holds).
 */
export function frameName(name: string): string {
  if (name === '') return '%00';
  if (name === FOLD) return '%E2%80%A6';
  return name.replace(FRAME_UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * A path's frames, not yet escaped: `/usr/include/stdio.h` → `/`, `usr`, `include`, `stdio.h`;
 * `{workspace}/src/a.c` → `{workspace}`, `src`, `a.c`. Anything else — `203.0.113.5:443`,
 * `tcp://…`, `pipe` — is one frame: its slashes are not directories.
 */
export function pathFrames(path: string): string[] {
  if (path.startsWith('/')) return ['/', ...path.split('/').filter((p) => p !== '')];
  if (TOKEN_ROOT.test(path)) return path.split('/').filter((p) => p !== '');
  return [path];
}

/** `/`, `usr`, `include` → `/usr/include`; `{workspace}`, `src` → `{workspace}/src`. */
const joinPath = (frames: readonly string[]): string => (frames[0] === '/' ? `/${frames.slice(1).join('/')}` : frames.join('/'));

/** `/usr/include/stdio.h` → `/usr/include`, `/a` → `/`, `{workspace}/a.c` → `{workspace}`, an endpoint → itself. */
export function directoryOf(path: string): string {
  const frames = pathFrames(path);
  return joinPath(frames.length === 1 ? frames : frames.slice(0, -1));
}

/** A code unit's place in code point order, which is UTF-8's byte order: surrogates (U+10000 and up) after U+E000–U+FFFF. */
const codePointRank = (u: number): number => (u >= 0xd800 && u < 0xe000 ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);

/** Bytewise, as `LC_ALL=C sort` orders the UTF-8 text, on every machine alike. */
export function byBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function checkWeight(s: IoSample, where: string): void {
  if (!Number.isSafeInteger(s.weight) || s.weight < 0)
    throw new RangeError(`report/${where}: the weight of ${s.program} on ${s.path} is ${s.weight}; a weight is a non-negative integer.`);
}

function checkTotal(total: number, where: string): void {
  if (!Number.isSafeInteger(total))
    throw new RangeError(`report/${where}: the total weight ${total} is past 2^53; weigh in coarser units (kilobytes).`);
}

/** Identical stacks summed; weight 0 dropped (a frame of no width). */
function stackWeights(samples: Iterable<IoSample>, where: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const s of samples) {
    checkWeight(s, where);
    if (s.weight === 0) continue;
    const stack = [s.program, ...pathFrames(s.path)].map(frameName).join(SEPARATOR);
    weights.set(stack, (weights.get(stack) ?? 0) + s.weight);
  }
  return weights;
}

/** One step towards the root: `cc1;/;usr;stdio.h` → `cc1;/;usr;…` → `cc1;/;…` → `cc1;…` → `…`, which stays. */
function foldOnce(stack: string): string {
  const cut = stack.lastIndexOf(SEPARATOR);
  const head = cut < 0 ? '' : stack.slice(0, cut);
  if (stack.slice(cut + 1) !== FOLD) return head === '' ? FOLD : `${head}${SEPARATOR}${FOLD}`;
  return head === '' ? FOLD : foldOnce(head);
}

/**
 * Every stack lighter than `threshold` folded a step, the siblings that meet in one `…`
 * summed, again until none is lighter (but `…` itself, and `program;…` while `programs`
 * are kept). Each round is a function of the set of stacks, not of their order, so the
 * result is too.
 */
function foldBelow(weights: Map<string, number>, threshold: number, programs: 'keep' | 'fold'): Map<string, number> {
  let current = weights;
  for (;;) {
    let changed = false;
    const next = new Map<string, number>();
    for (const [stack, w] of current) {
      const step = w < threshold ? foldOnce(stack) : stack;
      const to = step === FOLD && programs === 'keep' ? stack : step;
      changed ||= to !== stack;
      next.set(to, (next.get(to) ?? 0) + w);
    }
    if (!changed) return current;
    current = next;
  }
}

interface Folded {
  readonly stacks: Map<string, number>;
  readonly folded: number;
  readonly total: number;
}

function fold(samples: Iterable<IoSample>, opts: FoldOptions, where: string): Folded {
  const maxFrames = opts.maxFrames ?? MAX_FRAMES;
  const minFraction = opts.minFraction ?? MIN_FRACTION;
  if (!Number.isSafeInteger(maxFrames) || maxFrames < 1)
    throw new RangeError(`report/${where}: maxFrames is ${maxFrames}; give an integer ≥ 1.`);
  if (!(minFraction >= 0 && minFraction <= 1))
    throw new RangeError(`report/${where}: minFraction is ${minFraction}; give a share from 0 to 1.`);
  const weights = stackWeights(samples, where);
  let total = 0;
  for (const w of weights.values()) total += w;
  checkTotal(total, where);
  let stacks = foldBelow(weights, minFraction * total, 'keep');
  while (stacks.size > maxFrames) {
    // After a pass every stack but `…` weighs at least its threshold, so each threshold is higher than the last:
    // this ends, at worst with `…` alone. Ties with the last one kept fold too: the bound is never passed.
    const kept = [...stacks].filter(([s]) => s !== FOLD).map(([, w]) => w);
    kept.sort((a, b) => b - a);
    stacks = foldBelow(stacks, kept[maxFrames - 1] + 1, 'fold');
  }
  // A folded stack ends in `…`, which no stack of the input does (a real `…` is escaped): what is gone was folded.
  let folded = 0;
  for (const stack of weights.keys()) if (!stacks.has(stack)) folded++;
  return { stacks, folded, total };
}

/**
 * The samples as folded stacks, `cc1;/;usr;include;stdio.h 42`, sorted bytewise; more than
 * `maxFrames` stacks, or stacks under `minFraction` of the total, are folded into their
 * parent directory as `…` (`cc1;/;usr;include;… 17`). The total weight is kept exactly.
 */
export function foldedStacks(samples: Iterable<IoSample>, opts: FoldOptions = {}): FoldedStacks {
  const { stacks, folded } = fold(samples, opts, 'foldedStacks');
  const lines = [...stacks].map(([stack, w]) => `${stack} ${w}`).sort(byBytes);
  return { text: lines.map((line) => `${line}\n`).join(''), folded, frames: lines.length };
}

/** The `n` directories with the most weight, heaviest first, ties by name: for a job summary's table (escape it there). */
export function heaviestDirectories(samples: Iterable<IoSample>, n = 10): DirectoryWeight[] {
  const weights = new Map<string, number>();
  let total = 0;
  for (const s of samples) {
    checkWeight(s, 'heaviestDirectories');
    if (s.weight === 0) continue;
    const directory = directoryOf(s.path);
    weights.set(directory, (weights.get(directory) ?? 0) + s.weight);
    total += s.weight;
  }
  checkTotal(total, 'heaviestDirectories');
  return [...weights]
    .sort(([a, x], [b, y]) => y - x || byBytes(a, b))
    .slice(0, Math.max(0, n))
    .map(([directory, weight]) => ({ directory, weight, share: weight / total }));
}

/** A frame of the drawing: its place in weight units (`x`, `weight`), so the script can zoom without measuring. */
interface Frame {
  readonly name: string;
  /** The frames from the program to this one; empty for the root. */
  readonly stack: readonly string[];
  readonly depth: number;
  readonly x: number;
  weight: number;
}

/**
 * Frames from folded stacks, the root `all` first. Stacks are taken frame by frame in
 * bytewise order (`;` compared as NUL, so `a;b` comes before `a;b!` and `a;b;c`): the
 * stacks under one frame are adjacent, and a frame is opened once.
 */
function layout(stacks: Map<string, number>, total: number): Frame[] {
  const frames: Frame[] = [{ name: 'all', stack: [], depth: 0, x: 0, weight: total }];
  const open: Frame[] = [];
  let x = 0;
  const order = [...stacks].map(([stack, w]) => [stack.replaceAll(SEPARATOR, '\0'), stack, w] as const).sort(([a], [b]) => byBytes(a, b));
  for (const [, stack, w] of order) {
    const names = stack.split(SEPARATOR);
    let same = 0;
    while (same < open.length && same < names.length && open[same].name === names[same]) same++;
    open.length = same;
    for (let d = same; d < names.length; d++) {
      const frame: Frame = { name: names[d], stack: names.slice(0, d + 1), depth: d + 1, x, weight: 0 };
      open.push(frame);
      frames.push(frame);
    }
    for (const frame of open) frame.weight += w;
    x += w;
  }
  return frames;
}

/** What XML 1.0 cannot carry, even as a character reference: most C0 controls, U+FFFE, U+FFFF and lone surrogates. */
const XML_INVALID =
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For SVG text and attributes: `a<b & "c" ]]>` → `a&lt;b &amp; &quot;c&quot; ]]&gt;`; what XML cannot hold becomes U+FFFD. */
export function xml(text: string): string {
  return text.replace(XML_INVALID, '\ufffd').replace(/[&<>"']/g, (c) => XML_ENTITY[c]);
}

const UNIT_TEXT: Readonly<Record<FlameWeight, string>> = { calls: 'calls', bytes: 'bytes' };
const AMOUNT: Readonly<Record<FlameWeight, (w: number) => string>> = {
  calls: (w) => `${w} call${w === 1 ? '' : 's'}`,
  bytes: (w) => `${w} byte${w === 1 ? '' : 's'}`,
};

/** `cc1 › /usr/include/stdio.h — 42 calls (3.1%)`: a frame's tooltip. */
function tooltip(f: Frame, total: number, unit: FlameWeight): string {
  const where = f.stack.length === 0 ? f.name : f.stack.length === 1 ? f.stack[0] : `${f.stack[0]} › ${joinPath(f.stack.slice(1))}`;
  return `${where} — ${AMOUNT[unit](f.weight)} (${((100 * f.weight) / total).toFixed(1)}%)`;
}

/** Verdana at 12 px is about 7 px a character: a label loses its end to `…` to fit, and is left out under 3 characters. */
const CHAR_WIDTH = 7;
function fit(name: string, px: number): string {
  const max = Math.floor((px - 6) / CHAR_WIDTH);
  if (max < 3) return '';
  const chars = [...name];
  return chars.length <= max ? name : `${chars.slice(0, max - 1).join('')}…`;
}

/** flamegraph.pl's "hot" palette (red 205–255, green 0–230, blue 0–55) by an FNV-1a hash of the name: a file has one colour in every graph. */
function color(name: string): string {
  if (name === FOLD) return 'rgb(200,200,200)';
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return `rgb(${205 + (h % 51)},${Math.round((((h >>> 8) & 0xff) * 230) / 255)},${Math.round((((h >>> 16) & 0xff) * 55) / 255)})`;
}

const PAD = 10;
const ROW = 16;
const TOP = 60;
const BOTTOM = 28;
const px = (n: number): string => String(Math.round(n * 100) / 100);

interface Geometry {
  readonly total: number;
  readonly inner: number;
  readonly depth: number;
  readonly unit: FlameWeight;
}

function frameElement(f: Frame, g: Geometry): string {
  const x = PAD + (f.x / g.total) * g.inner;
  const w = (f.weight / g.total) * g.inner;
  const y = TOP + (g.depth - f.depth) * ROW;
  return (
    `<g class="f" data-x="${f.x}" data-w="${f.weight}" data-d="${f.depth}" data-n="${xml(f.name)}">` +
    `<title>${xml(tooltip(f, g.total, g.unit))}</title>` +
    `<rect x="${px(x)}" y="${y}" width="${px(w)}" height="${ROW - 1}" rx="2" fill="${color(f.name)}"/>` +
    `<text x="${px(x + 3)}" y="${y + 11.5}">${xml(fit(f.name, w))}</text></g>`
  );
}

const STYLE =
  '.f,.reset,.search{cursor:pointer} .f:hover rect{stroke:#000;stroke-width:0.5} .f text{pointer-events:none} .reset,.search{fill:#0969da}';

/**
 * Zoom (click a frame: it fills the width; click `all` or "Reset zoom" to undo) and search
 * (the "Search" prompt, or `?s=` in the address: a regular expression, matches in magenta,
 * the matched share printed). It reads the frames' weight units from `data-*`, never the
 * layout, and mirrors `fit`. It must not contain `]]>` (it sits in a CDATA section).
 */
const SCRIPT = String.raw`(function () {
  'use strict';
  var svg = document.currentScript ? document.currentScript.parentNode : document.documentElement;
  var pad = Number(svg.getAttribute('data-pad'));
  var inner = Number(svg.getAttribute('width')) - 2 * pad;
  var frames = Array.prototype.map.call(svg.querySelectorAll('g.f'), function (g) {
    var rect = g.querySelector('rect');
    return { g: g, rect: rect, text: g.querySelector('text'), fill: rect.getAttribute('fill'), name: g.getAttribute('data-n'),
      x: Number(g.getAttribute('data-x')), w: Number(g.getAttribute('data-w')), d: Number(g.getAttribute('data-d')) };
  });
  var root = frames[0];
  if (!root) return;
  var reset = svg.querySelector('.reset');
  var matched = svg.querySelector('.matched');
  function fit(name, px) {
    var chars = Array.from(name);
    var max = Math.floor((px - 6) / 7);
    if (max < 3) return '';
    return chars.length <= max ? name : chars.slice(0, max - 1).join('') + '\u2026';
  }
  // The zoomed frame fills the width and its descendants scale with it; its ancestors span it, dimmed; the rest hide.
  function zoom(z) {
    frames.forEach(function (f) {
      var inside = f.d >= z.d && f.x >= z.x && f.x + f.w <= z.x + z.w;
      var below = f.d < z.d && f.x <= z.x && f.x + f.w >= z.x + z.w;
      if (!inside && !below) return f.g.setAttribute('display', 'none');
      var x = inside ? pad + ((f.x - z.x) / z.w) * inner : pad;
      var w = inside ? (f.w / z.w) * inner : inner;
      f.g.removeAttribute('display');
      if (below) f.g.setAttribute('opacity', '0.6');
      else f.g.removeAttribute('opacity');
      f.rect.setAttribute('x', x.toFixed(2));
      f.rect.setAttribute('width', w.toFixed(2));
      f.text.setAttribute('x', (x + 3).toFixed(2));
      f.text.textContent = fit(f.name, w);
    });
    if (z === root) reset.setAttribute('display', 'none');
    else reset.removeAttribute('display');
  }
  function search(term) {
    var re;
    try { re = new RegExp(term); } catch (e) { re = new RegExp(term.replace(/[.*+?^$(){}|[\]\\]/g, '\\$&')); }
    var hits = frames.filter(function (f) { f.hit = term !== '' && re.test(f.name); return f.hit; });
    frames.forEach(function (f) { f.rect.setAttribute('fill', f.hit ? 'rgb(230,0,230)' : f.fill); });
    // Frames nest or lie apart: in order of start, parents first, a match inside the last one counted adds nothing.
    var sum = 0;
    var end = -1;
    hits.sort(function (a, b) { return a.x - b.x || a.d - b.d; }).forEach(function (f) {
      if (f.x >= end) { sum += f.w; end = f.x + f.w; }
    });
    matched.textContent = term === '' ? '' : 'Matched: ' + ((100 * sum) / root.w).toFixed(1) + '% (' + hits.length + ' frames)';
  }
  frames.forEach(function (f) { f.g.addEventListener('click', function () { zoom(f); }); });
  reset.addEventListener('click', function () { zoom(root); });
  svg.querySelector('.search').addEventListener('click', function () {
    var term = window.prompt('Search frames (a regular expression)', '');
    if (term !== null) search(term);
  });
  var asked = new URLSearchParams(window.location.search).get('s');
  if (asked) search(asked);
})();`;

/**
 * The samples as a flame graph: an SVG with no external reference, root (`all`) at the
 * bottom, one rect and label per frame, width by weight, frames under 0.1% left out,
 * a tooltip per frame, zoom and search. Folded as {@link foldedStacks} folds; the same
 * samples in any order give the same bytes.
 */
export function flameSvg(samples: Iterable<IoSample>, opts: FlameOptions): string {
  const width = opts.width ?? 1200;
  if (!Number.isSafeInteger(width) || width < 200 || width > 100_000)
    throw new RangeError(`report/flameSvg: width is ${width}; give a whole number of pixels from 200 to 100000.`);
  const { stacks, folded, total } = fold(samples, opts, 'flameSvg');
  const frames = total === 0 ? [] : layout(stacks, total).filter((f) => f.weight >= MIN_DRAWN * total);
  const depth = frames.reduce((d, f) => Math.max(d, f.depth), 0);
  const height = TOP + (depth + 1) * ROW + BOTTOM;
  const geometry: Geometry = { total, inner: width - 2 * PAD, depth, unit: opts.weight };
  const note =
    total === 0 ? ' — no I/O to draw' : folded > 0 ? ` — ${folded} small stack${folded === 1 ? '' : 's'} folded into ${FOLD}` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-pad="${PAD}" font-family="Verdana, DejaVu Sans, sans-serif" font-size="12">`,
    `<title>${xml(opts.title)}</title>`,
    `<style>${STYLE}</style>`,
    `<rect width="100%" height="100%" fill="#fdf6ec"/>`,
    `<text class="heading" x="${width / 2}" y="24" text-anchor="middle" font-size="17">${xml(opts.title)}</text>`,
    `<text class="subtitle" x="${width / 2}" y="44" text-anchor="middle" fill="#57606a">width: ${UNIT_TEXT[opts.weight]}${note}</text>`,
    `<text class="reset" x="${PAD}" y="24" display="none">Reset zoom</text>`,
    `<text class="search" x="${width - PAD}" y="24" text-anchor="end">Search</text>`,
    `<text class="matched" x="${width - PAD}" y="${height - 10}" text-anchor="end"></text>`,
    ...frames.map((f) => frameElement(f, geometry)),
    `<script><![CDATA[\n${SCRIPT}\n]]></script>`,
    '</svg>',
    '',
  ].join('\n');
}
