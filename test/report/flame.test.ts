/**
 * The I/O flame graph of paths: folded stacks (Brendan Gregg's format, every line checked
 * against its grammar), the fold of small stacks into `…` with the total kept, the SVG
 * (parsed by jsdom's XML parser, escaping, zoom and search data), and the heaviest
 * directories. Expected answers are worked out by hand from small inputs.
 */
import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import {
  byBytes,
  directoryOf,
  FOLD,
  foldedStacks,
  flameSvg,
  frameName,
  heaviestDirectories,
  pathFrames,
  xml,
  type IoSample,
} from '../../src/report/flame.js';
import { seededBytes } from '../helpers/random.js';

/** The folded format, stated here rather than imported: frames without `;` or newline, one space, an integer. */
const GRAMMAR = /^[^;\n]+(;[^;\n]+)* \d+$/;

const s = (program: string, path: string, weight: number): IoSample => ({ program, path, weight });

/** A small build: a compiler, make, a download and a shell pipe. Total 67. */
const BUILD: readonly IoSample[] = [
  s('cc1', '/usr/include/stdio.h', 40),
  s('cc1', '{workspace}/src/a.c', 10),
  s('make', '{workspace}/Makefile', 5),
  s('cc1', '/usr/include/stdio.h', 2),
  s('cc1', '/usr/include/stdlib.h', 0),
  s('curl', '203.0.113.5:443', 7),
  s('sh', 'pipe', 3),
];

function lines(text: string): string[] {
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

function totalOf(text: string): number {
  return lines(text).reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = seededBytes(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (next() * 256 + next()) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The SVG parsed as XML (a well-formedness error is a `parsererror` document, which this refuses). */
function parseSvg(svg: string): Document {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed XML: ${error.textContent}`);
  expect(doc.documentElement.localName).toBe('svg');
  return doc;
}

interface Drawn {
  readonly name: string;
  readonly x: number;
  readonly w: number;
  readonly d: number;
  readonly title: string;
  readonly label: string;
  readonly fill: string;
}

function framesOf(doc: Document): Drawn[] {
  return [...doc.querySelectorAll('g.f')].map((g) => ({
    name: g.getAttribute('data-n')!,
    x: Number(g.getAttribute('data-x')),
    w: Number(g.getAttribute('data-w')),
    d: Number(g.getAttribute('data-d')),
    title: g.querySelector('title')!.textContent!,
    label: g.querySelector('text')!.textContent!,
    fill: g.querySelector('rect')!.getAttribute('fill')!,
  }));
}

describe('foldedStacks', () => {
  test('sums identical stacks, drops weight 0, and sorts the lines bytewise with a trailing newline', () => {
    const out = foldedStacks(BUILD);
    expect(out.text).toBe(
      [
        'cc1;/;usr;include;stdio.h 42',
        'cc1;{workspace};src;a.c 10',
        'curl;203.0.113.5:443 7',
        'make;{workspace};Makefile 5',
        'sh;pipe 3',
        '',
      ].join('\n'),
    );
    expect(out).toMatchObject({ folded: 0, frames: 5 });
  });

  test('sorts by bytes: upper case before lower, a space before `!` before `;`, U+FF61 before an emoji (UTF-16 order would differ)', () => {
    const out = foldedStacks([
      s('p', '/a;x', 1),
      s('p', '/a/b', 1),
      s('p', '/a!', 1),
      s('p', '/a', 1),
      s('😀', 'x', 1),
      s('｡', 'x', 1),
      s('Z', 'x', 1),
    ]);
    expect(lines(out.text)).toEqual(['Z;x 1', 'p;/;a 1', 'p;/;a! 1', 'p;/;a%3Bx 1', 'p;/;a;b 1', '｡;x 1', '😀;x 1']);
    expect(['😀', '｡'].sort()).toEqual(['😀', '｡']); // what the default sort would have given
    expect(['😀', '｡'].sort(byBytes)).toEqual(['｡', '😀']);
  });

  test('a path is `/` and its directories; a token root is its own first frame; an endpoint or a pipe is one frame', () => {
    expect(pathFrames('/usr/include/stdio.h')).toEqual(['/', 'usr', 'include', 'stdio.h']);
    expect(pathFrames('/')).toEqual(['/']);
    expect(pathFrames('/usr//lib/')).toEqual(['/', 'usr', 'lib']);
    expect(pathFrames('{workspace}/src/a.c')).toEqual(['{workspace}', 'src', 'a.c']);
    expect(pathFrames('{tmp}')).toEqual(['{tmp}']);
    expect(pathFrames('203.0.113.5:443')).toEqual(['203.0.113.5:443']);
    expect(pathFrames('[2001:db8::1]:443')).toEqual(['[2001:db8::1]:443']);
    expect(pathFrames('tcp://127.0.0.1:1')).toEqual(['tcp://127.0.0.1:1']);
    expect(pathFrames('pipe')).toEqual(['pipe']);
    expect(lines(foldedStacks([s('cc1', '{workspace}/src/a.c', 1), s('curl', 'tcp://127.0.0.1:1', 1)]).text)).toEqual([
      'cc1;{workspace};src;a.c 1',
      'curl;tcp://127.0.0.1:1 1',
    ]);
  });

  test('escapes by percent-encoding `%`, `;`, controls and DEL; a real `…` and an empty name are escaped too, spaces are kept', () => {
    expect(frameName('a;b')).toBe('a%3Bb');
    expect(frameName('50%')).toBe('50%25');
    expect(frameName('x\ny\r\tz\u007f')).toBe('x%0Ay%0D%09z%7F');
    expect(frameName('…')).toBe('%E2%80%A6');
    expect(frameName('a…')).toBe('a…');
    expect(frameName('')).toBe('%00');
    expect(frameName('my file 12')).toBe('my file 12');
    const out = foldedStacks([s('a;b', '/dir;x/50%\nfile', 3), s('', '/…', 2), s('cc1', '/my file 12', 1)]);
    expect(lines(out.text)).toEqual(['%00;/;%E2%80%A6 2', 'a%3Bb;/;dir%3Bx;50%25%0Afile 3', 'cc1;/;my file 12 1']);
    for (const line of lines(out.text)) expect(line).toMatch(GRAMMAR);
    // Decoding gives the names back.
    expect(decodeURIComponent('dir%3Bx;50%25%0Afile'.split(';')[1])).toBe('50%\nfile');
  });

  test('weight 0 is dropped, and no weight at all is no line (not even a newline)', () => {
    expect(foldedStacks([s('cc1', '/a', 0)])).toEqual({ text: '', folded: 0, frames: 0 });
    expect(foldedStacks([])).toEqual({ text: '', folded: 0, frames: 0 });
  });

  test('refuses a negative, fractional or unsafe weight, and options out of range, naming the value', () => {
    expect(() => foldedStacks([s('cc1', '/a', -1)])).toThrow('report/foldedStacks: the weight of cc1 on /a is -1');
    expect(() => foldedStacks([s('cc1', '/a', 1.5)])).toThrow(RangeError);
    expect(() => foldedStacks([s('cc1', '/a', 2 ** 53)])).toThrow(RangeError);
    expect(() => foldedStacks([s('cc1', '/a', 2 ** 52), s('cc1', '/b', 2 ** 52)])).toThrow('past 2^53');
    expect(() => foldedStacks(BUILD, { maxFrames: 0 })).toThrow('maxFrames is 0');
    expect(() => foldedStacks(BUILD, { minFraction: 2 })).toThrow('minFraction is 2');
    expect(() => foldedStacks(BUILD, { minFraction: NaN })).toThrow(RangeError);
  });

  test('folds stacks under minFraction into their parent directory as `…`, repeatedly, down to `program;…`, keeping the total', () => {
    // Total 1000, threshold 50: a.h and b.h meet in include;… (70, kept); sys/c.h folds twice into it (90);
    // x.so folds to usr;…, /;… and cc1;… — a program is not folded away for being light.
    const samples = [
      s('cc1', '/usr/include/stdio.h', 900),
      s('cc1', '/usr/include/a.h', 40),
      s('cc1', '/usr/include/b.h', 30),
      s('cc1', '/usr/include/sys/c.h', 20),
      s('cc1', '/usr/lib/x.so', 10),
    ];
    const out = foldedStacks(samples, { minFraction: 0.05 });
    expect(out.text).toBe('cc1;/;usr;include;stdio.h 900\ncc1;/;usr;include;… 90\ncc1;… 10\n');
    expect(out).toMatchObject({ folded: 4, frames: 3 });
    expect(totalOf(out.text)).toBe(1000);
  });

  test('the default share, 0.1%, keeps a stack of 1 in 1000 and folds one of 1 in 1001', () => {
    expect(foldedStacks([s('p', '/big', 999), s('p', '/small', 1)]).folded).toBe(0);
    expect(foldedStacks([s('p', '/big', 1000), s('p', '/d/small', 1)])).toEqual({ text: 'p;/;big 1000\np;… 1\n', folded: 1, frames: 2 });
  });

  test('more stacks than maxFrames: the lightest fold until the count fits, programs too, the total kept', () => {
    // 4 stacks, 2 allowed: the threshold 5 folds b, c (into p;/;… 7) and d (down to … 2); 3 left, so the
    // threshold 6 folds a into p;/;… (12).
    const samples = [s('p', '/a', 5), s('p', '/b', 4), s('p', '/c', 3), s('q', '/d', 2)];
    const out = foldedStacks(samples, { maxFrames: 2, minFraction: 0 });
    expect(out.text).toBe('p;/;… 12\n… 2\n');
    expect(out).toMatchObject({ folded: 4, frames: 2 });
    expect(foldedStacks(samples, { maxFrames: 1, minFraction: 0 }).text).toBe('… 14\n');
    expect(foldedStacks(samples, { maxFrames: 4, minFraction: 0 }).folded).toBe(0);
  });

  test('a 100 000-file build folds within the default bounds, and says how many stacks it folded', () => {
    const next = seededBytes(7);
    const samples: IoSample[] = [];
    for (let i = 0; i < 100_000; i++) {
      const dir = `/usr/include/d${next() % 40}/e${next() % 8}`;
      samples.push(s(['cc1', 'ld', 'as', 'make'][next() % 4], `${dir}/f${i}.h`, 1 + (next() % 50)));
    }
    samples.push(s('cc1', '/usr/include/stdio.h', 5_000_000));
    const total = samples.reduce((sum, x) => sum + x.weight, 0);
    const out = foldedStacks(samples);
    expect(out.frames).toBeLessThanOrEqual(5_000);
    expect(out.folded).toBe(100_000);
    expect(totalOf(out.text)).toBe(total);
    // Each program keeps stdio.h (cc1) and its directories of folded headers, `as;/;usr;include;d0;… 1930`.
    for (const line of lines(out.text))
      expect(line).toMatch(/^(cc1;\/;usr;include;stdio\.h 5000000|(as|cc1|ld|make);\/;usr;include;d\d+;(e\d;)?… \d+)$/);
    for (const line of lines(out.text)) expect(line).toMatch(GRAMMAR);
    const tight = foldedStacks(samples, { maxFrames: 50, minFraction: 0 });
    expect(tight.frames).toBeLessThanOrEqual(50);
    expect(totalOf(tight.text)).toBe(total);
  });

  test('any samples: every line is in the grammar, the total is kept, the bound holds, and any order gives the same bytes', () => {
    const name = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('…', ';', '\n', '%', 'cc1', ''));
    const path = fc.oneof(
      fc.array(name, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
      fc.array(name, { maxLength: 3 }).map((parts) => `{workspace}/${parts.join('/')}`),
      name,
    );
    const sample = fc.record({ program: name, path, weight: fc.nat(1000) });
    fc.assert(
      fc.property(
        fc.array(sample, { maxLength: 60 }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (xs, maxFrames, minFraction) => {
          const out = foldedStacks(xs, { maxFrames, minFraction });
          for (const line of lines(out.text)) expect(line).toMatch(GRAMMAR);
          expect(totalOf(out.text)).toBe(xs.reduce((sum, x) => sum + x.weight, 0));
          expect(out.frames).toBeLessThanOrEqual(maxFrames);
          expect(foldedStacks([...xs].reverse(), { maxFrames, minFraction })).toEqual(out);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  test('the same samples in any order give the same bytes, folded or not', () => {
    const samples = [...BUILD, s('cc1', '/usr/include/x.h', 1), s('ld', '/usr/lib/a.so', 1), s('ld', '/usr/lib/b.so', 1)];
    const first = foldedStacks(samples, { minFraction: 0.05 });
    expect(first.folded).toBeGreaterThan(0);
    for (const seed of [1, 2, 3]) {
      expect(foldedStacks(shuffled(samples, seed), { minFraction: 0.05 })).toEqual(first);
      expect(flameSvg(shuffled(samples, seed), { title: 't', weight: 'calls' })).toBe(flameSvg(samples, { title: 't', weight: 'calls' }));
    }
  });
});

describe('flameSvg', () => {
  const svg = flameSvg(BUILD, { title: 'I/O of make', weight: 'calls' });

  test('is well-formed XML with a title, a subtitle naming the width, and one group per frame, the root `all` first', () => {
    const doc = parseSvg(svg);
    expect(doc.querySelector('svg > title')!.textContent).toBe('I/O of make');
    expect(doc.querySelector('.heading')!.textContent).toBe('I/O of make');
    expect(doc.querySelector('.subtitle')!.textContent).toBe('width: calls');
    const frames = framesOf(doc);
    // all; cc1, /, usr, include, stdio.h, {workspace}, src, a.c; curl, endpoint; make, {workspace}, Makefile; sh, pipe.
    expect(frames.map((f) => f.name)).toEqual([
      'all',
      'cc1',
      '/',
      'usr',
      'include',
      'stdio.h',
      '{workspace}',
      'src',
      'a.c',
      'curl',
      '203.0.113.5:443',
      'make',
      '{workspace}',
      'Makefile',
      'sh',
      'pipe',
    ]);
    expect(frames[0]).toMatchObject({ x: 0, w: 67, d: 0 });
    expect(frames.find((f) => f.name === 'stdio.h')).toMatchObject({
      x: 0,
      w: 42,
      d: 5,
      title: 'cc1 › /usr/include/stdio.h — 42 calls (62.7%)',
    });
    expect(frames.find((f) => f.name === 'a.c')).toMatchObject({
      x: 42,
      w: 10,
      d: 4,
      title: 'cc1 › {workspace}/src/a.c — 10 calls (14.9%)',
    });
    expect(frames.find((f) => f.name === 'curl')).toMatchObject({ x: 52, w: 7, d: 1, title: 'curl — 7 calls (10.4%)' });
    expect(frames.find((f) => f.name === 'include')!.title).toBe('cc1 › /usr/include — 42 calls (62.7%)');
    expect(frames[0].title).toBe('all — 67 calls (100.0%)');
  });

  test('the XML check itself refuses what is not well-formed', () => {
    expect(() => parseSvg('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow('not well-formed XML');
    expect(() => parseSvg('<svg xmlns="http://www.w3.org/2000/svg"><text>a ]]> b</text></svg>')).toThrow('not well-formed XML');
    expect(() => parseSvg('<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>')).toThrow('not well-formed XML');
  });

  test('draws the root at the bottom across the width, and a frame as wide as its weight', () => {
    const doc = parseSvg(flameSvg(BUILD, { title: 't', weight: 'calls', width: 1000 }));
    const rect = (name: string) => doc.querySelector(`g.f[data-n="${name}"] rect`)!;
    const root = rect('all');
    const stdio = rect('stdio.h');
    expect([root.getAttribute('x'), root.getAttribute('width')]).toEqual(['10', '980']);
    expect(Number(stdio.getAttribute('width'))).toBeCloseTo((980 * 42) / 67, 2);
    expect(Number(stdio.getAttribute('y'))).toBeLessThan(Number(root.getAttribute('y')));
    expect(Number(doc.documentElement.getAttribute('height'))).toBeGreaterThan(Number(root.getAttribute('y')));
  });

  test('opens a frame once even when a sibling sorts between its stacks (`a`, `a!`, `a;b`)', () => {
    const frames = framesOf(parseSvg(flameSvg([s('p', '/a', 1), s('p', '/a!', 1), s('p', '/a/b', 1)], { title: 't', weight: 'calls' })));
    expect(frames.map((f) => [f.name, f.x, f.w, f.d])).toEqual([
      ['all', 0, 3, 0],
      ['p', 0, 3, 1],
      ['/', 0, 3, 2],
      ['a', 0, 2, 3],
      ['b', 1, 1, 4],
      ['a!', 2, 1, 3],
    ]);
  });

  test('escapes names with <, &, " and ]]> in labels, tooltips and attributes, and the script stays the one CDATA section', () => {
    const nasty = 'a<b&c"d]]>e';
    const out = flameSvg([s(nasty, `/${nasty}`, 5), s('cc1', '/x', 5)], { title: `T ${nasty}`, weight: 'bytes' });
    expect(out).not.toContain(nasty);
    expect(out.split(']]>')).toHaveLength(2);
    expect(out).toContain('a&lt;b&amp;c&quot;d]]&gt;e');
    const doc = parseSvg(out);
    expect(doc.querySelector('svg > title')!.textContent).toBe(`T ${nasty}`);
    const frame = framesOf(doc).find((f) => f.d === 3)!;
    expect(frame.name).toBe(nasty);
    expect(frame.title).toBe(`${nasty} › /${nasty} — 5 bytes (50.0%)`);
    expect(frame.label).toBe(nasty);
    expect(xml('<&"\']]>')).toBe('&lt;&amp;&quot;&#39;]]&gt;');
    expect(xml('a\u0001b\ud800c')).toBe('a\ufffdb\ufffdc');
  });

  test('is self-contained: no link, no stylesheet or font from outside, nothing but the namespace names a URL', () => {
    expect(svg).not.toMatch(/href|url\(|@import|<image|<foreignObject|src=/i);
    expect(svg.match(/https?:/g)).toEqual(['http:']);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  test('is deterministic, and colours a name the same in every graph; folded frames are grey', () => {
    expect(flameSvg([...BUILD], { title: 'I/O of make', weight: 'calls' })).toBe(svg);
    expect(svg).not.toMatch(/\d{4}-\d\d-\d\d|Math\.random/);
    const fillOf = (out: string, name: string) => framesOf(parseSvg(out)).find((f) => f.name === name)!.fill;
    const other = flameSvg([s('gcc', '/opt/stdio.h', 1)], { title: 'other', weight: 'bytes' });
    expect(fillOf(other, 'stdio.h')).toBe(fillOf(svg, 'stdio.h'));
    expect(fillOf(svg, 'stdio.h')).toMatch(/^rgb\((2[0-5]\d),(\d{1,3}),(\d{1,2})\)$/);
    const folded = flameSvg([s('p', '/a/big', 99), s('p', '/a/small', 1)], { title: 't', weight: 'calls', minFraction: 0.05 });
    expect(fillOf(folded, FOLD)).toBe('rgb(200,200,200)');
  });

  test('says how many stacks were folded, names the unit, and leaves out frames under 0.1%', () => {
    // Threshold 5: x and y meet in a;… (6), which stays.
    const folded = parseSvg(
      flameSvg([s('p', '/a/big', 94), s('p', '/a/x', 3), s('p', '/a/y', 3)], { title: 't', weight: 'bytes', minFraction: 0.05 }),
    );
    expect(folded.querySelector('.subtitle')!.textContent).toBe('width: bytes — 2 small stacks folded into …');
    expect(framesOf(folded).find((f) => f.name === FOLD)!.title).toBe('p › /a/… — 6 bytes (6.0%)');
    const tiny = flameSvg([s('p', '/big', 10_000), s('p', '/tiny', 1)], { title: 't', weight: 'calls', minFraction: 0 });
    expect(framesOf(parseSvg(tiny)).map((f) => f.name)).toEqual(['all', 'p', '/', 'big']);
    expect(foldedStacks([s('p', '/big', 10_000), s('p', '/tiny', 1)], { minFraction: 0 }).frames).toBe(2);
  });

  test('shortens a label to fit its rect, and leaves it out when under 3 characters fit', () => {
    const samples = [s('p', '/a-very-long-directory-name/x', 30), s('p', '/c', 10), s('p', '/b', 960)];
    const frames = framesOf(parseSvg(flameSvg(samples, { title: 't', weight: 'calls', width: 1000 })));
    // 30/1000 of 980 px is 29.4 px: 3 characters of 7 px after 6 px of margin — two and an ellipsis; 9.8 px: none.
    expect(frames.find((f) => f.name === 'a-very-long-directory-name')!.label).toBe('a-…');
    expect(frames.find((f) => f.name === 'x')!.label).toBe('x');
    expect(frames.find((f) => f.name === 'c')!.label).toBe('');
    expect(frames.find((f) => f.name === 'b')!.label).toBe('b');
  });

  test('carries the zoom and search script, reading frames by their data, with a prompt and `?s=`', () => {
    const script = parseSvg(svg).querySelector('script')!.textContent!;
    expect(script).toContain("addEventListener('click'");
    expect(script).toContain('window.prompt(');
    expect(script).toContain("URLSearchParams(window.location.search).get('s')");
    expect(script).not.toMatch(/Math\.random|Date|fetch|XMLHttpRequest/);
  });

  test('draws no frame, and says so, when there is no weight', () => {
    const doc = parseSvg(flameSvg([s('p', '/a', 0)], { title: 'empty', weight: 'calls' }));
    expect(doc.querySelectorAll('g.f')).toHaveLength(0);
    expect(doc.querySelector('.subtitle')!.textContent).toBe('width: calls — no I/O to draw');
  });

  test('refuses a width it cannot draw', () => {
    expect(() => flameSvg(BUILD, { title: 't', weight: 'calls', width: 10 })).toThrow('report/flameSvg: width is 10');
  });
});

describe('heaviestDirectories', () => {
  // Total 160: /usr/include 50 and /usr/lib 50 tie (by name), the endpoint 25, {workspace}/src 20, / 10, {workspace} 5.
  const samples = [
    s('cc1', '/usr/include/stdio.h', 42),
    s('cc1', '/usr/include/stdlib.h', 8),
    s('ld', '/usr/lib/libc.so', 50),
    s('make', '{workspace}/Makefile', 5),
    s('cc1', '{workspace}/src/a.c', 20),
    s('curl', '203.0.113.5:443', 25),
    s('sh', '/init', 0),
    s('sh', '/etc', 10),
  ];

  test('gives the heaviest directories first, ties by name, with their share of the total', () => {
    expect(heaviestDirectories(samples)).toEqual([
      { directory: '/usr/include', weight: 50, share: 0.3125 },
      { directory: '/usr/lib', weight: 50, share: 0.3125 },
      { directory: '203.0.113.5:443', weight: 25, share: 0.15625 },
      { directory: '{workspace}/src', weight: 20, share: 0.125 },
      { directory: '/', weight: 10, share: 0.0625 },
      { directory: '{workspace}', weight: 5, share: 0.03125 },
    ]);
  });

  test('gives at most n, in any order of the samples', () => {
    expect(heaviestDirectories(shuffled(samples, 5), 2).map((d) => d.directory)).toEqual(['/usr/include', '/usr/lib']);
    expect(heaviestDirectories(samples, 0)).toEqual([]);
    expect(heaviestDirectories([])).toEqual([]);
  });

  test('a directory is the path less its last component; an endpoint or a pipe is its own', () => {
    expect(directoryOf('/usr/include/stdio.h')).toBe('/usr/include');
    expect(directoryOf('/a')).toBe('/');
    expect(directoryOf('/')).toBe('/');
    expect(directoryOf('{workspace}/a.c')).toBe('{workspace}');
    expect(directoryOf('203.0.113.5:443')).toBe('203.0.113.5:443');
    expect(directoryOf('pipe')).toBe('pipe');
  });
});
