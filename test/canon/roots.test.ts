/**
 * The roots rule: a root becomes its token only where a path starts with it, at
 * component boundaries on both sides. Regression for issue 22, where `tmp` anywhere in a
 * path became the temporary-directory token (`{home}/.cache/ccache{tmp}/.cleaned`, seen
 * in a real ccache run; `{workspace}/src{tmp}/g`).
 */
import fc from 'fast-check';
import { Canonicalizer, type CanonContext } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { isUnder } from '../../src/vocabulary/index.js';

/** A GitHub-hosted runner's roots: RUNNER_TEMP under the work directory, beside the workspace. */
const ctx: CanonContext = {
  workspace: '/home/runner/work/app/app',
  home: '/home/runner',
  tmp: ['/tmp', '/var/tmp', '/dev/shm', '/home/runner/work/_temp'],
  toolcache: '/opt/hostedtoolcache',
};
const c = () => new Canonicalizer(ctx, DEFAULT_CONFIG);

describe('the temporary-directory token', () => {
  test.each([
    ['/home/runner/.cache/ccache/tmp/.cleaned', '{home}/.cache/ccache/tmp/.cleaned'],
    ['/home/runner/.cache/zz/tmp/f', '{home}/.cache/zz/tmp/f'],
    ['/home/runner/work/app/app/src/tmp/g', '{workspace}/src/tmp/g'],
    ['/home/runner/work/app/app/tmp', '{workspace}/tmp'],
    ['/usr/lib/tmp/x', '/usr/lib/tmp/x'],
    ['/var/tmp2/x', '/var/tmp2/x'],
  ])('%s is not under a temporary directory: %s', (raw, canonical) => {
    expect(c().path(raw)).toBe(canonical);
  });

  test.each([
    ['/tmp/x', '{tmp}/x'],
    ['/var/tmp/y', '{tmp}/y'],
    ['/dev/shm/z', '{tmp}/z'],
    ['/home/runner/work/_temp/a.sh', '{tmp}/a.sh'],
    ['/tmp', '{tmp}'],
  ])('%s is: %s', (raw, canonical) => {
    expect(c().path(raw)).toBe(canonical);
  });

  test('in arguments, a root starts a path after a separator or an option, never inside a name', () => {
    const argv = ['cc', '-I/tmp/inc', '--sysroot=/tmp/s', '-Wl,-rpath,/tmp/l', '@/tmp/rsp', '-o', '/home/runner/.cache/x/tmp/o'];
    expect(c().program({ exe: '/usr/bin/cc', argv }).argv).toEqual([
      'cc',
      '-I{tmp}/inc',
      '--sysroot={tmp}/s',
      '-Wl,-rpath,{tmp}/l',
      '@{tmp}/rsp',
      '-o',
      '{home}/.cache/x/tmp/o',
    ]);
    expect(c().program({ exe: '/bin/sh', argv: ['sh', '-c', 'cd /tmp && ls /usr/tmp >/tmp/log'] }).argv).toEqual([
      'sh',
      '-c',
      'cd {tmp} && ls /usr/tmp >{tmp}/log',
    ]);
  });

  test('property: for random paths, {tmp} is only ever produced for a path under a real temporary directory', () => {
    const component = fc.oneof(
      fc.constantFrom(
        'tmp',
        'var',
        'dev',
        'shm',
        'home',
        'runner',
        'work',
        'app',
        '_temp',
        '.cache',
        'ccache',
        'src',
        'tmp2',
        'x-tmp',
        'tmp.d',
      ),
      fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/).filter((s) => s !== '.' && s !== '..'),
    );
    const path = fc.array(component, { minLength: 1, maxLength: 7 }).map((parts) => `/${parts.join('/')}`);
    // Most specific root first: the workspace and home are not temporary, whatever they are under.
    const tmpRootOf = (raw: string) =>
      [ctx.workspace, ctx.toolcache!, ...ctx.tmp, ctx.home!].filter((r) => isUnder(raw, r)).sort((a, b) => b.length - a.length)[0];
    fc.assert(
      fc.property(path, fc.constantFrom('', '-I', '--out=', 'cd '), (raw, prefix) => {
        const canon = c();
        const asPath = canon.path(raw)!;
        const asArg = canon.program({ exe: '/bin/x', argv: ['x', prefix + raw] }).argv[1];
        const underTmp = ctx.tmp.includes(tmpRootOf(raw) ?? '');
        if (asPath.includes('{tmp}') || asArg.includes('{tmp}')) expect(underTmp).toBe(true);
        if (underTmp) expect(asPath.startsWith('{tmp}')).toBe(true);
      }),
      { numRuns: 2000, seed: 22 },
    );
  });
});

describe('a container’s own files (issue 27)', () => {
  test.each([
    ['/{container:debian:12}/usr/include/stdio.h', '{container:debian:12}/usr/include/stdio.h'],
    // The container's /tmp and /home are not this machine's: no {tmp}, no {home}.
    ['/{container:build}/home/runner/x', '{container:build}/home/runner/x'],
    ['/{container:build}/tmp/ccAbC123.s', '{container:build}/tmp/ccAbC123.s'],
    ['/home/runner/work/app/app/src/a.c', '{workspace}/src/a.c'],
  ])('%s → %s', (raw, canonical) => expect(c().path(raw)).toBe(canonical));
});
