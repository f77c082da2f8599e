/**
 * `ioana attest` on real builds under the real strace: the bundled example
 * (examples/c-hello) and the fixture project with two programs and a library
 * (test/fixtures/cproject). The statement is checked against the in-toto Statement v1
 * and SLSA provenance v1 schemas, each subject's digest against the file, and each
 * subject's inputs against what `ioana update` records for that output from the same log.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadBaselineFile } from '../../src/io/project-files.js';
import type { Statement } from '../../src/attest/index.js';
import { schemaErrors } from '../attest/schemas.js';
import { copyFixture, ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The example, copied: its build writes only into the copy. */
function copyExample(): string {
  const dir = tempDir('ioana-c-hello-');
  cpSync(resolve('examples/c-hello'), dir, { recursive: true, filter: (src) => !src.endsWith('/build') });
  return dir;
}

interface Attested {
  readonly statement: Statement;
  readonly stderr: string;
  /** Canonical output → its `from` as the baseline `ioana update` wrote from the same log records it. */
  readonly baseline: Map<string, string[]>;
}

async function attest(dir: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Attested> {
  rmSync(join(dir, 'build'), { recursive: true, force: true });
  const out = join(dir, '..', `${dir.split('/').pop()}.intoto.json`);
  const log = join(dir, '..', `${dir.split('/').pop()}.strace`);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const r = await ioana('attest', '--workspace', dir, '--out', out, '--trace-out', log, ...extra, '--', 'make', '-j2');
    // The statement went to a file: the closing line is on standard output.
    expect(r.stdout).toMatch(/ioana: attest: \d+ subjects/);
    expect(r.code).toBe(0);
    const baselineFile = join(dir, '..', `${dir.split('/').pop()}.yml`);
    const u = await ioana('update', '--fresh', '--baseline', baselineFile, '--workspace', dir, '--trace', log);
    expect(u.code).toBe(0);
    const parsed = loadBaselineFile(baselineFile)!;
    return {
      statement: JSON.parse(readFileSync(out, 'utf8')) as Statement,
      stderr: r.stdout + r.stderr,
      baseline: new Map(parsed.baseline.outputs.map((o) => [o.path, o.from.map((f) => f.value)])),
    };
  } finally {
    process.env = saved;
  }
}

type Flow = { output: string; inputs: string[]; programs: string[]; endpoints: string[] };
const flows = (s: Statement) => new Map(s.predicate.runDetails.byproducts.map((b) => [b.name!, b.annotations as unknown as Flow]));

/** What every statement must satisfy, whatever the build. */
function checkStatement(dir: string, a: Attested): void {
  expect(schemaErrors(a.statement)).toBe('');
  const byName = flows(a.statement);
  for (const s of a.statement.subject) {
    // The digest is the file's.
    expect(s.digest.sha256).toBe(sha256(join(dir, s.name)));
    const flow = byName.get(s.name)!;
    // Its inputs are exactly the provenance ioana reports (and records) for that output.
    expect(a.baseline.has(flow.output)).toBe(true);
    expect(flow.inputs).toEqual(a.baseline.get(flow.output));
  }
  // Every input named for a subject is resolved once, with a digest or a URI.
  const deps = a.statement.predicate.buildDefinition.resolvedDependencies;
  const names = deps.map((d) => d.name);
  expect(new Set(names).size).toBe(names.length);
  expect(new Set(names)).toEqual(new Set([...byName.values()].flatMap((f) => f.inputs)));
  // A workspace file's digest is the file's.
  for (const d of deps) {
    if (d.name!.startsWith('{workspace}/') && d.digest)
      expect(d.digest.sha256).toBe(sha256(join(dir, d.name!.slice('{workspace}/'.length))));
  }
}

describe('ioana attest on the bundled example (examples/c-hello)', () => {
  let dir: string;
  let a: Attested;
  beforeAll(async () => {
    dir = copyExample();
    a = await attest(dir);
  }, 120_000);

  it('writes a statement valid against both schemas whose subjects, digests and inputs are the build’s', () => checkStatement(dir, a));

  it('names every output of the build as a subject', () => {
    expect(a.statement.subject.map((s) => s.name)).toEqual([
      'build/count.o',
      'build/greet.o',
      'build/hello',
      'build/libgreet.a',
      'build/main.o',
    ]);
  });

  it('says which sources flowed into the program: all three, through the objects and the library', () => {
    const hello = flows(a.statement).get('build/hello')!;
    expect(hello.inputs.filter((i) => i.startsWith('{workspace}/src/'))).toEqual([
      '{workspace}/src/count.c',
      '{workspace}/src/greet.c',
      '{workspace}/src/main.c',
    ]);
    // The linker and the archiver made it, and the compilers made what they read.
    expect(hello.programs.some((p) => p.includes('collect2') || p.includes('/ld '))).toBe(true);
    expect(hello.programs.some((p) => p.startsWith('/usr/bin/ar '))).toBe(true);
    expect(hello.programs.some((p) => p.includes('cc1') && p.includes('src/main.c'))).toBe(true);
    // make only spawned them: spawning is control, not data.
    expect(hello.programs.some((p) => p.startsWith('/usr/bin/make'))).toBe(false);
  });

  it('says of one object only its own source', () => {
    const main = flows(a.statement).get('build/main.o')!;
    expect(main.inputs.filter((i) => i.startsWith('{workspace}/src/'))).toEqual(['{workspace}/src/main.c']);
  });

  it('names toolchain files by their Debian package where dpkg owns them, and hashes the rest', () => {
    const deps = a.statement.predicate.buildDefinition.resolvedDependencies;
    const cc1 = deps.find((d) => /\/cc1$/.test(d.name!));
    if (existsSync('/var/lib/dpkg/status')) expect(cc1?.uri).toMatch(/^pkg:deb\/[a-z]+\/cpp-\d+@/);
    for (const d of deps.filter((x) => (x.annotations as { kind: string }).kind === 'toolchain')) expect(d.uri ?? d.digest).toBeDefined();
    const hashing = a.statement.predicate.buildDefinition.internalParameters!.hashing as {
      files: number;
      reached: boolean;
      byPackage: number;
    };
    expect(hashing.reached).toBe(false);
    expect(hashing.files).toBeGreaterThanOrEqual(a.statement.subject.length);
  });

  it('takes only the subjects a glob picks, with the same inputs for each', async () => {
    const picked = await attest(dir, ['--subjects', 'build/hello,build/*.a']);
    checkStatement(dir, picked);
    expect(picked.statement.subject.map((s) => s.name)).toEqual(['build/hello', 'build/libgreet.a']);
    expect(picked.statement.predicate.buildDefinition.internalParameters).toMatchObject({ outputsNotPicked: 3 });
  }, 120_000);

  it('states it when the hashing limit is reached, hashing the subjects first', async () => {
    const limited = await attest(dir, ['--max-files', '7']);
    expect(schemaErrors(limited.statement)).toBe('');
    expect(limited.statement.subject).toHaveLength(5);
    const hashing = limited.statement.predicate.buildDefinition.internalParameters!.hashing as { files: number; reached: boolean };
    expect(hashing).toMatchObject({ files: 7, reached: true });
    const unhashed = limited.statement.predicate.buildDefinition.resolvedDependencies.filter(
      (d) => (d.annotations as { unhashed?: string }).unhashed === 'limit',
    );
    expect(unhashed.length).toBeGreaterThan(0);
    expect(limited.stderr).toMatch(/limit .* was reached/);
  }, 120_000);
});

describe('ioana attest on a project with several outputs (test/fixtures/cproject)', () => {
  const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  let dir: string;
  let a: Attested;
  beforeAll(async () => {
    dir = copyFixture('cproject');
    // A credential in the environment and on the compilers' command lines.
    a = await attest(dir, [], { IOANA_TEST_SECRET: 'hunter2-very-secret', CFLAGS: `-O1 -DKEY=${TOKEN} -DPW=hunter2-very-secret` });
  }, 120_000);

  it('writes a statement valid against both schemas whose subjects, digests and inputs are the build’s', () => checkStatement(dir, a));

  it('gives each program its own sources and the library’s', () => {
    const f = flows(a.statement);
    const sources = (name: string) => f.get(name)!.inputs.filter((i) => /^\{workspace\}\/(lib|app)\//.test(i) && i.endsWith('.c'));
    expect(sources('build/hashsum')).toContain('{workspace}/app/hashsum.c');
    expect(sources('build/hashsum')).not.toContain('{workspace}/app/wc.c');
    expect(sources('build/wordcount')).toContain('{workspace}/app/wc.c');
    expect(sources('build/wordcount')).not.toContain('{workspace}/app/hashsum.c');
    for (const p of ['build/hashsum', 'build/wordcount'])
      expect(sources(p)).toEqual(expect.arrayContaining(['{workspace}/lib/util.c', '{workspace}/lib/hash.c']));
  });

  it('redacts credentials from the programs and everything else it writes', () => {
    const text = JSON.stringify(a.statement);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('hunter2-very-secret');
    expect(text).toContain('{redacted}');
  });
});
