/**
 * The in-toto Statement v1 and SLSA provenance v1 schemas (test/schemas/attest, written
 * from the specs: ORIGIN.md says from which) as ajv validators.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';

/**
 * RFC 3986 URIs (`format: uri`) without ajv-formats: a scheme, then only characters a
 * URI may hold (no spaces, braces, quotes), and one WHATWG URL can parse.
 */
const isUri = (s: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s{}"<>\\^`|]*$/.test(s) && URL.canParse(s);

const ajv = new Ajv({
  allErrors: true,
  strict: true,
  // `required` inside anyOf (one of uri, digest, content) names properties defined beside it, not in it.
  strictRequired: false,
  formats: { uri: isUri, 'date-time': (s: string) => !Number.isNaN(Date.parse(s)) },
});
const load = (name: string) => JSON.parse(readFileSync(resolve('test/schemas/attest', name), 'utf8')) as object;

export const validStatement = ajv.compile(load('in-toto-statement-v1.schema.json'));
export const validProvenance = ajv.compile(load('slsa-provenance-v1.schema.json'));

/** Both schemas' errors for a statement, as text; empty when it is valid. */
export function schemaErrors(statement: { predicate?: unknown }): string {
  const errors: string[] = [];
  if (!validStatement(statement)) errors.push(ajv.errorsText(validStatement.errors, { dataVar: 'statement' }));
  if (!validProvenance(statement.predicate)) errors.push(ajv.errorsText(validProvenance.errors, { dataVar: 'predicate' }));
  return errors.join('\n');
}
