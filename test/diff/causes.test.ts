/**
 * One cause, one finding (issue 15): each folding rule of src/diff/causes.ts on literal
 * baselines and graphs, with the expected tree written out, and the guards: an effect
 * is never worse than its cause, and a finding that is only partly explained stands alone.
 */
import { baselineOf } from '../../src/baseline/index.js';
import type { CanonicalGraph } from '../../src/canon/index.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/index.js';
import { diff, type Finding } from '../../src/diff/index.js';

const cc = (...argv: string[]) => ({ exe: '/usr/bin/cc', argv: ['cc', ...argv], count: 1 });
const graph = (g: Partial<CanonicalGraph>): CanonicalGraph => ({
  inputs: [],
  outputs: [],
  programs: [],
  endpoints: [],
  modified: [],
  ...g,
});
/** The findings as a tree of `kind subject`. */
const tree = (fs: readonly Finding[]): unknown[] =>
  fs.map((f) => (f.effects ? [`${f.kind} ${f.subject}`, tree(f.effects)] : `${f.kind} ${f.subject}`));
const check = (base: CanonicalGraph, now: CanonicalGraph, config: Config = DEFAULT_CONFIG) => diff(baselineOf([base]), now, config);

describe('a new header included from a generated config header', () => {
  // config.h is generated from config.h.in, and every object includes it: the provenance of every object goes through it.
  const objects = ['a', 'b', 'c', 'd', 'e', 'f'];
  const base = graph({
    inputs: ['{workspace}/config.h.in', ...objects.map((o) => `{workspace}/src/${o}.c`)],
    outputs: [
      { path: '{workspace}/build/config.h', from: ['{workspace}/config.h.in'] },
      ...objects.map((o) => ({ path: `{workspace}/build/${o}.o`, from: ['{workspace}/config.h.in', `{workspace}/src/${o}.c`] })),
    ],
    programs: objects.map((o) => cc('-c', `src/${o}.c`, '-o', `build/${o}.o`)),
  });
  const now = graph({
    ...base,
    inputs: [...base.inputs, '{workspace}/src/extra.h'],
    outputs: base.outputs.map((o) => (o.path.endsWith('.o') ? { ...o, from: [...o.from, '{workspace}/src/extra.h'].sort() } : o)),
    actors: { '{workspace}/src/extra.h': { by: '/usr/bin/cc -c src/a.c -o build/a.o', exes: ['/usr/bin/cc'] } },
  });

  test('is one finding: the new input, with the six objects whose inputs changed as its effects', () => {
    const findings = check(base, now);
    expect(tree(findings)).toEqual([
      ['new-input {workspace}/src/extra.h', objects.map((o) => `changed-provenance {workspace}/build/${o}.o`)],
    ]);
  });

  test('the new input names the program that read it first', () => {
    const [f] = check(base, now);
    expect(f.by).toBe('/usr/bin/cc -c src/a.c -o build/a.o');
    expect(f.message).toBe(
      'The build now reads {workspace}/src/extra.h, which reaches 6 outputs (read first by `/usr/bin/cc -c src/a.c -o build/a.o`).',
    );
  });

  test('an output that is now also made from an input the baseline knew stands alone: no other finding explains it', () => {
    const also = graph({
      ...now,
      outputs: now.outputs.map((o) => (o.path.endsWith('/a.o') ? { ...o, from: [...o.from, '{workspace}/src/b.c'].sort() } : o)),
    });
    expect(tree(check(base, also))).toEqual([
      ['new-input {workspace}/src/extra.h', ['b', 'c', 'd', 'e', 'f'].map((o) => `changed-provenance {workspace}/build/${o}.o`)],
      'changed-provenance {workspace}/build/a.o',
    ]);
  });

  test('an effect is never worse than its cause: a failing changed-provenance is not folded under a warning', () => {
    const strict: Config = {
      ...DEFAULT_CONFIG,
      failOn: [...DEFAULT_CONFIG.failOn, 'changed-provenance'],
      severity: [{ match: 'changed-provenance', severity: 'error' }],
    };
    const findings = check(base, now, strict);
    expect(findings.map((f) => f.kind)).toEqual([...objects.map(() => 'changed-provenance'), 'new-input']);
    expect(findings.every((f) => f.effects === undefined)).toBe(true);
  });
});

describe('a new program that loads its own libraries', () => {
  const base = graph({
    inputs: ['/usr/lib/x86_64-linux-gnu/libc.so.6', '{workspace}/src/a.c'],
    outputs: [{ path: '{workspace}/a.o', from: ['{workspace}/src/a.c'] }],
    programs: [cc('-c', 'src/a.c')],
  });
  const perlFiles = [
    '/usr/lib/x86_64-linux-gnu/perl/5.36/Config.pm',
    '/usr/lib/x86_64-linux-gnu/libperl.so.5.36',
    '/usr/share/perl/5.36/strict.pm',
  ];
  const now = graph({
    ...base,
    inputs: [...base.inputs, '/usr/bin/perl', ...perlFiles, '/usr/lib/locale/C.utf8/LC_CTYPE', '{workspace}/tools/gen.pl'].sort(),
    programs: [...base.programs, { exe: '/usr/bin/perl', argv: ['perl', 'tools/gen.pl'], count: 1 }],
    actors: {
      ...Object.fromEntries(perlFiles.map((f) => [f, { by: '/usr/bin/perl tools/gen.pl', exes: ['/usr/bin/perl'] }])),
      // Read by perl and by the compiler: not perl's alone.
      '/usr/lib/locale/C.utf8/LC_CTYPE': { by: '/usr/bin/perl tools/gen.pl', exes: ['/usr/bin/perl', '/usr/bin/cc'] },
      // A file of the working tree is never folded: a reviewer must see which repository files the build reads.
      '{workspace}/tools/gen.pl': { by: '/usr/bin/perl tools/gen.pl', exes: ['/usr/bin/perl'] },
    },
  });

  test('is one finding with its own files as effects; what others read too, and repository files, stand alone', () => {
    expect(tree(check(base, now))).toEqual([
      'new-input {workspace}/tools/gen.pl',
      ['new-program /usr/bin/perl tools/gen.pl', perlFiles.map((f) => `new-input ${f}`).sort()],
      'new-input /usr/lib/locale/C.utf8/LC_CTYPE',
    ]);
  });

  test('when the reader list was cut (`…`), the input is not the new program’s alone', () => {
    const many = graph({
      ...now,
      actors: { ...now.actors, [perlFiles[0]]: { by: '/usr/bin/perl tools/gen.pl', exes: ['/usr/bin/perl', '…'] } },
    });
    expect(check(base, many).map((f) => `${f.kind} ${f.subject}`)).toContain(`new-input ${perlFiles[0]}`);
  });
});

describe('a removed target (CMake: a static library and its objects)', () => {
  const srcs = ['{workspace}/adler32.c', '{workspace}/crc32.c', '{workspace}/zlib.h'];
  const objects = (dir: string) => [
    { path: `{workspace}/build/CMakeFiles/${dir}.dir/adler32.c.o`, from: ['{workspace}/adler32.c', '{workspace}/zlib.h'] },
    { path: `{workspace}/build/CMakeFiles/${dir}.dir/crc32.c.o`, from: ['{workspace}/crc32.c', '{workspace}/zlib.h'] },
  ];
  const compile = (dir: string, c: string) => cc('-c', `{workspace}/${c}`, '-o', `CMakeFiles/${dir}.dir/${c}.o`);
  const base = graph({
    inputs: srcs,
    outputs: [
      { path: '{workspace}/build/libz.a', from: srcs },
      { path: '{workspace}/build/libz.so.1.3', from: srcs },
      ...objects('zlib'),
      ...objects('zlibstatic'),
    ],
    programs: [
      {
        exe: '/usr/bin/ar',
        argv: ['ar', 'qc', 'libz.a', 'CMakeFiles/zlibstatic.dir/adler32.c.o', 'CMakeFiles/zlibstatic.dir/crc32.c.o'],
        count: 1,
      },
      compile('zlib', 'adler32.c'),
      compile('zlib', 'crc32.c'),
      compile('zlibstatic', 'adler32.c'),
      compile('zlibstatic', 'crc32.c'),
      cc('-shared', '-o', 'libz.so.1.3', 'CMakeFiles/zlib.dir/adler32.c.o', 'CMakeFiles/zlib.dir/crc32.c.o'),
    ],
  });
  const now = graph({
    inputs: srcs,
    outputs: [{ path: '{workspace}/build/libz.so.1.3', from: srcs }, ...objects('zlib')],
    programs: base.programs.filter((p) => !p.argv.some((a) => a.includes('zlibstatic'))),
  });

  // The compile commands of the two targets have one shape (programs are compared by shape: src/diff/programs.ts), so only `ar` is gone.
  test('is one vanished-output for the library, with its objects and its commands as effects', () => {
    const findings = check(base, now);
    expect(tree(findings)).toEqual([
      [
        'vanished-output {workspace}/build/libz.a',
        [
          'vanished-output {workspace}/build/CMakeFiles/zlibstatic.dir/adler32.c.o',
          'vanished-output {workspace}/build/CMakeFiles/zlibstatic.dir/crc32.c.o',
          'vanished-program /usr/bin/ar qc libz.a CMakeFiles/zlibstatic.dir/adler32.c.o CMakeFiles/zlibstatic.dir/crc32.c.o',
        ],
      ],
    ]);
    expect(findings[0].failing).toBe(true);
  });

  test('commands with other arguments that name only its products are its effects too', () => {
    // A target whose compile commands differ in shape from the others' (its own flags).
    const flagged = (p: CanonicalGraph['programs'][number]) =>
      p.argv.some((a) => a.includes('zlibstatic')) ? { ...p, argv: [...p.argv, '-DSTATIC'] } : p;
    const findings = check(graph({ ...base, programs: base.programs.map(flagged) }), now);
    expect(tree(findings)[0]).toEqual([
      'vanished-output {workspace}/build/libz.a',
      expect.arrayContaining(['changed-arguments /usr/bin/cc']),
    ]);
    expect(findings).toHaveLength(1);
  });

  test('two targets built from the same sources are not each other’s effects', () => {
    const neither = graph({ ...now, outputs: objects('zlib'), programs: now.programs.filter((p) => !p.argv.includes('-shared')) });
    expect(check(base, neither).map((f) => `${f.kind} ${f.subject}`)).toEqual([
      'vanished-output {workspace}/build/libz.a',
      'vanished-output {workspace}/build/libz.so.1.3',
    ]);
  });
});

test('a new source file: its object and the program’s changed provenance follow from it', () => {
  const base = graph({
    inputs: ['{workspace}/src/a.c'],
    outputs: [{ path: '{workspace}/app', from: ['{workspace}/src/a.c'] }],
    programs: [cc('-o', 'app', 'src/a.c')],
  });
  const now = graph({
    inputs: ['{workspace}/src/a.c', '{workspace}/src/extra.c'],
    outputs: [
      { path: '{workspace}/app', from: ['{workspace}/src/a.c', '{workspace}/src/extra.c'] },
      { path: '{workspace}/extra.txt', from: ['{workspace}/src/extra.c'] },
    ],
    programs: base.programs,
  });
  expect(tree(check(base, now))).toEqual([
    ['new-input {workspace}/src/extra.c', ['new-output {workspace}/extra.txt', 'changed-provenance {workspace}/app']],
  ]);
});

test('a new endpoint names the program that connected', () => {
  const base = graph({ inputs: ['{workspace}/a.c'] });
  const now = graph({
    ...base,
    endpoints: ['tcp://192.0.2.7:443'],
    actors: { 'tcp://192.0.2.7:443': { by: '/usr/bin/curl -s https://example.com/x', exes: ['/usr/bin/curl'] } },
  });
  const [f] = check(base, now);
  expect(f.by).toBe('/usr/bin/curl -s https://example.com/x');
  expect(f.message).toBe('The build now connects to tcp://192.0.2.7:443 (by `/usr/bin/curl -s https://example.com/x`).');
});

test('a compiler launcher shown as the compiler it runs: its own files follow from its executable, a new input', () => {
  // CMAKE_C_COMPILER_LAUNCHER=tools/cc-launch.pl: the script execs cc, so it is shown as cc; what perl read is its.
  const base = graph({ inputs: ['{workspace}/a.c'], programs: [cc('-c', 'a.c')] });
  const launcher = '{workspace}/tools/cc-launch.pl';
  const perl = ['/usr/lib/x86_64-linux-gnu/libperl.so.5.36', '/usr/share/perl/5.36/strict.pm'];
  const now = graph({
    ...base,
    inputs: [...base.inputs, ...perl, launcher],
    actors: Object.fromEntries([...perl, launcher].map((f) => [f, { by: `${launcher} /usr/bin/cc -c a.c`, exes: [launcher] }])),
  });
  expect(tree(check(base, now))).toEqual([[`new-input ${launcher}`, perl.map((f) => `new-input ${f}`)]]);
});

test('a new output is not folded under a system file a new program read on its way', () => {
  const base = graph({ inputs: ['{workspace}/a.c'] });
  const now = graph({
    ...base,
    inputs: [...base.inputs, '/etc/locale.alias', '/usr/bin/mkdir'],
    outputs: [{ path: '{workspace}/out/stamp', from: ['/etc/locale.alias'] }],
    programs: [{ exe: '/usr/bin/mkdir', argv: ['mkdir', '-p', 'out'], count: 1 }],
    actors: { '/etc/locale.alias': { by: '/usr/bin/mkdir -p out', exes: ['/usr/bin/mkdir'] } },
  });
  expect(tree(check(base, now))).toEqual([
    'new-output {workspace}/out/stamp',
    ['new-program /usr/bin/mkdir -p out', ['new-input /etc/locale.alias']],
  ]);
});

test('a removed static library: the archiver it alone needed and the commands that name the target follow from it', () => {
  // json-c 0.16 without its static library (REPORT: the colleague's CMake logs): `ar` and `ranlib` no longer read,
  // `cmake_echo_color "Linking C static library libjson-c.a"` and `"Built target json-c-static"` no longer run.
  const srcs = ['{workspace}/json_object.c', '{workspace}/json_object.h'];
  const echo = (text: string) => ({
    exe: '/usr/bin/cmake',
    argv: ['cmake', '-E', 'cmake_echo_color', '--progress-num={n}', text],
    count: 1,
  });
  const base = graph({
    inputs: [...srcs, '/usr/bin/ar', '/usr/bin/ranlib'],
    outputs: [
      { path: '{workspace}/build/libjson-c.a', from: [...srcs, '/usr/bin/ar', '/usr/bin/ranlib'] },
      { path: '{workspace}/build/libjson-c.so', from: srcs },
      { path: '{workspace}/build/CMakeFiles/json-c-static.dir/json_object.c.o', from: srcs },
    ],
    programs: [echo('Linking C static library libjson-c.a'), echo('Built target json-c-static'), echo('Built target json-c')],
  });
  const now = graph({
    inputs: srcs,
    outputs: [{ path: '{workspace}/build/libjson-c.so', from: srcs }],
    programs: [echo('Built target json-c')],
  });
  expect(tree(check(base, now))).toEqual([
    [
      'vanished-output {workspace}/build/libjson-c.a',
      [
        'vanished-output {workspace}/build/CMakeFiles/json-c-static.dir/json_object.c.o',
        'vanished-input /usr/bin/ar',
        'vanished-input /usr/bin/ranlib',
        'changed-arguments /usr/bin/cmake',
      ],
    ],
  ]);
});

describe('a new RUN step of a Dockerfile, traced in its container (issue 27)', () => {
  const sh = (cmd: string) => ({ exe: '{container:build}/bin/sh', argv: ['/bin/sh', '-c', cmd], count: 1 });
  const base = graph({
    inputs: ['{container:build}/bin/sh', '{container:build}/usr/bin/cc', '{workspace}/hello.c'],
    outputs: [{ path: '{container:build}/src/hello.o', from: ['{container:build}/usr/bin/cc', '{workspace}/hello.c'] }],
    programs: [sh('cc -c -o /src/hello.o /src/hello.c')],
  });
  const now = graph({
    ...base,
    inputs: [...base.inputs, '{container:build}/etc/hostname', '{container:build}/usr/bin/cat'].sort(),
    outputs: [
      ...base.outputs,
      {
        path: '{container:build}/src/x',
        from: ['{container:build}/bin/sh', '{container:build}/etc/hostname', '{container:build}/usr/bin/cat'],
      },
    ],
    programs: [
      ...base.programs,
      sh('cat /etc/hostname > /src/x'),
      { exe: '{container:build}/usr/bin/cat', argv: ['cat', '/etc/hostname'], count: 1 },
    ],
    actors: {
      '{container:build}/etc/hostname': { by: '{container:build}/usr/bin/cat /etc/hostname', exes: ['{container:build}/usr/bin/cat'] },
      '{container:build}/usr/bin/cat': { by: '{container:build}/bin/sh -c cat /etc/hostname > /src/x', exes: ['{container:build}/bin/sh'] },
    },
  });

  test('is one finding: the program it runs, with its output, what it read and the step’s command as effects', () => {
    const findings = check(base, now);
    expect(findings.map((f) => `${f.kind} ${f.subject}`)).toEqual(['new-program {container:build}/usr/bin/cat /etc/hostname']);
    expect(findings[0].effects!.map((e) => `${e.kind} ${e.subject}`).sort()).toEqual([
      'changed-arguments {container:build}/bin/sh',
      'new-input {container:build}/etc/hostname',
      'new-output {container:build}/src/x',
    ]);
  });

  test('a container’s own new output is a warning (it is in the image, not on this machine); one of this machine outside the workspace an error', () => {
    const [f] = check(base, now);
    expect([f.severity, f.failing]).toEqual(['warning', true]);
    expect(f.effects!.find((e) => e.kind === 'new-output')!.severity).toBe('warning');
    expect(f.effects!.find((e) => e.kind === 'new-input')!.severity).toBe('notice');
  });
});

describe('a new RUN step that reads a new file or connects out (issue 27)', () => {
  const sh = (cmd: string) => ({ exe: '{container:build}/bin/sh', argv: ['/bin/sh', '-c', cmd], count: 1 });
  const base = graph({
    inputs: ['{container:build}/bin/sh', '{container:build}/src/net'],
    programs: [sh('cc -o /src/net /src/net.c')],
  });

  test('reads a new file: the program, with the file and the step’s command under it', () => {
    const now = graph({
      ...base,
      inputs: [...base.inputs, '{container:build}/etc/os-release', '{container:build}/usr/bin/cat'].sort(),
      programs: [
        ...base.programs,
        sh('cat /etc/os-release'),
        { exe: '{container:build}/usr/bin/cat', argv: ['cat', '/etc/os-release'], count: 1 },
      ],
      actors: {
        '{container:build}/etc/os-release': {
          by: '{container:build}/usr/bin/cat /etc/os-release',
          exes: ['{container:build}/usr/bin/cat'],
        },
        '{container:build}/usr/bin/cat': { by: '{container:build}/bin/sh -c cat /etc/os-release', exes: ['{container:build}/bin/sh'] },
      },
    });
    const findings = check(base, now);
    expect(findings.map((f) => `${f.kind} ${f.subject}`)).toEqual(['new-program {container:build}/usr/bin/cat /etc/os-release']);
    expect(findings[0].effects!.map((e) => `${e.kind} ${e.subject}`).sort()).toEqual([
      'changed-arguments {container:build}/bin/sh',
      'new-input {container:build}/etc/os-release',
    ]);
  });

  test('connects out: the endpoint, with the program and the step’s command under it', () => {
    const now = graph({
      ...base,
      programs: [...base.programs, sh('/src/net'), { exe: '{container:build}/src/net', argv: ['/src/net'], count: 1 }],
      endpoints: ['tcp://203.0.113.5:443'],
      actors: { 'tcp://203.0.113.5:443': { by: '{container:build}/src/net', exes: ['{container:build}/src/net'] } },
    });
    const findings = check(base, now);
    expect(findings.map((f) => `${f.kind} ${f.subject}`)).toEqual(['new-endpoint tcp://203.0.113.5:443']);
    expect(findings[0].effects!.map((e) => `${e.kind} ${e.subject}`).sort()).toEqual([
      'changed-arguments {container:build}/bin/sh',
      'new-program {container:build}/src/net',
    ]);
  });

  test('outside a container, a command naming a new program by name stays a finding of its own', () => {
    const hostBase = graph({ inputs: ['/usr/bin/sh'], programs: [{ exe: '/usr/bin/sh', argv: ['sh', '-c', 'true'], count: 1 }] });
    const now = graph({
      ...hostBase,
      inputs: [...hostBase.inputs, '/usr/bin/cat'],
      programs: [
        ...hostBase.programs,
        { exe: '/usr/bin/sh', argv: ['sh', '-c', 'cat x'], count: 1 },
        { exe: '/usr/bin/cat', argv: ['cat', 'x'], count: 1 },
      ],
    });
    expect(check(hostBase, now).map((f) => f.kind)).toContain('changed-arguments');
  });
});
