/**
 * How the build's command ended, read from the log behind ioana's init (which ends with
 * 128+N where the command was killed by signal N): src/trace/strace/build-root.ts, on the
 * log strace 6.1 wrote for `ioana trace -- sh -c 'kill -TERM $$'` behind the wall
 * (test/fixtures/strace/separation), and on lines written in its likeness for the cases
 * that log does not show.
 */
import { join } from 'node:path';
import { canonContext } from '../../src/pipeline/index.js';
import { BuildRootWatch } from '../../src/trace/strace/build-root.js';
import { analyzeFile, contextFor } from '../helpers/pipeline.js';
import { fileLines } from '../helpers/corpus.js';
import { FIXTURES } from '../helpers/trace.js';

const INIT =
  '4410  execve("/bin/sh", ["/bin/sh", "-c", "trap : INT TERM; echo 100000 >/proc/sys/kernel/ns_last_pid 2>/dev/null; exec /usr/bin/env --default-signal=INT,QUIT \\"$@\\" <&0 & while :; do wait \\"$!\\" 2>/dev/null; s=$?; [ \\"$s\\" -gt 128 ] && kill -0 \\"$!\\" 2>/dev/null && continue; exit \\"$s\\"; done", "ioana-init", "/usr/bin/setpriv", "--reuid=1002", "--regid=1002", "--init-groups", "--", "sh", "-c", "kill -TERM $$"], 0x5577c0d0 /* 12 vars */) = 0';

function watch(lines: string[]): BuildRootWatch {
  const w = new BuildRootWatch();
  for (const l of lines) w.feed(l);
  return w;
}

describe("the command's end, behind ioana's init", () => {
  test('a real log: killed by SIGTERM, where strace and the init both ended with 143', () => {
    expect(watch(fileLines(join(FIXTURES, 'strace/separation/killed-by-sigterm.strace'))).status).toEqual({
      exitCode: null,
      signal: 'SIGTERM',
    });
  });

  test('killed by a signal: the signal, not the init’s 128+N', () => {
    const w = watch([
      INIT,
      "4410  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f1) = 100001 /* 4411 in strace's PID NS */",
      '4411  execve("/usr/bin/setpriv", ["/usr/bin/setpriv", "--reuid=1002"], 0x55 /* 12 vars */) = 0',
      '4411  +++ killed by SIGTERM +++',
      '4410  exit_group(143)                   = ?',
      '4410  +++ exited with 143 +++',
    ]);
    expect(w.status).toEqual({ exitCode: null, signal: 'SIGTERM' });
  });

  test('a clone the log shows resumed, and an exit status', () => {
    const w = watch([
      INIT,
      '4410  clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>',
      "4410  <... clone resumed>, child_tidptr=0x7f1) = 100001 /* 4411 in strace's PID NS */",
      '4411  +++ exited with 3 +++',
    ]);
    expect(w.status).toEqual({ exitCode: 3, signal: null });
  });

  test('other processes’ ends are not the command’s', () => {
    const w = watch([
      INIT,
      "4410  clone(child_stack=NULL, flags=SIGCHLD) = 100001 /* 4411 in strace's PID NS */",
      '4499  +++ killed by SIGKILL +++',
    ]);
    expect(w.status).toBeUndefined();
  });

  test('without ioana’s init (--no-separation, an old log) nothing is said: strace’s status is the command’s', () => {
    const w = watch(['4410  execve("/usr/bin/make", ["make"], 0x55 /* 12 vars */) = 0', '4410  +++ killed by SIGTERM +++']);
    expect(w.status).toBeUndefined();
  });
});

describe('the pids a separated build’s names can hold', () => {
  test('behind the wall, only its own namespace’s: not the tracer’s (the host’s, small after pid_max wraps)', async () => {
    const analysis = await analyzeFile(join(FIXTURES, 'strace/separation/killed-by-sigterm.strace'));
    expect(analysis.dataflow.separated).toBe(true);
    const pids = canonContext(contextFor('/tmp/job'), analysis.dataflow).pids!;
    // The namespace numbered the command 100001 (the init's clone says so); strace's own pids are 4 digits here.
    expect([...pids]).toEqual([100001]);
    const hostPids = analysis.dataflow.images.map((i) => i.pid);
    expect(hostPids.length).toBeGreaterThan(0);
    for (const p of hostPids) expect(pids.has(p)).toBe(false);
  });
});
