/**
 * The second run on a real CI (issue 22), on real projects nobody here wrote
 * (test/fixtures/projects: libogg and serd from Debian, xxhash from Debian's Go sources,
 * @tanstack/store and a create-vite app from the npm registry), each recorded in one
 * directory and checked in another, with no .ioana.yml, under the real strace through the
 * bundled CLI:
 *
 * - ccache cold → warm, plain (autotools, `CC='ccache gcc'`) and under Meson (which uses
 *   ccache by itself when it is on PATH);
 * - Go's build cache cold → warm and warm → cold;
 * - npm's cache cold → warm (`npm ci && npm run build`, the registry reached cold only);
 * - a one-line code edit in a Vite app (its bundle's names are content hashes);
 * - the runner's tool cache moving node 20.11.1 → 20.12.0, with and without
 *   `$RUNNER_TOOL_CACHE`;
 *
 * — no failing finding each. And what must still be caught: curl to a new address is one
 * failing finding that names it, and a key moved into a cache is still a credential read.
 * Where a tool is missing (or the npm registry unreachable), its tests are skipped with
 * the reason printed. bench/second-run.js runs the same scenarios and prints the figures.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  bash,
  buildEnv,
  checkRun,
  has,
  lines,
  PROJECTS,
  record,
  removeScratch,
  scratch,
  settleAutotools,
  type Finding,
  type Report,
} from '../helpers/real-builds.js';

const TIMEOUT = 300_000;
afterAll(removeScratch);

/** Variables of this machine that would point both runs at caches or tool caches of their own. */
const DROP = ['CCACHE_DIR', 'CCACHE_BASEDIR', 'GOCACHE', 'GOFLAGS', 'GOPROXY', 'XDG_CACHE_HOME', 'RUNNER_TOOL_CACHE', 'RUNNER_TEMP'];

/** The builds' environment: a HOME of the scenario's own, and `extra`. */
function envFor(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = buildEnv({ HOME: home, npm_config_update_notifier: 'false', ...extra });
  for (const k of DROP) if (!(k in extra)) delete env[k];
  return env;
}

/** Two fresh copies of a fixture project, at paths of different lengths. */
function copies(project: string): [string, string] {
  const a = join(scratch('ioana-2nd-'), 'w', project);
  const b = join(scratch('ioana-2nd-'), 'checkout', 'second-copy', project);
  for (const dir of [a, b]) {
    mkdirSync(dirname(dir), { recursive: true });
    cpSync(join(PROJECTS, project), dir, { recursive: true });
  }
  return [a, b];
}

/** Runs a script outside the trace (preparation); throws with its output when it fails. */
function prep(script: string, cwd: string, env: NodeJS.ProcessEnv): void {
  execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The baseline of `baseline` run in copy A, then the check of `check` in copy B: the report. */
async function secondRun(
  dirs: [string, string],
  run: { baseline: string; check: string; env: (dir: string) => NodeJS.ProcessEnv; between?: () => void },
): Promise<Report> {
  const [a, b] = dirs;
  const file = join(scratch('ioana-2nd-baseline-'), 'b.yml');
  const up = await record(file, a, bash(run.baseline), run.env(a));
  if (up.code !== 0) throw new Error(`update exited ${up.code}:\n${up.stdout.slice(-3000)}\n${up.stderr.slice(-3000)}`);
  run.between?.();
  const c = await checkRun(file, b, bash(run.check), run.env(b));
  if (c.code !== 0 && c.code !== 1) throw new Error(`check exited ${c.code}:\n${c.stderr.slice(-3000)}`);
  return c.report;
}

/** The failing findings, one line each (what a failing test prints). */
const failing = (r: Report): string[] => lines(r.findings.filter((f) => f.failing));

/** Every finding, effects included. */
const all = (fs: readonly Finding[]): Finding[] => fs.flatMap((f) => [f, ...all(f.effects ?? [])]);

const need = (...tools: string[]) => {
  const missing = tools.filter((t) => !has(t));
  if (missing.length > 0) console.warn(`second-run.e2e: SKIPPED — not installed here: ${missing.join(', ')}`);
  return missing.length === 0 ? test : test.skip;
};

describe('a build cache, cold then warm', () => {
  need('ccache', 'gcc', 'make')(
    "ccache under autotools (libogg, CC='ccache gcc'): no failing finding",
    async () => {
      const home = scratch('ioana-2nd-home-');
      const cache = join(scratch('ioana-2nd-ccache-'), 'ccache');
      const dirs = copies('libogg');
      dirs.forEach(settleAutotools);
      // The two copies are at different paths, as two CI checkouts are not: CI set-ups for ccache say so.
      const env = (dir: string) => envFor(home, { CCACHE_DIR: cache, CCACHE_BASEDIR: dir, CCACHE_NOHASHDIR: 'true' });
      const cmd = (j: string) => `./configure --disable-maintainer-mode CC='ccache gcc' && make ${j}`;
      const report = await secondRun(dirs, { baseline: cmd('-j2'), check: cmd('-j1'), env });
      expect(failing(report)).toEqual([]);
      // The warm run hit: its compilers did not run (else this test would not be about a hit).
      const stats = execFileSync('ccache', ['-s'], { env: env(dirs[1]), encoding: 'utf8' });
      expect(stats).toMatch(/Hits:\s+[1-9]/);
    },
    TIMEOUT,
  );

  need('ccache', 'meson', 'ninja')(
    'ccache under Meson (serd; Meson uses ccache by itself, in ~/.cache/ccache): no failing finding',
    async () => {
      const home = scratch('ioana-2nd-home-');
      const cmd = (j: string) => `meson setup build -Dtests=disabled -Ddocs=disabled -Dstrict=true && ninja -C build ${j}`;
      const report = await secondRun(copies('serd'), { baseline: cmd('-j2'), check: cmd('-j1'), env: () => envFor(home) });
      expect(failing(report)).toEqual([]);
    },
    TIMEOUT,
  );
});

describe("Go's build cache", () => {
  const GO_BUILD = 'go build ./... && go build -o bin/ ./...';
  const goEnv = (home: string, gocache: string) => () => envFor(home, { GOCACHE: gocache, GOFLAGS: '-mod=mod', GOPROXY: 'off' });

  need('go')(
    'cold baseline, warm check: no finding',
    async () => {
      const env = goEnv(scratch('ioana-2nd-home-'), join(scratch('ioana-2nd-gocache-'), 'gocache'));
      const report = await secondRun(copies('xxhash'), { baseline: GO_BUILD, check: GO_BUILD, env });
      // With what changed, so that a failure says which arguments.
      expect(report.findings.map((f) => ({ line: lines([f])[0], added: f.added, removed: f.removed }))).toEqual([]);
    },
    TIMEOUT,
  );

  need('go')(
    'warm baseline, cold check: no failing finding (the toolchain a miss runs is a notice)',
    async () => {
      const gocache = join(scratch('ioana-2nd-gocache-'), 'gocache');
      const env = goEnv(scratch('ioana-2nd-home-'), gocache);
      const [warm] = copies('xxhash');
      prep(GO_BUILD, warm, env());
      const report = await secondRun(copies('xxhash'), {
        baseline: GO_BUILD,
        check: GO_BUILD,
        env,
        between: () => rmSync(gocache, { recursive: true, force: true }),
      });
      expect(failing(report)).toEqual([]);
    },
    TIMEOUT,
  );
});

/** Whether the npm registry answers (CI and these machines reach it; elsewhere the npm tests skip). */
function registry(): string | undefined {
  try {
    execFileSync('npm', ['view', 'typescript', 'version'], { stdio: 'ignore', timeout: 30_000 });
    return undefined;
  } catch (e) {
    return `the npm registry does not answer (${(e as Error).message.split('\n')[0]})`;
  }
}
const offline = has('npm') ? registry() : 'npm is not installed';
if (offline) console.warn(`second-run.e2e: npm tests SKIPPED — ${offline}`);
const online = offline ? test.skip : test;

describe('npm', () => {
  online(
    "npm ci && npm run build, npm's cache cold (the registry reached) then warm: no finding",
    async () => {
      const home = scratch('ioana-2nd-home-');
      const cache = join(scratch('ioana-2nd-npm-'), 'npm-cache');
      const cmd = 'npm ci --no-audit --no-fund && npm run build';
      const report = await secondRun(copies('tanstack-store'), {
        baseline: cmd,
        check: cmd,
        env: () => envFor(home, { npm_config_cache: cache }),
      });
      expect(lines(report.findings)).toEqual([]);
    },
    TIMEOUT,
  );

  online(
    'a one-line code edit in a Vite app, whose bundle is named by content hashes: no finding',
    async () => {
      const home = scratch('ioana-2nd-home-');
      const dirs = copies('vite-vanilla');
      const env = () => envFor(home, { npm_config_cache: join(home, 'prep-cache') });
      for (const d of dirs) prep('npm ci --no-audit --no-fund', d, env());
      const main = join(dirs[1], 'src/main.js');
      writeFileSync(main, readFileSync(main, 'utf8').replace('<h1>Get started</h1>', '<h1>Get started today</h1>'));
      const report = await secondRun(dirs, { baseline: 'npm run build', check: 'npm run build', env });
      expect(lines(report.findings)).toEqual([]);
    },
    TIMEOUT,
  );
});

/** A runner tool cache's node, as setup-node lays it out: TOOLCACHE/node/VERSION/x64/{bin,lib}, hard links of this node. */
function toolcacheNode(toolcache: string, version: string): string {
  const node = execFileSync('readlink', ['-f', process.execPath], { encoding: 'utf8' }).trim();
  const npmDir = resolve(dirname(execFileSync('bash', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).trim()), '..');
  const root = join(toolcache, 'node', version, 'x64');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'lib/node_modules'), { recursive: true });
  try {
    linkSync(node, join(root, 'bin/node'));
    execFileSync('cp', ['-al', npmDir, join(root, 'lib/node_modules/npm')]);
  } catch {
    cpSync(node, join(root, 'bin/node'));
    cpSync(npmDir, join(root, 'lib/node_modules/npm'), { recursive: true });
  }
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'bin/npm'));
  writeFileSync(join(toolcache, 'node', `${version}.complete`), '');
  return join(root, 'bin');
}

describe("the runner image's tool cache moves node to its next patch release", () => {
  // The project's TypeScript is the repository's (a symlink: nothing downloaded).
  const tsc = resolve('node_modules/typescript/bin/tsc');
  const nodeEnv = (home: string, bin: string, toolcache: string | undefined) => () =>
    envFor(home, { PATH: `${bin}:${process.env.PATH}`, ...(toolcache ? { RUNNER_TOOL_CACHE: toolcache } : {}) });

  test.each([
    ['set', true],
    ['unset (found by its layout)', false],
  ])(
    'with $RUNNER_TOOL_CACHE %s: one toolchain-changed notice, nothing failing',
    async (_how, set) => {
      const home = scratch('ioana-2nd-home-');
      // Where the hosted runners keep it, under a directory of its own here.
      const toolcache = join(mkdtempSync(join(tmpdir(), 'ioana-2nd-tc-')), 'hostedtoolcache');
      const old = toolcacheNode(toolcache, '20.11.1');
      const next = toolcacheNode(toolcache, '20.12.0');
      const cmd = `node --version && npm --version && node ${tsc} -p .`;
      const [a, b] = copies('tanstack-store');
      const file = join(scratch('ioana-2nd-baseline-'), 'b.yml');
      try {
        expect((await record(file, a, bash(cmd), nodeEnv(home, old, set ? toolcache : undefined)())).code).toBe(0);
        const c = await checkRun(file, b, bash(cmd), nodeEnv(home, next, set ? toolcache : undefined)());
        expect(failing(c.report)).toEqual([]);
        expect(lines(c.report.findings)).toEqual(['toolchain-changed node']);
        expect(c.report.findings[0]).toMatchObject({ severity: 'notice' });
        expect((c.report.findings[0] as Finding & { message: string }).message).toBe(
          'A toolchain changed version: node 20.11.1 → 20.12.0.',
        );
      } finally {
        rmSync(dirname(toolcache), { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});

describe('what the second run must still catch', () => {
  need(
    'curl',
    'python3',
    'make',
    'gcc',
  )(
    'curl to a new address in a make recipe: one failing finding, the endpoint, with curl and its start-up under it',
    async () => {
      const server = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        const port = await new Promise<number>((done, fail) => {
          let seen = '';
          server.stdout!.on('data', (d: Buffer) => {
            seen += d.toString();
            const m = /port (\d+)/.exec(seen);
            if (m) done(Number(m[1]));
          });
          server.on('error', fail);
          setTimeout(() => fail(new Error(`http.server said no port: ${seen}`)), 15_000).unref();
        });
        const home = scratch('ioana-2nd-home-');
        const dirs = copies('devtree');
        // The pull request adds a recipe line: the build's command stays what the workflow says.
        const makefile = join(dirs[1], 'Makefile');
        const recipe = '\t$(CC) $(CFLAGS) -o $@ $(OBJS)\n';
        writeFileSync(
          makefile,
          readFileSync(makefile, 'utf8').replace(recipe, `${recipe}\tcurl -s -o /dev/null http://127.0.0.1:${port}/\n`),
        );
        const report = await secondRun(dirs, { baseline: 'make -j2', check: 'make -j1', env: () => envFor(home) });
        // The server is not the build's: its port is part of the address.
        expect(failing(report)).toEqual([`new-endpoint tcp://127.0.0.1:${port}`]);
        const effects = all(report.findings[0].effects ?? []).map((f) => `${f.kind} ${f.subject.split(' ')[0]}`);
        expect(effects).toEqual(expect.arrayContaining(['new-program /usr/bin/curl']));
      } finally {
        server.kill('SIGTERM');
      }
    },
    TIMEOUT,
  );

  need('ccache', 'gcc')(
    'a key moved into a cache and read there is still a credential read',
    async () => {
      const home = scratch('ioana-2nd-home-');
      const cache = join(home, '.cache', 'ccache');
      mkdirSync(join(home, '.ssh'), { recursive: true });
      mkdirSync(cache, { recursive: true });
      const report = await secondRun(copies('devtree'), {
        baseline: 'make -j2',
        check: `make -j1 && mv ~/.ssh/id_ed25519 ${cache}/stolen && cat ${cache}/stolen > /dev/null`,
        env: () => envFor(home),
        // The key is there before the checked build, as a runner's would be.
        between: () => writeFileSync(join(home, '.ssh', 'id_ed25519'), 'key\n'),
      });
      expect(failing(report)).toContain('credential-read {home}/.ssh/id_ed25519');
    },
    TIMEOUT,
  );
});
