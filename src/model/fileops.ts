/**
 * The file operations that are not opens: rename, link, symlink, unlink, rmdir, mkdir,
 * truncate. They move, name and detach file versions, and are recorded as operations.
 */
import { decodeCString, type SyscallEvent } from '../parse/index.js';
import { own } from '../vocabulary/collections.js';
import type { ObjectTable } from './objects.js';
import type { ObjectRecord, OperationRecord } from './types.js';

/** What a file operation needs of the model, for the process that made the call. */
export interface FileOpContext {
  readonly objects: ObjectTable;
  /** The calling program image. */
  readonly image: number;
  readonly seq: number;
  /** A path argument resolved against a directory argument (`undefined`: the working directory). */
  path(dirRaw: string | undefined, pathRaw: string | undefined): string;
  /** The image wrote this version (a symlink's content, a truncation). */
  write(object: ObjectRecord): void;
  /** A failed call: counted as a probe. */
  probe(): void;
  operation(op: OperationRecord): void;
}

export function fileOperation(ctx: FileOpContext, e: SyscallEvent): void {
  if (e.result.kind !== 'ok') {
    if (e.result.kind === 'error' && /^(rename|link|symlink|unlink|rmdir|mkdir|truncate)/.test(e.name)) ctx.probe();
    return;
  }
  const a = e.args;
  const image = ctx.image;
  const op = (kind: OperationRecord['kind'], path: string, from?: string, object?: ObjectRecord) =>
    ctx.operation({ kind, image, seq: ctx.seq, path: own(path), from: from === undefined ? undefined : own(from), object: object?.id });
  switch (e.name) {
    case 'rename':
    case 'renameat':
    case 'renameat2': {
      const at = e.name !== 'rename';
      const from = at ? ctx.path(a[0], a[1]) : ctx.path(undefined, a[0]);
      const to = at ? ctx.path(a[2], a[3]) : ctx.path(undefined, a[1]);
      if (/RENAME_EXCHANGE/.test(a[4] ?? '')) {
        const x = ctx.objects.current(from);
        const y = ctx.objects.current(to);
        ctx.objects.move(from, `${from}\u0000swap`);
        ctx.objects.move(to, from);
        ctx.objects.move(`${from}\u0000swap`, to);
        op('rename', to, from, x);
        op('rename', from, to, y);
        return;
      }
      op('rename', to, from, ctx.objects.move(from, to));
      return;
    }
    case 'link':
    case 'linkat': {
      const at = e.name === 'linkat';
      const from = at ? ctx.path(a[0], a[1]) : ctx.path(undefined, a[0]);
      const to = at ? ctx.path(a[2], a[3]) : ctx.path(undefined, a[1]);
      op('link', to, from, ctx.objects.link(from, to));
      return;
    }
    case 'symlink':
    case 'symlinkat': {
      const target = decodeCString(a[0] ?? '')?.value ?? '';
      const path = e.name === 'symlinkat' ? ctx.path(a[1], a[2]) : ctx.path(undefined, a[1]);
      const v = ctx.objects.replace(path);
      ctx.write(v);
      op('symlink', path, target, v);
      return;
    }
    case 'unlink':
    case 'unlinkat': {
      const path = e.name === 'unlinkat' ? ctx.path(a[0], a[1]) : ctx.path(undefined, a[0]);
      if (/AT_REMOVEDIR/.test(a[2] ?? '')) op('rmdir', path);
      else op('unlink', path, undefined, ctx.objects.remove(path));
      return;
    }
    case 'rmdir':
      op('rmdir', ctx.path(undefined, a[0]));
      return;
    case 'mkdir':
    case 'mkdirat': {
      const path = e.name === 'mkdirat' ? ctx.path(a[0], a[1]) : ctx.path(undefined, a[0]);
      op('mkdir', path);
      return;
    }
    case 'truncate': {
      const path = ctx.path(undefined, a[0]);
      const v = ctx.objects.current(path);
      ctx.write(v);
      op('truncate', path, undefined, v);
      return;
    }
  }
}
