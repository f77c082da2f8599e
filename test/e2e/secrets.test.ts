/**
 * Secrets never reach a baseline, report, summary, annotation or artifact: data buffers
 * and environment strings are never stored, and credentials in arguments are redacted.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/trace.js';
import { CLI, ACTION } from '../helpers/bundle.js';

const ENV_SECRET = 'hunter2-env-value-7f3a';
const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const URL_PASSWORD = 'url-pass-9q8w7e';
const MYSQL_PASSWORD = 'mysql-pw-5t6y';
const CONTENT = 'file-content-secret-0p9o';

/** A build that puts each secret where a careless tool might pick it up. */
const BUILD = [
  `printf '%s' "$DEPLOY_API_TOKEN" > token.txt`,
  `cat data.txt > copy.txt`,
  `/bin/echo --token=${TOKEN} "$DEPLOY_API_TOKEN" https://bot:${URL_PASSWORD}@example.invalid/repo.git > /dev/null`,
  `/bin/echo mysql -p${MYSQL_PASSWORD} > /dev/null`,
  `ln -sf /bin/echo mysql && ./mysql -p${MYSQL_PASSWORD} > /dev/null`,
].join('; ');

const SECRETS = [ENV_SECRET, TOKEN, URL_PASSWORD, MYSQL_PASSWORD, CONTENT];

function expectNoSecrets(where: string, text: string): void {
  for (const s of SECRETS) {
    if (text.includes(s)) throw new Error(`${where} contains the secret ${s}`);
  }
}

describe('secrets', () => {
  test('the CLI: baseline, JSON report and terminal report hold none of them', () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'data.txt'), CONTENT);
    const out = tempDir();
    const env = { ...process.env, DEPLOY_API_TOKEN: ENV_SECRET };
    const cli = (...args: string[]) => spawnSync('node', [CLI, ...args], { cwd: ws, env, encoding: 'utf8' });
    const up = cli('update', '--baseline', join(out, 'b.yml'), '--', 'sh', '-c', BUILD);
    expect(up.status).toBe(0);
    writeFileSync(join(ws, 'extra'), 'x');
    const check = cli(
      'check',
      '--baseline',
      join(out, 'b.yml'),
      '--json',
      join(out, 'r.json'),
      '--',
      'sh',
      '-c',
      BUILD + '; cat extra > /dev/null',
    );
    expect(check.status).toBe(1);
    const baseline = readFileSync(join(out, 'b.yml'), 'utf8');
    expectNoSecrets('the baseline', baseline);
    expectNoSecrets('the JSON report', readFileSync(join(out, 'r.json'), 'utf8'));
    expectNoSecrets('the terminal report', check.stdout + check.stderr.replace(/^.*\n/gm, (l) => (l.startsWith('ioana') ? l : '')));
    // The redactions are there instead.
    expect(baseline).toContain('--token={redacted}');
    expect(baseline).toContain('https://bot:{redacted}@example.invalid/repo.git');
    expect(baseline).toContain('"-p{redacted}"');
    expect(baseline).toMatch(/\{redacted\}/);
  });

  test('the raw log, which holds every argument unredacted, is not left behind by check', () => {
    const ws = tempDir();
    const tmp = tempDir();
    const cli = (...args: string[]) =>
      spawnSync('node', [CLI, ...args], { cwd: ws, env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
    expect(cli('update', '--baseline', join(ws, 'b.yml'), '--', 'sh', '-c', `/bin/echo --token=${TOKEN} > /dev/null`).status).toBe(0);
    expect(cli('check', '--baseline', join(ws, 'b.yml'), '--', 'sh', '-c', `/bin/echo --token=${TOKEN} > /dev/null`).status).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    // Asked for, it is kept.
    expect(
      cli(
        'check',
        '--baseline',
        join(ws, 'b.yml'),
        '--trace-out',
        join(tmp, 'kept.log'),
        '--',
        'sh',
        '-c',
        `/bin/echo --token=${TOKEN} > /dev/null`,
      ).status,
    ).toBe(0);
    expect(readFileSync(join(tmp, 'kept.log'), 'utf8')).toContain(TOKEN);
  });

  test('the action: summary, annotations, outputs and every artifact file hold none of them', () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'data.txt'), CONTENT);
    const runner = tempDir();
    const summary = join(runner, 'summary.md');
    const output = join(runner, 'output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const run = (mode: string) =>
      spawnSync('node', [ACTION], {
        cwd: ws,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          GITHUB_WORKSPACE: ws,
          GITHUB_STEP_SUMMARY: summary,
          GITHUB_OUTPUT: output,
          RUNNER_TEMP: runner,
          GITHUB_JOB: 'build',
          DEPLOY_API_TOKEN: ENV_SECRET,
          INPUT_RUN: BUILD,
          INPUT_MODE: mode,
        },
      });
    expect(run('update').status).toBe(0);
    writeFileSync(join(ws, 'token.txt'), 'changed');
    const r = run('check');
    expectNoSecrets(
      'the workflow commands',
      r.stdout
        .split('\n')
        .filter((l) => l.startsWith('::'))
        .join('\n'),
    );
    expectNoSecrets('the summary', readFileSync(summary, 'utf8'));
    expectNoSecrets('the outputs', readFileSync(output, 'utf8'));
    const dirs = readdirSync(runner).filter((d) => d.startsWith('ioana-'));
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) {
      // The raw log never reaches a disk: strace writes it into a pipe.
      const files = ['baseline.yml', 'flows.json', 'graph.json', 'io-flame.svg', 'ioana.sarif', 'report.json'];
      expect(readdirSync(join(runner, dir)).sort()).toEqual(files);
      for (const f of files) expectNoSecrets(`${dir}/${f}`, readFileSync(join(runner, dir, f), 'utf8'));
    }
    expectNoSecrets('the committed baseline', readFileSync(join(ws, 'baselines/build.yml'), 'utf8'));
  });
});
