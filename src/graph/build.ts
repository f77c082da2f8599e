/** Dataflow records → a graphology graph. */
import { MultiDirectedGraph } from 'graphology';
import type { Dataflow } from '../model/index.js';
import { objectKey, imageKey, type DataflowGraph, type EdgeAttributes, type ObjectNode } from './types.js';

const NODE_KINDS = new Set<ObjectNode['kind']>(['file', 'directory', 'pipe', 'socketpair', 'endpoint', 'device']);

/**
 * Every image becomes a program node, every object that was accessed an object node;
 * accesses, spawns and file operations become edges. The horizon and sockets that
 * never connected are left out: nothing flows through them that the build owns.
 */
export function buildGraph(flow: Dataflow): DataflowGraph {
  const g: DataflowGraph = new MultiDirectedGraph();
  for (const im of flow.images) {
    g.addNode(imageKey(im.id), {
      kind: 'program',
      image: im.id,
      origin: im.origin,
      exe: im.exe,
      argv: im.argv,
      cwd: im.cwd,
      pid: im.pid,
      start: im.start,
      end: im.end,
      exitCode: im.exitCode,
      signal: im.signal,
      ...(im.untraced ? { untraced: im.untraced } : {}),
      ...(im.launcher ? { launcher: true as const } : {}),
      ...(im.reached ? { reached: im.reached } : {}),
    });
  }
  for (const im of flow.images) {
    if (im.parent !== undefined) {
      g.addDirectedEdge(imageKey(im.parent), imageKey(im.id), { kind: 'spawn', since: im.start, until: im.start, via: im.via });
    }
  }
  const ensure = (id: number): string | undefined => {
    const key = objectKey(id);
    if (g.hasNode(key)) return key;
    const o = flow.objects[id];
    if (!o || !NODE_KINDS.has(o.kind as ObjectNode['kind'])) return undefined;
    g.addNode(key, {
      kind: o.kind as ObjectNode['kind'],
      object: o.id,
      path: o.path,
      names: [...o.names],
      existedBefore: o.existedBefore,
      detached: o.detached,
      ...(o.result === undefined ? {} : { result: o.result }),
    });
    return key;
  };
  for (const a of flow.accesses) {
    const obj = ensure(a.object);
    if (!obj) continue;
    const img = imageKey(a.image);
    const attrs: EdgeAttributes = {
      kind: a.mode,
      since: a.since,
      until: a.until,
      ...(a.calls === undefined ? {} : { calls: a.calls }),
      ...(a.bytes === undefined ? {} : { bytes: a.bytes }),
    };
    if (a.mode === 'write' || a.mode === 'connect') g.addDirectedEdge(img, obj, attrs);
    else g.addDirectedEdge(obj, img, attrs);
  }
  for (const op of flow.operations) {
    if (op.object === undefined || (op.kind !== 'rename' && op.kind !== 'unlink')) continue;
    const obj = ensure(op.object);
    if (obj) g.addDirectedEdge(imageKey(op.image), obj, { kind: op.kind === 'rename' ? 'rename' : 'delete', since: op.seq, until: op.seq });
  }
  return g;
}
