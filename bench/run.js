/**
 * ioana's benchmark: `npm run bench` (or `node bench/run.js --quick`).
 *
 * Each figure is measured side by side in one run: A and B alternate, after a warm-up,
 * and the ratio is the ratio of the medians. Results go to bench/results.json and a
 * table on stdout.
 *
 *   tracing:  `make -j2` of a generated 200-file C project, under `ioana trace` vs bare
 *   parsing:  `ioana graph --parse-only` vs counting the log's lines with node's readline
 *   analysis: `ioana graph` (parse, model, graph, provenance) vs the same readline
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './gen-project.js';
import { fmt, summarize } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const cli = join(root, 'dist', 'cli.js');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 2 : 7;
const FILES = quick ? 40 : 200;
const work = join(here, 'work');

function time(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return wall;
}

/** Runs a then b, RUNS times each after one warm-up of each, alternating. */
function sideBySide(name, a, b) {
  a();
  b();
  const ta = [];
  const tb = [];
  for (let i = 0; i < RUNS; i++) {
    ta.push(a());
    tb.push(b());
  }
  const A = summarize(ta);
  const B = summarize(tb);
  return { name, a: A, b: B, ratio: B.median / A.median };
}

if (!existsSync(cli)) {
  console.error('bench: dist/cli.js is missing; run `npm run package` first.');
  process.exit(2);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const project = join(work, 'project');
generateProject(project, FILES);
const clean = () => rmSync(join(project, 'build'), { recursive: true, force: true });
const log = join(work, 'build.log');

const results = [];

// Tracing overhead: the same clean build, bare and traced.
const tracing = sideBySide(
  `make -j2, ${FILES} C files: traced / bare (wall)`,
  () => (clean(), time('make', ['-j2', '-s'], { cwd: project })),
  () => (clean(), time('node', [cli, 'trace', '--out', log, '--', 'make', '-j2', '-s'], { cwd: project })),
);
results.push(tracing);

// Analysis: the log of that build, parsed vs read.
clean();
execFileSync('node', [cli, 'trace', '--out', log, '--', 'make', '-j2', '-s'], { cwd: project, stdio: 'ignore' });
const lines = Number(execFileSync('node', [join(here, 'readline-count.js'), log], { encoding: 'utf8' }).trim());
const bytes = statSync(log).size;
const readline = () => time('node', [join(here, 'readline-count.js'), log]);
results.push(
  sideBySide(`parse a ${lines}-line build log: ioana graph --parse-only / readline`, readline, () =>
    time('node', [cli, 'graph', '--trace', log, '--parse-only']),
  ),
);
results.push(
  sideBySide(`parse + model + graph + provenance of that log: ioana graph / readline`, readline, () =>
    time('node', [cli, 'graph', '--trace', log, '--workspace', project, '--format', 'json']),
  ),
);

const table = [
  '| measurement | A (baseline) median | B median | B/A (median) | B min–max |',
  '|---|---|---|---|---|',
  ...results.map((r) => `| ${r.name} | ${fmt(r.a.median)} | ${fmt(r.b.median)} | **${r.ratio.toFixed(2)}×** | ${fmt(r.b.min)}–${fmt(r.b.max)} |`),
].join('\n');
console.log(table);
console.log(`\nlog: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB; ${RUNS} runs each after a warm-up; node ${process.version}; ${quick ? 'quick mode' : 'full mode'}`);
writeFileSync(
  join(here, 'results.json'),
  JSON.stringify({ node: process.version, quick, files: FILES, log: { lines, bytes }, results }, null, 2) + '\n',
);
