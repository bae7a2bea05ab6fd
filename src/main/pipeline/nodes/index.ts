/** Every node op the engine knows, by name. */
import type { AnyNodeOp } from '../node-op';
import { bytesOp } from './bytes';
import { cropOp } from './crop';
import { delayOp } from './delay';
import { exposureOp } from './exposure';
import { grayscaleOp } from './grayscale';
import { metadataOp } from './metadata';
import { motionOp } from './motion';
import { resizeOp } from './resize';
import { sharpnessOp } from './sharpness';
import { statsOp } from './stats';
import { storeOp } from './store';
import { thumbnailOp } from './thumbnail';

export const NODE_OPS: readonly AnyNodeOp[] = [
  bytesOp,
  cropOp,
  delayOp,
  exposureOp,
  grayscaleOp,
  metadataOp,
  motionOp,
  resizeOp,
  sharpnessOp,
  statsOp,
  storeOp,
  thumbnailOp,
];

export function nodeOpRegistry(
  ops: readonly AnyNodeOp[] = NODE_OPS,
): ReadonlyMap<string, AnyNodeOp> {
  return new Map(ops.map((op) => [op.op, op]));
}
