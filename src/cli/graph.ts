/** `ioana graph --trace LOG`: the dataflow graph of a log, as JSON, YAML, Mermaid or DOT. */
import { stringify as stringifyYaml } from 'yaml';
import { EXIT, UsageError } from '../errors.js';
import { graphDocument, horizonSets, toDot, toMermaid } from '../graph/index.js';
import { collectGarbage } from '../io/memory.js';
import { analyzeLog, parseLog, type Analysis } from '../pipeline/analyze.js';
import { environmentRedactor } from '../pipeline/context.js';
import { optionValue, type ParsedArgs } from './args.js';
import type { Console } from './io.js';
import { required, workspaceOf } from './run.js';

/** `--verbose`: every unparsed line kept, with its number, on stderr. */
function reportUnparsed(trace: string, parsed: Pick<Analysis, 'stats' | 'unparsed'>, args: ParsedArgs, io: Console): void {
  if (!args.flags.has('verbose')) return;
  for (const u of parsed.unparsed) io.err(`${trace}:${u.line}: unparsed (${u.reason}): ${u.text}\n`);
  if (parsed.stats.unparsed > parsed.unparsed.length) {
    io.err(`${trace}: … and ${parsed.stats.unparsed - parsed.unparsed.length} more unparsed lines\n`);
  }
}

const FORMATS = ['json', 'yaml', 'mermaid', 'dot'] as const;

export async function graphCommand(args: ParsedArgs, io: Console): Promise<number> {
  const trace = required(args, 'trace');
  const format = optionValue(args, 'format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown --format "${format}".`, { hint: `Formats: ${FORMATS.join(', ')}.` });
  }
  const provenance = optionValue(args, 'provenance') ?? 'data';
  if (provenance !== 'data' && provenance !== 'control') {
    throw new UsageError(`unknown --provenance "${provenance}".`, { hint: 'Use "data" (spawning passes nothing on) or "control".' });
  }
  const workspace = workspaceOf(args);
  if (args.flags.has('parse-only')) {
    const parsed = await parseLog(trace);
    reportUnparsed(trace, parsed, args, io);
    io.out(JSON.stringify({ stats: parsed.stats }, null, 2) + '\n');
    return EXIT.ok;
  }
  const analysis = await analyzeLog(trace);
  reportUnparsed(trace, analysis, args, io);
  const opts = { workspace, control: provenance === 'control', redact: environmentRedactor() };
  const sets = horizonSets(analysis.graph, opts);
  if (format === 'mermaid') {
    io.out(toMermaid(analysis.graph, sets, opts));
    return EXIT.ok;
  }
  if (format === 'dot') {
    io.out(toDot(analysis.graph, sets, opts));
    return EXIT.ok;
  }
  const doc = graphDocument(analysis.graph, opts, sets);
  collectGarbage();
  const m = analysis.dataflow.stats;
  const out = {
    inputs: doc.inputs,
    outputs: doc.outputs,
    programs: doc.programs,
    endpoints: doc.endpoints,
    temporaries: doc.temporaries,
    stats: {
      ...analysis.stats,
      processes: m.processes,
      threads: analysis.stats.processes,
      images: m.images,
      execs: m.execs,
      failedExecs: m.failedExecs,
      probes: m.probes,
      orphanProcesses: m.orphanProcesses,
      ioUring: m.ioUring,
    },
    figures: doc.figures,
  };
  io.out(format === 'yaml' ? stringifyYaml(out) : JSON.stringify(out, null, 2) + '\n');
  return EXIT.ok;
}
