/**
 * The drawing of a change (issue 15): only what changed and its nearest neighbours, who
 * did it, colours by what happened, a legend, labels that keep the file name; every
 * drawing checked by mermaid's own parser (test/helpers/mermaid.ts).
 */
import type { Finding } from '../../src/diff/index.js';
import { drawChange, middle, renderSummary, type Report } from '../../src/report/index.js';
import { expectMermaid, flowchartLabels } from '../helpers/mermaid.js';

const finding = (over: Partial<Finding>): Finding => ({
  kind: 'new-input',
  severity: 'warning',
  subject: '{workspace}/src/a.h',
  outputs: [],
  message: 'm',
  failing: true,
  ...over,
});

const report = (findings: Finding[]): Report => ({
  version: 1,
  status: 'changed',
  findings,
  failing: findings.filter((f) => f.failing).length,
  build: { command: ['make'], exitCode: 0, signal: null },
  partial: false,
  baseline: 'b.yml',
  stats: {},
});

/** The mixed change of test/e2e/detection.test.ts, as its report gives it. */
const mixed: Finding[] = [
  finding({ kind: 'new-endpoint', severity: 'error', subject: 'tcp://127.0.0.1:1', by: '/usr/bin/bash gen-version.sh' }),
  finding({
    kind: 'source-modified',
    severity: 'error',
    subject: '{workspace}/VERSION',
    outputs: ['{workspace}/VERSION'],
    by: '/usr/bin/bash gen-version.sh',
  }),
  finding({
    subject: '{workspace}/include/extra.h',
    outputs: ['{workspace}/build/hashsum', '{workspace}/build/libcore.a', '{workspace}/build/util.o', '{workspace}/build/wordcount'],
    by: '/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -I include lib/util.c',
    effects: ['hashsum', 'libcore.a', 'wordcount'].map((o) =>
      finding({
        kind: 'changed-provenance',
        severity: 'notice',
        failing: false,
        subject: `{workspace}/build/${o}`,
        added: ['{workspace}/include/extra.h'],
      }),
    ),
  }),
  finding({ kind: 'vanished-output', severity: 'error', subject: '{workspace}/build/hashsum.o', outputs: ['{workspace}/build/hashsum.o'] }),
];

describe('labels', () => {
  test.each([
    ['{workspace}/src/a.c', '{workspace}/src/a.c'],
    // The root, and as many of the last components as fit in 48 characters.
    ['{workspace}/third_party/abseil/absl/base/internal/detail/abi_v3.hpp', '{workspace}/…/base/internal/detail/abi_v3.hpp'],
    ['/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef-with-a-very-long-name-indeed.h', '/…/include/stddef-with-a-very-long-name-indeed.h'],
    // A file name longer than the label: its start and its end.
    [`{workspace}/${'x'.repeat(80)}.h`, `{workspace}/xxxxxxxxxxxx…${'x'.repeat(21)}.h`],
  ])('%s → %s', (path, label) => {
    expect(middle(path)).toBe(label);
    expect(middle(path).length).toBeLessThanOrEqual(48);
  });
});

describe('the drawing of a mixed change', () => {
  const d = drawChange(mixed);

  test('parses with mermaid', async () => {
    await expectMermaid(d.text);
  });

  test('who did it is drawn: the program that connected, that wrote the source, that read the header', async () => {
    const labels = await flowchartLabels(d.text);
    const id = (label: string) => [...labels].find(([, l]) => l === label)?.[0];
    // Programs by their name and arguments.
    const bash = id('bash gen-version.sh')!;
    const cc1 = id('cc1 -quiet -I include lib/util.c')!;
    expect(bash).toBeDefined();
    expect(cc1).toBeDefined();
    const arrows = d.text.split('\n').filter((l) => /-(-|\.-)>/.test(l));
    expect(arrows).toEqual(
      expect.arrayContaining([
        `  ${bash} --> ${id('tcp://127.0.0.1:1')}`,
        `  ${bash} --> ${id('VERSION')}`,
        `  ${id('include/extra.h')} --> ${cc1}`,
        `  ${cc1} --> ${id('build/hashsum')}`,
      ]),
    );
    // Three outputs drawn, the fourth counted; what follows from the header in one node.
    expect([...labels.values()]).toEqual(expect.arrayContaining(['1 more outputs', 'and what follows: 3 × inputs changed']));
  });

  test('colours: added green, vanished red and dashed, the modified source orange; a legend', () => {
    const classOf = (label: string) => new RegExp(`"${label.replace(/[.*/]/g, '\\$&')}"\\/?\\)?\\)?\\]?:::(\\w+)`).exec(d.text)?.[1];
    expect(classOf('VERSION')).toBe('modified');
    expect(classOf('include/extra.h')).toBe('new');
    expect(classOf('build/hashsum.o')).toBe('gone');
    expect(d.text).toMatch(/classDef modified fill:#fff1e5,stroke:#bc4c00/);
    expect(d.text).toMatch(/^ {2}linkStyle [\d,]+ stroke:#1a7f37/m);
    expect(d.text).toContain('  subgraph legend [" "]');
    for (const l of ['added', 'vanished', 'modified source', 'program', 'output']) expect(d.text).toContain(`"${l}"`);
  });

  test('only the change: nothing the findings do not name', () => {
    // The endpoint, bash, VERSION, the header, cc1, three outputs and the count of the fourth, what follows, hashsum.o.
    expect(d.nodes).toBe(11);
  });
});

test('the summary shows a small drawing open, a large one folded', () => {
  const summary = (findings: Finding[]) =>
    renderSummary({ report: report(findings), run: 'make', baselineFile: 'b.yml', baselineExists: true, installSpec: 'x' });
  expect(summary(mixed)).toContain('<details open><summary>What changed, drawn</summary>');
  const many = Array.from({ length: 20 }, (_, i) => finding({ subject: `{workspace}/src/h${i}.h` }));
  expect(summary(many)).toContain('<details><summary>What changed, drawn</summary>');
});

test('a vanished target with its effects, and a bounded drawing, parse too', async () => {
  await expectMermaid(
    drawChange([
      finding({
        kind: 'vanished-output',
        severity: 'error',
        subject: '{workspace}/build/minigzip',
        outputs: ['{workspace}/build/minigzip'],
        effects: [
          finding({ kind: 'vanished-output', severity: 'error', subject: '{workspace}/build/CMakeFiles/minigzip.dir/test/minigzip.o' }),
        ],
      }),
    ]).text,
  );
  const many = Array.from({ length: 100 }, (_, i) =>
    finding({ subject: `{workspace}/h${i}.h`, outputs: [`{workspace}/o${i}`], by: `cc -c x${i}.c` }),
  );
  const big = drawChange(many);
  expect(big.nodes).toBe(40);
  expect(big.text).toMatch(/more\["… \d+ more left out: see the findings below"\]/);
  await expectMermaid(big.text);
});

test('a wrapper program is labelled by its name and the start of its command, not cut as a path (issue 25)', () => {
  const wrapper = '/usr/bin/bash --noprofile --norc -eo pipefail -c make -C examples/c-hello clean && make -C examples/c-hello -j2';
  const d = drawChange([finding({ kind: 'new-program', subject: wrapper })]);
  const label = /\["([^"]*)"\]/.exec(d.text)?.[1];
  expect(label).toMatch(/^bash --noprofile/);
  expect(label).toMatch(/-j2$/);
  expect(label).toContain('…');
});
