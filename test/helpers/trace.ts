/**
 * Runs real programs under the real strace, through src/trace, and parses the log.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLines, type ParseStats, type SyscallEvent, type TraceEvent } from '../../src/parse/index.js';
import type { BuildOutcome } from '../../src/pipeline/index.js';
import { preflight, runTraced, type StraceInfo } from '../../src/trace/index.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

let info: StraceInfo | undefined;
export function strace(): StraceInfo {
  info ??= preflight();
  return info;
}

export function tempDir(prefix = 'ioana-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Traced {
  readonly outcome: BuildOutcome;
  readonly events: TraceEvent[];
  readonly stats: ParseStats;
  readonly calls: SyscallEvent[];
  readonly logPath: string;
}

export async function trace(command: string[], cwd: string, extra: { detailed?: boolean; probes?: boolean } = {}): Promise<Traced> {
  const logPath = join(mkdtempSync(join(tmpdir(), 'ioana-log-')), 'trace.log');
  const outcome = await runTraced({ command, cwd, logPath, strace: strace(), stdio: 'ignore', ...extra });
  const text = readFileSync(logPath, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const { events, stats } = parseLines(lines);
  return { outcome, events, stats, logPath, calls: events.flatMap((e) => (e.kind === 'syscall' ? [e] : [])) };
}

/** Compiles test/fixtures/programs/NAME.c into DIR with cc. */
export function compile(name: string, dir: string, flags: string[] = []): string {
  const out = join(dir, name);
  execFileSync('cc', ['-O0', '-o', out, join(FIXTURES, 'programs', `${name}.c`), ...flags], { stdio: 'pipe' });
  return out;
}
