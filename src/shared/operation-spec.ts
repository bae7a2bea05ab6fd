/**
 * The shape of a row of the operation table (src/shared/operations.ts) and the
 * compiler's checks on it: a path's `:name` parameters must be arguments of
 * its operation.
 */
import type { InputShape } from './inputs';

/**
 * Who may call an operation over HTTP. `public`: anyone who reaches the port
 * (health, metrics, what the dashboard reads); `camera`: what a camera page
 * reads (open like public); `operator`: actions, from this machine or with the
 * station token (the desktop window is the operator).
 */
export type Role = 'public' | 'camera' | 'operator';

/**
 * What an operation answers. `value`: its value; `result`: its value or a
 * refusal with a code; `action`: an ActionResult; `bytes`: JPEG bytes or null;
 * `stream`: HTTP only, a body the router writes itself (text, events, files).
 */
export type ReplyKind = 'value' | 'result' | 'action' | 'bytes' | 'stream';

export interface ReplySpec<K extends ReplyKind = ReplyKind, T = unknown> {
  readonly kind: K;
  /** Never set: carries the reply's type. */
  readonly type?: T;
}

export const value = <T>() => ({ kind: 'value' }) as ReplySpec<'value', T>;
export const result = <T>() => ({ kind: 'result' }) as ReplySpec<'result', T>;
export const action = () => ({ kind: 'action' }) as ReplySpec<'action', never>;
export const bytes = () => ({ kind: 'bytes' }) as ReplySpec<'bytes', Uint8Array | null>;
export const stream = <T>() => ({ kind: 'stream' }) as ReplySpec<'stream', T>;

export type HttpMethod = 'GET' | 'POST';

export interface HttpSpec {
  readonly method: HttpMethod;
  /** `:name` stands for the argument of that name, one path segment (or its end). */
  readonly path: `/${string}`;
  /**
   * Where the arguments not in the path travel: `fields` of a JSON body (POST)
   * or of the query (GET), or the one remaining argument is the `whole` body.
   */
  readonly rest?: 'fields' | 'whole';
  /** The router reads this request itself (ranges, query defaults, streams). */
  readonly custom?: true;
}

/** An argument: its wire name and the name of its input shape (src/shared/inputs.ts). */
export type Arg = readonly [name: string, shape: InputShape];

export interface OperationSpec {
  readonly ipc?: `station:${string}`;
  readonly http?: HttpSpec;
  readonly args: readonly Arg[];
  readonly reply: ReplySpec;
  readonly role: Role;
  /** Desktop only and optional on a bridge (the browser has no such thing). */
  readonly optional?: true;
}

/** The `:name` parameters of a path. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type ArgNames<A extends readonly Arg[]> = A[number][0];

/** Rejects a path whose parameters are not all arguments of its operation. */
type CheckedOperation<O> = O extends {
  http: { path: infer P extends string };
  args: infer A extends readonly Arg[];
}
  ? [PathParams<P>] extends [ArgNames<A>]
    ? O
    : { error: `path parameter not an argument: ${Exclude<PathParams<P>, ArgNames<A>>}` }
  : O;

export function defineOperations<const T extends Record<string, OperationSpec>>(
  table: T & { [K in keyof T]: CheckedOperation<T[K]> },
): T {
  return table;
}
