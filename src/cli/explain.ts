/** `ioana explain --trace LOG PATH`: the raw forms of PATH and the rules that made it canonical. */
import { resolve } from 'node:path';
import { runLog } from '../pipeline/index.js';
import { environmentRedactor } from '../host/environment.js';
import { EXIT, terminal as escaped } from '../vocabulary/index.js';
import type { Console } from './io.js';
import type { ExplainOptions } from './options.js';
import { loadConfig, runContext, withRun } from './run.js';

export async function explainCommand(opts: ExplainOptions, io: Console): Promise<number> {
  const asked = opts.path;
  // What is printed is escaped for the terminal, and credentials in it (a file named after a token) redacted.
  const redactor = environmentRedactor();
  const terminal = (text: string) => escaped(redactor.text(text));
  const config = loadConfig(opts);
  const { run } = await withRun(opts, io, (log) =>
    runLog({ source: log.source, build: log.build, hooks: log.hooks, context: runContext(opts, log), config }),
  );
  const rawAsked = resolve(opts.workspace, asked);
  const hits = [...run.canonical.explanations.entries()].filter(([raw, steps]) => {
    const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
    return raw === asked || raw === rawAsked || final === asked;
  });
  if (hits.length === 0) {
    io.err(`ioana: ${terminal(asked)} is not an input, output, program or endpoint of this trace (neither raw nor canonical).\n`);
    return EXIT.findings;
  }
  for (const [raw, steps] of hits.sort(([a], [b]) => (a < b ? -1 : 1))) {
    const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
    io.out(`${terminal(raw)}\n`);
    if (steps.length === 0) io.out('  (no rule applies: the raw form is canonical)\n');
    for (const s of steps) io.out(`  ${terminal(s.rule.padEnd(16))} ${terminal(s.before)}  →  ${terminal(s.after)}\n`);
    io.out(`  = ${terminal(final)}\n`);
  }
  return EXIT.ok;
}
