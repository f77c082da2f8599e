/**
 * Subject globs as people write them (`--subjects`, the action's `attest` input): relative
 * to the workspace, as paths, or as the baseline names outputs; and the ones that can
 * pick nothing, refused with the glob named.
 */
import { subjectGlob, subjectGlobs, SubjectGlobError } from '../../src/attest/index.js';
import { EXIT } from '../../src/vocabulary/index.js';

const WS = '/home/runner/work/app';

describe('a subject glob', () => {
  it.each([
    ['dist/*.tar.gz', 'dist/*.tar.gz'],
    ['**', '**'],
    ['./dist/*.tar.gz', 'dist/*.tar.gz'],
    ['.//./build/hello', 'build/hello'],
    ['{workspace}/dist/*', 'dist/*'],
    [`${WS}/dist/*.tar.gz`, 'dist/*.tar.gz'],
    ['  build/hello  ', 'build/hello'],
    ['dist/', 'dist/**'],
    ['./', undefined],
  ])('%j is matched as %j', (given, glob) => {
    const s = subjectGlob(given, WS);
    if (glob === undefined) expect(s.kind).toBe('invalid');
    else expect(s).toEqual({ kind: 'glob', glob });
  });

  it.each([
    ['../other/dist/*', /"\.\." leaves it/],
    ['dist/../../x', /"\.\." leaves it/],
    ['/opt/dist/*', /outside the workspace \/home\/runner\/work\/app/],
    // A sibling whose name starts like the workspace's is outside it.
    [`${WS}-old/dist/*`, /outside the workspace/],
    ['.', /the workspace itself/],
    [WS, /the workspace itself/],
    ['{workspace}', /the workspace itself/],
  ])('%j can pick nothing, and says why', (given, why) => {
    const s = subjectGlob(given, WS);
    expect(s.kind).toBe('invalid');
    if (s.kind === 'invalid') expect(s.why).toMatch(why);
  });
});

describe('the subject globs of a command line', () => {
  it('are all matched relative to the workspace', () => {
    expect(subjectGlobs(['./build/hello', `${WS}/build/*.a`], WS)).toEqual(['build/hello', 'build/*.a']);
  });

  it('refuse the first that can pick nothing, naming it and the option, as a usage error', () => {
    let error: unknown;
    try {
      subjectGlobs(['build/hello', '/opt/x'], WS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubjectGlobError);
    expect((error as SubjectGlobError).message).toBe(`attest: --subjects "/opt/x" can pick no output: it is outside the workspace ${WS}.`);
    expect((error as SubjectGlobError).exitCode).toBe(EXIT.usage);
  });
});
