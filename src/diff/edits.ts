/**
 * What a pull request's own edits accept (docs/architecture.md §2.2): on pull_request events the base
 * commit's baseline and configuration decide, and every entry the pull request's
 * baseline adds or removes, and every change of `.ioana.yml` that weakens the check, is
 * a finding that names it. Whether those fail is the trust policy's call: for pull
 * requests from forks or from authors without write access they do by default.
 */
import type { Baseline, BaselineLines } from '../baseline/index.js';
import { entryKey } from '../baseline/index.js';
import type { Config } from '../config/index.js';
import { byCodeUnit, KIND_TEXT, programKey, programText } from '../vocabulary/index.js';
import type { Finding } from './types.js';

/** Whether the pull request's edits fail the check (`fail`) or are reported as warnings (`warn`). */
export type EditPolicy = 'fail' | 'warn';

type Section = 'inputs' | 'outputs' | 'programs' | 'endpoints' | 'modified';

/** The entries of a baseline by section: key → how a finding names it. */
function entries(b: Baseline): Map<Section, Map<string, string>> {
  const counted = (xs: readonly { value: string }[]) => new Map(xs.map((c) => [c.value, c.value]));
  return new Map<Section, Map<string, string>>([
    ['inputs', counted(b.inputs)],
    ['outputs', new Map(b.outputs.map((o) => [o.path, o.path]))],
    ['programs', new Map(b.programs.map((p) => [programKey(p), programText(p)]))],
    ['endpoints', counted(b.endpoints)],
    ['modified', counted(b.modified)],
  ]);
}

const SINGULAR: Readonly<Record<Section, string>> = {
  inputs: 'input',
  outputs: 'output',
  programs: 'program',
  endpoints: 'endpoint',
  modified: 'modified source',
};

function finding(
  kind: 'baseline-edited' | 'config-weakened',
  subject: string,
  what: string,
  policy: EditPolicy,
  baselineLine?: number,
): Finding {
  return {
    kind,
    severity: policy === 'fail' ? 'error' : 'warning',
    subject,
    outputs: [],
    message: `${KIND_TEXT[kind].verb} ${what}.`,
    failing: policy === 'fail',
    ...(baselineLine === undefined ? {} : { baselineLine }),
  };
}

/**
 * Every entry the pull request's baseline (`head`, with the lines of its file) adds to
 * or removes from the base commit's (`base`). Added entries point at their line in the
 * pull request's file. A baseline the pull request creates, or deletes, is one finding.
 */
export function baselineEdits(
  base: Baseline | undefined,
  head: { readonly baseline: Baseline; readonly lines: BaselineLines } | undefined,
  policy: EditPolicy,
): Finding[] {
  if (!base && !head) return [];
  const size = (b: Baseline) => [...entries(b).values()].reduce((sum, m) => sum + m.size, 0);
  if (!base)
    return [
      finding(
        'baseline-edited',
        '(new baseline)',
        `a new baseline of ${size(head!.baseline)} entries, made by the pull request itself`,
        policy,
      ),
    ];
  if (!head) return [finding('baseline-edited', '(no baseline)', `that the baseline of ${size(base)} entries is deleted`, policy)];
  const headLines = head.lines;
  const before = entries(base);
  const after = entries(head.baseline);
  const out: Finding[] = [];
  for (const [section, now] of after) {
    const was = before.get(section)!;
    for (const [key, shown] of now) {
      if (!was.has(key))
        out.push(finding('baseline-edited', shown, `a new ${SINGULAR[section]} ${shown}`, policy, headLines.get(entryKey(section, key))));
    }
    for (const [key, shown] of was)
      if (!now.has(key)) out.push(finding('baseline-edited', shown, `that the ${SINGULAR[section]} ${shown} may go away`, policy));
  }
  // A folded set (`fold-outputs`) that the pull request gives another count.
  const counts = new Map(base.outputs.map((o) => [o.path, o.files]));
  for (const o of head.baseline.outputs) {
    const was = counts.get(o.path);
    if (!counts.has(o.path) || (was === undefined && o.files === undefined) || (was ?? 1) === (o.files ?? 1)) continue;
    out.push(
      finding(
        'baseline-edited',
        o.path,
        `that ${o.path} holds ${o.files ?? 1} file${(o.files ?? 1) === 1 ? '' : 's'} (the base's baseline: ${was ?? 1})`,
        policy,
        headLines.get(entryKey('outputs', o.path)),
      ),
    );
  }
  return out.sort((a, b) => byCodeUnit(a.subject, b.subject));
}

/**
 * Every change of the configuration that weakens the check: a kind taken out of
 * `fail-on`; an `ignore`, `collapse`, `fold-outputs` or `normalize` rule added or changed; a `severity`
 * rule added or changed that lowers a finding below an error; a cache added or moved (what is in
 * one is no input).
 */
export function configWeakenings(base: Config, head: Config, policy: EditPolicy): Finding[] {
  const out: Finding[] = [];
  for (const kind of base.failOn)
    if (!head.failOn.includes(kind)) out.push(finding('config-weakened', `fail-on: ${kind}`, `${kind} no longer fails the check`, policy));
  const added = (key: 'ignore' | 'collapse' | 'foldOutputs', name: string, what: string) => {
    for (const glob of head[key])
      if (!base[key].includes(glob))
        out.push(finding('config-weakened', `${name}: ${glob}`, `the ${name} rule ${JSON.stringify(glob)} ${what}`, policy));
  };
  added('ignore', 'ignore', 'leaves matching paths out of the check');
  added('collapse', 'collapse', 'folds matching paths into one entry');
  added('foldOutputs', 'fold-outputs', 'counts the outputs it matches instead of naming them');
  const rule = (n: { pattern: string; replace: string }) => JSON.stringify([n.pattern, n.replace]);
  const baseRules = new Set(base.normalize.map(rule));
  for (const n of head.normalize) {
    if (!baseRules.has(rule(n)))
      out.push(
        finding(
          'config-weakened',
          `normalize: ${n.pattern}`,
          `the normalize rule ${JSON.stringify(n.pattern)} → ${JSON.stringify(n.replace)} rewrites what the check compares`,
          policy,
        ),
      );
  }
  const baseCaches = new Set((base.caches ?? []).map((c) => `${c.name}=${c.path}`));
  for (const c of head.caches ?? [])
    if (!baseCaches.has(`${c.name}=${c.path}`))
      out.push(
        finding(
          'config-weakened',
          `caches: ${c.name}`,
          `the cache ${JSON.stringify(c.path)} makes what is under it one entity, {cache:${c.name}}`,
          policy,
        ),
      );
  const baseSeverity = new Map(base.severity.map((s) => [s.match, s.severity]));
  for (const s of head.severity) {
    if (s.severity === 'error' || baseSeverity.get(s.match) === s.severity) continue;
    out.push(
      finding('config-weakened', `severity: ${s.match}`, `findings matching ${JSON.stringify(s.match)} become ${s.severity}s`, policy),
    );
  }
  return out;
}
