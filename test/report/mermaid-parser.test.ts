/**
 * Issue 15: every drawing is checked by mermaid's own parser (test/helpers/mermaid.ts).
 * First that the helper is that parser (it accepts good flowcharts and rejects broken ones
 * with mermaid's messages, so it cannot pass by accepting everything), then the drawings:
 * the escaper for labels, `ioana graph --format mermaid` of every recorded log, and the
 * job summary's drawing of findings with hostile subjects.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Finding } from '../../src/diff/index.js';
import { horizonSets, toMermaid } from '../../src/graph/index.js';
import { environmentRedactor } from '../../src/host/environment.js';
import { logFile } from '../../src/io/lines.js';
import { analyzeLog, type LineSource } from '../../src/pipeline/index.js';
import { changeDrawing } from '../../src/report/drawing.js';
import { mermaid } from '../../src/vocabulary/index.js';
import { corpusFiles, corpusPath } from '../helpers/corpus.js';
import { expectMermaid, flowchartLabels, parseMermaid } from '../helpers/mermaid.js';

const chart = (...lines: string[]): string => ['flowchart LR', ...lines.map((l) => `  ${l}`)].join('\n') + '\n';

describe("the helper is mermaid's parser", () => {
  const GOOD: [string, string][] = [
    [
      'the shapes and arrows the drawings use',
      chart('n0["cc a.c -o a.o"]', 'n1[/"a.o"/]', 'n2(("host:443"))', 'n3{{"pipe"}}', 'n0 --> n1', 'n0 -. exec .-> n3'),
    ],
    [
      'classes, defined and applied',
      chart(
        'classDef new fill:#dafbe1,stroke:#1a7f37',
        'classDef gone fill:#ffebe9,stroke:#cf222e,stroke-dasharray: 4 3',
        'n0[/"a.o"/]:::new',
        'n1["x"]:::gone',
        'n1 -.-> n0',
      ),
    ],
    ['entity codes in a label', chart('n0["#quot;a#quot; #amp; #lt;b#gt; #35;c #96;d#96;"]')],
    ['`end` inside a label, `End` as an id', chart('End["end"] --> n1["subgraph"]')],
    ['a note of what was left out', chart('n0["a"]', 'more["… 3 more left out"]')],
  ];
  test.each(GOOD)('accepts %s', async (_what, text) => {
    await expect(parseMermaid(text)).resolves.toBe('flowchart-v2');
  });

  /** [what, text, part of mermaid's message] */
  const BROKEN: [string, string, RegExp][] = [
    ['an unbalanced quote', chart('a["x] --> b'), /^Parse error on line \d+:[\s\S]*Expecting 'SQE'/],
    ['a bad arrow `-->>`', chart('a -->> b'), /^Parse error on line 2:[\s\S]*got 'TAGEND'/],
    ['an unescaped `"` inside a label', chart('a["x "y" z"] --> b'), /^Parse error on line 2:[\s\S]*got 'STR'/],
    ['`end` as a node id', chart('end --> b'), /^Parse error on line 2:[\s\S]*got 'end'/],
    ['`end` as the target of an arrow', chart('a --> end'), /^Parse error on line 2:[\s\S]*got 'end'/],
    ['a classDef without styles', chart('classDef new', 'a:::new'), /^Parse error on line 2:[\s\S]*got 'NEWLINE'/],
    ['a class applied with nothing after `:::`', chart('a:::'), /^Parse error on line 2:[\s\S]*got 'NEWLINE'/],
    ['a classDef with a quoted style', chart('classDef new fill:"x"', 'a:::new'), /^Parse error on line 2:[\s\S]*got 'STR'/],
    ['an empty quoted label', chart('a[/""/] --> b'), /^Parse error on line 2:[\s\S]*got 'INVTRAPEND'/],
    ['unquoted brackets in a label', chart('a[x(y)] --> b'), /^Parse error on line 2:[\s\S]*got 'PS'/],
    ['a dangling arrow', chart('a["x"] -->'), /^Parse error on line \d+:[\s\S]*got 'EOF'/],
    ['an unknown diagram type', 'flowchar LR\n  a --> b\n', /^No diagram type detected/],
  ];
  test.each(BROKEN)('rejects %s, with mermaid’s message', async (_what, text, message) => {
    await expect(parseMermaid(text)).rejects.toThrow(message);
  });

  test('labels are sanitized as they are parsed (DOMPurify has its DOM)', async () => {
    const labels = await flowchartLabels(chart('n0["a<script>alert(1)</script>b"]', 'n1["c<b onclick=x>d</b>"]'));
    expect(labels.get('n0')).toBe('ab');
    expect(labels.get('n1')).toBe('cd');
  });

  test('expectMermaid shows the drawing with line numbers when it fails', async () => {
    await expect(expectMermaid(chart('a -->> b'))).rejects.toThrow(/Parse error on line 2[\s\S]*\n {3}2 \| {3}a -->> b/);
    await expect(expectMermaid('sequenceDiagram\n  a->>b: hi\n')).rejects.toThrow(/reads this drawing as sequence, not as a flowchart/);
  });
});

/** Paths a build can make: every character the escaper handles, and the ones mermaid's grammar cares about. */
const NASTY = [
  'src/"quoted".c',
  'src/`tick`.c',
  '```mermaid',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'a&b&amp;c',
  'src/[x]/(y)/{z}.c',
  'a|b|c',
  'end',
  'subgraph',
  'classDef new fill:#f00',
  'x:::new',
  '#quot; #35; #lt;',
  'style:x/#35;y',
  '%% comment',
  '%%{init: {"theme": "dark"}}%%',
  'a --> b',
  'a;b',
  'back\\slash\\',
  'line\nbreak\r\ntab\t',
  '\u2028\u2029',
  'ÿ ü ñ 日本語 файл 😀',
  'x'.repeat(58) + '😀 cut in the middle of a surrogate pair',
  'very/long/' + 'deep/'.repeat(40) + 'path.c',
  ' ',
  '',
];

/** What a reader sees of a label: line breaks and tabs as spaces (the escaper), trimmed (mermaid), no NUL (HTML). */
const seen = (s: string): string =>
  s
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .replace(/\0/g, '');

describe('the escaper (src/vocabulary mermaid())', () => {
  test.each(NASTY.map((s) => [JSON.stringify(s), s]))(
    '%s parses in every shape the drawings use, and reads as written',
    async (_shown, s) => {
      const t = mermaid(s);
      const labels = await flowchartLabels(
        chart(`n0["${t}"]:::new`, `n1[/"${t}"/]`, `n2(("${t}"))`, `n3{{"${t}"}}`, 'classDef new fill:#dafbe1', 'n0 --> n1', 'n1 -.-> n2'),
      );
      expect([...labels.values()]).toEqual([seen(s), seen(s), seen(s), seen(s)]);
    },
  );

  test('any text parses once escaped, and reads as written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (s) => {
        const t = mermaid(s);
        const labels = await flowchartLabels(chart(`n0["${t}"]:::new --> n1[/"${t}"/]`, 'classDef new fill:#dafbe1'));
        expect([...labels.values()]).toEqual([seen(s), seen(s)]);
      }),
      { numRuns: 100 },
    );
  });

  describe('what mermaid does to the characters it escapes', () => {
    test('an empty label does not parse', async () => {
      await expect(parseMermaid(chart('n0[""]'))).rejects.toThrow(/got 'SQE'/);
      expect(mermaid('')).toBe(' ');
    });

    test('`%%{…}%%` anywhere is a directive: taken out of the label and applied', async () => {
      const text = chart(`n0["a %%{init: {'theme': 'dark'}}%% b"]`);
      expect((await flowchartLabels(text)).get('n0')).toBe('a  b');
      expect(await import('mermaid').then((m) => m.default.parse(text))).toMatchObject({ config: { theme: 'dark' } });
      await expect(parseMermaid(chart('n0["%%{init: {}}%%"]'))).rejects.toThrow(/got 'SQE'/);
    });

    test('`style` … `:` … `#` … `;` on a line loses its last `;`, which breaks an entity code', async () => {
      expect((await flowchartLabels(chart('n0["style:a#quot;b"]'))).get('n0')).toBe('style:a#quotb');
      expect((await flowchartLabels(chart(`n0["${mermaid('style:a"b')}"]`))).get('n0')).toBe('style:a"b');
    });
  });
});

describe('ioana graph --format mermaid of every recorded log', () => {
  const TRACES = resolve('test/fixtures/traces');
  const REAL = resolve('test/fixtures/real/cargo');
  /** A gzipped log, read into memory as the CLI would read it unzipped. */
  const gzipped =
    (path: string): LineSource =>
    (onLine) => {
      const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      for (const l of lines) onLine(l);
      return Promise.resolve();
    };
  /** [name, log, the directory the build ran in] */
  const LOGS: [string, LineSource, string][] = [
    ['traces/cproject-make-j2.log', logFile(`${TRACES}/cproject-make-j2.log`), '/tmp/ioana-example'],
    ['traces/c-hello-make-j2.log', logFile(`${TRACES}/c-hello-make-j2.log`), '/tmp/ioana-hello'],
    ['traces/tsproject-tsc.log', logFile(`${TRACES}/tsproject-tsc.log`), '/tmp/ioana-tsproject'],
    ['strace/killed-core-dumped.log', logFile(resolve('test/fixtures/strace/killed-core-dumped.log')), '/w'],
    ['strace/thread-execve.log', logFile(resolve('test/fixtures/strace/thread-execve.log')), '/w'],
    ['real/cargo/a-update', gzipped(`${REAL}/a-update.strace.log.gz`), '/tmp/real/cargo/a/cdemo'],
    ['real/cargo/b-check', gzipped(`${REAL}/b-check.strace.log.gz`), '/tmp/real/cargo/other-place/cdemo'],
    ['real/cargo/f-check-j2', gzipped(`${REAL}/f-check-j2.strace.log.gz`), '/tmp/real/cargo/third-j2/cdemo'],
    ['real/cargo/c-check-add-itoa', gzipped(`${REAL}/c-check-add-itoa.strace.log.gz`), '/tmp/real/cargo/adddep/cdemo'],
    ...corpusFiles().map((name): [string, LineSource, string] => [`corpus/${name}`, logFile(corpusPath(name)), '/w']),
  ];

  test.each(LOGS)('%s', async (_name, source, workspace) => {
    const analysis = await analyzeLog(source);
    // As `ioana graph` draws (src/cli/graph.ts).
    const draw = { workspace, redactor: environmentRedactor() };
    const text = toMermaid(analysis.graph, horizonSets(analysis.graph, draw), draw);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    await expectMermaid(text);
  });
});

describe("the job summary's drawing of what changed", () => {
  const finding = (over: Partial<Finding>): Finding => ({
    kind: 'new-input',
    severity: 'warning',
    subject: '{workspace}/src/a.h',
    outputs: ['{workspace}/build/app'],
    message: 'm',
    failing: true,
    ...over,
  });

  test.each(NASTY.map((s) => [JSON.stringify(s), s]))('%s as every kind of subject, input and output', async (_shown, s) => {
    const findings: Finding[] = [
      finding({ subject: `{workspace}/${s}`, outputs: [`{workspace}/out/${s}`, '{workspace}/build/app'] }),
      finding({ kind: 'vanished-input', subject: s, outputs: [`{workspace}/${s}.o`] }),
      finding({ kind: 'new-program', subject: `${s} -c ${s}`, outputs: [`{workspace}/${s}.bin`] }),
      finding({ kind: 'new-input', subject: `/etc/${s}`, by: `${s} --read`, outputs: [1, 2, 3, 4, 5].map((i) => `{workspace}/${s}/${i}`) }),
      finding({ kind: 'source-modified', subject: `{workspace}/src/${s}`, by: s, effects: [finding({ subject: s, count: 3 })] }),
      finding({ kind: 'new-endpoint', subject: s, outputs: [] }),
      finding({
        kind: 'changed-provenance',
        subject: `{workspace}/build/${s}`,
        outputs: [`{workspace}/build/${s}`],
        added: [`{workspace}/${s}.new`],
        removed: [`/usr/include/${s}`],
      }),
    ];
    await expectMermaid(changeDrawing(findings));
  });

  test('a group of files in the workspace root', async () => {
    // A group's subject is its directory: `{workspace}/` for five new files at the top.
    const members = ['a', 'b', 'c', 'd', 'e'].map((x) => `{workspace}/${x}.o`);
    await expectMermaid(changeDrawing([finding({ kind: 'new-output', subject: '{workspace}/', outputs: members, count: 5, members })]));
  });

  test('past the bound, with the note of what was left out', async () => {
    const many = Array.from({ length: 60 }, (_, i) => finding({ subject: `{workspace}/src/"${i}".h`, outputs: [`{workspace}/out/${i}`] }));
    const text = changeDrawing(many);
    expect(text).toMatch(/more\["… \d+ more left out/);
    await expectMermaid(text);
  });
});
