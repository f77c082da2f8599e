/**
 * The file operations that are not opens: rename, link, symlink, unlink, rmdir, mkdir,
 * truncate. They move, name and detach file versions, and are recorded as operations.
 */
import type { Operation, PathRef } from '../decode/index.js';
import { own } from '../vocabulary/collections.js';
import type { ObjectTable } from './objects.js';
import type { ObjectRecord, OperationRecord } from './types.js';

/** What a file operation needs of the model, for the process that made the call. */
export interface FileOpContext {
  readonly objects: ObjectTable;
  /** The calling program image. */
  readonly image: number;
  readonly seq: number;
  /** A path argument resolved against its directory (the working directory when it names none). */
  path(ref: PathRef): string;
  /** The image wrote this version (a symlink's content, a truncation). */
  write(object: ObjectRecord): void;
  operation(op: OperationRecord): void;
}

export type FileOperation = Extract<Operation, { kind: 'rename' | 'link' | 'symlink' | 'unlink' | 'rmdir' | 'mkdir' | 'truncate' }>;

export function fileOperation(ctx: FileOpContext, o: FileOperation): void {
  const record = (kind: OperationRecord['kind'], path: string, source?: string, object?: ObjectRecord) =>
    ctx.operation({
      kind,
      image: ctx.image,
      seq: ctx.seq,
      path: own(path),
      source: source === undefined ? undefined : own(source),
      object: object?.id,
    });
  switch (o.kind) {
    case 'rename': {
      const from = ctx.path(o.from);
      const to = ctx.path(o.to);
      if (o.exchange) {
        const x = ctx.objects.current(from);
        const y = ctx.objects.current(to);
        ctx.objects.move(from, `${from}\u0000swap`);
        ctx.objects.move(to, from);
        ctx.objects.move(`${from}\u0000swap`, to);
        record('rename', to, from, x);
        record('rename', from, to, y);
        return;
      }
      record('rename', to, from, ctx.objects.move(from, to));
      return;
    }
    case 'link': {
      const from = ctx.path(o.from);
      const to = ctx.path(o.to);
      record('link', to, from, ctx.objects.link(from, to));
      return;
    }
    case 'symlink': {
      const path = ctx.path(o.path);
      const v = ctx.objects.replace(path);
      ctx.write(v);
      record('symlink', path, o.target, v);
      return;
    }
    case 'unlink': {
      const path = ctx.path(o.path);
      if (o.directory) record('rmdir', path);
      else record('unlink', path, undefined, ctx.objects.remove(path));
      return;
    }
    case 'rmdir':
      record('rmdir', ctx.path(o.path));
      return;
    case 'mkdir': {
      const path = ctx.path(o.path);
      ctx.objects.madeDir(path);
      record('mkdir', path);
      return;
    }
    case 'truncate': {
      const path = ctx.path(o.path);
      const v = ctx.objects.current(path);
      ctx.write(v);
      record('truncate', path, undefined, v);
      return;
    }
    default: {
      const never: never = o;
      throw new Error(`model/fileOperation: unhandled ${JSON.stringify(never)}`);
    }
  }
}
