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

/** For a Mermaid label inside double quotes: entity codes, no line breaks, no fence-closing backticks. */
export function mermaid(text: string): string {
  return text
    .replace(/[&"<>#`]/g, (c) => ({ '&': '#amp;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '#': '#35;', '`': '#96;' })[c] as string)
    .replace(/[\r\n\t]+/g, ' ');
}

/** `make -j2` → `'make -j2'`; a single quote inside is closed, escaped and reopened. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
