/**
 * `ioana attest` on bad input, under the real strace: every mistake ioana can see before
 * the build (a glob that can pick nothing, `--out` a directory or in a missing one, a
 * limit that is not a positive whole number) is said before the build runs, with exit
 * status 2; a build that writes nothing (or nothing the globs pick) writes no statement
 * (2); a failed build is said, and exits 3 whether or not there was anything to attest.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from '../../src/attest/index.js';
import { EXIT } from '../../src/vocabulary/index.js';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

/** A build that leaves a marker when it runs and writes build/out.txt. */
const BUILD = ['bash', '-c', 'touch ran; mkdir -p build; echo hi > build/out.txt'];

function workspace(): string {
  return tempDir('ioana-attest-cli-');
}

describe('ioana attest refuses before the build runs', () => {
  it.each([
    [['--subjects', '../elsewhere/*'], /--subjects "\.\.\/elsewhere\/\*" can pick no output: subjects are in the workspace/],
    [['--subjects', 'build/out.txt,/opt/dist/*'], /--subjects "\/opt\/dist\/\*" can pick no output: it is outside the workspace/],
    [['--out', '.'], /--out \. is a directory\./],
    [['--out', 'missing/dir/x.json'], /--out missing\/dir\/x\.json: the directory .*missing\/dir does not exist/],
    [['--max-files', '0'], /--max-files must be a positive whole number, not "0"/],
    [['--max-files', 'lots'], /--max-files must be a positive whole number, not "lots"/],
    [['--max-bytes', '-1'], /--max-bytes must be a positive whole number, not "-1"/],
  ])('%j: exit 2, saying what is wrong; the build did not run', async (args, message) => {
    const ws = workspace();
    const r = await ioana('attest', '--workspace', ws, ...args, '--', ...BUILD);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(EXIT.usage);
    expect(existsSync(join(ws, 'ran'))).toBe(false);
  });
});

describe('ioana attest after the build', () => {
  it('takes subjects written as paths (./build/out.txt) and records them relative to the workspace', async () => {
    const ws = workspace();
    const out = join(ws, '..', `${ws.split('/').pop()}.json`);
    const r = await ioana('attest', '--workspace', ws, '--subjects', `./build/out.txt`, '--out', out, '--', ...BUILD);
    expect(r.code).toBe(EXIT.ok);
    const statement = JSON.parse(readFileSync(out, 'utf8')) as Statement;
    expect(statement.subject.map((s) => s.name)).toEqual(['build/out.txt']);
    expect(statement.predicate.buildDefinition.externalParameters).toMatchObject({ subjects: ['build/out.txt'] });
  });

  it('a build that writes nothing in the workspace: exit 2, nothing written', async () => {
    const ws = workspace();
    const out = join(ws, '..', `${ws.split('/').pop()}.json`);
    const r = await ioana('attest', '--workspace', ws, '--out', out, '--', 'true');
    expect(r.stderr).toMatch(/ioana: attest: no subject: the build wrote no file in the workspace\. Nothing was written\./);
    expect(r.code).toBe(EXIT.usage);
    expect(existsSync(out)).toBe(false);
  });

  it('globs that pick none of what the build wrote: exit 2, saying how many files it wrote', async () => {
    const ws = workspace();
    const out = join(ws, '..', `${ws.split('/').pop()}.json`);
    const r = await ioana('attest', '--workspace', ws, '--subjects', 'dist/*.tar.gz', '--out', out, '--', ...BUILD);
    expect(r.stderr).toMatch(/no subject: the build wrote 2 files in the workspace, and --subjects dist\/\*\.tar\.gz picks none of them\./);
    expect(r.code).toBe(EXIT.usage);
    expect(existsSync(out)).toBe(false);
  });

  it('a failed build that wrote nothing: exit 3, and the failure is said', async () => {
    const ws = workspace();
    const r = await ioana('attest', '--workspace', ws, '--out', join(ws, '..', 'never.json'), '--', 'bash', '-c', 'exit 4');
    expect(r.stderr).toMatch(/ioana: attest: the build failed \(exit status 4\)\./);
    expect(r.code).toBe(EXIT.buildFailed);
  });

  it('a failed build that wrote outputs: exit 3, the failure said, and the statement of what it wrote', async () => {
    const ws = workspace();
    mkdirSync(join(ws, 'sub'));
    const out = join(ws, '..', `${ws.split('/').pop()}.json`);
    const r = await ioana('attest', '--workspace', ws, '--out', out, '--', 'bash', '-c', 'echo hi > sub/part.o; exit 4');
    expect(r.stderr).toMatch(/the build failed \(exit status 4\)/);
    expect(r.code).toBe(EXIT.buildFailed);
    expect((JSON.parse(readFileSync(out, 'utf8')) as Statement).subject.map((s) => s.name)).toEqual(['sub/part.o']);
  });
});
