/**
 * A WebSocket under test: records everything the station says, so that each
 * frame's outcome (a reply, or an error then a close) can be awaited and judged.
 */
import WebSocket from 'ws';

export type Outcome =
  | { type: 'reply'; frameIndex: number; failure: boolean; dropped: boolean }
  | { type: 'closed'; error: string | null; closeCode: number }
  | { type: 'timeout' };

export type Opening =
  | { type: 'hello'; sessionId: string; cameraId: string; pipelineId: string }
  | { type: 'refused'; status: number }
  | { type: 'closed'; error: string | null; closeCode: number }
  | { type: 'timeout' };

interface Message {
  hello?: { session_id: string; camera_id: string; pipeline_id: string };
  frame_index?: number;
  result?: { error?: string };
  dropped?: boolean;
  error?: string;
  warning?: string;
}

export class ProbeSocket {
  readonly ws: WebSocket;
  private queue: Message[] = [];
  private waiter: (() => void) | null = null;
  closeCode: number | null = null;
  lastError: string | null = null;
  status: number | null = null;
  framesSent = 0;

  constructor(url: string, headers?: Record<string, string>) {
    this.ws = new WebSocket(url, { headers, perMessageDeflate: false, maxPayload: 1 << 20 });
    this.ws.on('message', (data: Buffer) => {
      try {
        this.queue.push(JSON.parse(data.toString('utf8')) as Message);
      } catch {
        this.queue.push({ error: 'unparseable_reply' });
      }
      this.wake();
    });
    this.ws.on('unexpected-response', (_req, res) => {
      this.status = res.statusCode ?? 0;
      res.resume();
      this.ws.terminate();
    });
    this.ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    this.ws.on('error', () => undefined);
  }

  private wake() {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  private async nextEvent(deadline: number): Promise<Message | 'closed' | 'timeout'> {
    for (;;) {
      const message = this.queue.shift();
      if (message) return message;
      if (this.closeCode !== null) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async opening(timeoutMs = 10_000): Promise<Opening> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await this.nextEvent(deadline);
      if (event === 'timeout') return { type: 'timeout' };
      if (event === 'closed') {
        if (this.status !== null) return { type: 'refused', status: this.status };
        return { type: 'closed', error: this.lastError, closeCode: this.closeCode ?? 0 };
      }
      if (event.hello) {
        return {
          type: 'hello',
          sessionId: event.hello.session_id,
          cameraId: event.hello.camera_id,
          pipelineId: event.hello.pipeline_id,
        };
      }
      if (event.error) this.lastError = event.error;
    }
  }

  send(data: Buffer | string): void {
    this.framesSent++;
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** The outcome of the frame just sent: its reply, or the error and close that ended the session. */
  async outcome(frameIndex: number, timeoutMs = 10_000): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await this.nextEvent(deadline);
      if (event === 'timeout') return { type: 'timeout' };
      if (event === 'closed') {
        return { type: 'closed', error: this.lastError, closeCode: this.closeCode ?? 0 };
      }
      if (event.warning) continue;
      if (event.error) {
        this.lastError = event.error;
        continue;
      }
      if (event.frame_index !== undefined) {
        return {
          type: 'reply',
          frameIndex: event.frame_index,
          failure: event.result?.error === 'pipeline_failure',
          dropped: event.dropped === true,
        };
      }
    }
  }

  async close(): Promise<void> {
    if (this.closeCode !== null) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else this.ws.close(1000);
    const timer = setTimeout(() => this.ws.terminate(), 3000);
    await closed;
    clearTimeout(timer);
  }
}
