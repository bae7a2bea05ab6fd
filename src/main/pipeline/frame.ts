/**
 * One frame during one run: the JPEG decoded at most once (shared by every
 * node), its header the one the session's check read (walked here only for
 * frames that did not come through a session), and memoised reduced/grey variants.
 */
import { decodeJpeg } from './decode';
import { reduceToWidth, toGrey, type RawImage } from './image';
import { readJpegHeader, type JpegHeader } from './jpeg-header';
import type { UsualRequests } from './native-batch';
import type { FrameView, ImageNeed } from './node-op';
import type { FrameInput } from './types';

export interface DecodeEvent {
  pipelineId: string;
  sessionId: string;
  frameIndex: number;
  width: number;
  height: number;
  channels: number;
}

export interface NodeRunEvent {
  pipelineId: string;
  node: string;
  frameIndex: number;
  /** performance.now() at the node's start and end. */
  startedAt: number;
  endedAt: number;
  outcome: 'ok' | 'failed' | 'timeout';
}

/** Observation points of the engine (tests count decodes and see overlap with them). */
export interface EngineHooks {
  onDecode?(event: DecodeEvent): void;
  onNodeRun?(event: NodeRunEvent): void;
}

export interface FrameContext extends FrameView {
  /** The shared decoded frame; the first call starts the decode. */
  decoded(): Promise<RawImage>;
}

export function createFrameContext(
  pipelineId: string,
  input: FrameInput,
  need: ImageNeed | null,
  hooks: EngineHooks,
  usual?: UsualRequests,
): FrameContext {
  let decoding: Promise<RawImage> | undefined;
  let header: JpegHeader | undefined;
  const variants = new WeakMap<RawImage, Map<string, RawImage>>();
  const readHeader = () => (header ??= input.header ?? readJpegHeader(input.imageBytes));

  return {
    bytes: input.imageBytes,
    frameIndex: input.frameIndex,
    session: input.session,
    decoded() {
      decoding ??= Promise.resolve()
        // No decoder sees a frame the marker walk refuses (its scan and table limits).
        .then(() => readHeader())
        .then(() => decodeJpeg(input.imageBytes, need ?? { width: null, colour: true }, usual))
        .then((image) => {
          hooks.onDecode?.({
            pipelineId,
            sessionId: input.session.sessionId,
            frameIndex: input.frameIndex,
            width: image.width,
            height: image.height,
            channels: image.channels,
          });
          return image;
        });
      return decoding;
    },
    header: readHeader,
    variant(image, width, grey) {
      const key = `${width ?? 'full'}/${grey ? 'grey' : 'any'}`;
      let byKey = variants.get(image);
      if (!byKey) {
        byKey = new Map();
        variants.set(image, byKey);
      }
      let out = byKey.get(key);
      if (!out) {
        // Reduce first: converting fewer pixels to grey is cheaper.
        out = width === null ? image : reduceToWidth(image, width);
        if (grey) out = toGrey(out);
        byKey.set(key, out);
      }
      return out;
    },
  };
}
