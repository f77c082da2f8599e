/**
 * A build that writes many files: a generator program (compiled first) reads a template
 * and a list of names and writes one file per name into out/gen/, and a small program is
 * compiled beside it. Measures, with /usr/bin/time, the bare build, `ioana update` of a
 * clean build and `ioana check` of the next clean build: wall time, peak RSS, and the
 * baseline's size. Issue 16: this used to cost 25× the build and a gigabyte.
 *
 *   node bench/large.js 100000                 # one size
 *   node bench/large.js 10000 30000 100000     # several, side by side
 *   node bench/large.js 30000 --fold           # with `fold-outputs` for out/gen
 *   node bench/large.js 30000 --generator c    # the generator a C program the build compiles
 *   node bench/large.js 30000 --cli OLD/dist/cli.js --keep   # another build of ioana; keep the project
 *   node bench/large.js 100000 --backend ebpf  # traced with eBPF (issue 17) instead of strace
 *
 * `largeBuild({ files })` is what `npm run bench` calls.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_CLI = resolve(HERE, '..', 'dist', 'cli.js');

/**
 * The generator, a shell script (the default): `gen.sh TEMPLATE NAMES OUTDIR` writes
 * OUTDIR/NAME.txt for each line of NAMES, `@NAME@` filled in; no process per file.
 */
const GEN_SH = `#!/bin/sh
set -e
tpl=$(cat "$1")
pre=\${tpl%%@NAME@*}
post=\${tpl#*@NAME@}
n=0
while IFS= read -r name; do
  [ -n "$name" ] || continue
  printf '%s%s%s\\n' "$pre" "$name" "$post" > "$3/$name.txt"
  n=$((n + 1))
done < "$2"
echo "gen: $n files"
`;

/** The same generator in C (`--generator c`), compiled by the build: every file it writes depends on the compiler's inputs too. */
const GEN_C = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(1); }
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: gen TEMPLATE NAMES OUTDIR\\n"); return 2; }
  size_t tlen;
  char *tpl = slurp(argv[1], &tlen);
  FILE *names = fopen(argv[2], "r");
  if (!names) { perror(argv[2]); return 1; }
  char name[256], path[4096];
  long n = 0;
  while (fgets(name, sizeof name, names)) {
    name[strcspn(name, "\\n")] = 0;
    if (!*name) continue;
    snprintf(path, sizeof path, "%s/%s.txt", argv[3], name);
    FILE *out = fopen(path, "w");
    if (!out) { perror(path); return 1; }
    for (const char *p = tpl; *p; p++) {
      if (!strncmp(p, "@NAME@", 6)) { fputs(name, out); p += 5; }
      else if (!strncmp(p, "@N@", 3)) { fprintf(out, "%ld", n); p += 2; }
      else fputc(*p, out);
    }
    if (fclose(out)) { perror(path); return 1; }
    n++;
  }
  fclose(names);
  printf("gen: %ld files\\n", n);
  return 0;
}
`;

const MAIN_C = `#include <stdio.h>
#include "app.h"
int main(void) { printf("%s %d\\n", APP_NAME, app_version()); return 0; }
`;
const APP_C = `#include "app.h"
int app_version(void) { return APP_VERSION; }
`;
const APP_H = `#ifndef APP_H
#define APP_H
#define APP_NAME "large"
#define APP_VERSION 3
int app_version(void);
#endif
`;
const TEMPLATE = `# generated from template.txt: do not edit
name = "@NAME@"
index = @N@
`;

/** The Makefile: the generator's files (from a script, or from a C program it compiles first) and a small program. */
function makefile(generator) {
  const gen =
    generator === 'c'
      ? ['build/gen: tools/gen.c | build\n\t$(CC) $(CFLAGS) -o $@ $<', 'GEN := ./build/gen', 'GENDEP := build/gen']
      : ['GEN := sh tools/gen.sh', 'GENDEP := tools/gen.sh'];
  return [
    'CC ?= cc',
    'CFLAGS ?= -O1',
    'all: build/app out/gen.stamp',
    'build:\n\tmkdir -p build',
    ...gen,
    'build/%.o: src/%.c src/app.h | build\n\t$(CC) -Isrc $(CFLAGS) -c $< -o $@',
    'build/app: build/main.o build/app.o\n\t$(CC) $(CFLAGS) -o $@ $^',
    'out/gen.stamp: $(GENDEP) data/template.txt data/names.txt\n\trm -rf out/gen && mkdir -p out/gen\n\t$(GEN) data/template.txt data/names.txt out/gen\n\ttouch $@',
    'clean:\n\trm -rf build out',
    '.PHONY: all clean',
    '',
  ].join('\n');
}

/** Writes the project into `dir`: N names, so that the build writes N files under out/gen/; `generator` `sh` or `c`. */
export function makeLargeProject(dir, files, generator = 'sh') {
  for (const d of ['src', 'tools', 'data']) mkdirSync(join(dir, d), { recursive: true });
  if (generator === 'c') writeFileSync(join(dir, 'tools', 'gen.c'), GEN_C);
  else writeFileSync(join(dir, 'tools', 'gen.sh'), GEN_SH);
  writeFileSync(join(dir, 'src', 'main.c'), MAIN_C);
  writeFileSync(join(dir, 'src', 'app.c'), APP_C);
  writeFileSync(join(dir, 'src', 'app.h'), APP_H);
  writeFileSync(join(dir, 'data', 'template.txt'), TEMPLATE);
  const names = Array.from({ length: files }, (_, i) => `f${String(i).padStart(6, '0')}`);
  writeFileSync(join(dir, 'data', 'names.txt'), names.join('\n') + '\n');
  writeFileSync(join(dir, 'Makefile'), makefile(generator));
}

/** `.ioana.yml` that folds out/gen (the `--fold` runs). */
export const FOLD_CONFIG = 'fold-outputs: ["{workspace}/out/gen/**"]\n';

/** Runs `argv` under /usr/bin/time: wall seconds, peak RSS (kB), exit status. */
function timed(argv, opts) {
  const scratch = mkdtempSync(join(tmpdir(), 'ioana-time-'));
  const out = join(scratch, 'time');
  try {
    const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%e %M', ...argv], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const [wall, rss] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    return { wall, rssKb: rss, status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const fail = (what, r) => {
  throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
};

/**
 * Builds the N-file project bare, under `ioana update` and under `ioana check`, each
 * from a clean tree (cleaned outside the measurement). With `fold`, `.ioana.yml` folds
 * out/gen into one entry. `traceOut`: also keep the log of the update's build there.
 */
export function largeBuild({
  files,
  cli = DEFAULT_CLI,
  fold = false,
  generator = 'sh',
  keep = false,
  traceOut,
  backend = 'strace',
  log = () => {},
}) {
  const dir = mkdtempSync(join(tmpdir(), `ioana-large-${files}-`));
  try {
    makeLargeProject(dir, files, generator);
    const config = join(dir, '.ioana.yml');
    writeFileSync(config, fold ? FOLD_CONFIG : '{}\n');
    const clean = () => execFileSync('make', ['-s', 'clean'], { cwd: dir });
    const build = ['make', '-s', '-j2'];
    // Warm-up: the page cache holds the compiler and the tree, as in the runs measured.
    execFileSync('make', ['-s', '-j2'], { cwd: dir, stdio: 'ignore' });
    clean();
    const bare = timed(build, { cwd: dir });
    if (bare.status !== 0) fail('the bare build', bare);
    log(`  bare build      ${bare.wall.toFixed(2)} s  ${(bare.rssKb / 1024).toFixed(0)} MB`);
    clean();
    const baseline = join(dir, 'baselines', 'build.yml');
    mkdirSync(dirname(baseline), { recursive: true });
    const common = ['--baseline', baseline, '--config', config, '--workspace', dir, '--backend', backend];
    const update = timed(['node', cli, 'update', ...common, ...(traceOut ? ['--trace-out', traceOut] : []), '--', ...build], { cwd: dir });
    if (update.status !== 0) fail('ioana update', update);
    const baselineBytes = statSync(baseline).size;
    log(
      `  ioana update    ${update.wall.toFixed(2)} s  ${(update.rssKb / 1024).toFixed(0)} MB  baseline ${(baselineBytes / 1e6).toFixed(2)} MB`,
    );
    clean();
    const check = timed(['node', cli, 'check', ...common, '--quiet', '--', ...build], { cwd: dir });
    if (check.status !== 0) fail('ioana check', check);
    log(`  ioana check     ${check.wall.toFixed(2)} s  ${(check.rssKb / 1024).toFixed(0)} MB`);
    const row = (r) => ({ wall: r.wall, rssKb: r.rssKb });
    return {
      files,
      fold,
      generator,
      backend,
      bare: row(bare),
      update: { ...row(update), baselineBytes },
      check: row(check),
      dir: keep ? dir : undefined,
    };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

function main(argv) {
  const sizes = [];
  let cli = DEFAULT_CLI;
  let fold = false;
  let keep = false;
  let traceOut;
  let generator = 'sh';
  let backend = 'strace';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cli') cli = resolve(argv[++i]);
    else if (a === '--fold') fold = true;
    else if (a === '--keep') keep = true;
    else if (a === '--generator') generator = argv[++i];
    else if (a === '--trace-out') traceOut = resolve(argv[++i]);
    else if (a === '--backend') backend = argv[++i];
    else if (/^\d+$/.test(a)) sizes.push(Number(a));
    else
      throw new Error(
        `bench/large.js: unknown argument ${a} (sizes, --cli FILE, --fold, --generator sh|c, --keep, --trace-out LOG, --backend strace|ebpf)`,
      );
  }
  if (sizes.length === 0) sizes.push(100_000);
  const rows = [];
  for (const files of sizes) {
    console.log(`${files} files${fold ? ', out/gen folded' : ''}, traced with ${backend}:`);
    rows.push(largeBuild({ files, cli, fold, generator, keep, traceOut, backend, log: (s) => console.log(s) }));
  }
  console.log('\n| files | fold | bare | update | update peak | baseline | check | check peak |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
    console.log(
      `| ${r.files} | ${r.fold ? 'yes' : 'no'} | ${r.bare.wall.toFixed(2)} s | ${r.update.wall.toFixed(2)} s | ${mb(r.update.rssKb)} | ${(r.update.baselineBytes / 1e6).toFixed(2)} MB | ${r.check.wall.toFixed(2)} s | ${mb(r.check.rssKb)} |`,
    );
    if (r.dir) console.log(`  kept: ${r.dir}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
