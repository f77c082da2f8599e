export type * from './types.js';
export { imageKey, objectKey } from './types.js';
export { buildGraph } from './build.js';
export {
  actorsOf,
  horizonSets,
  isTemporaryPath,
  modifiedFiles,
  nodePath,
  wrappers,
  DEFAULT_TMP_ROOTS,
  type Actors,
  type HorizonSets,
  type ModifiedFile,
  type Program,
  type SetOptions,
} from './sets.js';
export { Provenance, type ProvenanceOptions } from './provenance.js';
export { foreignProcesses, type ForeignReach } from './foreign.js';
export { graphFigures, type GraphFigures } from './metrics.js';
export { graphDocument, workspacePath, workspaceArg, type GraphDocument, type DocumentOptions } from './document.js';
export { toMermaid, toDot, drawingOf, label, type DrawOptions, type Drawing } from './render.js';
export { flows, bytesCounted, ioSamples, endpointTraffic, formatBytes, type Flow, type FlowOptions } from './flows.js';
export { containerDaemons, type ContainerDaemon } from './containers.js';
