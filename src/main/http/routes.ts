/**
 * The HTTP routes, compiled from the operation table: a request's method and
 * path find its operation, and the path's segments its arguments, each checked
 * by the argument's own schema.
 */
import type { z } from 'zod';
import { firstIssue, Inputs, type InputShape } from '../../shared/inputs';
import {
  operationNames,
  operationSpec,
  type HttpMethod,
  type HttpOperation,
  type Operations,
  type PathParams,
} from '../../shared/operations';
import { RequestError } from './respond';
import { decodeSegment } from './request-url';

interface CompiledRoute {
  name: HttpOperation;
  method: HttpMethod;
  pattern: RegExp;
  params: string[];
}

/** A path with `:name` parameters as an anchored pattern, one group per parameter. */
export function routePattern(path: string): RegExp {
  const source = path
    .split(/(:[a-z_]+)/)
    .map((part) => (part.startsWith(':') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

const routes: CompiledRoute[] = operationNames.flatMap((name) => {
  const http = operationSpec(name).http;
  if (!http) return [];
  const params = [...http.path.matchAll(/:([a-z_]+)/g)].map((m) => m[1]!);
  return [
    { name: name as HttpOperation, method: http.method, pattern: routePattern(http.path), params },
  ];
});

export interface RouteMatch {
  name: HttpOperation;
  /** Path parameters, percent-decoded, not yet checked. */
  params: Map<string, string>;
}

export function matchRoute(method: HttpMethod, path: string): RouteMatch | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params = new Map<string, string>();
    route.params.forEach((param, i) => {
      const value = decodeSegment(found[i + 1]!);
      if (value === null) throw new RequestError(400, 'Malformed percent-escape in the path');
      params.set(param, value);
    });
    return { name: route.name, params };
  }
  return null;
}

/** Whether an operation's arguments include any that travel outside its path. */
export function hasRestArgs(name: HttpOperation): boolean {
  const spec = operationSpec(name);
  return spec.args.some(([arg]) => !spec.http!.path.includes(`:${arg}`));
}

export type ArgCheck = { ok: true; args: unknown[] } | { ok: false; message: string };

/**
 * The operation's arguments in order: path parameters first by name, then the
 * rest from `body` (its fields, or the whole body for `rest: 'whole'`).
 */
export function checkArgs(match: RouteMatch, body: unknown): ArgCheck {
  const spec = operationSpec(match.name);
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const args: unknown[] = [];
  for (const [name, shape] of spec.args) {
    const raw = match.params.has(name)
      ? match.params.get(name)
      : spec.http!.rest === 'whole'
        ? body
        : fields[name];
    const parsed = Inputs[shape].safeParse(raw);
    if (!parsed.success) return { ok: false, message: firstIssue(parsed.error, name) };
    args.push(parsed.data);
  }
  return { ok: true, args };
}

/** The checked path parameters of an operation, by name. */
export type PathValues<K extends HttpOperation> = {
  [N in PathParams<NonNullable<Operations[K]['http']>['path']>]: z.output<
    (typeof Inputs)[Extract<Operations[K]['args'][number], readonly [N, InputShape]>[1]]
  >;
};

/** Path parameters alone, for operations that read the rest of the request themselves. */
export function checkPathArgs<K extends HttpOperation>(
  match: RouteMatch,
): { ok: true; values: PathValues<K> } | { ok: false; message: string } {
  const values: Record<string, unknown> = {};
  for (const [name, shape] of operationSpec(match.name).args) {
    if (!match.params.has(name)) continue;
    const parsed = Inputs[shape].safeParse(match.params.get(name));
    if (!parsed.success) return { ok: false, message: firstIssue(parsed.error, name) };
    values[name] = parsed.data;
  }
  return { ok: true, values: values as PathValues<K> };
}
