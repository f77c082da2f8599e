/** Graph figures for the report, from graphology-metrics. */
import { centrality, graph as graphMetrics } from 'graphology-metrics';
import type { DataflowGraph, ProgramNode } from './types.js';

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
    .map(([k, d]) => ({ key: k, degree: Math.round(d * (g.order - 1)) }))
    .sort((a, b) => b.degree - a.degree || (a.key < b.key ? -1 : 1))
    .slice(0, 5)
    .map(({ key, degree: d }) => {
      const a = g.getNodeAttributes(key) as ProgramNode;
      return { exe: a.exe, argv: a.argv, degree: d };
    });
  return {
    nodes: g.order,
    edges: g.size,
    programs,
    files,
    density: g.order > 1 ? Number(graphMetrics.density(g).toFixed(6)) : 0,
    mostConnected: ranked,
  };
}
