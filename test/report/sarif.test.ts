/**
 * The SARIF export (src/report/sarif.ts): valid against the official SARIF 2.1.0 schema
 * and what GitHub code scanning asks beyond it; one rule per finding kind; findings
 * placed where the annotations place them; fingerprints that follow the change, not
 * the run.
 */
import type { Finding } from '../../src/diff/index.js';
import { HOME_REPOSITORY } from '../../src/host/version.js';
import {
  annotationsFor,
  FINGERPRINT_KEY,
  findingFingerprint,
  MAX_RESULTS,
  renderSarif,
  SARIF_SCHEMA,
  type Report,
  type SarifLog,
  type SarifResult,
} from '../../src/report/index.js';
import { INFORMATION_URI } from '../../src/report/sarif.js';
import { FINDING_KINDS } from '../../src/vocabulary/index.js';
import { githubProblems, schemaErrors } from '../helpers/sarif.js';

const W = '{workspace}';

const finding = (over: Partial<Finding>): Finding => ({
  kind: 'new-input',
  severity: 'warning',
  subject: `${W}/src/a.h`,
  outputs: [`${W}/build/a.o`],
  message: `The build now reads ${W}/src/a.h.`,
  failing: true,
  ...over,
});

const report = (findings: Finding[], over: Partial<Report> = {}): Report => ({
  version: 1,
  status: findings.length ? 'changed' : 'clean',
  findings,
  failing: findings.filter((f) => f.failing).length,
  build: { command: ['bash', '-c', 'make'], exitCode: 0, signal: null },
  partial: false,
  baseline: 'baselines/build.yml',
  stats: {},
  ...over,
});

const FILES = { baseline: 'baselines/build.yml', config: '.ioana.yml' };
const sarif = (r: Report, files: { baseline: string; config?: string } = FILES): SarifLog =>
  // Through JSON, as it is written: what a consumer reads.
  JSON.parse(JSON.stringify(renderSarif(r, { files, version: '1.2.3', accept: 'ioana update --baseline baselines/build.yml -- make' })));
const results = (log: SarifLog): SarifResult[] => [...log.runs[0].results];
const where = (r: SarifResult) => ({
  uri: r.locations[0].physicalLocation.artifactLocation.uri,
  line: r.locations[0].physicalLocation.region?.startLine,
});

/** One finding of every kind, placed as each is in real reports. */
const EVERY_KIND: Finding[] = [
  finding({ kind: 'source-modified', severity: 'error', subject: `${W}/src/main.c`, by: 'sed -i s/a/b/ src/main.c' }),
  finding({ kind: 'credential-read', severity: 'error', subject: '{home}/.ssh/id_rsa', outputs: [] }),
  finding({ kind: 'new-endpoint', severity: 'error', subject: '93.184.216.34:443', outputs: [], by: 'curl -sO https://example.com/x' }),
  finding({ kind: 'vanished-output', severity: 'error', subject: `${W}/build/hashsum`, baselineLine: 31, outputs: [] }),
  finding({ kind: 'untraced-io', severity: 'error', subject: 'io_uring', outputs: [] }),
  finding({ kind: 'tampering', severity: 'error', subject: '{step-files}/GITHUB_OUTPUT', outputs: [] }),
  finding({ kind: 'baseline-edited', severity: 'error', subject: `${W}/evil.h`, baselineLine: 7, outputs: [] }),
  finding({ kind: 'config-weakened', severity: 'error', subject: 'ignore: /tmp/**', outputs: [] }),
  finding({}),
  finding({ kind: 'new-output', subject: `${W}/build/extra.o` }),
  finding({ kind: 'new-program', subject: '/usr/bin/curl -sO https://example.com/x' }),
  finding({ kind: 'vanished-input', severity: 'notice', failing: false, subject: `${W}/src/old.h`, baselineLine: 12 }),
  finding({ kind: 'vanished-program', severity: 'notice', failing: false, subject: '/usr/bin/strip build/app', baselineLine: 50 }),
  finding({ kind: 'changed-arguments', severity: 'notice', failing: false, subject: '/usr/bin/cc', added: ['cc -O3 -c a.c'], removed: [] }),
  finding({ kind: 'changed-provenance', severity: 'notice', failing: false, subject: `${W}/build/a.o`, added: [`${W}/src/a.h`] }),
];

describe('the SARIF log', () => {
  test('is valid: the official SARIF 2.1.0 schema, and what GitHub code scanning asks', () => {
    for (const r of [report([]), report(EVERY_KIND)]) {
      const log = sarif(r);
      expect(schemaErrors(log)).toEqual([]);
      expect(githubProblems(log)).toEqual([]);
    }
  });

  test('the validation is real: it refuses what GitHub refuses', () => {
    const log = sarif(report([finding({})])) as unknown as { runs: { results: { locations: unknown[]; level: string }[] }[] };
    log.runs[0].results[0].level = 'notice';
    expect(schemaErrors(log).join('\n')).toMatch(/level/);
    log.runs[0].results[0].level = 'warning';
    log.runs[0].results[0].locations = [];
    expect(schemaErrors(log)).toEqual([]);
    expect(githubProblems(log)).toEqual(['runs[0].results[0]: 1 to 1,000 locations, not 0']);
  });

  test('one tool, ioana, at its home, with its version', () => {
    const { driver } = sarif(report([])).runs[0].tool;
    expect(driver).toMatchObject({
      name: 'ioana',
      informationUri: 'https://github.com/ioana/action',
      version: '1.2.3',
      semanticVersion: '1.2.3',
    });
    expect(INFORMATION_URI).toBe(`https://github.com/${HOME_REPOSITORY}`);
    expect(sarif(report([])).$schema).toBe(SARIF_SCHEMA);
  });

  test('one rule per finding kind, with a name, descriptions and help that says what to do', () => {
    const { rules } = sarif(report([])).runs[0].tool.driver;
    expect(rules.map((r) => r.id)).toEqual([...FINDING_KINDS]);
    for (const rule of rules) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(rule.shortDescription.text).toMatch(/^ioana: /);
      expect(rule.fullDescription.text.length).toBeGreaterThan(20);
      expect(rule.help.text).toContain(rule.fullDescription.text);
      expect(rule.help.text).toMatch(/ioana update/);
      expect(rule.help.markdown).toContain(`\`${rule.id}\``);
      expect(rule.helpUri).toBe('https://github.com/ioana/action#findings');
    }
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('new-input')?.name).toBe('NewInput');
    expect(byId.get('credential-read')?.fullDescription.text).toMatch(/credential or identity file/);
    expect(byId.get('source-modified')?.help.text).toMatch(/names the program that wrote it/);
    // The kinds' default severities (README's findings table), notice → note.
    const levels = Object.fromEntries(rules.map((r) => [r.id, r.defaultConfiguration.level]));
    expect(levels).toMatchObject({
      'new-input': 'warning',
      'vanished-input': 'note',
      'new-output': 'warning',
      'vanished-output': 'error',
      'new-program': 'warning',
      'new-endpoint': 'error',
      'changed-provenance': 'note',
      'source-modified': 'error',
      'credential-read': 'error',
      tampering: 'error',
      'config-weakened': 'error',
    });
  });

  test("one result per top-level finding, in the report's order, with its rule, level and message", () => {
    const log = sarif(report(EVERY_KIND));
    const rules = log.runs[0].tool.driver.rules;
    expect(results(log).map((r) => r.ruleId)).toEqual(EVERY_KIND.map((f) => f.kind));
    for (const [i, r] of results(log).entries()) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.message.text).toBe(EVERY_KIND[i].message);
      expect(r.level).toBe({ error: 'error', warning: 'warning', notice: 'note' }[EVERY_KIND[i].severity]);
      expect(r.properties).toMatchObject({ failing: EVERY_KIND[i].failing, subject: EVERY_KIND[i].subject });
    }
    expect(log.runs[0].properties).toMatchObject({ status: 'changed', findings: 15, failing: 11, baseline: 'baselines/build.yml' });
  });

  test('a finding with its effects says how many, and lists them in its properties', () => {
    const effects = Array.from({ length: 25 }, (_, i) =>
      finding({ kind: 'changed-provenance', severity: 'notice', failing: false, subject: `${W}/build/o${i}.o`, message: `o${i}` }),
    );
    const [r] = results(sarif(report([finding({ effects, by: 'cc -c src/a.c' })])));
    expect(r.message.text).toBe(`The build now reads ${W}/src/a.h (25 more findings follow from it: see the JSON report).`);
    expect(r.properties).toMatchObject({ effectCount: 25, by: 'cc -c src/a.c', outputs: 1 });
    expect((r.properties.effects as unknown[]).length).toBe(20);
    expect((r.properties.effects as unknown[])[0]).toEqual({
      kind: 'changed-provenance',
      subject: `${W}/build/o0.o`,
      severity: 'notice',
      message: 'o0',
    });
    const [one] = results(sarif(report([finding({ effects: effects.slice(0, 1) })])));
    expect(one.message.text).toMatch(/ \(1 more finding follows from it: see the JSON report\)\.$/);
  });

  test("a group's count and members are in its properties", () => {
    const members = Array.from({ length: 30 }, (_, i) => `${W}/include/h${i}.h`).slice(0, 20);
    const [r] = results(sarif(report([finding({ subject: `${W}/include/`, count: 30, members })])));
    expect(r.properties).toMatchObject({ count: 30, members });
  });
});

describe('where results are placed', () => {
  test('on the repository file, the baseline line, or the configuration: where the annotations put them', () => {
    const log = sarif(report(EVERY_KIND));
    const placed = Object.fromEntries(results(log).map((r) => [r.ruleId, where(r)]));
    expect(placed).toMatchObject({
      'new-input': { uri: 'src/a.h', line: undefined },
      'source-modified': { uri: 'src/main.c', line: undefined },
      'vanished-output': { uri: 'baselines/build.yml', line: 31 },
      'vanished-input': { uri: 'baselines/build.yml', line: 12 },
      'vanished-program': { uri: 'baselines/build.yml', line: 50 },
      'baseline-edited': { uri: 'baselines/build.yml', line: 7 },
      'config-weakened': { uri: '.ioana.yml', line: undefined },
    });
    // The same placement as the annotations (src/report/location.ts), wherever they have one.
    const annotations = annotationsFor(EVERY_KIND, FILES, { error: -100, warning: -100, notice: -100 });
    for (const [i, a] of annotations.entries()) {
      if (a.file)
        expect({ kind: EVERY_KIND[i].kind, ...where(results(log)[i]) }).toEqual({ kind: EVERY_KIND[i].kind, uri: a.file, line: a.line });
    }
    for (const r of results(log)) expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
  });

  test('a finding about no file of the repository is placed on the baseline: code scanning refuses a result without a location', () => {
    const log = sarif(report(EVERY_KIND));
    const placed = Object.fromEntries(results(log).map((r) => [r.ruleId, where(r)]));
    for (const kind of ['credential-read', 'new-endpoint', 'untraced-io', 'tampering', 'new-output', 'new-program', 'changed-arguments'])
      expect({ kind, ...placed[kind] }).toEqual({ kind, uri: 'baselines/build.yml', line: undefined });
    // An input outside the repository too.
    const [usr] = results(sarif(report([finding({ subject: '/usr/include/stdio.h', severity: 'notice' })])));
    expect(where(usr)).toEqual({ uri: 'baselines/build.yml', line: undefined });
  });

  test('paths are URIs: escaped, and a baseline outside the repository is a file: URI', () => {
    const [spaced] = results(sarif(report([finding({ subject: `${W}/src/my header#1.h` })])));
    expect(where(spaced).uri).toBe('src/my%20header%231.h');
    const [outside] = results(sarif(report([finding({ kind: 'new-output' })]), { baseline: '/srv/ci/base line.yml' }));
    expect(outside.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///srv/ci/base%20line.yml' });
    expect(schemaErrors(sarif(report([finding({ kind: 'new-output' })]), { baseline: '/srv/ci/base line.yml' }))).toEqual([]);
  });
});

describe('fingerprints', () => {
  const fingerprints = (log: SarifLog) => results(log).map((r) => r.partialFingerprints[FINGERPRINT_KEY]);

  test('the same change gives the same fingerprints, whatever else differs between the runs', () => {
    const first = report(EVERY_KIND);
    // Another run of the same change: other messages (a `by` with other temporary names), other outputs, another order.
    const second = report(
      [...EVERY_KIND].reverse().map((f) => ({ ...f, message: `${f.message} (again)`, outputs: [...f.outputs, `${W}/build/more`] })),
      { build: { command: ['make', '-j8'], exitCode: 0, signal: null } },
    );
    const a = new Map(results(sarif(first)).map((r) => [r.ruleId, r.partialFingerprints]));
    const b = new Map(results(sarif(second)).map((r) => [r.ruleId, r.partialFingerprints]));
    expect(b).toEqual(a);
    expect(fingerprints(sarif(first)).every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true);
  });

  test('different subjects, or different kinds of one subject, have different fingerprints', () => {
    const all = fingerprints(sarif(report(EVERY_KIND)));
    expect(new Set(all).size).toBe(all.length);
    const [a, b, c] = fingerprints(
      sarif(report([finding({}), finding({ subject: `${W}/src/b.h` }), finding({ kind: 'credential-read', severity: 'error' })])),
    );
    expect(new Set([a, b, c]).size).toBe(3);
    expect(a).toBe(findingFingerprint({ kind: 'new-input', subject: `${W}/src/a.h` }));
  });

  test("code scanning's own key: computed by upload-sarif for a line, given by ioana for a whole file", () => {
    const log = sarif(report(EVERY_KIND));
    for (const r of results(log)) {
      const hash = r.partialFingerprints.primaryLocationLineHash;
      if (r.locations[0].physicalLocation.region) expect({ rule: r.ruleId, hash }).toEqual({ rule: r.ruleId, hash: undefined });
      else expect(hash).toBe(`${r.partialFingerprints[FINGERPRINT_KEY].slice(0, 16)}:1`);
    }
    // Many findings on the baseline: as many alerts.
    const onBaseline = results(log).filter((r) => where(r).uri === 'baselines/build.yml' && where(r).line === undefined);
    expect(onBaseline.length).toBeGreaterThan(5);
    expect(new Set(onBaseline.map((r) => r.partialFingerprints.primaryLocationLineHash)).size).toBe(onBaseline.length);
  });
});

describe('the run', () => {
  test('a failed or interrupted build is said in the invocation; a clean one is successful', () => {
    expect(sarif(report([])).runs[0].invocations).toEqual([{ executionSuccessful: true }]);
    const failed = sarif(report([finding({})], { status: 'build-failed', build: { command: ['make'], exitCode: 2, signal: null } }));
    expect(failed.runs[0].invocations[0]).toEqual({
      executionSuccessful: false,
      toolExecutionNotifications: [
        { level: 'error', message: { text: 'The traced build failed (exit status 2): the findings cover what it did before it failed.' } },
      ],
    });
    const interrupted = sarif(
      report([], {
        status: 'build-failed',
        partial: true,
        build: { command: ['make'], exitCode: null, signal: 'SIGINT', interrupted: 'SIGINT' },
      }),
    );
    expect(interrupted.runs[0].invocations[0].toolExecutionNotifications?.[0].message.text).toMatch(/interrupted by SIGINT/);
    for (const log of [failed, interrupted]) expect(schemaErrors(log)).toEqual([]);
  });

  test(`at most ${MAX_RESULTS} results (what code scanning shows), failing ones first as the report orders them`, () => {
    const many = Array.from({ length: MAX_RESULTS + 7 }, (_, i) => finding({ subject: `${W}/gen/f${i}.h` }));
    const log = sarif(report(many));
    expect(results(log).length).toBe(MAX_RESULTS);
    expect(log.runs[0].properties).toMatchObject({ findings: MAX_RESULTS + 7, omittedFindings: 7 });
    expect(results(log)[0].properties.subject).toBe(`${W}/gen/f0.h`);
  });

  test('the accept command is in the run properties', () => {
    expect(sarif(report([finding({})])).runs[0].properties.accept).toBe('ioana update --baseline baselines/build.yml -- make');
  });
});
