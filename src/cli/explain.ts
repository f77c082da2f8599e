/** `ioana explain --trace LOG PATH`: the raw forms of PATH and the rules that made it canonical. */
import { resolve } from 'node:path';
import { EXIT } from '../errors.js';
import type { ParsedArgs } from './args.js';
import type { Console } from './io.js';
import { loadConfig, traceAndCanonicalize } from './run.js';

export async function explainCommand(args: ParsedArgs, workspace: string, io: Console): Promise<number> {
  const asked = args.positionals[0];
  const config = loadConfig(args, workspace);
  const run = await traceAndCanonicalize(args, workspace, config, io);
  const rawAsked = resolve(workspace, asked);
  const hits = [...run.canonical.explanations.entries()].filter(([raw, steps]) => {
    const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
    return raw === asked || raw === rawAsked || final === asked;
  });
  if (hits.length === 0) {
    io.err(`ioana: ${asked} is not an input, output, program or endpoint of this trace (neither raw nor canonical).\n`);
    return EXIT.findings;
  }
  for (const [raw, steps] of hits.sort(([a], [b]) => (a < b ? -1 : 1))) {
    const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
    io.out(`${raw}\n`);
    if (steps.length === 0) io.out('  (no rule applies: the raw form is canonical)\n');
    for (const s of steps) io.out(`  ${s.rule.padEnd(16)} ${s.before}  →  ${s.after}\n`);
    io.out(`  = ${final}\n`);
  }
  return EXIT.ok;
}
