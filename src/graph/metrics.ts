/** Graph figures for the report, from graphology-metrics. */
import { centrality, graph as graphMetrics } from 'graphology-metrics';
import type { DataflowGraph, ProgramNode } from './types.js';
import { programKey } from '../vocabulary/index.js';

export interface GraphFigures {
  readonly nodes: number;
  readonly edges: number;
  readonly programs: number;
  readonly files: number;
  /** Edges over possible edges (directed, multi). */
  readonly density: number;
  /** The programs with the most edges: `{exe, argv, degree}`, at most 5. */
  readonly mostConnected: readonly { readonly exe: string; readonly argv: readonly string[]; readonly degree: number }[];
}

export function graphFigures(g: DataflowGraph): GraphFigures {
  const degree = g.order > 1 ? centrality.degree(g) : {};
  let programs = 0;
  let files = 0;
  g.forEachNode((_k, a) => {
    if (a.kind === 'program') programs++;
    else if (a.kind === 'file') files++;
  });
  const ranked = Object.entries(degree)
    .filter(([k]) => g.getNodeAttribute(k, 'kind') === 'program')
    .map(([k, d]) => {
      const a = g.getNodeAttributes(k) as ProgramNode;
      return { exe: a.exe, argv: a.argv, degree: Math.round(d * (g.order - 1)), id: programKey(a) };
    })
    // Ties are broken by the program, not the node key: keys follow the log's order.
    .sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, 5)
    .map(({ exe, argv, degree: d }) => ({ exe, argv, degree: d }));
  return {
    nodes: g.order,
    edges: g.size,
    programs,
    files,
    density: g.order > 1 ? Number(graphMetrics.density(g).toFixed(6)) : 0,
    mostConnected: ranked,
  };
}
