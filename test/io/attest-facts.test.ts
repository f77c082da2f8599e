/**
 * What `ioana attest` reads from disk for a plan (gatherFacts) and how it states the
 * cost (describeFigures): subjects hashed before inputs, a folded input pinned by the
 * digest of its files' lines, and the limit said in the units it was given.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttestPlan } from '../../src/attest/index.js';
import { describeFigures, gatherFacts, type AttestFigures } from '../../src/io/attest-facts.js';
import { tempDir } from '../helpers/trace.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function project(): { ws: string; plan: AttestPlan } {
  const ws = tempDir('ioana-facts-');
  mkdirSync(join(ws, 'build'));
  mkdirSync(join(ws, 'gen/x'), { recursive: true });
  writeFileSync(join(ws, 'build/app'), 'app');
  writeFileSync(join(ws, 'a.c'), 'int a;');
  writeFileSync(join(ws, 'gen/1.h'), 'one');
  writeFileSync(join(ws, 'gen/x/2.h'), 'two');
  const plan: AttestPlan = {
    subjects: [{ name: 'build/app', raw: join(ws, 'build/app'), output: '{workspace}/build/app', inputs: [], programs: [] }],
    inputs: [
      { name: '{workspace}/a.c', kind: 'workspace', raw: [join(ws, 'a.c')] },
      { name: '{workspace}/gen/**', kind: 'workspace', raw: [join(ws, 'gen/x/2.h'), join(ws, 'gen/1.h')] },
      { name: 'tcp://192.0.2.1:443', kind: 'endpoint', raw: [] },
    ],
    notPicked: 0,
    ignored: 0,
  };
  return { ws, plan };
}

describe('the facts of a plan', () => {
  it('pin a subject and a file by their sha256, and a folded input by the sorted lines of its files', async () => {
    const { plan } = project();
    const facts = await gatherFacts(plan, { packages: Promise.resolve(undefined) });
    expect(facts.subjects.get(plan.subjects[0].raw)).toEqual({ kind: 'digest', sha256: sha256('app') });
    expect(facts.inputs.get('{workspace}/a.c')).toEqual({ kind: 'digest', sha256: sha256('int a;'), files: 1 });
    // `sha256sum`'s lines, sorted, with paths relative to where the folded files start: the digest does not depend on the machine.
    const lines = [`${sha256('two')}  x/2.h\n`, `${sha256('one')}  1.h\n`].sort().join('');
    expect(facts.inputs.get('{workspace}/gen/**')).toEqual({ kind: 'digest', sha256: sha256(lines), files: 2 });
    expect(facts.inputs.has('tcp://192.0.2.1:443')).toBe(false);
    expect(facts.hashing).toMatchObject({ files: 4, reached: false, byPackage: 0 });
  });

  it('hash the subjects first: a limit of one file leaves the inputs unhashed, not the subject', async () => {
    const { plan } = project();
    const facts = await gatherFacts(plan, { limits: { files: 1, bytes: 1000 } });
    expect(facts.subjects.get(plan.subjects[0].raw)!.kind).toBe('digest');
    expect(facts.inputs.get('{workspace}/a.c')).toEqual({ kind: 'unhashed', why: 'limit' });
    expect(facts.hashing).toMatchObject({ files: 1, reached: true, limits: { files: 1, bytes: 1000 } });
  });
});

describe('the figures line', () => {
  const figures = (limits: { files: number; bytes: number }, reached: boolean): AttestFigures => ({
    subjects: 1,
    inputs: 3,
    notPicked: 0,
    factsMs: 40,
    hashing: { files: 3, bytes: 3 * 1024 * 1024, limits, reached, byPackage: 30, byPackageBytes: 200 * 1024 * 1024 },
  });

  it('says what hashing read and what naming files by package saved', () => {
    expect(describeFigures(figures({ files: 20_000, bytes: 4 * 1024 ** 3 }, false))).toBe(
      '1 subject, 3 inputs; hashed 3 files (3.0 MB) in 0.04 s; 30 files (200.0 MB) named by their package instead',
    );
  });

  // Regression: --max-bytes 1000 was said as "0 MB".
  it('states a limit that was reached as it was given', () => {
    expect(describeFigures(figures({ files: 20_000, bytes: 4 * 1024 ** 3 }, true))).toMatch(
      /the hashing limit \(20000 files, 4096 MB\) was reached/,
    );
    expect(describeFigures(figures({ files: 7, bytes: 1000 }, true))).toMatch(/the hashing limit \(7 files, 1000 bytes\) was reached/);
  });
});
