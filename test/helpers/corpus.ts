import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `test/fixtures/corpus/`: real strace output from other projects (its README names each file's origin). */
export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/corpus');

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f !== 'README.md')
    .sort();
}

/** The lines of a file as the CLI reads them: split on "\n", no empty line after the last newline. */
export function fileLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export const corpusPath = (name: string): string => join(CORPUS_DIR, name);
