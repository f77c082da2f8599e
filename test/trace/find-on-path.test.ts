/**
 * findOnPath: the tools ioana runs itself (`unshare`, `sudo`…) found along PATH without
 * starting a process. The answers are files this test makes and marks.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../src/trace/resolve.js';
import { tempDir } from '../helpers/trace.js';

describe('findOnPath', () => {
  const root = tempDir('ioana-path-');
  const [a, b] = [join(root, 'a'), join(root, 'b')];
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, 'tool'), '#!/bin/sh\n');
  chmodSync(join(a, 'tool'), 0o644);
  writeFileSync(join(b, 'tool'), '#!/bin/sh\n');
  chmodSync(join(b, 'tool'), 0o755);
  mkdirSync(join(b, 'dir'));

  test('the first executable along PATH, skipping one without x permission', () => {
    expect(findOnPath('tool', { PATH: `${a}:${b}` })).toBe(join(b, 'tool'));
  });

  test('nothing for a missing name, a directory, or relative PATH entries (never the current directory)', () => {
    expect(findOnPath('absent', { PATH: `${a}:${b}` })).toBeUndefined();
    expect(findOnPath('dir', { PATH: b })).toBeUndefined();
    expect(findOnPath('tool', { PATH: `:.:b` })).toBeUndefined();
    expect(findOnPath('tool', {})).toBeUndefined();
  });
});
