/**
 * The eBPF collector's records kept in a file and read back (the capture edge: files).
 * With `IOANA_EBPF_RECORDS=FILE`, a traced build's records are kept as they came, after a
 * ROOT record that says what the command's process was when tracing started (its
 * working directory and descriptors); `--trace FILE` reads such a file straight into
 * operations, as the build's own analysis did. For diagnosis and for the benchmark that
 * sets decoding records against parsing the same calls as strace's text.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { Operation } from '../../decode/index.js';
import type { FdTarget } from '../../parse/index.js';
import type { StepSource, TraceCounts } from '../../pipeline/index.js';
import { InputError } from '../../vocabulary/errors.js';
import { StepDecoder } from './steps.js';
import type { RootState } from './tables.js';
import { HEAD_SIZE, RecordReader, REC, WIRE_VERSION, type WireRecord } from './wire.js';

/** A kept record file starts with a ROOT record: these bytes at 4..7 (type 32, no flags), after its size. */
const ROOT_TYPE = REC.root;

/** How much of a record file is read at once. */
const CHUNK = 4 << 20;

export interface KeptRecords {
  write(r: WireRecord): void;
  close(): void;
}

/** The ROOT record of `root`: its state as JSON. */
function rootRecord(root: RootState): Buffer {
  const json = Buffer.from(
    JSON.stringify({ version: WIRE_VERSION, cwd: root.cwd, fds: [...root.fds], ...(root.nsPid ? { nsPid: root.nsPid } : {}) }),
    'utf8',
  );
  const size = HEAD_SIZE + ((json.length + 7) & ~7);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(size, 0);
  out.writeUInt16LE(ROOT_TYPE, 4);
  out.writeUInt32LE(root.pid, 8);
  out.writeUInt32LE(root.pid, 12);
  json.copy(out, HEAD_SIZE);
  return out;
}

/** Keeps the records of a run in `path` (nothing when it is undefined). */
export function keepRecords(path: string | undefined, root: RootState): KeptRecords | undefined {
  if (!path) return undefined;
  const fd = openSync(path, 'w', 0o600);
  writeSync(fd, rootRecord(root));
  return {
    write: (r) => void writeSync(fd, r.buf, r.at, r.size),
    close: () => closeSync(fd),
  };
}

/** Whether a file starts as a kept record file does. */
export function isRecordFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(8);
    return readSync(fd, head, 0, 8, 0) === 8 && head.readUInt16LE(4) === ROOT_TYPE && head.readUInt32LE(0) >= HEAD_SIZE;
  } finally {
    closeSync(fd);
  }
}

function rootOf(r: WireRecord, path: string): RootState {
  let root: { version?: number; cwd: string; fds: [number, FdTarget][]; nsPid?: number };
  try {
    root = JSON.parse(r.buf.toString('utf8', r.at + HEAD_SIZE, r.at + r.size).replace(/\0+$/, '')) as typeof root;
  } catch {
    throw new InputError(`${path}: its first record does not say what the traced command was (a damaged record file?).`);
  }
  if (root.version !== WIRE_VERSION)
    throw new InputError(
      `${path}: records of another version of ioana's collector (${root.version ?? 1}; this ioana reads ${WIRE_VERSION}).`,
      {
        hint: 'Read it with the ioana that kept it, or use the strace-format log (--trace-out) it wrote.',
      },
    );
  return { pid: r.tid, cwd: root.cwd, fds: new Map(root.fds), ...(Number.isInteger(root.nsPid) ? { nsPid: root.nsPid } : {}) };
}

/**
 * A reader of a kept record file's bytes: the ROOT record starts a decoder, which gets
 * every record after it (`log`: each also as strace's log line).
 */
export function recordFileReader(
  name: string,
  onStep: (pid: number, op: Operation) => void,
  log?: (line: string) => void,
): { readonly reader: RecordReader; decoder(): StepDecoder | undefined } {
  let decoder: StepDecoder | undefined;
  const reader = new RecordReader((r) => {
    if (r.type === ROOT_TYPE) decoder = new StepDecoder(rootOf(r, name), onStep, log);
    else decoder?.record(r);
  });
  return { reader, decoder: () => decoder };
}

/** A kept record file as the pipeline reads a trace: operations, decoded as they are read. */
export function replay(path: string): StepSource {
  return {
    steps: (onStep, onChunk) => {
      const file = recordFileReader(path, onStep);
      const fd = openSync(path, 'r');
      try {
        // A buffer of its own for each chunk: an operation may read its bytes later (an open's requested path).
        for (let chunk = Buffer.allocUnsafe(CHUNK), n; (n = readSync(fd, chunk, 0, CHUNK, null)) > 0; chunk = Buffer.allocUnsafe(CHUNK)) {
          file.reader.push(chunk.subarray(0, n));
          onChunk?.({ bytes: file.reader.bytes, lines: file.decoder()?.counts.records ?? 0 });
        }
      } finally {
        closeSync(fd);
      }
      const d = file.decoder();
      const counts: TraceCounts = { records: d?.counts.records ?? 0, calls: d?.counts.calls ?? 0, pids: d?.pids.size ?? 0 };
      return Promise.resolve(counts);
    },
  };
}
