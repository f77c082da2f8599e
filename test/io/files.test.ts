/** Files at the edge: atomic writes that never leave half a file, and the baseline's lock. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTextIfExists, withLock, writeAtomic } from '../../src/io/files.js';
import { tempDir } from '../helpers/trace.js';

describe('writeAtomic', () => {
  test('writes the whole file and leaves no temporary beside it', () => {
    const dir = tempDir();
    writeAtomic(join(dir, 'b.yml'), 'one\n');
    writeAtomic(join(dir, 'b.yml'), 'two\n');
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toBe('two\n');
    expect(readdirSync(dir)).toEqual(['b.yml']);
  });

  test('into a directory that does not exist: an error that says so, nothing written', () => {
    const dir = tempDir();
    expect(() => writeAtomic(join(dir, 'no/b.yml'), 'x')).toThrow(/the directory .*\/no does not exist/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('withLock', () => {
  test('runs the function holding PATH.lock, and removes the lock after', () => {
    const dir = tempDir();
    const path = join(dir, 'b.yml');
    let seen = false;
    expect(withLock(path, () => ((seen = existsSync(`${path}.lock`)), 42))).toBe(42);
    expect(seen).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  test('a lock left by a process that is gone is taken over', () => {
    const path = join(tempDir(), 'b.yml');
    writeFileSync(`${path}.lock`, '999999999\n');
    expect(withLock(path, () => 'ran')).toBe('ran');
  });

  test('a lock held by a live process: waits, then says who holds it', () => {
    const path = join(tempDir(), 'b.yml');
    writeFileSync(`${path}.lock`, `${process.ppid}\n`);
    expect(() => withLock(path, () => 'ran', 100)).toThrow(/is locked by another ioana \(process \d+/);
  });
});

describe('readTextIfExists', () => {
  test('undefined for a missing file; an error naming a directory', () => {
    const dir = tempDir();
    expect(readTextIfExists(join(dir, 'none.yml'), 'baseline')).toBeUndefined();
    expect(() => readTextIfExists(dir, 'baseline')).toThrow(/is a directory/);
  });
});
