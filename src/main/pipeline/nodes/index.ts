/** Every node op the engine knows, by name. */
import type { AnyNodeOp } from '../node-op';
import { bytesOp } from './bytes';
import { delayOp } from './delay';
import { metadataOp } from './metadata';

export const NODE_OPS: readonly AnyNodeOp[] = [bytesOp, delayOp, metadataOp];

export function nodeOpRegistry(
  ops: readonly AnyNodeOp[] = NODE_OPS,
): ReadonlyMap<string, AnyNodeOp> {
  return new Map(ops.map((op) => [op.op, op]));
}
