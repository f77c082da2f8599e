/** Line numbers for YAML nodes, so that errors can say where. */
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';

export interface LocatedDocument {
  readonly doc: Document.Parsed;
  /** 1-based line of a node's start, or undefined. */
  line(node: unknown): number | undefined;
}

export function parseLocated(text: string): LocatedDocument {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  return {
    doc,
    line: (node) => (isNode(node) && node.range ? counter.linePos(node.range[0]).line : undefined),
  };
}

/** The first error of a parsed document: its message and 1-based line. */
export function firstError(located: LocatedDocument): { message: string; line?: number } | undefined {
  const e = located.doc.errors[0];
  if (!e) return undefined;
  const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return { message, line: e.linePos?.[0]?.line };
}
