/**
 * The bundles under test: dist/cli.js and dist/index.js as committed, or another build of
 * them named by IOANA_CLI and IOANA_ACTION (a development bundle, or an older release to
 * compare against: the security tests are run against the bundle before a fix to show
 * that they fail there).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const CLI = process.env.IOANA_CLI ? resolve(process.env.IOANA_CLI) : join(REPO, 'dist/cli.js');
export const ACTION = process.env.IOANA_ACTION ? resolve(process.env.IOANA_ACTION) : join(REPO, 'dist/index.js');
