/**
 * The canonicalization rules of issue 14, each stated with the expected answer: the
 * order (roots, then the user's rules, then the built-in ones), the pid rule confined
 * to names the build made, temporary names in any component, parallelism inside
 * scripts. The raw strings are real ones from the builds named beside them (see
 * test/fixtures/real/ORIGIN.md for the logs); the build-system rules have their own
 * file (knowledge.test.ts).
 */
import fc from 'fast-check';
import { Canonicalizer, foldPids, foldTempName, madeComponents, madeNames, type CanonContext } from '../../src/canon/index.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/index.js';

const WS = '/tmp/real/autotools/other-place/hello-2.10';
const base: CanonContext = { workspace: WS, home: '/root', tmp: ['/tmp'] };

describe('the order: roots, then the user, then the built-in rules', () => {
  const made = madeNames([`${WS}/gen-31337.c`, `${WS}/out`]);
  const ctx: CanonContext = { ...base, pids: new Set([31337]), made };

  test('without a user rule, a pid in a made name is folded', () => {
    expect(new Canonicalizer(ctx, DEFAULT_CONFIG).path(`${WS}/gen-31337.c`)).toBe('{workspace}/gen-{pid}.c');
  });

  test('a user rule sees the number before the pid rule can take it, and sees the roots as tokens', () => {
    const config: Config = { ...DEFAULT_CONFIG, normalize: [{ pattern: '\\{workspace\\}/gen-\\d+\\.c', replace: '{workspace}/gen-N.c' }] };
    const c = new Canonicalizer(ctx, config);
    expect(c.path(`${WS}/gen-31337.c`)).toBe('{workspace}/gen-N.c');
    expect(c.explain(`${WS}/gen-31337.c`).steps.map((s) => s.rule)).toEqual(['roots', 'normalize[0] \\{workspace\\}/gen-\\d+\\.c']);
  });

  test('the built-in rules still apply to what a user rule made', () => {
    const config: Config = { ...DEFAULT_CONFIG, normalize: [{ pattern: '^/srv/cache/', replace: '/cache/' }] };
    const c = new Canonicalizer(ctx, config);
    expect(c.path('/srv/cache/0123456789abcdef0123/x')).toBe('/cache/{hex}/x');
  });
});

describe('the pid rule: only in names the build made', () => {
  test('madeComponents: how many of the last components the build made', () => {
    const made = madeNames(['/w/build/conf12345.dir', '/w/build/conf12345.dir/x', '/w/a.o']);
    expect(madeComponents(made, '/w/build/conf12345.dir/x')).toBe(2);
    expect(madeComponents(made, '/w/build/conf12345.dir/sub/y')).toBe(3);
    expect(madeComponents(made, '/w/a.o')).toBe(1);
    expect(madeComponents(made, '/w/build/other')).toBe(0);
    expect(madeComponents(undefined, '/w/a.o')).toBe(0);
  });

  test("real collisions from the colleague's runs stay as they are (REPORT: hello, json-c)", () => {
    // hello's timing run r2: pid 2501 existed, and libattr's version is 1.1.2501.
    const lib = '/usr/lib/x86_64-linux-gnu/libattr.so.1.1.2501';
    const c = new Canonicalizer({ ...base, pids: new Set([2501, 468]), made: madeNames([`${WS}/conftest.one`]) }, DEFAULT_CONFIG);
    // Named by its soname (issue 22), and no number of it taken for a pid.
    expect(c.path(lib)).toBe('/usr/lib/x86_64-linux-gnu/libattr.so.1');
    expect(c.explain(lib).steps.map((s) => s.rule)).toEqual(['shared-library-version']);
    // configure's `expr $LINENO + 1`, with a pid equal to the line number.
    expect(c.program({ exe: '/usr/bin/expr', argv: ['expr', '468', '+', '1'] }).argv).toEqual(['expr', '468', '+', '1']);
  });

  test("configure's conf$$ names are folded, in paths and in arguments", () => {
    const made = madeNames([`${WS}/conf24926.file`, `${WS}/conf24926.dir`, `${WS}/conf24926subs.awk`]);
    const c = new Canonicalizer({ ...base, pids: new Set([24926]), made }, DEFAULT_CONFIG);
    expect(c.path(`${WS}/conf24926.file`)).toBe('{workspace}/conf{pid}.file');
    expect(c.path(`${WS}/conf24926.dir/conf24926.file`)).toBe('{workspace}/conf{pid}.dir/conf{pid}.file');
    expect(c.program({ exe: '/usr/bin/ln', argv: ['ln', '-s', 'conf24926.file', 'conf24926.dir'] }).argv).toEqual([
      'ln',
      '-s',
      'conf{pid}.file',
      'conf{pid}.dir',
    ]);
    expect(c.arg('./conf24926subs.awk')).toBe('./conf{pid}subs.awk');
  });

  test('foldPids: not a dotted version, not inside a hexadecimal token, no leading zero', () => {
    const pids = new Set([9564, 9846, 2501, 12345]);
    expect(foldPids('libattr.so.1.1.2501', pids)).toBe('libattr.so.1.1.2501');
    expect(foldPids('cmTC_d9846', pids)).toBe('cmTC_d9846');
    expect(foldPids('a3f9846b', pids)).toBe('a3f9846b');
    expect(foldPids('cmTC_09564', pids)).toBe('cmTC_09564');
    expect(foldPids('conftest12345.c', pids)).toBe('conftest{pid}.c');
    expect(foldPids('tmp-12345-x', pids)).toBe('tmp-{pid}-x');
  });

  test('property: for any number equal to a traced pid, no path of a file that existed before the build is rewritten', () => {
    const word = fc.stringMatching(/^[A-Za-z._-]{0,6}$/);
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 4_194_304 }),
        fc.array(fc.tuple(word, word), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('/usr/lib', WS, '/tmp', '/root/.cache', '/etc'),
        fc.array(fc.integer({ min: 100, max: 4_194_304 }), { maxLength: 20 }),
        (pid, parts, root, otherPids) => {
          // Every component holds the number; the build made other files, not this one.
          const path = `${root}/${parts.map(([a, b]) => `${a}${pid}${b}`).join('/')}`;
          const ctx: CanonContext = {
            ...base,
            pids: new Set([pid, ...otherPids]),
            made: madeNames([`${WS}/0made${pid}.o`, `/tmp/0cc${pid}.s`]),
          };
          const c = new Canonicalizer(ctx, DEFAULT_CONFIG);
          expect(c.path(path)).not.toContain('{pid}');
          expect(c.explain(path).steps.map((s) => s.rule)).not.toContain('pid');
        },
      ),
      { seed: 14, numRuns: 1000 },
    );
  });
});

describe('temporary names in any component under a temporary root', () => {
  test.each([
    // config.guess's `mktemp -d "$TMPDIR/cgXXXXXX"` (Debian hello 2.10-3).
    ['/tmp/cgSDfMaJ/dummy.c', '{tmp}/cg*/dummy.c'],
    // rustc's linker directory (cargo build, Debian cargo 0.66).
    ['/tmp/rustcdfBL9Y/symbols.o', '{tmp}/rustc*/symbols.o'],
    // gcc's, all lower case or not.
    ['/tmp/ccngqztr.s', '{tmp}/cc*.s'],
    ['/tmp/cc8Xy2Qa.res', '{tmp}/cc*.res'],
    // mktemp(1)'s default, Python's tempfile.
    ['/tmp/tmp.aB3dE5fG7h/x', '{tmp}/tmp.*/x'],
    ['/tmp/tmpab_3x9qz/setup.py', '{tmp}/tmp*/setup.py'],
    // Names, not random suffixes.
    ['/tmp/build123/x', '{tmp}/build123/x'],
    ['/tmp/archives/x', '{tmp}/archives/x'],
    ['/tmp/HelloWorld', '{tmp}/HelloWorld'],
  ])('%s → %s', (raw, canonical) => {
    // Made by the build, with the directory it is in.
    const made = madeNames([raw, raw.slice(0, raw.indexOf('/', 5) === -1 ? raw.length : raw.indexOf('/', 5))]);
    expect(new Canonicalizer({ ...base, made }, DEFAULT_CONFIG).path(raw)).toBe(canonical);
  });

  test('a name that was there before the build keeps its random-looking characters: it is the same file in every run', () => {
    // A developer's `/tmp/tmpk3j2x9ab` that the build only reads is a file, not a temporary of this run.
    const made = madeNames(['/tmp/cc8Xy2Qa.s']);
    const c = new Canonicalizer({ ...base, made }, DEFAULT_CONFIG);
    expect(c.path('/tmp/tmpk3j2x9ab/setup.py')).toBe('{tmp}/tmpk3j2x9ab/setup.py');
    expect(c.path('/tmp/cc8Xy2Qa.s')).toBe('{tmp}/cc*.s');
    // In arguments: only the names the build made.
    expect(
      c.program({ exe: '/usr/bin/as', argv: ['as', '-o', '/tmp/cc8Xy2Qa.o', '/tmp/cc8Xy2Qa.s', '/tmp/tmpk3j2x9ab/x.s'] }).argv,
    ).toEqual(['as', '-o', '{tmp}/cc8Xy2Qa.o', '{tmp}/cc*.s', '{tmp}/tmpk3j2x9ab/x.s']);
  });

  test('foldTempName leaves what does not look like mkstemp alone', () => {
    expect(foldTempName('readme.txt')).toBe('readme.txt');
    expect(foldTempName('ar')).toBe('ar');
  });

  test('config.guess’s `cg` directory folds whatever its six characters are (`cgczmjmh`, met once in the eBPF libogg test)', () => {
    expect(foldTempName('cgczmjmh')).toBe('cg*');
    expect(foldTempName('cgSDfMaJ')).toBe('cg*');
    // Another known prefix still needs random-looking characters.
    expect(foldTempName('conftestabcdef')).toBe('conftestabcdef');
  });
});

describe('parallelism inside scripts', () => {
  const c = new Canonicalizer(base, DEFAULT_CONFIG);
  test("`-jN` and `--jobs=N` in a `bash -c` script are `-j{n}` (REPORT: json-c, hello, cargo: the action's own script)", () => {
    const run = (script: string) =>
      c.program({ exe: '/usr/bin/bash', argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script] }).argv.at(-1);
    expect(run('cmake -S . -B build && cmake --build build -j1')).toBe(run('cmake -S . -B build && cmake --build build -j2'));
    expect(run('./configure && make -j2')).toBe('./configure && make -j{n}');
    expect(run('cargo build --offline --jobs=4; make --jobs 8 all')).toBe('cargo build --offline -j{n}; make -j{n} all');
    // Not a word of its own: left alone.
    expect(run('echo -j2x')).toBe('echo -j2x');
  });
});
