/**
 * The baseline's lock under a race: K trials, each starting from a baseline of 1 run
 * with a lock file left beside it (a dead process's pid, or empty), then N `ioana
 * update`s at once. A trial loses runs when the baseline ends with fewer than 1 + N
 * runs; a process that fails is counted apart. Any bundle can be measured, so that an
 * older one (`git show HEAD:dist/cli.js > /tmp/old-cli.js`) can be compared with this
 * one:
 *
 *   node bench/lock-race.js [--cli dist/cli.js] [--trials 40] [--procs 8] [--lock stale|empty]
 *
 * An empty lock makes an older ioana wait its whole timeout (60 s) in every trial.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const LOG = resolve('test/fixtures/traces/cproject-make-j2.log');
const WORKSPACE = '/tmp/ioana-example';
const RUNS = /^runs: (\d+)$/m;

const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: 'dist/cli.js' },
    trials: { type: 'string', default: '40' },
    procs: { type: 'string', default: '8' },
    lock: { type: 'string', default: 'stale' },
  },
});
const cli = resolve(values.cli);
const trials = Number(values.trials);
const procs = Number(values.procs);
if (values.lock !== 'stale' && values.lock !== 'empty') throw new Error(`--lock stale|empty, not ${values.lock}`);

/** The pid of a process that has exited and been reaped. */
function deadPid() {
  return Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
}

function update(baseline) {
  return new Promise((res) => {
    const child = spawn('node', [cli, 'update', '--quiet', '--baseline', baseline, '--workspace', WORKSPACE, '--trace', LOG], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => res({ code, err }));
  });
}

const work = mkdtempSync(join(tmpdir(), 'ioana-lock-race-'));
const first = join(work, 'first.yml');
const made = spawnSync('node', [cli, 'update', '--quiet', '--baseline', first, '--workspace', WORKSPACE, '--trace', LOG], {
  encoding: 'utf8',
});
if (made.status !== 0) throw new Error(`the first update failed: ${made.stderr}`);

let lost = 0;
let failed = 0;
const started = Date.now();
for (let t = 0; t < trials; t++) {
  const dir = mkdtempSync(join(work, 'trial-'));
  const baseline = join(dir, 'b.yml');
  copyFileSync(first, baseline);
  writeFileSync(`${baseline}.lock`, values.lock === 'stale' ? `${deadPid()}\n` : '');
  const results = await Promise.all(Array.from({ length: procs }, () => update(baseline)));
  const runs = Number(RUNS.exec(readFileSync(baseline, 'utf8'))?.[1]);
  const bad = results.filter((r) => r.code !== 0);
  if (runs < 1 + procs) lost++;
  if (bad.length > 0) failed++;
  const note = bad.length > 0 ? `; ${bad.length} failed: ${bad[0].err.trim().split('\n')[0]}` : '';
  process.stderr.write(`trial ${t + 1}/${trials}: ${runs} runs of ${1 + procs}${note}\n`);
}
rmSync(work, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `${values.cli}, ${values.lock} lock, ${procs} updates at once: ${lost} of ${trials} trials lost runs, ` +
    `${failed} had a process fail (${seconds} s)`,
);
