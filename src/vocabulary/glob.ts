/**
 * Globs for `.ioana.yml` (`ignore`, `collapse`, `severity`): `**` matches across
 * slashes, `*` within one path segment, `?` one character. Braces are literal, so
 * that `{workspace}/**` names the token.
 */

/** `{workspace}/node_modules/*\/**` → a RegExp anchored at both ends. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        // `a/**/b` also matches `a/b`.
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Does `glob` match every path (`**`, `/**`, `*`…)? Such an `ignore` would hide the whole build. */
export function matchesEverything(glob: string): boolean {
  const re = globToRegExp(glob);
  return ['/etc/passwd', '{workspace}/src/a.c', '{home}/.ssh/id_rsa', 'tcp://1.2.3.4:80'].every((p) => re.test(p));
}

/**
 * `{workspace}/node_modules/*\/**` applied to `{workspace}/node_modules/lodash/fp/map.js`
 * → `{workspace}/node_modules/lodash/**`: the glob's fixed part and its single-star
 * segments, then `/**`. Returns undefined when the glob does not match.
 */
export function collapseWith(glob: string, path: string): string | undefined {
  const starStar = glob.indexOf('**');
  if (starStar < 0) return globToRegExp(glob).test(path) ? glob : undefined;
  if (!globToRegExp(glob).test(path)) return undefined;
  const head = glob.slice(0, starStar).replace(/\/$/, '');
  const segments = head.split('/');
  const parts = path.split('/');
  if (parts.length <= segments.length) return undefined;
  return [...parts.slice(0, segments.length), '**'].join('/');
}
