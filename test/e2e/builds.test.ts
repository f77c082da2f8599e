/** Builds that misbehave: failing, killed, forking thousands, leaving daemons, interrupted. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ioana } from '../helpers/project.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

async function recorded(dir: string, command: string[]): Promise<string> {
  const b = join(tempDir(), 'base.yml');
  const r = await ioana('update', '--baseline', b, '--workspace', dir, '--', ...command);
  expect(r.code).toBe(0);
  return b;
}

describe('builds that misbehave', () => {
  test('killed by a signal: exit 3, and the report says so', async () => {
    const dir = tempDir();
    const b = await recorded(dir, ['sh', '-c', 'echo x > out']);
    const report = join(dir, 'r.json');
    const r = await ioana('check', '--baseline', b, '--workspace', dir, '--json', report, '--', 'sh', '-c', 'echo x > out; kill -SEGV $$');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/the build failed \(killed by SIGSEGV\)/);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({
      status: 'build-failed',
      build: { signal: 'SIGSEGV', exitCode: null },
    });
  });

  test('thousands of short processes: one program with its count', async () => {
    const dir = tempDir();
    const b = await recorded(dir, ['sh', '-c', 'i=0; while [ $i -lt 2000 ]; do /bin/true; i=$((i+1)); done']);
    expect(readFileSync(b, 'utf8')).toMatch(/ {2}- exe: "\/bin\/true"\n {4}argv: \["\/bin\/true"\]\n {4}count: 2000\n/);
  });

  test('a daemon left running: it is stopped with the build (nothing outlives the step), the command decides the status', async () => {
    const dir = tempDir();
    const started = Date.now();
    // The daemon would write `late` three seconds after the command has exited.
    const r = await ioana(
      'update',
      '--baseline',
      join(dir, 'b.yml'),
      '--workspace',
      dir,
      '--',
      'sh',
      '-c',
      '(sleep 3; echo late > late) & echo built > out',
    );
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /the command exited with [12] process\(es\) it started still running; they were stopped with the build's namespace/,
    );
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toMatch(/"\{workspace\}\/out"/);
    await new Promise((res) => setTimeout(res, 4000));
    expect(existsSync(join(dir, 'late'))).toBe(false);
  });

  test('--no-separation: a daemon is left running after the grace period, and the note says so', async () => {
    const dir = tempDir();
    const started = Date.now();
    const r = await ioana(
      'update',
      '--no-separation',
      '--baseline',
      join(dir, 'b.yml'),
      '--workspace',
      dir,
      '--',
      'sh',
      '-c',
      'sleep 20 & echo built > out',
    );
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--no-separation: the build runs beside ioana/);
    expect(r.stderr).toMatch(/1 process\(es\) it started were still running 2 s later; tracing stopped and they were left running/);
  });

  test('a build that changes directory a lot', async () => {
    const dir = tempDir();
    for (const d of ['a', 'b', 'c']) {
      mkdirSync(join(dir, d, 'deep'), { recursive: true });
      writeFileSync(join(dir, d, 'in'), d);
    }
    const b = await recorded(dir, ['sh', '-c', 'for d in a b c; do cd $d; cd deep; cat ../in > out; cd ../..; done']);
    const text = readFileSync(b, 'utf8');
    for (const d of ['a', 'b', 'c']) expect(text).toContain(`  - path: "{workspace}/${d}/deep/out"\n    from:\n`);
    expect(text).toMatch(/"\{workspace\}\/b\/in"/);
  });

  test('SIGTERM to ioana during a check: the build stops, a partial report is written, exit 143 (128 + SIGTERM)', async () => {
    const dir = tempDir();
    const b = await recorded(dir, ['sh', '-c', 'echo x > out']);
    const report = join(dir, 'r.json');
    const marker = join(dir, 'started');
    const child = spawn(
      'node',
      [CLI, 'check', '--baseline', b, '--workspace', dir, '--json', report, '--', 'sh', '-c', `echo x > out; touch ${marker}; sleep 30`],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(143);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({
      status: 'build-failed',
      partial: true,
      build: { interrupted: 'SIGTERM' },
    });
  });

  test('an interrupted update leaves the old baseline as it was, exit 130 (128 + SIGINT)', async () => {
    const dir = tempDir();
    const b = await recorded(dir, ['sh', '-c', 'echo x > out']);
    const before = readFileSync(b, 'utf8');
    const marker = join(dir, 'started');
    const child = spawn(
      'node',
      [CLI, 'update', '--baseline', b, '--workspace', dir, '--', 'sh', '-c', `echo y > other; touch ${marker}; sleep 30`],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(readFileSync(b, 'utf8')).toBe(before);
  });
});
