/**
 * Files at the edge: reading a baseline or config with a clear error, writing
 * atomically (a temporary file in the same directory, then rename), so that an
 * interrupted write never leaves half a file, and the lock that lets one ioana at a
 * time rewrite a baseline. What a killed writer leaves behind is removed by the next
 * one, when it is provably ioana's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { IoanaError } from '../vocabulary/errors.js';
import { alive, removeDeadLeftovers } from './leftovers.js';

/** The text of a file, or undefined when it does not exist; other failures are errors. */
export function readTextIfExists(path: string, what: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new IoanaError(`${what} ${path} is a directory.`, { hint: `Give the path of a ${what} file.` });
    throw new IoanaError(`cannot read ${what} ${path}: ${(error as Error).message}`, { hint: "Check the file's permissions." });
  }
}

/** A write error in words: `the directory /x does not exist`, `/x is on a read-only file system`. */
function whyNotWritable(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? `the directory ${dirname(path)} does not exist`
    : code === 'EACCES' || code === 'EPERM'
      ? `no permission to write in ${dirname(path)}`
      : code === 'EROFS'
        ? `${dirname(path)} is on a read-only file system`
        : code === 'ENOSPC'
          ? `the disk of ${dirname(path)} is full`
          : (error as Error).message;
}

/** `/x/b.yml` → `/x/.b.yml.4242.0a1b2c3d.tmp`: where `writeAtomic` writes before the rename. */
function temporaryFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** `b.yml` → the names `temporaryFor` gives it, the writer's pid captured: `.b.yml.4242.0a1b2c3d.tmp`. */
function temporaryName(name: string): RegExp {
  return new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
}

/** Writes `text` to `path` through a temporary file and a rename. */
export function writeAtomic(path: string, text: string): void {
  const tmp = temporaryFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw new IoanaError(`cannot write ${path}: ${whyNotWritable(path, error)}.`, {
      hint: 'Nothing was written; the previous file, if any, is unchanged.',
    });
  }
}

/** A regular file of this user: the only kind of leftover ioana removes. */
function ours(st: Stats): boolean {
  const uid = process.getuid?.();
  return st.isFile() && (uid === undefined || st.uid === uid);
}

/**
 * Removes the temporary files that writers of `path` killed mid-write left beside it
 * (`writeAtomic`'s name for this file, a regular file of this user, a process that is
 * gone); returns their paths. Anything else is left alone. Call it holding `path`'s
 * lock: every writer the lock keeps out holds it while it writes, so none of theirs is
 * taken for a leftover, not even one whose pid looks gone from here (another pid
 * namespace).
 */
export function removeDeadTemporaries(path: string): string[] {
  return removeDeadLeftovers(dirname(path), temporaryName(basename(path)), (_, st) => ours(st), unlinkSync);
}

/** How long `withLock` waits for another ioana before giving up. */
export const LOCK_TIMEOUT_MS = 60_000;
/** How long a waiter that gives up waits for the holder to say its pid. */
const HOLDER_ANSWER_MS = 1_000;
/** The lock's name in Linux's abstract socket namespace, before the hash of what is locked. */
const LOCK_PREFIX = '\0ioana-lock/';
/**
 * `sun_path`'s size. Node 20 binds an abstract name padded with NULs to it, a libuv
 * that passes the exact length would not: a name of exactly this size is one address
 * for both, so ioanas on two Node.js versions still exclude each other.
 */
const SUN_PATH_BYTES = 108;
/** What the holder answers a connection with: its pid and a newline. */
const HOLDER_ANSWER = /^(\d+)\n$/;

/**
 * `/x/b.yml` → `\0ioana-lock/` + sha256 of the directory's device and inode and `b.yml`,
 * padded to `SUN_PATH_BYTES`: two spellings of one file (`/x/./b.yml`, a symlinked
 * directory) are one lock.
 */
function lockName(path: string): string {
  let dir;
  try {
    dir = statSync(dirname(path), { bigint: true });
  } catch (error) {
    throw new IoanaError(`cannot write ${path}: ${whyNotWritable(path, error)}.`, {
      hint: 'Nothing was written; the previous file, if any, is unchanged.',
    });
  }
  const hash = createHash('sha256')
    .update(`${dir.dev}:${dir.ino}/${basename(path)}`)
    .digest('hex');
  return (LOCK_PREFIX + hash).padEnd(SUN_PATH_BYTES, '.');
}

/** The lock, held: a listening socket that answers with our pid. Undefined when another process holds it. */
function bind(path: string, name: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.on('error', () => {
        // the waiter went away: nothing to tell
      });
      socket.end(`${process.pid}\n`);
    });
    let bound = false;
    server.on('error', (error: NodeJS.ErrnoException) => {
      // Once bound, a failed accept only means one waiter is not told who holds it.
      if (bound) return;
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else
        reject(
          new IoanaError(`cannot lock ${path}: ${error.message}.`, {
            hint: 'Nothing was written; the previous file, if any, is unchanged.',
          }),
        );
    });
    // exclusive: in a cluster worker, a shared handle would let every worker "hold" it.
    server.listen({ path: name, exclusive: true }, () => {
      bound = true;
      // Never what keeps the process alive; the kernel closes it when the process ends.
      server.unref();
      resolve(server);
    });
  });
}

/** The holder's pid as it says it; `gone` when nobody holds the lock any more, undefined when it does not answer. */
function askHolder(name: string): Promise<number | 'gone' | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const socket = connect({ path: name });
    const done = (answer: number | 'gone' | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), HOLDER_ANSWER_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 32) done(undefined);
    });
    socket.on('end', () => {
      const m = HOLDER_ANSWER.exec(text);
      done(m ? Number(m[1]) : undefined);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'gone' : undefined));
  });
}

function lockedError(path: string, holder: number | undefined): IoanaError {
  return holder === undefined
    ? new IoanaError(`${path} is locked by another ioana that does not answer (stopped, or busy).`, {
        hint: 'Nothing was written. `ss -xlp | grep ioana-lock` names its process: wait for it to finish, or stop it.',
      })
    : new IoanaError(`${path} is locked by another ioana (process ${holder}).`, {
        hint: 'Nothing was written. Wait for it to finish, or stop that process.',
      });
}

/**
 * Removes `PATH.lock`, the lock file of an older ioana, when it is provably one that
 * nobody holds: a regular file of this user holding nothing (a write cut short) or the
 * pid of a process that is gone. The file is no longer consulted; this only tidies up.
 */
function removeOldLockFile(path: string): void {
  const lock = `${path}.lock`;
  try {
    const st = lstatSync(lock);
    if (!ours(st) || st.size > 32) return;
    const m = /^(\d+)\n?$/.exec(readFileSync(lock, 'utf8'));
    if (st.size === 0 || (m && !alive(Number(m[1])))) unlinkSync(lock);
  } catch {
    // none, or gone meanwhile
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding `path`'s lock, so that two ioana processes updating one baseline
 * take turns: each reads what the other wrote and merges into it, and no run is lost.
 *
 * The lock is a kernel object, not a file: a Unix socket bound in Linux's abstract
 * namespace under a name made from the directory's device and inode and the file's
 * name. Binding is atomic and fails while another process holds the name, and the
 * kernel releases it when its holder exits, even by SIGKILL; a process the holder
 * starts does not inherit it (Node.js opens sockets close-on-exec). So it is never
 * stale, never half-written, never left behind. A waiter retries every 25 to 50 ms
 * for `timeoutMs` (default `LOCK_TIMEOUT_MS`, 60 s), then fails naming the holder,
 * which answers a connection with its pid.
 *
 * Limits: abstract names belong to a network namespace, so ioanas in two containers
 * that share one checkout but not the network do not exclude each other; any process
 * of any user in the namespace can hold the name (a waiter then names it and gives
 * up). Linux only, like strace.
 */
export async function withLock<T>(path: string, fn: () => T | Promise<T>, timeoutMs = LOCK_TIMEOUT_MS): Promise<T> {
  const name = lockName(path);
  const deadline = Date.now() + timeoutMs;
  let server: Server | undefined;
  while (!(server = await bind(path, name))) {
    if (Date.now() >= deadline) {
      const holder = await askHolder(name);
      // Released just now: one more try, not an error.
      if (holder !== 'gone') throw lockedError(path, holder);
      continue;
    }
    await sleep(25 + Math.floor(Math.random() * 25));
  }
  try {
    removeOldLockFile(path);
    return await fn();
  } finally {
    // The name is free once close() returns: its socket is closed at once, only the callback waits.
    server.close();
  }
}
