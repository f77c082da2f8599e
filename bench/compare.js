/**
 * Two builds of ioana side by side on the analysis: `node bench/compare.js OLD_CLI
 * [NEW_CLI]` (NEW_CLI defaults to dist/cli.js). The generated 200-file C project's
 * build is traced once; then node's readline, OLD_CLI and NEW_CLI read that log in
 * turn (`check --trace LOG`), after a warm-up of each, RUNS times. Prints the medians,
 * each ioana's ratio to readline (the bench's "analysis" row) and NEW / OLD.
 * Used to show that a change to ioana's insides did not slow the analysis.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './gen-project.js';
import { fmt, summarize } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const [oldCli, newCli = join(here, '..', 'dist', 'cli.js')] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map((p) => resolve(p));
const RUNS = process.argv.includes('--quick') ? 3 : 9;
if (!oldCli || !existsSync(oldCli) || !existsSync(newCli)) {
  console.error('usage: node bench/compare.js OLD_CLI [NEW_CLI]  (each a dist/cli.js bundle)');
  process.exit(2);
}
const work = join(here, 'work', 'compare');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const project = join(work, 'generated');
generateProject(project, 200);
const log = join(work, 'build.log');
execFileSync('node', [newCli, 'trace', '--out', log, '--', 'make', '-j2', '-s'], { cwd: project, stdio: 'ignore' });
const baseline = (cli, name) => {
  const b = join(work, name);
  execFileSync('node', [cli, 'update', '--fresh', '--force', '--baseline', b, '--workspace', project, '--trace', log], { stdio: 'ignore' });
  return b;
};
const candidates = [
  ['readline', ['node', join(here, 'readline-count.js'), log]],
  ['old', ['node', oldCli, 'check', '--baseline', baseline(oldCli, 'old.yml'), '--workspace', project, '--trace', log]],
  ['new', ['node', newCli, 'check', '--baseline', baseline(newCli, 'new.yml'), '--workspace', project, '--trace', log]],
];
const time = ([cmd, ...args]) => {
  const t0 = process.hrtime.bigint();
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch (e) {
    if (e.status !== 0 && e.status !== 1) throw e;
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
};
const times = new Map(candidates.map(([n]) => [n, []]));
for (const [, argv] of candidates) time(argv);
for (let i = 0; i < RUNS; i++) for (const [n, argv] of candidates) times.get(n).push(time(argv));
const median = (n) => summarize(times.get(n)).median;
console.log(`| | median of ${RUNS} | / readline |`);
console.log('|---|---|---|');
for (const [n] of candidates) console.log(`| ${n} | ${fmt(median(n))} | ${(median(n) / median('readline')).toFixed(2)}× |`);
console.log(`\nnew / old: ${(median('new') / median('old')).toFixed(3)}× (${oldCli} → ${newCli})`);
