/** The shared vocabulary: program identity and repository paths. */
import { inWorkspace, programKey, programText, repoPath, shownPath, TOKEN } from '../../src/vocabulary/index.js';

test('a program is its executable and its arguments', () => {
  expect(programKey({ exe: '/usr/bin/cc', argv: ['cc', '-c', 'a.c'] })).toBe('["/usr/bin/cc","cc","-c","a.c"]');
  expect(programText({ exe: '/usr/bin/cc', argv: ['cc', '-c', 'a.c'] })).toBe('/usr/bin/cc -c a.c');
});

test('repository paths: no ./, forward slashes, nothing outside the repository', () => {
  expect(repoPath(`${TOKEN.workspace}/src/a.c`)).toBe('src/a.c');
  expect(repoPath('{workspace}/./src/a.c')).toBe('src/a.c');
  expect(repoPath('{workspace}/../etc/passwd')).toBeUndefined();
  expect(repoPath('/usr/include/stdio.h')).toBeUndefined();
  expect(inWorkspace('{workspace}/a')).toBe(true);
  expect(shownPath('{workspace}/a')).toBe('a');
  expect(shownPath('/usr/a')).toBe('/usr/a');
});
