/**
 * Exact detection (DESIGN §3): each kind of change to the C project is reported as the
 * right kind, for the right subject, and nothing unrelated is (changed-provenance of
 * the outputs the change reaches aside).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../src/diff/index.js';
import { copyFixture, edit, ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const BUILD = ['make', '-j2', 'all', 'version'];
const W = '{workspace}';

/** Records a baseline of the untouched project, applies `change`, checks, returns the findings. */
async function findingsAfter(change: (dir: string) => void): Promise<{ findings: Finding[]; code: number }> {
  const baseline = join(tempDir(), 'base.yml');
  const before = copyFixture('cproject');
  expect((await ioana('update', '--baseline', baseline, '--workspace', before, '--', ...BUILD)).code).toBe(0);
  const after = copyFixture('cproject');
  change(after);
  const report = join(tempDir(), 'report.json');
  const r = await ioana('check', '--baseline', baseline, '--workspace', after, '--json', report, '--', ...BUILD);
  return { findings: JSON.parse(readFileSync(report, 'utf8')).findings, code: r.code };
}

const kinds = (fs: Finding[]) => fs.filter((f) => f.kind !== 'changed-provenance').map((f) => [f.kind, f.subject]);

describe('each change is found, as the right kind, with nothing unrelated', () => {
  test('an added #include of a new header: new-input', async () => {
    const { findings, code } = await findingsAfter((dir) => {
      writeFileSync(join(dir, 'include/extra.h'), '#define EXTRA 1\n');
      edit(dir, 'lib/util.c', (t) => `#include "extra.h"\n${t}`);
    });
    expect(kinds(findings)).toEqual([['new-input', `${W}/include/extra.h`]]);
    expect(findings[0].outputs).toEqual([`${W}/build/hashsum`, `${W}/build/libcore.a`, `${W}/build/util.o`, `${W}/build/wordcount`]);
    expect(findings[0]).toMatchObject({ severity: 'warning', failing: true });
    // One cause, one finding: the outputs the header now reaches are its effects, not findings beside it.
    expect(findings).toHaveLength(1);
    expect(findings[0].effects?.map((e) => [e.kind, e.subject, e.added, e.removed])).toEqual(
      findings[0].outputs.map((o) => ['changed-provenance', o, [`${W}/include/extra.h`], []]),
    );
    expect(code).toBe(1);
  });

  test('a build step that reads a file outside the tree: new-input', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ioana-outside-'));
    writeFileSync(join(outside, 'data'), 'x\n');
    const { findings } = await findingsAfter((dir) => edit(dir, 'gen-version.sh', (t) => `${t}read -r extra < ${outside}/data\n`));
    expect(kinds(findings)).toEqual([['new-input', `${outside.replace(/^\/tmp/, '{tmp}')}/data`]]);
    expect(findings).toHaveLength(1);
    expect(findings[0].effects?.map((f) => [f.kind, f.subject])).toEqual([['changed-provenance', `${W}/build/version.h`]]);
  });

  test('a new program in a recipe: new-program', async () => {
    const { findings } = await findingsAfter((dir) => edit(dir, 'gen-version.sh', (t) => `${t}/usr/bin/true extra-step\n`));
    expect(kinds(findings)).toEqual([['new-program', '/usr/bin/true extra-step']]);
  });

  test('a removed target: vanished-output, and only what belonged to it', async () => {
    const { findings, code } = await findingsAfter((dir) =>
      edit(dir, 'Makefile', (t) => t.replace('all: build/wordcount build/hashsum', 'all: build/wordcount')),
    );
    // One finding for the target, with its object folded under it.
    expect(findings.filter((f) => f.kind === 'vanished-output').map((f) => f.subject)).toEqual([`${W}/build/hashsum`]);
    const target = findings.find((f) => f.subject === `${W}/build/hashsum`)!;
    expect(target).toMatchObject({ severity: 'error', failing: true });
    expect(target.effects?.filter((e) => e.kind === 'vanished-output').map((e) => e.subject)).toEqual([`${W}/build/hashsum.o`]);
    // Everything else reported is the removed target's own compile and link steps and source.
    for (const f of [...findings, ...(target.effects ?? [])]) expect(`${f.subject} ${f.message}`).toMatch(/hashsum/);
    expect(code).toBe(1);
  });

  test('a connection to a loopback port: new-endpoint, with the port (the server is not the build’s: another service is another endpoint)', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const { findings } = await findingsAfter((dir) =>
        edit(dir, 'gen-version.sh', (t) => `${t}exec 3<>/dev/tcp/127.0.0.1/${port}; exec 3>&-\n`),
      );
      expect(kinds(findings)).toEqual([['new-endpoint', `tcp://127.0.0.1:${port}`]]);
      expect(findings[0]).toMatchObject({ severity: 'error', failing: true });
    } finally {
      server.close();
    }
  });

  test('a recipe that appends to a source file: source-modified', async () => {
    const { findings, code } = await findingsAfter((dir) => edit(dir, 'gen-version.sh', (t) => `${t}echo '/* stamped */' >> VERSION\n`));
    expect(kinds(findings)).toEqual([['source-modified', `${W}/VERSION`]]);
    expect(findings[0]).toMatchObject({ severity: 'error', failing: true });
    expect(code).toBe(1);
  });
});

describe('the report of a mixed change', () => {
  test('errors first, then warnings, then notices; one closing line and the accept command last', async () => {
    const baseline = join(tempDir(), 'base.yml');
    const before = copyFixture('cproject');
    expect((await ioana('update', '--baseline', baseline, '--workspace', before, '--', ...BUILD)).code).toBe(0);
    const after = copyFixture('cproject');
    // A modified source and a connection attempt (nothing listens on port 1), from the version script;
    // a new header of the project and new system headers, from a source file.
    edit(after, 'gen-version.sh', (t) => `${t}echo '/* stamped */' >> VERSION\n(exec 3<>/dev/tcp/127.0.0.1/1) 2>/dev/null || true\n`);
    writeFileSync(join(after, 'include/extra.h'), '#define EXTRA 1\n');
    const system = ['locale.h', 'setjmp.h', 'signal.h', 'time.h', 'wchar.h'];
    edit(after, 'lib/util.c', (t) => `#include "extra.h"\n${system.map((h) => `#include <${h}>\n`).join('')}${t}`);
    const r = await ioana('check', '--baseline', baseline, '--workspace', after, '--', ...BUILD);
    expect(r.code).toBe(1);
    const out = r.stdout.trimEnd().split('\n');
    const findings = out.filter((l) => /^ {2}(error|warning|notice) /.test(l));
    const severities = findings.map((l) => /^ {2}(\w+)/.exec(l)![1]);
    // The two errors, then the warning, then the notices: each group in one run.
    expect(severities.slice(0, 3)).toEqual(['error', 'error', 'warning']);
    expect(severities.slice(3).every((s) => s === 'notice')).toBe(true);
    expect(severities.length).toBeGreaterThan(3);
    expect(findings[0]).toMatch(
      /new-endpoint\s+The build now connects to tcp:\/\/127\.0\.0\.1:1 \(by `\/usr\/bin\/bash gen-version\.sh`\) \(the attempt: refused/,
    );
    expect(findings[1]).toMatch(/source-modified\s+The build modifies a file of the working tree: \{workspace\}\/VERSION/);
    expect(findings[2]).toMatch(
      /new-input\s+The build now reads \{workspace\}\/include\/extra\.h, which reaches 4 outputs \(read first by `/,
    );
    // What follows from the header is folded under it: the outputs made from it and from the new system headers
    // (util.o stands alone: some of the system headers it now reads were read elsewhere before, by other objects).
    expect(out[out.indexOf(findings[2]) + 1]).toMatch(/^ +and what follows from it: [34] × inputs changed$/);
    // One closing line, then the command that accepts the change.
    expect(out.at(-2)).toMatch(
      /^ioana: failing — 3 of \d+ findings fail the check \(2 errors, 1 warning\) \(\d+ more follow from them\), against /,
    );
    expect(out.at(-1)).toMatch(/^To accept this change as the new baseline \(from a clean tree\): .*ioana update --baseline /);
    expect(out.filter((l) => l.startsWith('ioana: '))).toHaveLength(1);
  });
});
