/**
 * Hashing for `ioana attest`: each file read once, the budget spent in the order the
 * paths are given whatever order the reads finish in, and every file a limit, a
 * directory or a missing path leaves without a digest said so.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileHasher } from '../../src/io/digests.js';
import { tempDir } from '../helpers/trace.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function files(): { dir: string; a: string; b: string; c: string } {
  const dir = tempDir('ioana-digests-');
  const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, n));
  writeFileSync(a, 'aaaa');
  writeFileSync(b, 'bb');
  writeFileSync(c, 'cccccc');
  return { dir, a, b, c };
}

describe('the file hasher', () => {
  it('gives each file its sha256 and counts each file once, however often it is asked', async () => {
    const { a, b } = files();
    const hasher = new FileHasher({ files: 10, bytes: 1000 });
    const first = await hasher.hash([a, b, a]);
    const again = await hasher.hash([b]);
    expect(first.get(a)).toEqual({ kind: 'digest', sha256: sha256('aaaa'), size: 4 });
    expect(again.get(b)).toEqual({ kind: 'digest', sha256: sha256('bb'), size: 2 });
    expect(hasher.figures).toEqual({ files: 2, bytes: 6, reached: false });
  });

  it('spends the file budget in the order given, and says a limit was reached', async () => {
    const { a, b, c } = files();
    const hasher = new FileHasher({ files: 2, bytes: 1000, concurrency: 3 });
    const h = await hasher.hash([c, a, b]);
    expect([h.get(c)!.kind, h.get(a)!.kind, h.get(b)]).toEqual(['digest', 'digest', { kind: 'unhashed', why: 'limit' }]);
    expect(hasher.figures).toEqual({ files: 2, bytes: 10, reached: true });
  });

  it('skips a file the byte budget cannot hold and still hashes a smaller one after it', async () => {
    const { a, b, c } = files();
    const hasher = new FileHasher({ files: 10, bytes: 7 });
    const h = await hasher.hash([a, c, b]);
    expect(h.get(c)).toEqual({ kind: 'unhashed', why: 'limit' });
    expect(h.get(b)!.kind).toBe('digest');
    expect(hasher.figures).toEqual({ files: 2, bytes: 6, reached: true });
  });

  it('says why a path has no digest: missing, or not a regular file; neither spends the budget', async () => {
    const { dir } = files();
    mkdirSync(join(dir, 'sub'));
    const hasher = new FileHasher({ files: 1, bytes: 1000 });
    const h = await hasher.hash([join(dir, 'gone'), join(dir, 'sub')]);
    expect(h.get(join(dir, 'gone'))).toEqual({ kind: 'unhashed', why: 'missing' });
    expect(h.get(join(dir, 'sub'))).toEqual({ kind: 'unhashed', why: 'not a regular file' });
    expect(hasher.figures).toEqual({ files: 0, bytes: 0, reached: false });
  });
});
