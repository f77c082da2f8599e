/**
 * How the build's own command ended, read from strace's log lines as they pass (the
 * capture edge, for `ioana trace`, which runs no model). Behind ioana's wall the process
 * strace started is ioana's init (src/trace/separation.ts): pid 1 of the build's namespace,
 * which cannot be killed by a signal, and so ends with 128+N where the command was killed
 * by signal N. Its first child is the command; its `+++ killed by SIGTERM +++` says how
 * it really ended. Without the wall there is no init, and strace's own status is the
 * command's.
 */

/** The init's exec line: `PID execve("/bin/sh", ["/bin/sh", "-c", "trap : INT TERM; echo 100000 >/proc/sys/kernel/ns_last_pid…"…`. */
const INIT_EXEC = /^(\d+) +execve\("[^"]*", \["[^"]*", "-c", "trap : INT TERM; echo \d+ >\/proc\/sys\/kernel\/ns_last_pid/;
/** A clone's result, in the namespace's numbering, then in strace's in a comment (`= 2`, then `8532 in strace's PID NS`). */
const CHILD = /\) += (\d+)(?: \/\* (\d+) in strace's PID NS \*\/)?$/;
const END = /^(\d+) +\+\+\+ (?:killed by (SIG[A-Z0-9]+)|exited with (\d+))/;

export class BuildRootWatch {
  private init?: string;
  private child?: string;
  /** How the command ended, once the log said so (undefined: no init, or not yet). */
  status?: { readonly exitCode: number | null; readonly signal: string | null };

  /** Reads one line of the log. */
  feed(line: string): void {
    if (this.status) return;
    if (this.init === undefined) {
      const m = INIT_EXEC.exec(line);
      if (m) this.init = m[1];
      return;
    }
    if (this.child === undefined) {
      if (!line.startsWith(`${this.init} `) || !/(?:clone3?|v?fork)\(|resumed>/.test(line)) return;
      const m = CHILD.exec(line);
      if (m) this.child = m[2] ?? m[1];
      return;
    }
    if (!line.startsWith(`${this.child} `)) return;
    const m = END.exec(line);
    if (m) this.status = m[2] ? { exitCode: null, signal: m[2] } : { exitCode: Number(m[3]), signal: null };
  }
}
