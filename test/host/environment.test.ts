/** The machine at the edge: roots (real paths) and the environment's secrets. */
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { environmentRedactor, machineRoots, secretValues } from '../../src/host/environment.js';
import { tempDir } from '../helpers/trace.js';

test('secret values: variables whose names say so, six characters or more, longest first', () => {
  expect(
    secretValues({
      GITHUB_TOKEN: 'ghs_abcdef',
      DB_PASSWORD: 'hunter22',
      API_KEY: 'short',
      HOME: '/root',
      AWS_SECRET_ACCESS_KEY: 'a-very-long-secret',
    }),
  ).toEqual(['a-very-long-secret', 'ghs_abcdef', 'hunter22']);
  expect(environmentRedactor({ DEPLOY_TOKEN: 'zzzzzzzz' }).text('push zzzzzzzz')).toBe('push {redacted}');
});

test('secret values: by name, not the working directory, paths, public keys or what names a secret', () => {
  const env = {
    // secrets
    MYSQL_PWD: 'mysql-pwd-value',
    SSHPASS: 'sshpass-value',
    NODE_AUTH_TOKEN: 'node-auth-token',
    GH_PAT: 'gh-pat-value',
    DB_PASS: 'db-pass-value',
    PRIVATE_TOKEN: 'private-token-value',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token-value',
    npm_config__authToken: 'npm-auth-token',
    AZURE_CREDENTIALS: '{"clientSecret":"x"}',
    COPY_OF_TOKEN: 'db-pass-value',
    // not secrets
    PWD: '/home/runner/work/repo/repo',
    OLDPWD: '/home/runner/work/repo',
    XAUTHORITY: '/run/user/1001/gdm/Xauthority',
    SSH_AUTH_SOCK: '/tmp/ssh-XXXXabcd/agent.1234',
    GPG_KEY: 'A035C8C19219BA821ECEA86B64E628F8D684696D',
    GIT_AUTHOR_NAME: 'Ada Lovelace',
    GIT_ASKPASS: '/usr/lib/git-core/git-gui--askpass',
    PGPASSFILE: '/home/runner/.pgpass',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/abc',
    AWS_ACCESS_KEY_ID: 'not-a-secret-id',
    NEXT_PUBLIC_API_KEY: 'public-by-design',
    TOKENIZERS_PARALLELISM: 'false-ish',
    KEY_SIZE: '4096bits',
  };
  expect(secretValues(env).sort()).toEqual(
    [
      'mysql-pwd-value',
      'sshpass-value',
      'node-auth-token',
      'gh-pat-value',
      'db-pass-value',
      'private-token-value',
      'runtime-token-value',
      'npm-auth-token',
      '{"clientSecret":"x"}',
    ].sort(),
  );
  const values = secretValues(env);
  expect(values.map((v) => v.length)).toEqual([...values.map((v) => v.length)].sort((a, b) => b - a));
});

test("the environment's redactor leaves the working directory alone", () => {
  const r = environmentRedactor({ PWD: '/home/runner/work/repo/repo', DB_PASSWORD: 'hunter22' });
  expect(r.text('/home/runner/work/repo/repo/src/a.c')).toBe('/home/runner/work/repo/repo/src/a.c');
  expect(r.text('psql --dbname=app hunter22')).toBe('psql --dbname=app {redacted}');
});

test('roots: the temporary directories and the home, through symlinks', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  const roots = machineRoots({ HOME: join(dir, 'link'), TMPDIR: join(dir, 'link'), RUNNER_TOOL_CACHE: join(dir, 'none/') });
  expect(roots.home).toBe(realpathSync(join(dir, 'real')));
  expect(roots.tmp).toEqual(['/tmp', '/var/tmp', '/dev/shm', realpathSync(join(dir, 'real'))]);
  expect(roots.toolcache).toBe(join(dir, 'none'));
});
