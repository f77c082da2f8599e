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
    // The only other findings: the outputs the header now reaches.
    for (const f of findings.slice(1))
      expect(f).toMatchObject({ kind: 'changed-provenance', added: [`${W}/include/extra.h`], removed: [] });
    expect(code).toBe(1);
  });

  test('a build step that reads a file outside the tree: new-input', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ioana-outside-'));
    writeFileSync(join(outside, 'data'), 'x\n');
    const { findings } = await findingsAfter((dir) => edit(dir, 'gen-version.sh', (t) => `${t}read -r extra < ${outside}/data\n`));
    expect(kinds(findings)).toEqual([['new-input', `${outside.replace(/^\/tmp/, '{tmp}')}/data`]]);
    expect(findings.filter((f) => f.kind === 'changed-provenance').map((f) => f.subject)).toEqual([`${W}/build/version.h`]);
  });

  test('a new program in a recipe: new-program', async () => {
    const { findings } = await findingsAfter((dir) => edit(dir, 'gen-version.sh', (t) => `${t}/usr/bin/true extra-step\n`));
    expect(kinds(findings)).toEqual([['new-program', '/usr/bin/true extra-step']]);
  });

  test('a removed target: vanished-output, and only what belonged to it', async () => {
    const { findings, code } = await findingsAfter((dir) =>
      edit(dir, 'Makefile', (t) => t.replace('all: build/wordcount build/hashsum', 'all: build/wordcount')),
    );
    expect(findings.filter((f) => f.kind === 'vanished-output').map((f) => f.subject)).toEqual([
      `${W}/build/hashsum`,
      `${W}/build/hashsum.o`,
    ]);
    expect(findings.find((f) => f.subject === `${W}/build/hashsum`)).toMatchObject({ severity: 'error', failing: true });
    // Everything else reported is the removed target's own compile and link steps and source.
    for (const f of findings) expect(`${f.subject} ${f.message}`).toMatch(/hashsum/);
    expect(code).toBe(1);
  });

  test('a connection to a loopback port: new-endpoint', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const { findings } = await findingsAfter((dir) =>
        edit(dir, 'gen-version.sh', (t) => `${t}exec 3<>/dev/tcp/127.0.0.1/${port}; exec 3>&-\n`),
      );
      const expected = port >= 32768 ? 'tcp://127.0.0.1:{port}' : `tcp://127.0.0.1:${port}`;
      expect(kinds(findings)).toEqual([['new-endpoint', expected]]);
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
