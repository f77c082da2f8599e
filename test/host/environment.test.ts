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

test('roots: the temporary directories and the home, through symlinks', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  const roots = machineRoots({ HOME: join(dir, 'link'), TMPDIR: join(dir, 'link'), RUNNER_TOOL_CACHE: join(dir, 'none/') });
  expect(roots.home).toBe(realpathSync(join(dir, 'real')));
  expect(roots.tmp).toEqual(['/tmp', '/var/tmp', '/dev/shm', realpathSync(join(dir, 'real'))]);
  expect(roots.toolcache).toBe(join(dir, 'none'));
});
