export type * from './events.js';
export { parseLine, type LineRecord } from './line.js';
export { StraceParser, parseLines, parseTrace, emptyStats, type EventSink, type ParserOptions } from './stream.js';
export {
  decodeArgv,
  decodeCString,
  decodeFd,
  decodeSockaddr,
  decodeTarget,
  splitArray,
  splitFlags,
  unescapeC,
  type DecodedArgv,
  type DecodedString,
  type SockAddr,
} from './values.js';
