/**
 * Larger logs from a real one: k copies of a build's log, pids offset so that each
 * copy is its own processes, each copy's first process made a child of the first
 * copy's (as if one build ran k builds in a row). The first copy's first process ends
 * after the last copy: its exit lines are held back to the end, so that it is alive
 * when it starts the other copies.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const PID = /^(\d+)(\s)/;

export async function scaleLog(source, target, copies) {
  const out = createWriteStream(target);
  const write = (s) => new Promise((r) => (out.write(s) ? r() : out.once('drain', r)));
  let root;
  const rootEnd = [];
  for (let k = 0; k < copies; k++) {
    const offset = k * 1_000_000;
    let first = true;
    for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) {
      const m = PID.exec(line);
      if (!m) {
        await write(line + '\n');
        continue;
      }
      const pid = Number(m[1]) + offset;
      if (first) {
        root ??= pid;
        if (k > 0) await write(`${root} vfork() = ${pid}\n`);
        first = false;
      }
      // Pids inside the line (clone results, si_pid=…) move with the copy.
      const rest = line
        .slice(m[0].length)
        .replace(/(= |si_pid=|\[)(\d{3,7})(?=[\],} ]|$)/g, (_all, pre, n) => `${pre}${Number(n) + offset}`);
      if (k === 0 && copies > 1 && pid === root && /^\s*(exit_group\(|\+\+\+ )/.test(rest)) {
        rootEnd.push(`${pid}${m[2]}${rest}\n`);
        continue;
      }
      await write(`${pid}${m[2]}${rest}\n`);
    }
  }
  for (const line of rootEnd) await write(line);
  await new Promise((r) => out.end(r));
}
