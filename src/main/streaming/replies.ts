/**
 * What the station says to a camera, each message built by one small function
 * so that a session can only send what docs/protocol.md lists (StationMessage).
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  type DropReply,
  type ErrorMessage,
  type FailureReply,
  type HelloMessage,
  type PipelineSource,
  type ProtocolErrorCode,
  type ResultReply,
  type SlowDownWarning,
  type StationMessage,
} from '../../shared/protocol';
import type { PipelineRunResult } from '../pipeline/types';

/** A peer that leaves this much of our replies unread is not reading: it is cut off. */
export const MAX_UNREAD_REPLY_BYTES = 4 * 1024 * 1024;

/** The one answer of a processed frame: its result, or the pipeline failure. */
export function frameReply(
  frameIndex: number,
  outcome: PipelineRunResult,
): ResultReply | FailureReply {
  if (outcome.failure) {
    return {
      frame_index: frameIndex,
      result: {
        error: 'pipeline_failure',
        detail: outcome.failure.detail,
        node: outcome.failure.node,
      },
      pipeline: outcome.pipeline,
      timings_ms: outcome.timings_ms,
    };
  }
  return {
    frame_index: frameIndex,
    result: outcome.result,
    pipeline: outcome.pipeline,
    timings_ms: outcome.timings_ms,
  };
}

/** The one answer of a frame that was not processed. */
export function dropReply(frameIndex: number): DropReply {
  return { frame_index: frameIndex, dropped: true };
}

export function slowDownWarning(dropRate: number, suggestedFps: number): SlowDownWarning {
  return { warning: 'slow_down', drop_rate: dropRate, suggested_fps: suggestedFps };
}

export function errorMessage(
  error: ProtocolErrorCode,
  detail: string,
  retryAfterS?: number,
): ErrorMessage {
  return retryAfterS === undefined
    ? { error, detail }
    : { error, detail, retry_after: retryAfterS };
}

/** The session's first message: who it is, what it runs, and its limits. */
export function helloMessage(hello: {
  sessionId: string;
  cameraId: string;
  pipelineId: string;
  pipelineSource: PipelineSource;
  maxFrameBytes: number;
  maxFps: number;
  alerts: boolean;
}): HelloMessage {
  return {
    hello: {
      protocol: PROTOCOL_VERSION,
      session_id: hello.sessionId,
      camera_id: hello.cameraId,
      pipeline_id: hello.pipelineId,
      pipeline_source: hello.pipelineSource,
      max_frame_bytes: hello.maxFrameBytes,
      max_fps: hello.maxFps,
      ...(hello.alerts ? { alerts: true as const } : {}),
    },
  };
}

export type SendOutcome = 'sent' | 'not_open' | 'not_reading';

const corked = new WeakSet<Duplex>();

/**
 * Holds the camera's TCP socket corked until the current tick's work is done,
 * so that every reply sent to it meanwhile (a drop notice, a result, a
 * slow_down) leaves in one write, in the order sent. `ws` keeps the socket as
 * `_socket`; without one (never seen), each message is written on its own.
 */
function corkForThisTick(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Duplex })._socket;
  if (!raw || corked.has(raw) || typeof raw.cork !== 'function') return;
  corked.add(raw);
  raw.cork();
  process.nextTick(() => {
    corked.delete(raw);
    raw.uncork();
  });
}

/** Sends one message; refuses (not_reading) when the peer leaves too much unread. */
export function sendMessage(socket: WebSocket, message: StationMessage): SendOutcome {
  return sendText(socket, JSON.stringify(message));
}

/**
 * A drop notice as text, without JSON.stringify: the reply a flood of frames
 * earns is the cheapest one. Same bytes as JSON.stringify(dropReply(index)).
 */
export function dropReplyText(frameIndex: number): string {
  return `{"frame_index":${frameIndex},"dropped":true}`;
}

/** Sends an already serialised message (one built here from StationMessage). */
export function sendText(socket: WebSocket, text: string): SendOutcome {
  if (socket.readyState !== socket.OPEN) return 'not_open';
  if (socket.bufferedAmount > MAX_UNREAD_REPLY_BYTES) return 'not_reading';
  corkForThisTick(socket);
  socket.send(text);
  return 'sent';
}
