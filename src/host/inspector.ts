/**
 * Node opens its inspector (a debugger on 127.0.0.1:9229 that runs any JavaScript it is
 * sent) when the process receives SIGUSR1. The build ioana traces runs as the same user
 * on the same machine: with one `kill -USR1`, it could run code inside ioana, read its
 * environment and forge its report (issue 23). A listener of ours for SIGUSR1 takes the
 * signal instead — libuv installs its own handler over Node's — so the inspector never
 * opens; the signal is counted, and said, since a build that sends it is attacking ioana.
 *
 * Called first thing by both entry points, before any build starts.
 */
import inspector from 'node:inspector';

let received = 0;

/** Takes SIGUSR1 away from Node's inspector; throws if an inspector is already open (ioana was started with --inspect). */
export function closeInspectorSignal(): void {
  process.on('SIGUSR1', () => {
    received++;
  });
  if (inspector.url() !== undefined) {
    throw new Error(
      'the Node.js inspector is open (ioana was started with --inspect): the build could run code inside ioana. Start it without.',
    );
  }
}

/** How many SIGUSR1 signals ioana received (each one an attempt to open its debugger). */
export const inspectorSignals = (): number => received;

/** What the build did to ioana that the trace does not show, as `RunContext.interference` says it. */
export function interference(): string[] {
  return received > 0 ? [`SIGUSR1 sent to ioana ${received === 1 ? 'once' : `${received} times`} (an attempt to open its debugger)`] : [];
}
