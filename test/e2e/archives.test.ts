/**
 * Archives of built files, under the real strace (issue 22): the commonest release step
 * forks and pipes — GNU tar's `-z`/`-J` fork a copy that creates the archive and runs the
 * compressor on a pipe tar writes into; `zip` writes a temporary and renames it. Each
 * archive's inputs, in the baseline and in `ioana attest`, must be what was archived:
 * the sources the built files were made from. Stated independently: the archived files
 * are made from src/a.txt, src/b.txt and src/hello.c, so each archive is too.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBaselineFile } from '../../src/io/project-files.js';
import type { Statement } from '../../src/attest/index.js';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';
import { has } from '../helpers/real-builds.js';

const SCRIPT = [
  'set -e',
  'mkdir -p build dist',
  'cat src/a.txt src/b.txt > build/joined.txt',
  'cc -O1 -o build/hello src/hello.c',
  'tar -czf dist/app.tar.gz build/joined.txt build/hello',
  'tar -cJf dist/app.tar.xz build/joined.txt build/hello',
  ...(has('zip') ? ['(cd build && zip -q ../dist/app.zip joined.txt hello)'] : []),
  // A template read by `$(cat …)`: its text reaches what the shell writes with it.
  'version=$(cat src/VERSION)',
  'echo "app $version" > dist/NAME',
].join('\n');

function project(): string {
  const ws = tempDir('ioana-archives-');
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src/a.txt'), 'alpha\n');
  writeFileSync(join(ws, 'src/b.txt'), 'beta\n');
  writeFileSync(join(ws, 'src/hello.c'), '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n');
  writeFileSync(join(ws, 'src/VERSION'), '1.2.3\n');
  writeFileSync(join(ws, 'build.sh'), SCRIPT + '\n');
  return ws;
}

const SOURCES = ['{workspace}/src/a.txt', '{workspace}/src/b.txt', '{workspace}/src/hello.c'];
const ARCHIVES = ['dist/app.tar.gz', 'dist/app.tar.xz', ...(has('zip') ? ['dist/app.zip'] : [])];

describe('archives of built files (tar -czf, tar -cJf, zip)', () => {
  let ws: string;
  let from: Map<string, string[]>;
  let statement: Statement;

  beforeAll(async () => {
    ws = project();
    const baseline = join(ws, '..', `${ws.split('/').pop()}.yml`);
    const out = join(ws, '..', `${ws.split('/').pop()}.intoto.json`);
    const log = join(ws, '..', `${ws.split('/').pop()}.strace`);
    const a = await ioana('attest', '--workspace', ws, '--subjects', 'dist/*', '--out', out, '--trace-out', log, '--', 'sh', 'build.sh');
    expect(a.code).toBe(0);
    const u = await ioana('update', '--fresh', '--baseline', baseline, '--workspace', ws, '--trace', log);
    expect(u.code).toBe(0);
    from = new Map(loadBaselineFile(baseline)!.baseline.outputs.map((o) => [o.path, o.from.map((f) => f.value)]));
    statement = JSON.parse(readFileSync(out, 'utf8')) as Statement;
  }, 120_000);

  test.each(ARCHIVES)('%s: the baseline says it is made from the archived files’ sources', (archive) => {
    expect(from.get(`{workspace}/${archive}`)).toEqual(expect.arrayContaining(SOURCES));
  });

  test.each(ARCHIVES)('%s: its attestation lists them', (archive) => {
    const record = statement.predicate.runDetails.byproducts.find((b) => b.name === archive);
    expect(record?.annotations?.inputs).toEqual(expect.arrayContaining(SOURCES));
    const pinned = statement.predicate.buildDefinition.resolvedDependencies.map((d) => d.name);
    expect(pinned).toEqual(expect.arrayContaining(SOURCES));
  });

  test("a file read by dash's $(cat …) is an input of what the shell writes with it", () => {
    expect(from.get('{workspace}/dist/NAME')).toContain('{workspace}/src/VERSION');
  });
});
