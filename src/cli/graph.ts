/** `ioana graph --trace LOG`: the dataflow graph of a log (or of kept eBPF records), as JSON, YAML, Mermaid or DOT. */
import { basename } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { bytesCounted, flows, graphDocument, horizonSets, ioSamples, toDot, toMermaid, type Flow } from '../graph/index.js';
import { flameSvg, foldedStacks } from '../report/index.js';
import { environmentRedactor } from '../host/environment.js';
import { collectGarbage } from '../io/memory.js';
import { analyzeLog, parseLog, type Analysis } from '../pipeline/index.js';
import { traceFile } from '../trace/index.js';
import { EXIT, terminal } from '../vocabulary/index.js';
import type { Console } from './io.js';
import type { GraphOptions } from './options.js';

/** `--verbose`: every unparsed line kept, with its number, on stderr. */
function reportUnparsed(opts: GraphOptions, parsed: Pick<Analysis, 'stats' | 'unparsed'>, io: Console): void {
  if (!opts.verbose) return;
  for (const u of parsed.unparsed) io.err(`${terminal(opts.trace)}:${u.line}: unparsed (${terminal(u.reason)}): ${terminal(u.text)}\n`);
  if (parsed.stats.unparsed > parsed.unparsed.length) {
    io.err(`${opts.trace}: … and ${parsed.stats.unparsed - parsed.unparsed.length} more unparsed lines\n`);
  }
}

/** `--format folded|flame`: the I/O flame graph of the flows, as folded stacks or an SVG, each saying when small stacks were folded. */
function flameOf(opts: GraphOptions, list: readonly Flow[], io: Console): number {
  if (opts.weight === 'bytes' && !bytesCounted(list)) {
    io.err(
      `ioana: ${terminal(opts.trace)} has no byte counts: trace the build with --backend ebpf (bytes summed in the kernel), or with strace and --detailed (every read and write traced, slower), or use --weight calls.\n`,
    );
    return EXIT.usage;
  }
  const samples = ioSamples(list, opts.weight);
  // The SVG's subtitle says how many stacks it folded; the folded text says it on stderr.
  if (opts.format === 'flame') {
    io.out(flameSvg(samples, { title: `I/O of ${basename(opts.trace)}`, weight: opts.weight }));
    return EXIT.ok;
  }
  const folded = foldedStacks(samples);
  if (folded.folded > 0)
    io.err(`ioana: note: ${folded.folded} small stacks folded into their directories (…) to keep the graph readable.\n`);
  io.out(folded.text);
  return EXIT.ok;
}

export async function graphCommand(opts: GraphOptions, io: Console): Promise<number> {
  const source = traceFile(opts.trace);
  if (opts.parseOnly) {
    const parsed = await parseLog(source);
    reportUnparsed(opts, parsed, io);
    io.out(JSON.stringify({ stats: parsed.stats }, null, 2) + '\n');
    return EXIT.ok;
  }
  const analysis = await analyzeLog(source, { betweenPhases: collectGarbage });
  reportUnparsed(opts, analysis, io);
  const draw = { workspace: opts.workspace, control: opts.control, redactor: environmentRedactor() };
  const sets = horizonSets(analysis.graph, draw);
  if (opts.format === 'mermaid') {
    io.out(toMermaid(analysis.graph, sets, draw));
    return EXIT.ok;
  }
  if (opts.format === 'dot') {
    io.out(toDot(analysis.graph, sets, draw));
    return EXIT.ok;
  }
  if (opts.format === 'folded' || opts.format === 'flame') return flameOf(opts, flows(analysis.graph, draw), io);
  const doc = graphDocument(analysis.graph, draw, sets);
  collectGarbage();
  const m = analysis.dataflow.stats;
  const p = analysis.stats;
  const out = {
    inputs: doc.inputs,
    outputs: doc.outputs,
    programs: doc.programs,
    endpoints: doc.endpoints,
    temporaries: doc.temporaries,
    // In this order (the document's layout): the parser's counts, with the model's
    // processes (thread groups) where the parser's pids would be, then the model's.
    stats: {
      lines: p.lines,
      blank: p.blank,
      unparsed: p.unparsed,
      syscalls: p.syscalls,
      processes: m.processes,
      signals: p.signals,
      messages: p.messages,
      dumps: p.dumps,
      resumed: p.resumed,
      orphanResumed: p.orphanResumed,
      incomplete: p.incomplete,
      threads: p.pids,
      images: m.images,
      execs: m.execs,
      failedExecs: m.failedExecs,
      probes: m.probes,
      orphanProcesses: m.orphanProcesses,
      ioUring: m.ioUring,
    },
    figures: doc.figures,
    ...(opts.flows ? { flows: flows(analysis.graph, draw) } : {}),
  };
  io.out(opts.format === 'yaml' ? stringifyYaml(out) : JSON.stringify(out, null, 2) + '\n');
  return EXIT.ok;
}
