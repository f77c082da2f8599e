/** The copy of a trace log: written as it comes, stopped with the reason on a full disk. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logCopy } from '../../src/io/log-copy.js';
import { tempDir } from '../helpers/trace.js';

describe('logCopy', () => {
  test('writes what it is given, byte for byte (latin1 characters are bytes)', () => {
    const path = join(tempDir(), 'copy.log');
    const copy = logCopy(path);
    copy.write('1 openat(AT_FDCWD, "caf\u00c3\u00a9") = 3\n');
    copy.close();
    expect(readFileSync(path, 'utf8')).toBe('1 openat(AT_FDCWD, "café") = 3\n');
    expect(copy.problem()).toBeUndefined();
  });

  test('on a full disk it stops and says why; later writes are dropped, not thrown', () => {
    const copy = logCopy('/dev/full');
    copy.write('x\n');
    copy.write('y\n');
    expect(copy.problem()).toBe('no space left on its disk');
  });

  test('no path: writes nothing', () => {
    const copy = logCopy(undefined);
    copy.write('x');
    copy.close();
    expect(copy.problem()).toBeUndefined();
  });
});
