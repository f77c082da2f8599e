/**
 * Mermaid's own parser, for the tests (issue 15: every drawing the tests produce is
 * checked by it). This is `mermaid.parse` of the real `mermaid` package (a devDependency,
 * never in the bundle): the code a renderer runs before it draws — front matter and
 * directives, diagram detection, entity codes, the flowchart's jison grammar and the
 * FlowDB its actions call (which rejects, for instance, unknown shapes).
 *
 * Mermaid passes every label through DOMPurify while it parses, and DOMPurify needs a DOM:
 * a jsdom window is on `globalThis.window` while mermaid (and so DOMPurify) is imported. Loaded once per test file (2–4 s); a call then costs about 10 ms for a small
 * flowchart and 60 ms for one of 60 nodes (mermaid copies its configuration on every node).
 *
 * What it does not check: the rendering (layout, icons, KaTeX), which needs a browser.
 */
import { JSDOM } from 'jsdom';
import type { Mermaid } from 'mermaid';

interface Loaded {
  readonly mermaid: Mermaid;
  readonly dom: JSDOM;
}

let loaded: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  const dom = new JSDOM('');
  // The new window fires its load event on the next tick: let it, rather than after jest has torn the file down.
  await new Promise((settled) => setImmediate(settled));
  const scope = globalThis as { window?: unknown };
  const own = scope.window === undefined;
  if (own) scope.window = dom.window;
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false });
  // The flowchart's code is loaded on first use: load it while the window is there.
  await mermaid.parse('flowchart LR\n  a["a"] --> b');
  // DOMPurify keeps the window it was given; nothing else in parsing needs one, and a window
  // left on the global is one jest would tear down (and warn about) after the file.
  if (own) delete scope.window;
  return { mermaid, dom };
}

/** The diagram type mermaid detects (`flowchart-v2` for `flowchart LR`); throws mermaid's own error when `text` does not parse. */
export async function parseMermaid(text: string): Promise<string> {
  loaded ??= load();
  const { mermaid } = await loaded;
  // Without `suppressErrors`, mermaid throws its own error rather than answering false.
  const result = await mermaid.parse(text);
  return result.diagramType;
}

const numbered = (text: string): string =>
  text
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)} | ${l}`)
    .join('\n');

/**
 * For assertions: `text` parses as a flowchart. On failure the error carries mermaid's
 * message and the drawing with line numbers, which mermaid's message refers to.
 */
export async function expectMermaid(text: string): Promise<void> {
  let type: string;
  try {
    type = await parseMermaid(text);
  } catch (e) {
    throw new Error(`mermaid does not parse this drawing: ${e instanceof Error ? e.message : String(e)}\n${numbered(text)}`, { cause: e });
  }
  if (type !== 'flowchart-v2') throw new Error(`mermaid reads this drawing as ${type}, not as a flowchart:\n${numbered(text)}`);
}

interface FlowVertex {
  readonly id: string;
  readonly text?: string;
}

/**
 * A flowchart's node labels as mermaid keeps them once parsed, with its entity codes
 * (`#quot;`, `#35;`) turned into the characters a reader sees: id → label.
 */
export async function flowchartLabels(text: string): Promise<Map<string, string>> {
  await expectMermaid(text);
  const { mermaid, dom } = await loaded!;
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const vertices = (diagram.db as { getVertices(): Map<string, FlowVertex> }).getVertices();
  const shown = dom.window.document.createElement('div');
  const labels = new Map<string, string>();
  for (const v of vertices.values()) {
    // mermaid's decodeEntities (what the renderer does), then HTML's.
    shown.innerHTML = (v.text ?? '').replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
    labels.set(v.id, shown.textContent ?? '');
  }
  return labels;
}
