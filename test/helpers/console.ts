import type { Console } from '../../src/cli/main.js';

/** A Console that keeps what the CLI printed. */
export function captureConsole(): Console & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdout: () => out,
    stderr: () => err,
  };
}
