/** Copies of the fixture projects in temporary directories, and the CLI run on them. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import { captureConsole } from './console.js';
import { FIXTURES, tempDir } from './trace.js';

export function copyFixture(name: 'cproject' | 'tsproject'): string {
  const dir = tempDir(`ioana-${name}-`);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export async function ioana(...argv: string[]) {
  const io = captureConsole();
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

export function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

export const TSC = resolve('node_modules/typescript/bin/tsc');
