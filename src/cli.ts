/** The `ioana` executable (dist/cli.js). */
import { main } from './cli/main.js';
import { closeInspectorSignal } from './host/inspector.js';

// Before anything else: a build must not open ioana's debugger with a signal.
closeInspectorSignal();

// `ioana graph … | head`: a reader that stops early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ioana: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
