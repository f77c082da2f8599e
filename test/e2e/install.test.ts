/**
 * The CLI installs without the npm registry, from `npm pack`'s tarball and from a git
 * URL, with no build step and nothing but itself: dist/ holds every library it uses.
 * Each installed copy runs `--version` and a real check.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitServer, npmEnv, packTarball } from '../helpers/package.js';
import { tempDir } from '../helpers/trace.js';

const VERSION = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }).version;

/** `npm install -g` of `spec` into a fresh prefix, offline: the path of the installed `ioana`. */
function install(spec: string, extra: string[] = []): { bin: string; prefix: string; output: string } {
  const prefix = tempDir('ioana-prefix-');
  const output = execFileSync('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, ...extra, spec], {
    encoding: 'utf8',
    env: npmEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { bin: join(prefix, 'bin', 'ioana'), prefix, output };
}

/** A one-file C build recorded and then checked with the installed copy. */
function checkWith(bin: string): void {
  const ws = tempDir('ioana-installed-');
  writeFileSync(join(ws, 'hello.c'), 'int main(void) { return 0; }\n');
  const run = (...args: string[]) => spawnSync(bin, args, { cwd: ws, encoding: 'utf8' });
  const build = ['--', 'cc', '-o', 'hello', 'hello.c'];
  expect(run('update', '--baseline', 'b.yml', ...build).status).toBe(0);
  const check = run('check', '--baseline', 'b.yml', ...build);
  expect(check.stdout).toMatch(/^ioana: clean/m);
  expect(check.status).toBe(0);
}

function expectAlone(prefix: string): void {
  expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['ioana']);
  expect(existsSync(join(prefix, 'lib', 'node_modules', 'ioana', 'node_modules'))).toBe(false);
}

describe('installing the CLI without a registry', () => {
  test('package.json asks for no runtime dependency and no build step when installed', () => {
    const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8'));
    expect(pkg.dependencies).toBeUndefined();
    // npm prepares a git dependency (installs its dev dependencies and builds it) when it has one of these.
    for (const script of ['prepare', 'prepack', 'build', 'preinstall', 'install', 'postinstall'])
      expect(pkg.scripts[script]).toBeUndefined();
  });

  test("from npm pack's tarball", () => {
    const tarball = packTarball();
    const { bin, prefix, output } = install(tarball);
    expect(output).toMatch(/added 1 package/);
    expectAlone(prefix);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toBe(`ioana ${VERSION}\n`);
    checkWith(bin);
  }, 60_000);

  test('from a git URL, pinned to a tag', () => {
    const { spec } = gitServer('v9.9.9');
    // --install-links: npm links a global git+file: dependency to its clone, which it then deletes.
    const { bin, prefix, output } = install(spec, ['--install-links']);
    expect(output).toMatch(/added 1 package/);
    expectAlone(prefix);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toBe(`ioana ${VERSION}\n`);
    checkWith(bin);
  }, 60_000);
});
