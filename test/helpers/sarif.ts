/**
 * SARIF logs checked as their consumers check them: against the official SARIF 2.1.0
 * JSON Schema (test/fixtures/sarif/, see its ORIGIN.md), with ajv, and against what
 * GitHub code scanning's ingestion asks beyond the schema (docs.github.com, "SARIF
 * support for code scanning"; a file that breaks one of these is refused whole, or its
 * results are not shown).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { FIXTURES } from './trace.js';

/** RFC 3339 date-time, as JSON Schema's `date-time` format. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
/** The characters RFC 3986 allows in a URI reference, percent-escapes whole. */
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

let validator: ValidateFunction | undefined;

/** The schema's validator, compiled once; ajv has no formats of its own: the three the schema uses are given here. */
export function sarifSchema(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'sarif/sarif-schema-2.1.0.json'), 'utf8')) as object;
  // Strict, but for one thing the official schema does: `anyOf` branches that require a
  // property they define elsewhere (`index` of a reportingDescriptorReference).
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  ajv.addFormat('uri', (s: string) => URI_REFERENCE.test(s) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s));
  ajv.addFormat('uri-reference', (s: string) => URI_REFERENCE.test(s));
  ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)));
  validator = ajv.compile(schema);
  return validator;
}

/** The schema's complaints about a log, as `path: message` lines; empty when it is valid. */
export function schemaErrors(log: unknown): string[] {
  const validate = sarifSchema();
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}

interface Loose {
  [key: string]: unknown;
}
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' ? (v as Loose) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof obj(v).text === 'string' ? (obj(v).text as string) : '');

/** What GitHub code scanning refuses or cannot show, beyond the schema. */
export function githubProblems(log: unknown): string[] {
  const problems: string[] = [];
  const root = obj(log);
  if (typeof root.$schema !== 'string' || root.$schema === '') problems.push('$schema is required');
  if (root.version !== '2.1.0') problems.push('version must be 2.1.0');
  const runs = arr(root.runs);
  if (runs.length < 1 || runs.length > 20) problems.push(`1 to 20 runs, not ${runs.length}`);
  for (const [r, run] of runs.entries()) {
    const driver = obj(obj(obj(run).tool).driver);
    if (!driver.name) problems.push(`runs[${r}]: tool.driver.name is required`);
    const rules = arr(driver.rules);
    const ids = rules.map((rule) => obj(rule).id);
    for (const [i, rule] of rules.entries()) {
      const at = `runs[${r}].rules[${i}]`;
      const short = text(obj(rule).shortDescription);
      const full = text(obj(rule).fullDescription);
      if (!short || short.length > 1024) problems.push(`${at}: shortDescription.text is required, at most 1024 characters`);
      if (!full || full.length > 1024) problems.push(`${at}: fullDescription.text is required, at most 1024 characters`);
      if (!text(obj(rule).help)) problems.push(`${at}: help.text is required`);
      const name = obj(rule).name;
      if (typeof name === 'string' && name.length > 255) problems.push(`${at}: name is at most 255 characters`);
      if (arr(obj(obj(rule).properties).tags).length > 20) problems.push(`${at}: at most 20 tags`);
    }
    const results = arr(obj(run).results);
    if (results.length > 25_000) problems.push(`runs[${r}]: at most 25,000 results, not ${results.length}`);
    for (const [i, result] of results.entries()) {
      const at = `runs[${r}].results[${i}]`;
      const res = obj(result);
      if (!text(res.message)) problems.push(`${at}: message.text is required`);
      if (res.ruleId !== undefined && !ids.includes(res.ruleId)) problems.push(`${at}: ruleId ${String(res.ruleId)} names no rule`);
      if (typeof res.ruleIndex === 'number' && ids[res.ruleIndex] !== res.ruleId) problems.push(`${at}: ruleIndex does not match ruleId`);
      const locations = arr(res.locations);
      // "locationFromSarifResult: expected at least one location": the upload fails.
      if (locations.length < 1 || locations.length > 1000) problems.push(`${at}: 1 to 1,000 locations, not ${locations.length}`);
      for (const location of locations) {
        const uri = obj(obj(obj(location).physicalLocation).artifactLocation).uri;
        if (typeof uri !== 'string' || uri === '') problems.push(`${at}: physicalLocation.artifactLocation.uri is required`);
        const line = obj(obj(obj(location).physicalLocation).region).startLine;
        if (line !== undefined && !(Number.isInteger(line) && (line as number) >= 1)) problems.push(`${at}: region.startLine must be >= 1`);
      }
    }
  }
  return problems;
}
