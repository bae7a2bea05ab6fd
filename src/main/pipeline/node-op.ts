/**
 * What a node operation is: its params schema, what it reads of the frame, and
 * how it runs. Each op lives in nodes/<op>.ts; nodes/index.ts lists them.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { StationMetrics } from '../observe/metrics';
import type { StorageState } from '../../shared/protocol';
import type { RawImage } from './image';
import type { JpegHeader } from './jpeg-header';
import type { SessionStateStore } from './session-state';
import type { FrameSession } from './types';
import type { RecordingStore } from './recordings/recording-store';

/** What a node wants of the image it receives; `width: null` means full size. */
export interface ImageNeed {
  width: number | null;
  colour: boolean;
}

/** One frame as the nodes see it; everything costly is computed at most once. */
export interface FrameView {
  readonly bytes: Buffer;
  readonly frameIndex: number;
  readonly session: FrameSession;
  /** The JPEG header (size, subsampling, orientation), parsed once; throws when it is not a JPEG. */
  header(): JpegHeader;
  /** `image` reduced to `width` and/or made grey, memoised for this frame. */
  variant(image: RawImage, width: number | null, grey: boolean): RawImage;
}

export interface NodeInput {
  readonly frame: FrameView;
  /** The node's image input: the upstream image op's output, else the decoded frame. */
  readonly image: RawImage | null;
  /** JSON outputs of the nodes listed in `needs`, by node id. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface NodeOutput {
  /** The node's JSON result (what the camera sees when the node is an output). */
  json: unknown;
  /** An image for downstream nodes (image ops: resize, crop, grayscale). */
  image?: RawImage;
  /** A preview JPEG for the window. */
  thumbnail?: Buffer;
  /** Set by nodes that record frames. */
  storage?: StorageState;
}

export interface NodeRunner {
  run(input: NodeInput): Promise<NodeOutput> | NodeOutput;
}

/** What the engine lends to nodes. */
export interface EngineServices {
  logger: Logger;
  metrics: StationMetrics;
  dataDir: string;
  sessionState: SessionStateStore;
  recordings: RecordingStore;
}

export interface NodeContext {
  pipelineId: string;
  pipelineVersion: string;
  nodeId: string;
  services: EngineServices;
}

export interface NodeOp<S extends z.ZodObject = z.ZodObject> {
  readonly op: string;
  /** One line for docs and error messages. */
  readonly summary: string;
  /** A strict object schema with defaults: unknown params are rejected. */
  readonly params: S;
  /** `none`: reads the JPEG bytes or header only; `pixels`: needs decoded pixels. */
  readonly input: 'none' | 'pixels';
  /** True for image ops whose output image feeds the nodes that need them. */
  readonly producesImage: boolean;
  /**
   * For pixel nodes: the image this node needs, given what its own image
   * consumers need (null when none). Lets the engine decode once, small.
   */
  need?(params: z.output<S>, downstream: ImageNeed | null): ImageNeed;
  create(params: z.output<S>, context: NodeContext): NodeRunner;
}

export type AnyNodeOp = NodeOp;

export function defineOp<S extends z.ZodObject>(op: NodeOp<S>): NodeOp<S> {
  return op;
}
