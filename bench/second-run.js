/**
 * The second run on a real CI (issue 22): restored caches, runner image updates and
 * content-hashed bundles, on real projects nobody here wrote.
 *
 *   node bench/second-run.js [--cli PATH] [--only NAME[,NAME…]] [--keep] [--logs DIR]
 *
 * For each scenario: two fresh copies of a project from test/fixtures/projects, in two
 * different temporary directories (different path lengths); `ioana update --fresh` in the
 * first, `ioana check --json` in the second (at -j1 where the build has a -j), with no
 * .ioana.yml. What changes between the two runs is only what the scenario says (a cache
 * cold then warm, a tool-cache version, an edit). One row per scenario: the check's
 * top-level findings, how many fail, by kind, and the failing subjects (first 10).
 *
 * It measures, it does not judge: the exit status is 0 whatever the findings (and when a
 * scenario cannot run here, its row says why).
 *
 * Kept for each scenario under --logs DIR/<scenario>/ (default bench/work/second-run):
 * baseline.yml, update.strace and check.strace (the raw logs: `--trace-out`), check.json
 * (the report), update.out and check.out (what ioana and the build printed), prep.out
 * (what ran outside the trace), and for tar-provenance attest.json.
 *
 *   --cli PATH   the ioana bundle to run (default dist/cli.js)
 *   --only NAME  only these scenarios (comma separated, or repeated)
 *   --keep       keep the temporary copies and caches (their paths are printed)
 *   --logs DIR   where the logs go
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECTS = join(REPO, 'test/fixtures/projects');

// ---------------------------------------------------------------------------------------
// Options

function options(argv) {
  const o = { cli: join(REPO, 'dist/cli.js'), only: [], keep: false, logs: join(REPO, 'bench/work/second-run') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--cli' || a.startsWith('--cli=')) o.cli = resolve(value());
    else if (a === '--only' || a.startsWith('--only=')) o.only.push(...value().split(',').filter(Boolean));
    else if (a === '--logs' || a.startsWith('--logs=')) o.logs = resolve(value());
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/second-run.js [--cli PATH] [--only NAME[,NAME…]] [--keep] [--logs DIR]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------
// Running things

/** What `npm run`/jest add to the environment, and the variables the scenarios set themselves. */
const DROP = new Set([
  'NODE_OPTIONS',
  'INIT_CWD',
  'NODE',
  'COLOR',
  'CCACHE_DIR',
  'CCACHE_BASEDIR',
  'CCACHE_NOHASHDIR',
  'GOCACHE',
  'GOMODCACHE',
  'GOFLAGS',
  'GOPROXY',
  'XDG_CACHE_HOME',
  'RUNNER_TOOL_CACHE',
  'RUNNER_TEMP',
]);

/** The environment a scenario's builds run in: this one without DROP and npm_*, with HOME in the scenario's scratch. */
function baseEnv(home, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (DROP.has(k) || /^npm_/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, ...extra };
}

/** Drops the variables whose value is undefined (a scenario unsets one that way). */
const clean = (env) => Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));

/** Runs a shell script outside the trace (preparation), its output appended to LOG. Throws when it fails. */
function prep(script, { cwd, env, log }) {
  appendFileSync(log, `\n$ (cd ${cwd} && ${script})\n`);
  try {
    const out = execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env: clean(env),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    appendFileSync(log, out);
    return out;
  } catch (e) {
    appendFileSync(log, `${e.stdout ?? ''}${e.stderr ?? ''}\nexit ${e.status}\n`);
    throw new Error(`preparation failed (exit ${e.status}): ${script.slice(0, 200)} — see ${log}`);
  }
}

/** `node CLI ARGS…` with its output to OUT; resolves to { code, seconds }. */
function cli(cliPath, args, { cwd, env, out }) {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    writeFileSync(out, `$ node ${cliPath} ${args.map(quote).join(' ')}\n`);
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: clean(env), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => appendFileSync(out, d));
    child.stderr.on('data', (d) => appendFileSync(out, d));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      appendFileSync(out, `\n[exit ${code ?? signal} after ${seconds.toFixed(1)} s]\n`);
      done({ code, seconds });
    });
  });
}

const quote = (s) => (/^[\w./=:@%+,{}-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The build command as the action runs it. */
const bash = (script) => ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script];

/** The tail of a file (an error message). */
function tail(file, n = 6) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join(' | ');
  } catch {
    return '';
  }
}

function has(tool) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Scratch and copies

const made = [];

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * An autotools tree copied fresh has every file at the copy's time, and make may then run
 * aclocal/automake/autoconf (not installed): the times put back in the order the tools
 * made them (as test/helpers/real-builds.ts's settleAutotools does).
 */
function settleAutotools(dir) {
  const base = Math.floor(Date.now() / 1000) - 3600;
  const at = (file, t) => utimesSync(file, t, t);
  for (const f of filesUnder(dir)) at(f, base);
  at(join(dir, 'aclocal.m4'), base + 10);
  at(join(dir, 'configure'), base + 20);
  for (const f of filesUnder(dir)) {
    const rel = relative(dir, f);
    if (rel.endsWith('Makefile.in') || rel === 'config.h.in') at(f, base + 30);
  }
}

/**
 * Two fresh copies of test/fixtures/projects/NAME in two temporary directories, at
 * different depths: `<tmp>/ioana-2nd-XXXXXX/w/NAME` and
 * `<tmp>/ioana-2nd-XXXXXX/checkout/second-copy/NAME`.
 */
function copies(project) {
  const a = join(tempDir('ioana-2nd-'), 'w', project);
  const b = join(tempDir('ioana-2nd-'), 'checkout', 'second-copy', project);
  for (const dir of [a, b]) {
    mkdirSync(dirname(dir), { recursive: true });
    cpSync(join(PROJECTS, project), dir, { recursive: true });
    if (existsSync(join(dir, 'configure')) && existsSync(join(dir, 'aclocal.m4'))) settleAutotools(dir);
  }
  return [a, b];
}

/** Number of files under DIR (0 when it does not exist). */
const countFiles = (dir) => (existsSync(dir) ? filesUnder(dir).length : 0);

// ---------------------------------------------------------------------------------------
// One scenario: a baseline in one copy, a check in the other

/**
 * Records the baseline in copy A and checks copy B. `spec`:
 *   project        the fixture
 *   env            the environment of both runs (or baseline / check: env of each)
 *   baseline.cmd   the script of the recorded run; check.cmd the checked one
 *   baseline.before(dir), check.before(dir)   run outside the trace, before the run
 *   baseline.after(dir), check.after(dir)     after it (they may return a note)
 */
async function pair(ctx, spec) {
  const [a, b] = copies(spec.project);
  ctx.dirs.push(a, b);
  const B = join(ctx.logs, 'baseline.yml');
  const runs = {};
  for (const [role, dir] of [
    ['baseline', a],
    ['check', b],
  ]) {
    const step = spec[role];
    const given = step.env ?? spec.env;
    const env = typeof given === 'function' ? given(dir) : given;
    if (step.before) {
      const note = await step.before(dir, env);
      if (note) ctx.notes.push(`${role}: ${note}`);
    }
    const log = join(ctx.logs, role === 'baseline' ? 'update.strace' : 'check.strace');
    const out = join(ctx.logs, role === 'baseline' ? 'update.out' : 'check.out');
    const args =
      role === 'baseline'
        ? ['update', '--fresh', '--baseline', B, '--workspace', dir, '--trace-out', log, '--', ...bash(step.cmd)]
        : [
            'check',
            '--baseline',
            B,
            '--workspace',
            dir,
            '--json',
            join(ctx.logs, 'check.json'),
            '--trace-out',
            log,
            '--',
            ...bash(step.cmd),
          ];
    const run = await cli(ctx.cli, args, { cwd: dir, env, out });
    runs[role] = run;
    if (role === 'baseline' && run.code !== 0) throw new Error(`update exited ${run.code}: ${tail(out)}`);
    if (role === 'check' && run.code !== 0 && run.code !== 1) throw new Error(`check exited ${run.code}: ${tail(out)}`);
    if (step.after) {
      const note = await step.after(dir, env);
      if (note) ctx.notes.push(`${role}: ${note}`);
    }
  }
  const report = JSON.parse(readFileSync(join(ctx.logs, 'check.json'), 'utf8'));
  return { report, a, b, baseline: B, seconds: [runs.baseline.seconds, runs.check.seconds] };
}

// ---------------------------------------------------------------------------------------
// The scenarios

const J2 = '-j2';
const J1 = '-j1';

/** ccache's hits and misses since the last `ccache -z` (its `-s` summary, one line). */
function ccacheStats(env) {
  try {
    const s = execFileSync('ccache', ['-s'], { env: clean(env), encoding: 'utf8' });
    const hits = /Hits:\s+(\d+)\s*\/\s*(\d+)/.exec(s);
    const misses = /Misses:\s+(\d+)\s*\/\s*(\d+)/.exec(s);
    const uncacheable = /Uncacheable calls:\s+(\d+)/.exec(s);
    return `ccache ${hits ? `${hits[1]}/${hits[2]} hits` : '?'}, ${misses ? `${misses[1]} misses` : '?'}${uncacheable ? `, ${uncacheable[1]} uncacheable` : ''}`;
  } catch (e) {
    return `ccache -s failed: ${e.message}`;
  }
}

/** `npm ci` outside the trace, with its own cache (so that the traced runs see their own cache as it was). */
const npmCi = (ctx) => (dir, env) => {
  prep('npm ci --no-audit --no-fund', { cwd: dir, env: { ...env, npm_config_cache: join(ctx.root, 'prep-npm-cache') }, log: ctx.prepLog });
};

const GO_ENV = { GOFLAGS: '-mod=mod', GOPROXY: 'off' };
const GO_BUILD = 'go build ./... && go build -o bin/ ./...';

/** A tool-cache node: TOOLCACHE/node/VERSION/x64 with bin/node, bin/npm, bin/npx, lib/node_modules/npm, as setup-node lays it out. */
function fakeNode(toolcache, version) {
  const node = execFileSync('readlink', ['-f', process.execPath], { encoding: 'utf8' }).trim();
  const npmCli = execFileSync('bash', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).trim();
  const npmDir = resolve(dirname(npmCli), '..'); // …/lib/node_modules/npm
  const root = join(toolcache, 'node', version, 'x64');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'lib/node_modules'), { recursive: true });
  let how = 'hard links';
  try {
    linkSync(node, join(root, 'bin/node'));
    execFileSync('cp', ['-al', npmDir, join(root, 'lib/node_modules/npm')]);
  } catch {
    how = 'copies';
    rmSync(join(root, 'bin/node'), { force: true });
    rmSync(join(root, 'lib/node_modules/npm'), { recursive: true, force: true });
    cpSync(node, join(root, 'bin/node'));
    cpSync(npmDir, join(root, 'lib/node_modules/npm'), { recursive: true });
  }
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'bin/npx'));
  writeFileSync(join(toolcache, 'node', `${version}.complete`), '');
  writeFileSync(join(toolcache, 'node', version, 'x64.complete'), '');
  return { bin: join(root, 'bin'), how, from: `${node} and ${npmDir}` };
}

/** The archives and the template output of tar-provenance, their `from` in the baseline and their inputs in `ioana attest`. */
async function provenance(ctx, r) {
  const lines = [];
  const baseline = parseYaml(readFileSync(r.baseline, 'utf8'));
  const outputs = baseline.outputs ?? [];
  const statement = join(ctx.logs, 'attest.json');
  const at = await cli(
    ctx.cli,
    ['attest', '--trace', join(ctx.logs, 'update.strace'), '--workspace', r.a, '--subjects', 'dist/*', '--out', statement],
    { cwd: r.a, env: ctx.env, out: join(ctx.logs, 'attest.out') },
  );
  let byproducts = [];
  if (at.code === 0) byproducts = JSON.parse(readFileSync(statement, 'utf8')).predicate?.runDetails?.byproducts ?? [];
  else lines.push(`attest exited ${at.code}: ${tail(join(ctx.logs, 'attest.out'))}`);
  // What a correct `from` holds: the archived files' sources (the archived files themselves
  // are outputs of the build, so they appear through their inputs), or README for $(cat README).
  const SOURCES = [
    '{workspace}/adler32.c',
    '{workspace}/deflate.c',
    '{workspace}/zlib.h',
    '{workspace}/test/minigzip.c',
    '{workspace}/test/example.c',
  ];
  const show = (label, list, expect) => {
    const ws = list.filter((p) => p.startsWith('{workspace}'));
    const other = list.filter((p) => !p.startsWith('{workspace}'));
    const missing = expect.filter((p) => !list.includes(p));
    lines.push(
      `    ${label}: ${list.length} entries, ${ws.length} in the workspace; ` +
        (missing.length ? `MISSING ${missing.join(', ')}` : `has ${expect.join(', ')}`),
    );
    if (ws.length) lines.push(`      workspace: ${ws.slice(0, 8).join(', ')}${ws.length > 8 ? `, … ${ws.length - 8} more` : ''}`);
    lines.push(`      others: ${other.slice(0, 10).join(', ')}${other.length > 10 ? `, … ${other.length - 10} more` : ''}`);
  };
  for (const name of ['dist/zlib.tar.gz', 'dist/zlib.tar.xz', 'dist/zlib.zip', 'dist/README.txt']) {
    const path = `{workspace}/${name}`;
    const expect = name === 'dist/README.txt' ? ['{workspace}/README'] : SOURCES;
    lines.push(`  ${name}`);
    const entry = outputs.find((o) => (typeof o === 'string' ? o : o.path) === path);
    if (!entry) lines.push('    baseline: not an output');
    else
      show(
        'baseline from',
        (entry.from ?? []).map((f) => (typeof f === 'string' ? f : f.path)),
        expect,
      );
    const bp = byproducts.find((p) => p.annotations?.output === path);
    if (!bp) lines.push('    attest: no byproduct for it');
    else show('attest inputs', bp.annotations.inputs ?? [], expect);
  }
  return lines;
}

/** A local HTTP server on a free port (python3 -m http.server), stopped by its `stop`. */
function httpServer(dir) {
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  return new Promise((done, fail) => {
    const child = spawn(py, ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`http.server did not say its port: ${seen}`)), 15000);
    child.stdout.on('data', (d) => {
      seen += d;
      const m = /port (\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        done({ port: Number(m[1]), stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('error', fail);
  });
}

/** Each scenario: its name, what it needs, and what it runs. `run(ctx)` returns pair()'s result (and may add notes). */
const SCENARIOS = [
  {
    name: 'ccache-autotools',
    about: "libogg: ./configure CC='ccache gcc' && make; CCACHE_DIR shared; baseline cold cache, check warm",
    needs: ['ccache', 'gcc', 'make'],
    run: (ctx) => {
      // The two copies are at different paths (a CI's workspace is not): CCACHE_BASEDIR and
      // CCACHE_NOHASHDIR, as CI set-ups for ccache do, so that the warm run can hit.
      const env = (dir) => baseEnv(ctx.home, { CCACHE_DIR: join(ctx.root, 'ccache'), CCACHE_BASEDIR: dir, CCACHE_NOHASHDIR: 'true' });
      const cmd = (j) => `./configure --disable-maintainer-mode CC='ccache gcc' && make ${j}`;
      const z = (dir) => void prep('ccache -z', { cwd: ctx.root, env: env(dir), log: ctx.prepLog });
      const stats = (dir) => ccacheStats(env(dir));
      return pair(ctx, {
        project: 'libogg',
        env,
        baseline: { cmd: cmd(J2), before: z, after: stats },
        check: { cmd: cmd(J1), before: z, after: stats },
      });
    },
  },
  {
    name: 'ccache-meson',
    about: 'serd (meson): ccache on PATH, picked up by meson itself; default cache {home}/.cache/ccache; cold → warm',
    needs: ['ccache', 'meson', 'ninja'],
    run: (ctx) => {
      const env = baseEnv(ctx.home);
      const cmd = (j) => `meson setup build -Dtests=disabled -Ddocs=disabled -Dstrict=true && ninja -C build ${j}`;
      const z = () => void prep('ccache -z', { cwd: ctx.root, env, log: ctx.prepLog });
      return pair(ctx, {
        project: 'serd',
        env,
        baseline: { cmd: cmd(J2), before: z, after: () => ccacheStats(env) },
        check: { cmd: cmd(J1), before: z, after: () => ccacheStats(env) },
      });
    },
  },
  {
    name: 'go-cache',
    about: `xxhash (Go): GOCACHE in a scratch dir, cold baseline → warm check: ${GO_BUILD}`,
    needs: ['go'],
    run: (ctx) => {
      const gocache = join(ctx.root, 'gocache');
      const env = baseEnv(ctx.home, { ...GO_ENV, GOCACHE: gocache });
      const count = () => `GOCACHE holds ${countFiles(gocache)} files`;
      return pair(ctx, { project: 'xxhash', env, baseline: { cmd: GO_BUILD, after: count }, check: { cmd: GO_BUILD, after: count } });
    },
  },
  {
    name: 'go-cache-reverse',
    about: 'xxhash (Go): the same GOCACHE warm for the baseline (a build of a third copy outside the trace), emptied before the check',
    needs: ['go'],
    run: (ctx) => {
      const gocache = join(ctx.root, 'gocache');
      const env = baseEnv(ctx.home, { ...GO_ENV, GOCACHE: gocache });
      return pair(ctx, {
        project: 'xxhash',
        env,
        baseline: {
          cmd: GO_BUILD,
          before: () => {
            const [warm] = copies('xxhash');
            prep(GO_BUILD, { cwd: warm, env, log: ctx.prepLog });
            return `warmed GOCACHE outside the trace: ${countFiles(gocache)} files`;
          },
        },
        check: {
          cmd: GO_BUILD,
          before: () => {
            rmSync(gocache, { recursive: true, force: true });
            mkdirSync(gocache);
            return 'GOCACHE emptied';
          },
          after: () => `GOCACHE holds ${countFiles(gocache)} files`,
        },
      });
    },
  },
  {
    name: 'go-default-cache',
    about: 'xxhash (Go): GOCACHE unset, HOME in a scratch dir: the default {home}/.cache/go-build, cold → warm',
    needs: ['go'],
    run: (ctx) => {
      const env = baseEnv(ctx.home, GO_ENV);
      const count = () => `~/.cache/go-build holds ${countFiles(join(ctx.home, '.cache/go-build'))} files`;
      return pair(ctx, { project: 'xxhash', env, baseline: { cmd: GO_BUILD, after: count }, check: { cmd: GO_BUILD, after: count } });
    },
  },
  {
    name: 'go-parallel',
    about: "xxhash (Go): warm GOCACHE both times, `go build -p 2` baseline, `-p 1` check (Go's -j)",
    needs: ['go'],
    run: (ctx) => {
      const gocache = join(ctx.root, 'gocache');
      const env = baseEnv(ctx.home, { ...GO_ENV, GOCACHE: gocache });
      const cmd = (p) => `go build -p ${p} ./... && go build -p ${p} -o bin/ ./...`;
      return pair(ctx, {
        project: 'xxhash',
        env,
        baseline: {
          cmd: cmd(2),
          before: () => {
            const [warm] = copies('xxhash');
            prep(GO_BUILD, { cwd: warm, env, log: ctx.prepLog });
            return `warmed GOCACHE outside the trace: ${countFiles(gocache)} files`;
          },
        },
        check: { cmd: cmd(1) },
      });
    },
  },
  {
    name: 'npm-cache',
    about: '@tanstack/store (tsc): npm ci && npm run build, npm_config_cache in a scratch dir, cold (registry) → warm',
    needs: ['npm'],
    run: (ctx) => {
      const cache = join(ctx.root, 'npm-cache');
      const env = baseEnv(ctx.home, { npm_config_cache: cache });
      const count = () => `npm cache holds ${countFiles(join(cache, '_cacache'))} files`;
      const cmd = 'npm ci --no-audit --no-fund && npm run build';
      return pair(ctx, { project: 'tanstack-store', env, baseline: { cmd, after: count }, check: { cmd, after: count } });
    },
  },
  {
    name: 'npm-build-twice',
    about: "@tanstack/store (tsc): node_modules installed outside the trace; npm run build twice (npm's default cache {home}/.npm)",
    needs: ['npm'],
    run: (ctx) => {
      const env = baseEnv(ctx.home);
      const count = () => `{home}/.npm/_cacache holds ${countFiles(join(ctx.home, '.npm/_cacache'))} files`;
      const cmd = 'npm run build';
      return pair(ctx, {
        project: 'tanstack-store',
        env,
        baseline: { cmd, before: npmCi(ctx), after: count },
        check: { cmd, before: npmCi(ctx), after: count },
      });
    },
  },
  {
    name: 'vite-edit',
    about: 'Vite 8 vanilla app: node_modules installed outside the trace; npm run build; the check after a one-line edit of src/main.js',
    needs: ['npm'],
    run: (ctx) => {
      const env = baseEnv(ctx.home);
      const assets = (dir) => {
        const d = join(dir, 'dist/assets');
        return existsSync(d) ? `dist/assets: ${readdirSync(d).sort().join(' ')}` : 'no dist/assets';
      };
      return pair(ctx, {
        project: 'vite-vanilla',
        env,
        baseline: { cmd: 'npm run build', before: npmCi(ctx), after: assets },
        check: {
          cmd: 'npm run build',
          before: (dir, e) => {
            npmCi(ctx)(dir, e);
            const main = join(dir, 'src/main.js');
            const text = readFileSync(main, 'utf8');
            if (!text.includes('<h1>Get started</h1>')) throw new Error('src/main.js has no <h1>Get started</h1> to edit');
            writeFileSync(main, text.replace('<h1>Get started</h1>', '<h1>Get started today</h1>'));
            return 'edited src/main.js: <h1>Get started</h1> → <h1>Get started today</h1>';
          },
          after: assets,
        },
      });
    },
  },
  ...[true, false].map((withVar) => ({
    name: withVar ? 'toolcache-node' : 'toolcache-node-novar',
    about: `a runner tool cache T/node/20.11.1/x64 → T/node/20.12.0/x64 first on PATH (node --version && npm --version && npx tsc -p . of @tanstack/store), RUNNER_TOOL_CACHE ${withVar ? 'set' : 'unset'}`,
    needs: ['npm'],
    run: (ctx) => {
      const toolcache = join(ctx.root, 'hostedtoolcache');
      const old = fakeNode(toolcache, '20.11.1');
      const next = fakeNode(toolcache, '20.12.0');
      ctx.notes.push(`tool cache: ${old.how} of ${old.from}`);
      const env = (bin) => baseEnv(ctx.home, { PATH: `${bin}:${process.env.PATH}`, RUNNER_TOOL_CACHE: withVar ? toolcache : undefined });
      const cmd = 'node --version && npm --version && npx tsc -p .';
      return pair(ctx, {
        project: 'tanstack-store',
        baseline: { cmd, env: env(old.bin), before: npmCi(ctx) },
        check: { cmd, env: env(next.bin), before: npmCi(ctx) },
      });
    },
  })),
  {
    name: 'gcc-version',
    about: 'devtree (make): cc/gcc on PATH → gcc-12 for the baseline, → gcc-11 for the check (a runner image moving its default compiler)',
    needs: ['gcc-12', 'make'],
    skip: () => (has('gcc-11') ? null : 'gcc-11 is not installed (apt-get install gcc-11)'),
    run: (ctx) => {
      const bin = join(ctx.root, 'bin');
      const point = (version) => () => {
        rmSync(bin, { recursive: true, force: true });
        mkdirSync(bin);
        for (const name of ['cc', 'gcc']) symlinkSync(`/usr/bin/gcc-${version}`, join(bin, name));
        return `cc, gcc → /usr/bin/gcc-${version}`;
      };
      const env = baseEnv(ctx.home, { PATH: `${bin}:${process.env.PATH}` });
      return pair(ctx, {
        project: 'devtree',
        env,
        baseline: { cmd: `make ${J2}`, before: point(12) },
        check: { cmd: `make ${J1}`, before: point(11) },
      });
    },
  },
  {
    name: 'tar-provenance',
    about: "zlib (CMake) then tar -czf, tar -cJf and zip of the built files, and sh's $(cat README) into dist/README.txt",
    needs: ['cmake', 'tar', 'xz', 'zip'],
    run: async (ctx) => {
      const env = baseEnv(ctx.home);
      const files = 'libz.a libz.so.1.2.13 minigzip example';
      const cmd = (j) =>
        [
          `cmake -S . -B build -DCMAKE_POLICY_VERSION_MINIMUM=3.5 && cmake --build build ${j}`,
          'mkdir -p dist',
          `tar -czf dist/zlib.tar.gz -C build ${files}`,
          `tar -cJf dist/zlib.tar.xz -C build ${files}`,
          `(cd build && zip -q ../dist/zlib.zip ${files})`,
          `sh -c 'echo "$(cat README)" > dist/README.txt'`,
        ].join(' && ');
      const r = await pair(ctx, { project: 'zlib', env, baseline: { cmd: cmd(J2) }, check: { cmd: cmd(J1) } });
      r.extra = await provenance(ctx, r);
      return r;
    },
  },
  {
    name: 'curl-new-endpoint',
    about:
      "devtree (make): the check's Makefile adds a recipe line `curl -s -o /dev/null http://127.0.0.1:PORT/` (a local python3 -m http.server)",
    needs: ['curl', 'make'],
    run: async (ctx) => {
      const env = baseEnv(ctx.home);
      const server = await httpServer(ctx.root);
      try {
        return await pair(ctx, {
          project: 'devtree',
          env,
          baseline: { cmd: `make ${J2}` },
          check: {
            cmd: `make ${J1}`,
            before: (dir) => {
              const mk = join(dir, 'Makefile');
              const text = readFileSync(mk, 'utf8');
              const recipe = '\t$(CC) $(CFLAGS) -o $@ $(OBJS)\n';
              if (!text.includes(recipe)) throw new Error("devtree's Makefile has no app recipe to extend");
              writeFileSync(mk, text.replace(recipe, `${recipe}\tcurl -s -o /dev/null http://127.0.0.1:${server.port}/\n`));
              return `Makefile: the app recipe also runs curl -s -o /dev/null http://127.0.0.1:${server.port}/`;
            },
          },
        });
      } finally {
        server.stop();
      }
    },
  },
];

// ---------------------------------------------------------------------------------------
// The table

function byKind(findings) {
  const out = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return Object.entries(out)
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

const cut = (s, n = 200) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);

function row(name, r) {
  const findings = r.report.findings ?? [];
  const failing = findings.filter((f) => f.failing);
  const effects = findings.reduce((n, f) => n + (f.effects?.length ?? 0), 0);
  const lines = [
    `${name.padEnd(22)} total ${String(findings.length).padStart(4)}  failing ${String(r.report.failing ?? failing.length).padStart(4)}  ` +
      `(+${effects} effects)  update ${r.seconds[0].toFixed(1)} s, check ${r.seconds[1].toFixed(1)} s`,
    `    kinds: ${byKind(findings) || '-'}`,
  ];
  if (failing.length) lines.push(`    failing kinds: ${byKind(failing)}`);
  for (const f of failing.slice(0, 10)) lines.push(`    ✗ ${f.severity} ${f.kind} ${cut(f.subject)}`);
  if (failing.length > 10) lines.push(`    … ${failing.length - 10} more failing`);
  return lines;
}

// ---------------------------------------------------------------------------------------

async function main() {
  const o = options(process.argv.slice(2));
  const unknown = o.only.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`no scenario ${unknown.join(', ')} (there are: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  const chosen = o.only.length ? SCENARIOS.filter((s) => o.only.includes(s.name)) : SCENARIOS;
  const sha = createHash('sha256').update(readFileSync(o.cli)).digest('hex');
  const version = (cmd) => {
    try {
      return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')[0]
        .trim();
    } catch {
      return 'not installed';
    }
  };
  console.log(`# ioana second-run bench (issue 22) — ${new Date().toISOString()}`);
  console.log(`# cli: ${o.cli} (sha256 ${sha.slice(0, 16)}…)`);
  console.log(
    `# node ${process.version}; ${version('strace -V')}; ${version('gcc --version')}; ${version('ccache --version')}; meson ${version('meson --version')}; ${version('go version')}`,
  );
  console.log('# update in one copy, check in another (different paths), no .ioana.yml; logs in ' + o.logs);
  console.log('');
  const summary = [];
  for (const s of chosen) {
    const logs = join(o.logs, s.name);
    rmSync(logs, { recursive: true, force: true });
    mkdirSync(logs, { recursive: true });
    const root = tempDir(`ioana-2nd-${s.name}-`);
    const home = join(root, 'home');
    mkdirSync(home);
    const ctx = { cli: o.cli, name: s.name, root, home, logs, prepLog: join(logs, 'prep.out'), notes: [], dirs: [], env: baseEnv(home) };
    writeFileSync(ctx.prepLog, '');
    console.log(`## ${s.name}: ${s.about}`);
    const missing = s.needs.filter((t) => !has(t));
    const skip = missing.length ? `not installed: ${missing.join(', ')}` : s.skip?.();
    if (skip) {
      console.log(`${s.name.padEnd(22)} skipped: ${skip}`);
      summary.push({ name: s.name, skipped: skip });
    } else {
      try {
        const r = await s.run(ctx);
        for (const l of row(s.name, r)) console.log(l);
        for (const n of ctx.notes) console.log(`    note: ${n}`);
        if (r.extra) for (const l of r.extra) console.log(l);
        const findings = r.report.findings ?? [];
        summary.push({
          name: s.name,
          total: findings.length,
          failing: r.report.failing,
          kinds: byKind(findings),
          failingSubjects: findings.filter((f) => f.failing).map((f) => `${f.kind} ${f.subject}`),
          seconds: r.seconds,
          notes: ctx.notes,
        });
      } catch (e) {
        console.log(`${s.name.padEnd(22)} error: ${e.message}`);
        for (const n of ctx.notes) console.log(`    note: ${n}`);
        summary.push({ name: s.name, error: e.message });
      }
    }
    if (o.keep) console.log(`    kept: ${[root, ...ctx.dirs].join(' ')}`);
    console.log(`    logs: ${logs}`);
    console.log('');
    if (!o.keep) for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  }
  writeFileSync(join(o.logs, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log('# summary');
  for (const r of summary) {
    const what = r.skipped ? `skipped: ${r.skipped}` : r.error ? `error: ${r.error}` : `total ${r.total}, failing ${r.failing}`;
    console.log(`${r.name.padEnd(22)} ${what}`);
  }
}

main()
  .catch((e) => {
    console.error(`second-run: ${e.message}`);
  })
  .finally(() => {
    process.exitCode = 0;
  });
