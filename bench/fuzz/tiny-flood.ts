/**
 * A tiny-frame flood: one session sending valid 1x1 JPEGs back to back without
 * waiting for replies. The station's message budget must end it with 4029
 * (docs/protocol.md, Per-peer limits); bounded in frames and time either way.
 */
import WebSocket from 'ws';
import { CloseCode, STREAM_PATH } from '../../src/shared/protocol';
import { tinyJpeg } from './decode-bombs';

// 50 every 25 ms offers 2,000 frames/s: far over STREAM_MAX_FPS (120) replacing frames even
// when the pipeline keeps up with a few hundred, so the budget always ends the flood.
const BURST = 50;
const BURST_EVERY_MS = 25;
const MAX_FRAMES = 30_000;
const MAX_MS = 10_000;

export interface FloodResult {
  sent: number;
  /** The close code the station sent; 1006 when it cut the socket (its heartbeat: our pongs waited behind the flood). */
  closeCode: number;
  violation: string | null;
}

export function tinyFlood(
  port: number,
  cameraId: string,
  pipelineId: string,
): Promise<FloodResult> {
  const frame = tinyJpeg();
  const url = `ws://127.0.0.1:${port}${STREAM_PATH}?camera_id=${cameraId}&pipeline_id=${pipelineId}`;
  const ws = new WebSocket(url);
  let sent = 0;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const giveUp = setTimeout(() => {
      gaveUp = true;
      ws.terminate();
    }, MAX_MS);
    const burst = () => {
      if (ws.readyState !== ws.OPEN) return;
      // A backlog would hold our pongs behind it (a heartbeat cut, not the budget).
      if (ws.bufferedAmount === 0)
        for (let i = 0; i < BURST && sent < MAX_FRAMES; i++, sent++) ws.send(frame);
      if (sent < MAX_FRAMES) timer = setTimeout(burst, BURST_EVERY_MS);
    };
    ws.once('message', burst); // the hello
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      const endedByStation =
        !gaveUp && (code === CloseCode.tooManyFrames || code === CloseCode.abnormal);
      const violation = endedByStation
        ? null
        : `tiny flood: ${sent} frames ended with close ${code}${gaveUp ? ' (not by the station)' : ''}, expected ${CloseCode.tooManyFrames}`;
      resolve({ sent, closeCode: code, violation });
    });
  });
}
