import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { followLines } from '../../src/io/lines.js';
import { tempDir } from '../helpers/trace.js';

describe('following a log that is still being written', () => {
  test('every line, across writes that split lines, and the last one without a newline', async () => {
    const path = join(tempDir(), 'growing.log');
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const lines: string[] = [];
    const reading = followLines(path, (l) => lines.push(l), finished);
    const pieces = [
      '1 close(3) = 0\n2 ope',
      'nat(AT_FDCWD</w>, "a", O_RDONLY) = 3</w/a>\n',
      '',
      '3 exit_group(0) = ?\n4 tail without newline',
    ];
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(path, '');
    for (const p of pieces) {
      appendFileSync(path, p);
      await new Promise((r) => setTimeout(r, 30));
    }
    finish();
    await reading;
    expect(lines).toEqual([
      '1 close(3) = 0',
      '2 openat(AT_FDCWD</w>, "a", O_RDONLY) = 3</w/a>',
      '3 exit_group(0) = ?',
      '4 tail without newline',
    ]);
  });

  test('a log that never appears: nothing to read once the writer is done', async () => {
    const lines: string[] = [];
    await followLines(join(tempDir(), 'never.log'), (l) => lines.push(l), Promise.resolve());
    expect(lines).toEqual([]);
  });
});
