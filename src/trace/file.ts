/**
 * A recorded trace read back (`--trace FILE`, the capture edge: files): strace's log, or
 * the eBPF collector's records kept with `IOANA_EBPF_RECORDS`, told apart by how they
 * start.
 */
import { logFile } from '../io/lines.js';
import type { TraceSource } from '../pipeline/index.js';
import { isRecordFile, replay } from './ebpf/replay.js';

/** The trace in `path`: its lines, or, for a record file, its operations. */
export function traceFile(path: string): TraceSource {
  let records = false;
  try {
    records = isRecordFile(path);
  } catch {
    // Unreadable here: logFile says why, as it always has.
  }
  return records ? replay(path) : logFile(path);
}
