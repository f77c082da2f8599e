import fc from 'fast-check';
import { posix } from 'node:path';
import { resolvePath } from '../../src/vocabulary/index.js';

describe('resolvePath', () => {
  test.each([
    ['/w', 'a/b', '/w/a/b'],
    ['/w', '/abs/x', '/abs/x'],
    ['/w/src', '../a//b/./c', '/w/a/b/c'],
    ['/w', '.', '/w'],
    ['/w', 'dir/', '/w/dir'],
    ['', 'rel', '/rel'],
    ['/', 'x', '/x'],
  ])('(%s, %s) → %s', (base, p, expected) => {
    expect(resolvePath(base, p)).toBe(expected);
  });

  test('the fast path agrees with posix.resolve', () => {
    const seg = fc.constantFrom('a', 'b', '.', '..', '', 'c.d', '...');
    const path = fc.array(seg, { maxLength: 6 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.constantFrom('/w', '/w/x', '/'), fc.boolean(), path, (base, abs, p) => {
        const q = (abs ? '/' : '') + p;
        expect(resolvePath(base, q)).toBe(posix.resolve(base, q));
      }),
      { seed: 9, numRuns: 2000 },
    );
  });
});
