/**
 * What changes once the station listens and when it drains: its port, the
 * HTTP server, the camera server and its sessions.
 */
import type { Server } from 'node:http';
import type { SessionInfo } from '../../shared/contract';
import type { CameraServer } from '../streaming/camera-server';
import type { Session } from '../streaming/session';

export class LiveState {
  draining = false;
  server: Server | null = null;
  cameraServer: CameraServer | null = null;

  /** The configured port until the station listens; then the one it got. */
  constructor(public port: number) {}

  sessions(): SessionInfo[] {
    return [...(this.cameraServer?.sessions.values() ?? [])].map((s) => s.info());
  }

  sessionCount(): number {
    return this.cameraServer?.sessions.size ?? 0;
  }

  findSession(sessionId: string): Session | undefined {
    return this.cameraServer?.sessions.get(sessionId);
  }
}
