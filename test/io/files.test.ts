/**
 * Files at the edge: atomic writes that never leave half a file, the baseline's lock,
 * and what a killed writer left. The lock's holders are real processes, really killed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { readTextIfExists, removeDeadTemporaries, withLock, writeAtomic } from '../../src/io/files.js';
import { EXIT, IoanaError } from '../../src/vocabulary/errors.js';
import { tempDir } from '../helpers/trace.js';

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

/** src/io/files.ts (and what it imports) as JavaScript that a child node process can import. */
const FILES_JS = (() => {
  const out = tempDir();
  for (const file of ['io/files', 'io/leftovers', 'vocabulary/errors']) {
    const source = readFileSync(resolve('src', `${file}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, `${file}.js`), outputText);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return pathToFileURL(join(out, 'io/files.js')).href;
})();

const holders: ChildProcess[] = [];
afterAll(() => {
  for (const child of holders) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Another process that takes `path`'s lock with withLock and keeps it until it is killed. */
async function holder(path: string): Promise<ChildProcess> {
  const script = `
    import { withLock } from ${JSON.stringify(FILES_JS)};
    setInterval(() => {}, 1 << 30);
    await withLock(${JSON.stringify(path)}, () => (process.stdout.write('held\\n'), new Promise(() => {})));`;
  const child = spawn('node', ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  holders.push(child);
  await once(child.stdout!, 'data');
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<IoanaError> {
  try {
    await promise;
  } catch (error) {
    return error as IoanaError;
  }
  throw new Error('it did not fail');
}

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

describe('removeDeadTemporaries', () => {
  test("removes a dead writer's temporary of this file, and keeps a living one's and anything else", () => {
    const dir = tempDir();
    const dead = deadPid();
    const make = (name: string) => (writeFileSync(join(dir, name), 'half a baseline'), join(dir, name));
    const leftover = make(`.b.yml.${dead}.0a1b2c3d.tmp`);
    const kept = [
      make(`.b.yml.${process.pid}.0a1b2c3d.tmp`),
      make(`.c.yml.${dead}.0a1b2c3d.tmp`),
      make(`.b.yml.${dead}.notours.tmp`),
      make(`b.yml.${dead}.0a1b2c3d.tmp`),
      make('b.yml'),
    ];
    mkdirSync(join(dir, `.b.yml.${dead}.aaaabbbb.tmp`));
    kept.push(join(dir, `.b.yml.${dead}.aaaabbbb.tmp`));

    expect(removeDeadTemporaries(join(dir, 'b.yml'))).toEqual([leftover]);
    expect(existsSync(leftover)).toBe(false);
    for (const path of kept) expect(existsSync(path)).toBe(true);
  });

  test('a name with regular-expression characters matches only itself', () => {
    const dir = tempDir();
    const dead = deadPid();
    writeFileSync(join(dir, `.bxyml.${dead}.0a1b2c3d.tmp`), 'x');
    expect(removeDeadTemporaries(join(dir, 'b.yml'))).toEqual([]);
    writeFileSync(join(dir, `.b+(1).yml.${dead}.0a1b2c3d.tmp`), 'x');
    expect(removeDeadTemporaries(join(dir, 'b+(1).yml'))).toEqual([join(dir, `.b+(1).yml.${dead}.0a1b2c3d.tmp`)]);
  });

  test('a missing directory is not an error', () => {
    expect(removeDeadTemporaries(join(tempDir(), 'missing/b.yml'))).toEqual([]);
  });
});

describe('withLock', () => {
  test('runs the function and returns what it returns, leaving no file behind', async () => {
    const dir = tempDir();
    await expect(withLock(join(dir, 'b.yml'), () => 42)).resolves.toBe(42);
    await expect(withLock(join(dir, 'b.yml'), async () => 'async')).resolves.toBe('async');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('two spellings of one file are one lock; another file in the directory is another', async () => {
    const dir = tempDir();
    let release = () => {};
    const held = withLock(join(dir, 'b.yml'), () => new Promise<void>((r) => (release = r)));
    const error = await rejection(withLock(`${dir}/./b.yml`, () => 'ran', 100));
    expect(error.message).toMatch(new RegExp(`is locked by another ioana \\(process ${process.pid}\\)\\.$`));
    await expect(withLock(join(dir, 'c.yml'), () => 'other file', 100)).resolves.toBe('other file');
    release();
    await held;
    await expect(withLock(`${dir}/../${basename(dir)}/b.yml`, () => 'after', 100)).resolves.toBe('after');
  });

  test('a symlinked directory leads to the same lock', async () => {
    const dir = tempDir();
    const link = join(tempDir(), 'link');
    symlinkSync(dir, link);
    let release = () => {};
    const held = withLock(join(dir, 'b.yml'), () => new Promise<void>((r) => (release = r)));
    await expect(withLock(join(link, 'b.yml'), () => 'ran', 100)).rejects.toThrow(/is locked by another ioana/);
    release();
    await held;
  });

  test('a function that fails releases the lock, and its error goes through', async () => {
    const path = join(tempDir(), 'b.yml');
    await expect(
      withLock(path, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(withLock(path, () => 'next', 100)).resolves.toBe('next');
  });

  test('a holder killed with SIGKILL while holding it: the kernel releases it, the next one gets it at once', async () => {
    const path = join(tempDir(), 'b.yml');
    const child = await holder(path);
    await expect(withLock(path, () => 'ran', 100)).rejects.toThrow(/is locked by another ioana/);
    await kill(child);
    // 200 ms, not the 60 s a stale lock file used to cost.
    await expect(withLock(path, () => 'ran', 200)).resolves.toBe('ran');
  });

  test('a live holder: the waiter gives up after timeoutMs, naming its pid, with the exit status of errors', async () => {
    const path = join(tempDir(), 'b.yml');
    const child = await holder(path);
    const error = await rejection(withLock(path, () => 'ran', 300));
    expect(error).toBeInstanceOf(IoanaError);
    expect(error.message).toBe(`${path} is locked by another ioana (process ${child.pid}).`);
    expect(error.hint).toBe('Nothing was written. Wait for it to finish, or stop that process.');
    expect(error.exitCode).toBe(EXIT.usage);
    await kill(child);
  });

  test('a stopped holder (Ctrl-Z) cannot answer: the error says so, and how to find it', async () => {
    const path = join(tempDir(), 'b.yml');
    const child = await holder(path);
    child.kill('SIGSTOP');
    try {
      const error = await rejection(withLock(path, () => 'ran', 100));
      expect(error.message).toBe(`${path} is locked by another ioana that does not answer (stopped, or busy).`);
      expect(error.hint).toMatch(/ss -xlp \| grep ioana-lock/);
    } finally {
      child.kill('SIGCONT');
      await kill(child);
    }
  });

  test('a directory that does not exist: the error of a write there', async () => {
    const dir = tempDir();
    await expect(withLock(join(dir, 'no/b.yml'), () => 'ran')).rejects.toThrow(/the directory .*\/no does not exist/);
  });

  describe('the lock file of an older ioana', () => {
    test('is not consulted, and removed when its process is gone or it is empty', async () => {
      for (const text of [`${deadPid()}\n`, '']) {
        const path = join(tempDir(), 'b.yml');
        writeFileSync(`${path}.lock`, text);
        await expect(withLock(path, () => 'ran', 100)).resolves.toBe('ran');
        expect(existsSync(`${path}.lock`)).toBe(false);
      }
    });

    test('is kept when its process lives, or it is not one (other content, a directory)', async () => {
      for (const make of [
        (lock: string) => writeFileSync(lock, `${process.pid}\n`),
        (lock: string) => writeFileSync(lock, 'not a pid\n'),
        (lock: string) => mkdirSync(lock),
      ]) {
        const path = join(tempDir(), 'b.yml');
        make(`${path}.lock`);
        await expect(withLock(path, () => 'ran', 100)).resolves.toBe('ran');
        expect(existsSync(`${path}.lock`)).toBe(true);
      }
    });
  });
});

describe('readTextIfExists', () => {
  test('undefined for a missing file; an error naming a directory', () => {
    const dir = tempDir();
    expect(readTextIfExists(join(dir, 'none.yml'), 'baseline')).toBeUndefined();
    expect(() => readTextIfExists(dir, 'baseline')).toThrow(/is a directory/);
  });
});
