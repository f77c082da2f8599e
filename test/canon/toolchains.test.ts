/**
 * Toolchain versions are not identities (issue 22). The paths are real: GCC 12 and
 * LLVM 14 as Debian 12 installs them (this machine), the runner's tool cache as
 * setup-node lays it out (`/opt/hostedtoolcache/node/20.11.1/x64`, with its `.complete`
 * marker beside it), nvm's and pyenv's directories. The expected forms are written out.
 */
import { Canonicalizer, toolchainVersions, type CanonContext } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';

const runner: CanonContext = {
  workspace: '/home/runner/work/app/app',
  home: '/home/runner',
  tmp: ['/tmp'],
  toolcache: '/opt/hostedtoolcache',
};
/** The same machine without `$RUNNER_TOOL_CACHE` (a container job, a script that clears the environment). */
const unset: CanonContext = { ...runner, toolcache: undefined };

describe('the version goes out of the name', () => {
  test.each([
    // setup-node's patch releases, with and without $RUNNER_TOOL_CACHE.
    ['/opt/hostedtoolcache/node/20.11.1/x64/bin/node', '{toolcache}/node/{version}/x64/bin/node'],
    ['/opt/hostedtoolcache/node/20.12.0/x64/lib/node_modules/npm/bin/npm-cli.js', '{toolcache}/node/{version}/x64/lib/node_modules/npm'],
    ['/opt/hostedtoolcache/Python/3.12.1/x64/bin/python3', '{toolcache}/Python/{version}/x64/bin/python3'],
    ['/opt/hostedtoolcache/go/1.21.5/x64/pkg/tool/linux_amd64/compile', '{toolcache}/go/{version}/x64/pkg/tool/linux_amd64/compile'],
    // GCC: private directories, C++ headers, versioned commands.
    ['/usr/lib/gcc/x86_64-linux-gnu/12/cc1', '/usr/lib/gcc/x86_64-linux-gnu/{version}/cc1'],
    ['/usr/libexec/gcc/x86_64-linux-gnu/13/cc1plus', '/usr/libexec/gcc/x86_64-linux-gnu/{version}/cc1plus'],
    ['/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h', '/usr/lib/gcc/x86_64-linux-gnu/{version}/include/stddef.h'],
    ['/usr/include/c++/12/vector', '/usr/include/c++/{version}/vector'],
    ['/usr/include/x86_64-linux-gnu/c++/12/bits/c++config.h', '/usr/include/x86_64-linux-gnu/c++/{version}/bits/c++config.h'],
    ['/usr/bin/gcc-12', '/usr/bin/gcc-{version}'],
    ['/usr/bin/x86_64-linux-gnu-g++-12', '/usr/bin/x86_64-linux-gnu-g++-{version}'],
    // LLVM, Go, Python, Perl, Java as Debian installs them.
    ['/usr/lib/llvm-14/lib/LLVMgold.so', '/usr/lib/llvm-{version}/lib/LLVMgold.so'],
    ['/usr/lib/llvm-14/lib/clang/14.0.6/include/stddef.h', '/usr/lib/llvm-{version}/lib/clang/{version}/include/stddef.h'],
    ['/usr/bin/clang-14', '/usr/bin/clang-{version}'],
    ['/usr/lib/go-1.19/pkg/tool/linux_amd64/compile', '/usr/lib/go-{version}/pkg/tool/linux_amd64/compile'],
    ['/usr/lib/python3.11/os.py', '/usr/lib/python{version}/os.py'],
    ['/usr/bin/python3.11', '/usr/bin/python{version}'],
    ['/usr/share/perl/5.36/strict.pm', '/usr/share/perl/{version}/strict.pm'],
    ['/usr/lib/x86_64-linux-gnu/perl/5.36/Config.pm', '/usr/lib/x86_64-linux-gnu/perl/{version}/Config.pm'],
    ['/usr/lib/jvm/java-17-openjdk-amd64/bin/javac', '/usr/lib/jvm/java-{version}-openjdk-amd64/bin/javac'],
    // Version managers in the home directory.
    ['/home/runner/.nvm/versions/node/v20.11.1/bin/node', '{home}/.nvm/versions/node/{version}/bin/node'],
    ['/home/runner/.pyenv/versions/3.11.7/bin/python3.11', '{home}/.pyenv/versions/{version}/bin/python{version}'],
    [
      '/home/runner/.rustup/toolchains/1.75.0-x86_64-unknown-linux-gnu/bin/rustc',
      '{home}/.rustup/toolchains/{version}-x86_64-unknown-linux-gnu/bin/rustc',
    ],
    // Shared libraries by their soname.
    ['/usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4.8.0', '/usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4'],
    ['/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6'],
    ['/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0', '/usr/lib/x86_64-linux-gnu/libpython{version}.so.1'],
  ])('%s → %s', (raw, canonical) => {
    expect(new Canonicalizer(runner, DEFAULT_CONFIG).path(raw)).toBe(canonical);
  });

  test('the tool cache is found by its layout when $RUNNER_TOOL_CACHE is unset (hosted and self-hosted runners)', () => {
    const c = new Canonicalizer(unset, DEFAULT_CONFIG);
    expect(c.path('/opt/hostedtoolcache/node/20.12.0/x64/bin/node')).toBe('{toolcache}/node/{version}/x64/bin/node');
    expect(c.path('/home/runner/actions-runner/_work/_tool/node/20.12.0/x64/bin/node')).toBe('{toolcache}/node/{version}/x64/bin/node');
    // Not the layout: a directory of that name without a version and an architecture under it.
    expect(c.path('/srv/hostedtoolcache/README')).toBe('/srv/hostedtoolcache/README');
  });

  test('in arguments: argv[0] of a versioned compiler, include directories', () => {
    const c = new Canonicalizer(runner, DEFAULT_CONFIG);
    expect(
      c.program({ exe: '/usr/bin/gcc-12', argv: ['gcc-12', '-c', 'a.c', '-isystem', '/usr/lib/gcc/x86_64-linux-gnu/12/include'] }),
    ).toEqual({
      exe: '/usr/bin/gcc-{version}',
      argv: ['gcc-{version}', '-c', 'a.c', '-isystem', '/usr/lib/gcc/x86_64-linux-gnu/{version}/include'],
    });
  });

  test('names that are not versions keep them', () => {
    const c = new Canonicalizer(runner, DEFAULT_CONFIG);
    for (const p of [
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/home/runner/work/app/app/src/gcc-12-notes.txt',
      '/usr/share/doc/gcc-12/README',
      '/usr/include/python.h',
      '/opt/tools/node/20.11.1/bin/node',
    ])
      expect(c.path(p)).not.toContain('{version}');
  });

  test('a change of family is a change of name: gcc → clang', () => {
    const c = new Canonicalizer(runner, DEFAULT_CONFIG);
    expect(c.path('/usr/lib/gcc/x86_64-linux-gnu/12/cc1')).not.toBe(c.path('/usr/lib/llvm-14/bin/clang'));
    expect(c.path('/usr/bin/gcc-12')).not.toBe(c.path('/usr/bin/clang-14'));
  });
});

describe('toolchainVersions: which versions the paths carried', () => {
  test('one version per tool; several, sorted, when a build used several', () => {
    expect(
      toolchainVersions([
        '{toolcache}/node/20.12.0/x64/bin/node',
        '/usr/lib/gcc/x86_64-linux-gnu/12/cc1',
        '/usr/bin/gcc-12',
        '/usr/lib/gcc/x86_64-linux-gnu/9/cc1',
        '/usr/lib/llvm-14/lib/LLVMgold.so',
        '/usr/include/stdio.h',
      ]),
    ).toEqual({ gcc: '9, 12', llvm: '14', node: '20.12.0' });
  });

  test('the tool cache by its layout, the tool named in lower case', () => {
    expect(toolchainVersions(['/opt/hostedtoolcache/Python/3.12.1/x64/bin/python3'])).toEqual({ python: '3.12.1' });
  });
});
