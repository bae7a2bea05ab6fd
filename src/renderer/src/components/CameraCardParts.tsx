/** The pieces of a camera card: its head, its figures and its foot with the disconnect action. */
import { useState } from 'react';
import type { SessionInfo, StationBridge } from '../../../shared/contract';
import type { SessionId } from '../../../shared/inputs';
import { ago, formatClock, formatCount, formatPercent, formatRate } from '../format';
import { AlertBadges } from './AlertBadges';
import { ConfirmAction } from './ConfirmAction';
import { HEALTH_LABEL, type Health } from './state-style';

interface CardPart {
  session: SessionInfo;
  health: Health;
  color: string;
}

export function CardHead({ session, health, color, now }: CardPart & { now: number }) {
  return (
    <header className="card-head">
      <div>
        <h3 className="camera-id" title={session.camera_id}>
          {session.camera_id}
        </h3>
        <span className="muted mono">{session.remote}</span>
      </div>
      <div className="badges">
        <span className="badge" style={{ background: color }} data-testid="state-badge">
          {HEALTH_LABEL[health]}
        </span>
        {session.storage === 'stopped' && (
          <span className="badge badge-alert" title="Free space is low: frames are not stored">
            storage stopped
          </span>
        )}
        {session.storage === 'ok' && <span className="badge badge-quiet">recording</span>}
        <AlertBadges sessionId={session.session_id} now={now} />
      </div>
    </header>
  );
}

export function CardFigures({ session, color }: Omit<CardPart, 'health'>) {
  return (
    <dl className="figures">
      <div>
        <dt>fps in</dt>
        <dd data-testid="fps-in">{formatRate(session.fps_in)}</dd>
      </div>
      <div>
        <dt>fps out</dt>
        <dd data-testid="fps-out">{formatRate(session.fps_out)}</dd>
      </div>
      <div>
        <dt>drop rate</dt>
        <dd data-testid="drop-rate" style={{ color: session.drop_rate > 0 ? color : undefined }}>
          {formatPercent(session.drop_rate)}
        </dd>
      </div>
      <div>
        <dt>frames</dt>
        <dd
          title={`${formatCount(session.processed)} processed, ${formatCount(session.dropped)} dropped, ${formatCount(session.failed)} failed`}
        >
          {formatCount(session.frame_index)}
        </dd>
      </div>
    </dl>
  );
}

/** Disconnecting a camera asks first; the station's refusal is shown under the card. */
function useDisconnect(bridge: StationBridge, sessionId: SessionId) {
  const [error, setError] = useState<string | null>(null);
  async function disconnect(): Promise<void> {
    const result = await bridge.disconnectCamera(sessionId);
    setError(result.ok ? null : result.message);
  }
  return { error, disconnect };
}

interface FootProps {
  bridge: StationBridge;
  session: SessionInfo;
  health: Health;
  now: number;
}

export function CardFoot({ bridge, session, health, now }: FootProps) {
  const { error, disconnect } = useDisconnect(bridge, session.session_id);
  return (
    <>
      <footer className="card-foot">
        <span title={session.connected_at}>since {formatClock(session.connected_at, now)}</span>
        <span data-testid="last-frame" className={health === 'stale' ? 'stale-text' : undefined}>
          last frame {ago(session.last_frame_at, now)}
        </span>
        <ConfirmAction
          label="disconnect…"
          action="Disconnect"
          onConfirm={() => void disconnect()}
        />
      </footer>
      {error && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
