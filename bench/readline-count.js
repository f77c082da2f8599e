/** The floor for analysis: read a log line by line with node's readline, and count. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

let lines = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
  if (line.length >= 0) lines++;
}
process.stdout.write(`${lines}\n`);
