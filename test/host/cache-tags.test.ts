/**
 * Caches found by the Cache Directory Tagging convention (src/host/cache-tags.ts), on real
 * directories: a tag with the signature makes a cache, one without it does not, the
 * workspace's own tagged directory (Cargo's `target/`) is the build's, not a cache.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { taggedCaches } from '../../src/host/cache-tags.js';
import { tempDir } from '../helpers/trace.js';

const TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by ccache.\n';

function tree(): string {
  const root = tempDir('ioana-cachedir-');
  for (const [dir, tag] of [
    ['home/.cache/bazel', TAG],
    ['home/.cache/fake', 'not the signature\n'],
    ['ws/target', TAG],
  ] as const) {
    mkdirSync(join(root, dir, 'sub'), { recursive: true });
    writeFileSync(join(root, dir, 'CACHEDIR.TAG'), tag);
  }
  return root;
}

describe('CACHEDIR.TAG', () => {
  test('a directory tagged with the signature, above a path the build touched, is a cache named after it', () => {
    const root = tree();
    const paths = [join(root, 'home/.cache/bazel/sub/blob'), join(root, 'home/.cache/fake/sub/x'), join(root, 'ws/target/sub/app')];
    expect(taggedCaches(paths, join(root, 'ws'))).toEqual([{ name: 'bazel', dir: join(root, 'home/.cache/bazel'), launcher: false }]);
  });

  test('a cache already known by its variables is not found twice', () => {
    const root = tree();
    const known = [{ name: 'mine', dir: join(root, 'home/.cache/bazel'), launcher: false }];
    expect(taggedCaches([join(root, 'home/.cache/bazel/sub/blob')], join(root, 'ws'), known)).toEqual([]);
  });

  test("the system's trees are not looked at", () => {
    expect(taggedCaches(['/usr/include/stdio.h', '/proc/self/maps', '/etc/passwd'], '/nowhere')).toEqual([]);
  });
});
