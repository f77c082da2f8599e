/**
 * The second run (issue 22), in the diff: a warm cache after a cold one, a cold one after
 * a warm one, a toolchain upgrade, and a new program's start-up, on literal canonical
 * graphs whose entries are the real ones of the second-run scenarios (bench/second-run.js:
 * ccache on libogg, Go on xxhash, curl in a make recipe). The expected findings are
 * written out.
 */
import { baselineOf } from '../../src/baseline/index.js';
import type { CanonicalGraph } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { diff, type Finding } from '../../src/diff/index.js';

const graph = (g: Partial<CanonicalGraph>): CanonicalGraph => ({
  inputs: [],
  outputs: [],
  programs: [],
  endpoints: [],
  modified: [],
  ...g,
});
const tree = (fs: readonly Finding[]): unknown[] =>
  fs.map((f) => (f.effects ? [`${f.kind} ${f.subject}`, tree(f.effects)] : `${f.kind} ${f.subject}`));
const check = (base: CanonicalGraph, now: CanonicalGraph) => diff(baselineOf([base]), now, DEFAULT_CONFIG);

const CC1 = '/usr/lib/gcc/x86_64-linux-gnu/{version}/cc1';
const ccache = { exe: '/usr/bin/ccache', argv: ['ccache', 'gcc', '-c', 'bitwise.c'], count: 1 };
const gcc = { exe: '/usr/bin/gcc', argv: ['gcc', '-c', 'bitwise.c'], count: 1, miss: 'ccache' };
const cc1 = { exe: CC1, argv: [CC1, '-quiet', 'bitwise.c'], count: 1, miss: 'ccache' };
const as = { exe: '/usr/bin/as', argv: ['as', '--64', '-o', 'bitwise.o', '{tmp}/cc*.s'], count: 1, miss: 'ccache' };
const object = {
  path: '{workspace}/src/bitwise.o',
  from: ['/usr/bin/ccache', '{workspace}/include/ogg/ogg.h', '{workspace}/src/bitwise.c'],
};

/** ccache, cold: the compiler ran; warm: it did not. */
const cold = graph({
  inputs: ['/usr/bin/as', '/usr/bin/ccache', '/usr/bin/gcc', CC1, '{workspace}/include/ogg/ogg.h', '{workspace}/src/bitwise.c'],
  miss: { '/usr/bin/as': 'ccache', '/usr/bin/gcc': 'ccache', [CC1]: 'ccache' },
  outputs: [object],
  programs: [as, ccache, gcc, cc1],
  caches: ['ccache'],
  toolchains: { gcc: '12' },
});
const warm = graph({
  inputs: ['/usr/bin/ccache', '{workspace}/include/ogg/ogg.h', '{workspace}/src/bitwise.c'],
  outputs: [object],
  programs: [ccache],
  caches: ['ccache'],
  toolchains: { gcc: '12' },
});

describe('a build cache, cold and warm', () => {
  test('cold baseline, warm check: no finding (what the hit skipped is known to be needed only on a miss)', () => {
    expect(check(cold, warm)).toEqual([]);
  });

  test('warm baseline, cold check: the toolchain the miss ran is a notice each, nothing fails', () => {
    const findings = check(warm, cold);
    expect(findings.filter((f) => f.failing)).toEqual([]);
    const programs = findings.filter((f) => f.kind === 'new-program');
    expect(programs.map((f) => [f.subject.split(' ')[0], f.severity])).toEqual([
      ['/usr/bin/as', 'notice'],
      ['/usr/bin/gcc', 'notice'],
      [CC1, 'notice'],
    ]);
    expect(programs[0].message).toMatch(/run on a miss of the build cache \{cache:ccache\}/);
  });

  test("what only the miss read of the system's is no change; a credential it read still is", () => {
    const shadow = { ...cold, inputs: [...cold.inputs, '/etc/shadow'], miss: { ...cold.miss, '/etc/shadow': 'ccache' } };
    const findings = check(warm, shadow);
    expect(findings.filter((f) => f.kind === 'new-input')).toEqual([]);
    expect(findings.find((f) => f.kind === 'credential-read')).toMatchObject({ subject: '/etc/shadow', failing: true });
  });

  test('a program a miss runs from the workspace is no toolchain: it stays a failing new program', () => {
    const evil = { exe: '{workspace}/evil', argv: ['evil', '-c', 'bitwise.c'], count: 1, miss: 'ccache' };
    const findings = check(warm, { ...cold, programs: [...cold.programs, evil] });
    expect(findings.find((f) => f.subject.startsWith('{workspace}/evil'))).toMatchObject({ kind: 'new-program', failing: true });
  });

  test('a cache the baseline never used is one finding that names it, failing', () => {
    const noCache = { ...cold, caches: undefined };
    expect(tree(check(noCache, cold))).toEqual(['new-input {cache:ccache}']);
    expect(check(noCache, cold)[0].failing).toBe(true);
  });

  test('a cache no longer used is a notice', () => {
    expect(check(cold, { ...warm, caches: undefined }).map((f) => [f.kind, f.subject, f.severity])).toEqual([
      ['vanished-input', '{cache:ccache}', 'notice'],
    ]);
  });
});

describe('downloads a warm cache replaces', () => {
  test('an output no longer made from an endpoint the build no longer reaches is no change', () => {
    const base = graph({
      inputs: ['{workspace}/package-lock.json'],
      endpoints: ['tcp://203.0.113.80:443'],
      outputs: [{ path: '{workspace}/dist/index.js', from: ['tcp://203.0.113.80:443', '{workspace}/package-lock.json'] }],
      caches: ['npm'],
    });
    const now = graph({
      ...base,
      endpoints: [],
      outputs: [{ path: '{workspace}/dist/index.js', from: ['{workspace}/package-lock.json'] }],
    });
    expect(check(base, now)).toEqual([]);
  });
});

describe('a toolchain upgrade', () => {
  test('is one notice per tool naming old → new, not failing', () => {
    const before = graph({ inputs: ['{toolcache}/node/{version}/x64/bin/node'], toolchains: { node: '20.11.1', gcc: '12' } });
    const after = graph({ ...before, toolchains: { node: '20.12.0', gcc: '12' } });
    const findings = check(before, after);
    expect(findings.map((f) => [f.kind, f.subject, f.severity, f.failing])).toEqual([['toolchain-changed', 'node', 'notice', false]]);
    expect(findings[0].message).toBe('A toolchain changed version: node 20.11.1 → 20.12.0.');
  });

  test('a tool the baseline does not know is no toolchain change (its files are the findings)', () => {
    expect(check(graph({ toolchains: { gcc: '12' } }), graph({ toolchains: { gcc: '12', llvm: '14' } }))).toEqual([]);
  });
});

describe("a new program's start-up (curl added to a make recipe)", () => {
  const base = graph({ inputs: ['/usr/bin/make'], programs: [{ exe: '/usr/bin/make', argv: ['make'], count: 1 }] });
  const curl = '/usr/bin/curl -s -o /dev/null http://127.0.0.1:38209/';
  const now = graph({
    inputs: ['/etc/passwd', '/usr/bin/curl', '/usr/bin/make', '/usr/lib/x86_64-linux-gnu/libcurl.so.4'],
    programs: [...base.programs, { exe: '/usr/bin/curl', argv: ['curl', '-s', '-o', '/dev/null', 'http://127.0.0.1:38209/'], count: 1 }],
    endpoints: ['tcp://127.0.0.1:38209', 'unix:/var/run/nscd/socket'],
    // curl looked its user up (nscd, then /etc/passwd) before it connected.
    endpointFrom: { 'tcp://127.0.0.1:38209': ['/etc/passwd', '/usr/bin/curl', '/usr/lib/x86_64-linux-gnu/libcurl.so.4'] },
    actors: {
      '/etc/passwd': { by: curl, exes: ['/usr/bin/curl'] },
      '/usr/lib/x86_64-linux-gnu/libcurl.so.4': { by: curl, exes: ['/usr/bin/curl'] },
      'tcp://127.0.0.1:38209': { by: curl, exes: ['/usr/bin/curl'] },
      'unix:/var/run/nscd/socket': { by: curl, exes: ['/usr/bin/curl'] },
    },
  });

  test('is one failing finding: the endpoint, with the program and what it read and reached at start-up under it', () => {
    const findings = check(base, now);
    // Effects hang from the cause at the top, in report order.
    expect(tree(findings)).toEqual([
      [
        'new-endpoint tcp://127.0.0.1:38209',
        [
          'credential-read /etc/passwd',
          `new-program ${curl}`,
          'new-input /usr/lib/x86_64-linux-gnu/libcurl.so.4',
          'new-endpoint unix:/var/run/nscd/socket',
        ],
      ],
    ]);
    expect(findings.filter((f) => f.failing)).toHaveLength(1);
  });

  test('/etc/passwd read but kept to itself (no output, no endpoint after it): a notice', () => {
    const quiet = graph({ ...now, endpoints: [], endpointFrom: {} });
    expect(
      check(base, quiet)
        .flatMap((f) => [f, ...(f.effects ?? [])])
        .find((f) => f.subject === '/etc/passwd'),
    ).toMatchObject({
      kind: 'new-input',
      severity: 'notice',
      failing: false,
    });
  });

  test('/etc/passwd whose content reaches an output: a failing credential read, at the top', () => {
    const leak = graph({ inputs: ['/etc/passwd'], outputs: [{ path: '{workspace}/out', from: ['/etc/passwd'] }] });
    const findings = check(graph({ outputs: [{ path: '{workspace}/out', from: [] }] }), leak);
    expect(findings[0]).toMatchObject({ kind: 'credential-read', subject: '/etc/passwd', failing: true });
  });

  test('a real secret read by the new program stays a failing finding at the top', () => {
    const secret = graph({
      ...now,
      inputs: [...now.inputs, '{home}/.ssh/id_rsa'],
      actors: { ...now.actors, '{home}/.ssh/id_rsa': { by: curl, exes: ['/usr/bin/curl'] } },
    });
    expect(check(base, secret).map((f) => `${f.kind} ${f.subject}`)).toContain('credential-read {home}/.ssh/id_rsa');
  });
});
