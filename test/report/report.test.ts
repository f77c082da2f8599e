import type { Finding } from '../../src/diff/index.js';
import {
  annotationsFor,
  changeDrawing,
  MAX_PER_LEVEL,
  MAX_SUMMARY_BYTES,
  renderSummary,
  renderText,
  type Report,
} from '../../src/report/index.js';
import { repoPath } from '../../src/vocabulary/index.js';

const finding = (over: Partial<Finding>): Finding => ({
  kind: 'new-input',
  severity: 'warning',
  subject: '{workspace}/src/a.h',
  outputs: ['{workspace}/build/a.o'],
  message: 'The build now reads {workspace}/src/a.h.',
  failing: true,
  ...over,
});

const SPEC = 'git+https://github.com/ioana/action.git#v1';

const report = (findings: Finding[]): Report => ({
  version: 1,
  status: findings.length ? 'changed' : 'clean',
  findings,
  failing: findings.filter((f) => f.failing).length,
  build: { command: ['bash', '-c', 'make'], exitCode: 0, signal: null },
  partial: false,
  baseline: 'baselines/build.yml',
  stats: {},
});

describe('annotations', () => {
  test('repository-relative paths: no ./, forward slashes, nothing outside the repository', () => {
    expect(repoPath('{workspace}/src/a.c')).toBe('src/a.c');
    expect(repoPath('{workspace}/./src/a.c')).toBe('src/a.c');
    expect(repoPath('{workspace}/src\\win\\a.c')).toBe('src/win/a.c');
    expect(repoPath('{workspace}/../etc/passwd')).toBeUndefined();
    expect(repoPath('/usr/include/stdio.h')).toBeUndefined();
    expect(repoPath('{home}/.netrc')).toBeUndefined();
  });

  test('a file in the repository gets its path; a vanished entry its line in the baseline', () => {
    const a = annotationsFor(
      [
        finding({}),
        finding({ kind: 'vanished-output', severity: 'error', subject: '{workspace}/build/x', baselineLine: 42, message: 'gone' }),
        finding({ kind: 'new-input', severity: 'notice', subject: '/etc/passwd', message: 'passwd' }),
      ],
      { baseline: 'baselines/build.yml' },
    );
    expect(a).toEqual([
      { level: 'warning', title: 'ioana: new input', message: 'The build now reads {workspace}/src/a.h.', file: 'src/a.h' },
      { level: 'error', title: 'ioana: output no longer produced', message: 'gone', file: 'baselines/build.yml', line: 42 },
      { level: 'notice', title: 'ioana: new input', message: 'passwd' },
    ]);
  });

  test('at most 10 per level, then one notice that counts the rest', () => {
    const many = [
      ...Array.from({ length: 25 }, (_, i) => finding({ subject: `{workspace}/w${i}` })),
      ...Array.from({ length: 12 }, (_, i) => finding({ severity: 'error', subject: `{workspace}/e${i}` })),
      ...Array.from({ length: 3 }, (_, i) => finding({ severity: 'notice', subject: `/n${i}` })),
    ];
    const a = annotationsFor(many);
    for (const level of ['error', 'warning', 'notice'] as const)
      expect(a.filter((x) => x.level === level).length).toBeLessThanOrEqual(MAX_PER_LEVEL);
    expect(a.filter((x) => x.level === 'warning')).toHaveLength(10);
    expect(a.filter((x) => x.level === 'error')).toHaveLength(10);
    expect(a.at(-1)).toEqual({
      level: 'notice',
      title: 'ioana: more findings',
      message: expect.stringMatching(/^17 more findings \(2 errors, 15 warnings\)/),
    });
  });
});

describe('the job summary', () => {
  test('in update mode it says the baseline was written and what to commit, not to accept the change', () => {
    const input = {
      report: report([finding({})]),
      run: 'make',
      baselineFile: 'baselines/build.yml',
      baselineExists: true,
      installSpec: SPEC,
    };
    const check = renderSummary(input);
    expect(check).toMatch(/accept it/);
    const update = renderSummary({ ...input, written: 'wrote baselines/build.yml (1 run): +1 input' });
    expect(update).toContain('**The baseline was written** (`mode: update`): <code>wrote baselines/build.yml (1 run): +1 input</code>');
    expect(update).toMatch(/Commit <code>baselines\/build\.yml<\/code> to accept the change/);
    expect(update).not.toMatch(/accept it/);
  });

  test('hostile paths are escaped: no HTML, no broken table, no closed code', () => {
    const evil = '{workspace}/<img src=x onerror=alert(1)>|`rm -rf`|</code>\n## injected';
    const s = renderSummary({
      report: report([finding({ subject: evil, outputs: [evil] })]),
      run: 'make',
      baselineFile: 'baselines/build.yml',
      baselineExists: true,
      installSpec: SPEC,
    });
    expect(s).not.toContain('<img');
    expect(s).not.toContain('</code> ## injected');
    expect(s).not.toMatch(/^## injected/m);
    expect(s).toContain('&#60;img src=x onerror=alert(1)&#62;&#124;&#96;rm -rf&#96;&#124;&#60;/code&#62; ## injected');
    const labels = [...changeDrawing([finding({ subject: evil })]).matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    // Shortened in the middle (the file name's end stays), and escaped.
    expect(labels[0]).toMatch(/^#lt;img src=x onerror=alert.*….*#lt;\/code#gt; #35;#35; injected$/);
    for (const l of labels) expect(l).not.toMatch(/[<>`\n]/);
  });

  test("stays under GitHub's 1 MiB limit with thousands of findings", () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      finding({
        subject: `{workspace}/some/deep/directory/structure/file-${i}-${'x'.repeat(100)}.h`,
        outputs: Array.from({ length: 30 }, (__, j) => `{workspace}/build/out-${(i + j) % 5000}.o`),
      }),
    );
    const s = renderSummary({
      report: report(many),
      run: 'make -j2',
      baselineFile: 'baselines/build.yml',
      baselineExists: true,
      installSpec: SPEC,
    });
    expect(Buffer.byteLength(s)).toBeLessThan(MAX_SUMMARY_BYTES);
    expect(s).toContain('- … 19750 more: see the JSON report');
    expect(s).toContain(
      "npx --yes --package='git+https://github.com/ioana/action.git#v1' -- ioana update --baseline baselines/build.yml -- bash --noprofile --norc -eo pipefail -c 'make -j2'",
    );
  });

  test('headline, counts, the accept commands and the drawing', () => {
    const s = renderSummary({
      report: report([finding({})]),
      run: "make CFLAGS='-O2'",
      baselineFile: 'baselines/build.yml',
      baselineExists: true,
      installSpec: SPEC,
    });
    expect(s.split('\n')[0]).toBe('## ❌ ioana: failing — 1 of 1 finding fails the check');
    expect(s).toContain('| new input | 1 |');
    expect(s).toContain(
      "npx --yes --package='git+https://github.com/ioana/action.git#v1' -- ioana update --baseline baselines/build.yml -- bash --noprofile --norc -eo pipefail -c 'make CFLAGS='\\''-O2'\\'''",
    );
    expect(s).toMatch(/```mermaid\nflowchart LR[\s\S]*n0\[\/"src\/a\.h"\/\]:::new[\s\S]*n0 --> n1/);
    expect(
      renderSummary({ report: report([]), run: 'make', baselineFile: 'b.yml', baselineExists: true, installSpec: SPEC }).split('\n')[0],
    ).toBe('## ✅ ioana: clean');
  });
});

describe('the terminal report', () => {
  test('colours only when asked', () => {
    const r = report([finding({})]);
    const ESC = String.fromCharCode(27);
    expect(renderText(r)).not.toContain(ESC);
    expect(renderText(r, { color: true })).toContain(`${ESC}[33mwarning${ESC}[0m`);
  });
});

describe('where annotations point', () => {
  test('outputs are build products: no file annotation for them', () => {
    const a = annotationsFor([
      finding({ kind: 'changed-provenance', severity: 'notice', subject: '{workspace}/build/app', message: 'changed' }),
      finding({ kind: 'new-output', subject: '{workspace}/build/new', message: 'new' }),
      finding({ kind: 'source-modified', severity: 'error', subject: '{workspace}/src/a.c', message: 'modified' }),
    ]);
    expect(a.map((x) => x.file)).toEqual([undefined, undefined, 'src/a.c']);
  });

  test('the drawing has one arrow per pair', () => {
    const d = changeDrawing([
      finding({}),
      finding({
        kind: 'changed-provenance',
        subject: '{workspace}/build/a.o',
        outputs: ['{workspace}/build/a.o'],
        added: ['{workspace}/src/a.h'],
      }),
    ]);
    expect(d.split('\n').filter((l) => l.includes('-->'))).toEqual(['  n0 --> n1']);
  });
});

describe('report limits', () => {
  test('2 MiB of findings with non-ASCII paths: a summary under 1 MiB in bytes that still holds the drawing and the accept command', () => {
    // Each with what follows from it: the listed effects make the findings section long.
    const many = Array.from({ length: 12_000 }, (_, i) =>
      finding({
        subject: `{workspace}/données/répertoire-${i}/fichier-€-${'é'.repeat(60)}.h`,
        outputs: [`{workspace}/build/sortie-${i % 300}-${'ü'.repeat(40)}.o`],
        effects: Array.from({ length: 40 }, (__, j) =>
          finding({
            kind: 'changed-provenance',
            severity: 'notice',
            failing: false,
            subject: `{workspace}/build/sortie-${j}-${'ü'.repeat(80)}.o`,
          }),
        ),
      }),
    );
    expect(Buffer.byteLength(JSON.stringify(many))).toBeGreaterThan(2 * 1024 * 1024);
    const s = renderSummary({
      report: report(many),
      run: 'make -j2',
      baselineFile: 'baselines/build.yml',
      baselineExists: true,
      installSpec: SPEC,
    });
    expect(Buffer.byteLength(s, 'utf8')).toBeLessThan(1024 * 1024);
    expect(s).toContain('```mermaid\nflowchart LR');
    expect(s).toContain("ioana update --baseline baselines/build.yml -- bash --noprofile --norc -eo pipefail -c 'make -j2'");
    expect(s).toMatch(/the summary was cut at GitHub's size limit/);
    // Cut at a line, and never inside a character.
    expect(s).not.toContain('\uFFFD');
  });

  test('a build command with backticks cannot close the code block of the accept command', () => {
    const s = renderSummary({
      report: report([finding({})]),
      run: 'echo ```\n## injected',
      baselineFile: 'b.yml',
      baselineExists: true,
      installSpec: SPEC,
    });
    const fence = /^(`{4,})sh$/m.exec(s)![1];
    expect(s).toContain(`${fence}\n\nor run this workflow step`);
  });

  test('no level goes past 10 annotations, counting the slots ioana keeps for its own messages', () => {
    const many = (severity: 'error' | 'warning' | 'notice', n: number) =>
      Array.from({ length: n }, (_, i) => finding({ severity, subject: `{workspace}/${severity}${i}` }));
    const reserved = { error: 1, warning: 2, notice: 2 };
    const a = annotationsFor([...many('error', 30), ...many('warning', 30), ...many('notice', 30)], {}, reserved);
    const count = (level: string) => a.filter((x) => x.level === level).length;
    expect(count('error') + reserved.error).toBe(MAX_PER_LEVEL);
    expect(count('warning') + reserved.warning).toBe(MAX_PER_LEVEL);
    expect(count('notice') + reserved.notice).toBe(MAX_PER_LEVEL);
    expect(a.at(-1)!.message).toMatch(/^\d+ more findings/);
  });
});

test('an annotation says how many findings follow from it', () => {
  const effects = [finding({ kind: 'changed-provenance', severity: 'notice', failing: false, subject: '{workspace}/build/a.o' })];
  const [a] = annotationsFor([finding({ effects: [...effects, ...effects] })]);
  expect(a.message).toBe('The build now reads {workspace}/src/a.h. 2 more findings follow from it: see the job summary.');
});
