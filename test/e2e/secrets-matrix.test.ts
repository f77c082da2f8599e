/**
 * Every place a secret can enter × every place ioana writes. Secrets enter through the
 * environment (by the variable's name), through arguments (token formats, options,
 * headers, URLs, assignments), through the names of files, directories and programs
 * the build makes, and through file contents. None may reach a baseline, a report, a
 * drawing, `explain`, the terminal, the job summary, an annotation, a step output or an
 * uploaded artifact; what changed must still be reported, the secret replaced by
 * `{redacted}`. Real builds under the real strace, through the bundled CLI and action.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startArtifactService } from '../helpers/artifact-service.js';
import { runAction } from '../helpers/runner.js';
import { tempDir } from '../helpers/trace.js';
import { CLI } from '../helpers/bundle.js';

/** Secrets the build finds in its environment: only the variable's name says they are secret. */
const ENV = {
  DB_PASS: 'dbpass-Zx81qq',
  DEPLOY_API_KEY: 'deploy-key-77aa',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzKEY',
  NPM_TOKEN: 'npm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
};

/** Secrets written into the build's own commands: their shape or their option says so. */
const LITERAL = {
  github: 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  aws: 'AKIA' + 'Q3EGRSTUVWXYZ234',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJlLXNlY3JldA',
  separate: 'sep-pass-31d',
  joined: 'joined-key-88f',
  bearer: 'bearer-tok-5566aa',
  url: 'url-pass-9q8w7e',
  assignment: 'pg-pass-4r4r',
  mysql: 'mysql-pw-5t6y',
};

/** Only in a file's content, never in a name or argument. */
const CONTENT = 'file-content-secret-0p9o';

const SECRETS = [...Object.values(ENV), ...Object.values(LITERAL), CONTENT];

/** The build: each secret where a careless tool would pick it up; nothing printed. */
const BUILD = [
  // Arguments.
  `/bin/echo --token=${LITERAL.github} ${LITERAL.aws} ${LITERAL.jwt} "$AWS_SECRET_ACCESS_KEY" "$NPM_TOKEN"`,
  `/bin/echo --password ${LITERAL.separate} --api-key=${LITERAL.joined} -H 'Authorization: Bearer ${LITERAL.bearer}'`,
  `/bin/echo https://bot:${LITERAL.url}@example.invalid/repo.git`,
  `PGPASSWORD=${LITERAL.assignment} /bin/echo psql`,
  `ln -sf /bin/echo mysql && ./mysql -p${LITERAL.mysql}`,
  // Names: a file, a directory and a program named after a secret.
  `printf x > "out-$DB_PASS"`,
  `mkdir -p "dir-$DEPLOY_API_KEY" && printf x > "dir-$DEPLOY_API_KEY/f"`,
  `cp /bin/true "tool-$DB_PASS" && "./tool-$DB_PASS"`,
  `printf x > "cache-${LITERAL.github}"`,
  // Content.
  `cat data.txt > copy.txt`,
]
  .map((c) => `{ ${c}; } > /dev/null`)
  .join('\n');

/** What the pull request adds: one more file named after a secret, and one more read. */
const CHANGED = BUILD + `\nprintf x > "new-$DB_PASS"\ncat extra > /dev/null`;

function expectNoSecret(where: string, text: string): void {
  for (const s of SECRETS) if (text.includes(s)) throw new Error(`${where} contains the secret ${s}:\n${text}`);
}

function workspace(): string {
  const ws = tempDir('ioana-secrets-');
  writeFileSync(join(ws, 'data.txt'), CONTENT);
  writeFileSync(join(ws, 'extra'), 'x');
  return ws;
}

describe('secrets × the CLI', () => {
  const ws = workspace();
  const out = tempDir();
  const env = { ...process.env, ...ENV };
  const cli = (...args: string[]) => spawnSync('node', [CLI, ...args], { cwd: ws, env, encoding: 'utf8' });
  const log = join(out, 'kept.log');
  let check: ReturnType<typeof cli>;

  beforeAll(() => {
    expect(cli('update', '--baseline', join(out, 'b.yml'), '--', 'sh', '-c', BUILD).status).toBe(0);
    check = cli('check', '--baseline', join(out, 'b.yml'), '--json', join(out, 'r.json'), '--trace-out', log, '--', 'sh', '-c', CHANGED);
  });

  test('the change is found, named with the secret redacted', () => {
    expect(check.status).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as {
      findings: { kind: string; subject: string; added?: string[] }[];
    };
    expect(report.findings.map((f) => [f.kind, f.subject])).toEqual(
      expect.arrayContaining([
        ['new-output', '{workspace}/new-{redacted}'],
        ['new-input', '{workspace}/extra'],
      ]),
    );
    // The changed script is the shell run with other arguments, its secrets redacted and the rest of it kept.
    const script = report.findings.find((f) => f.kind === 'changed-arguments' && f.added?.some((c) => c.includes('--token=')));
    const command = script?.added?.find((c) => c.includes('--token=')) ?? '';
    expect(command).toContain(`--token={redacted} {redacted} {redacted} "$AWS_SECRET_ACCESS_KEY"`);
    expect(command).toContain('printf x > "new-$DB_PASS"');
  });

  test('the baseline, the JSON report and the terminal hold no secret, and say where one was', () => {
    const baseline = readFileSync(join(out, 'b.yml'), 'utf8');
    expectNoSecret('the baseline', baseline);
    expectNoSecret('the JSON report', readFileSync(join(out, 'r.json'), 'utf8'));
    expectNoSecret('the terminal', check.stdout + check.stderr);
    for (const shown of [
      '{workspace}/out-{redacted}',
      '{workspace}/dir-{redacted}/f',
      '{workspace}/tool-{redacted}',
      '{workspace}/cache-{redacted}',
      '--token={redacted}',
      '--api-key={redacted}',
      'Authorization: Bearer {redacted}',
      'https://bot:{redacted}@example.invalid/repo.git',
      'PGPASSWORD={redacted}',
      '-p{redacted}',
    ]) {
      expect(baseline).toContain(shown);
    }
  });

  test('the kept raw log has them (it is the one file that does), and nothing made from it does', () => {
    expect(readFileSync(log, 'utf8')).toContain(LITERAL.github);
    for (const format of ['json', 'mermaid', 'dot']) {
      const r = cli('graph', '--trace', log, '--workspace', ws, '--format', format);
      expect(r.status).toBe(0);
      expectNoSecret(`ioana graph --format ${format}`, r.stdout + r.stderr);
      expect(r.stdout).toContain('{redacted}');
    }
    const explained = cli('explain', '--trace', log, '--workspace', ws, '{workspace}/new-{redacted}');
    expect(explained.status).toBe(0);
    expectNoSecret('ioana explain', explained.stdout + explained.stderr);
    expect(explained.stdout).toMatch(/^ {2}redact +\S/m);
  });
});

describe('secrets × the action', () => {
  test('the summary, annotations, step output and files, artifacts and committed baseline hold none of them', async () => {
    const ws = workspace();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', 'project');
    const service = await startArtifactService();
    try {
      const up = await runAction(ws, { run: BUILD, mode: 'update' }, { service, env: ENV });
      expect(up.status).toBe(0);
      const r = await runAction(ws, { run: CHANGED }, { service, env: ENV });
      expect(r.status).toBe(1);
      expectNoSecret('the step output', r.stdout + r.stderr);
      for (const [name, text] of Object.entries(r.files)) expectNoSecret(name, text);
      expect(r.annotations('warning').join('\n')).toContain('The build now writes {workspace}/new-{redacted}.');
      expect(r.summary).toContain('new-{redacted}');
      expectNoSecret('the committed baseline', readFileSync(join(ws, 'baselines/build.yml'), 'utf8'));
      expect(service.artifacts.length).toBeGreaterThan(0);
      for (const a of service.artifacts)
        for (const [file, bytes] of a.files) expectNoSecret(`artifact ${a.name}/${file}`, bytes.toString('utf8'));
      // Nothing ioana made is left in the workspace but the baseline.
      expect(readdirSync(ws).filter((n) => n.startsWith('ioana'))).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
