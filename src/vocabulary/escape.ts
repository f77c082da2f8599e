/** Escaping for what reaches Markdown, HTML and Mermaid: paths come from the build, and a build can name files anything. */

/** For HTML text and attributes, and Markdown table cells (`|` would split the cell, backticks open code). */
export function html(text: string): string {
  return text.replace(/[&<>"'|`\\*_[\]]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\r\n\t]+/g, ' ');
}

/** A path or command shown as code inside a table: `<code>` rather than backticks, so nothing can close it. */
export function code(text: string, max = 200): string {
  const cut = text.length > max ? text.slice(0, max - 1) + '…' : text;
  return `<code>${html(cut)}</code>`;
}

/**
 * Mermaid entity codes (`#quot;`, `#35;`: the renderer shows the character) for what mermaid
 * would act on in a label: `"` ends it, `` ` `` closes the Markdown fence, `<`, `>` and `&`
 * are HTML, `#` starts an entity code, `%%{…}%%` is a directive (mermaid removes it from the
 * text and applies it, wherever it is), `:` after `style` or `classDef` on the line makes
 * mermaid drop a `;` (breaking an entity code) and `fa:fa-…` is an icon, `$$…$$` is KaTeX
 * (which throws on bad TeX), and `\n` written as two characters is a line break.
 */
const MERMAID_CODES: Readonly<Record<string, string>> = {
  '&': '#amp;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '#': '#35;',
  '`': '#96;',
  '%': '#37;',
  ':': '#58;',
  $: '#36;',
  '\\': '#92;',
};

/** For a Mermaid label inside double quotes: entity codes, no line breaks, never empty (`[""]` does not parse). */
export function mermaid(text: string): string {
  const shown = text.replace(/[&"<>#`%:$\\]/g, (c) => MERMAID_CODES[c]).replace(/[\r\n\t]+/g, ' ');
  return shown === '' ? ' ' : shown;
}

/** `make -j2` → `'make -j2'`; a single quote inside is closed, escaped and reopened. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Characters a terminal or the runner would act on rather than show: C0 controls (line
 * breaks, escape sequences, carriage returns that overwrite a line), DEL, C1 controls,
 * and the bidirectional overrides that reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string from the build, safe to print on one line of a terminal or a CI log: every
 * unsafe character shown as `\xNN` or `\u{NNNN}`, and a leading `::` (a workflow command,
 * when the CLI runs in a `run:` step) written `\x3a:`.
 * `"\u001b[31mred"` → `\x1b[31mred`; `"::error::x"` → `\x3a:error::x`.
 */
export function terminal(text: string): string {
  const shown = text.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
  return shown.startsWith('::') ? `\\x3a${shown.slice(1)}` : shown;
}
