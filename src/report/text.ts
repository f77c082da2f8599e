/** The terminal report: pure, so that it can be tested; the CLI decides about colour. */
import type { Report } from './types.js';

export interface TextOptions {
  /** ANSI colours (only on a terminal, and not with NO_COLOR). */
  readonly color?: boolean;
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function renderText(r: Report, opts: TextOptions = {}): string {
  const c = opts.color ?? false;
  const red = paint(c, '31');
  const yellow = paint(c, '33');
  const dim = paint(c, '2');
  const bold = paint(c, '1');
  const lines: string[] = [];
  if (r.build.interrupted) {
    lines.push(red(bold(`ioana: the build was interrupted (${r.build.interrupted}): this report is partial, of what it did until then.`)));
  } else if (r.status === 'build-failed') {
    const how = r.build.signal ? `killed by ${r.build.signal}` : `exit status ${r.build.exitCode}`;
    lines.push(red(bold(`ioana: the build failed (${how}); the report below is of what it did before it stopped.`)));
  }
  if (r.build.leftRunning) lines.push(yellow(`ioana: ${r.build.leftRunning} process(es) the build started were left running when tracing stopped.`));
  if (r.findings.length === 0) {
    lines.push(bold('ioana: clean — the build read, wrote, ran and connected to what the baseline says.'));
  } else {
    lines.push(bold(`ioana: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${r.failing} failing) against ${r.baseline}`));
    for (const f of r.findings) {
      const mark = f.severity === 'error' ? red('error  ') : f.severity === 'warning' ? yellow('warning') : dim('notice ');
      lines.push(`  ${mark} ${f.kind.padEnd(18)} ${f.message}${f.failing ? '' : dim(' (not failing)')}`);
      if (f.members) for (const m of f.members.slice(0, 5)) lines.push(dim(`            ${m}`));
    }
  }
  return lines.join('\n') + '\n';
}
