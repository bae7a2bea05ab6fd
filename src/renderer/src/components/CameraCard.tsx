/** One connected camera: preview, pipeline, rates, drop-rate sparkline and state. */
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { PipelineSummary, SessionInfo, StationBridge } from '../../../shared/contract';
import type { PipelineId } from '../../../shared/inputs';
import type { DropHistory } from '../state/drop-history';
import type { VisibilityRegistry } from '../state/use-visibility';
import { ago, formatClock, formatCount, formatPercent, formatRate } from '../format';
import { AlertBadges } from './AlertBadges';
import { PipelineSelect } from './PipelineSelect';
import { Sparkline } from './Sparkline';
import { healthOf, HEALTH_COLOR, HEALTH_LABEL } from './state-style';
import { Thumbnail } from './Thumbnail';

interface Props {
  bridge: StationBridge;
  session: SessionInfo;
  history: DropHistory;
  pipelines: readonly PipelineSummary[];
  now: number;
  /** On screen (or nearly): renders at every flush; off screen only when its state changes. */
  visible: boolean;
  registry: VisibilityRegistry;
}

function CameraCardView({ bridge, session, history, pipelines, now, visible, registry }: Props) {
  const element = useRef<HTMLElement>(null);
  const sessionId = session.session_id;
  const cameraId = session.camera_id;
  useEffect(() => {
    if (!element.current) return;
    return registry.observe(element.current, cameraId);
  }, [registry, cameraId]);
  const choosePipeline = useCallback(
    (pipelineId: PipelineId) => bridge.switchPipeline(sessionId, pipelineId),
    [bridge, sessionId],
  );
  const health = healthOf(session, now);
  const color = HEALTH_COLOR[health];
  const [confirming, setConfirming] = useState(false);
  const [disconnectError, setDisconnectError] = useState<string | null>(null);

  async function disconnect(): Promise<void> {
    setConfirming(false);
    const result = await bridge.disconnectCamera(session.session_id);
    setDisconnectError(result.ok ? null : result.message);
  }

  return (
    <article
      ref={element}
      className={`card health-${health}`}
      style={{ borderTopColor: color }}
      data-testid="camera-card"
      data-camera-id={session.camera_id}
      data-state={session.state}
      data-health={health}
    >
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

      <Thumbnail
        bridge={bridge}
        sessionId={session.session_id}
        seq={session.thumbnail_seq}
        label={session.camera_id}
        active={visible}
      />

      <div className="card-row">
        <PipelineSelect
          label={`Pipeline of ${session.camera_id}`}
          testId="pipeline-select"
          value={session.pipeline_id}
          pipelines={pipelines}
          onChoose={choosePipeline}
        />
        {session.pipeline_source === 'pinned' && (
          <span className="muted small" title="Chosen here; kept when the camera reconnects">
            pinned
          </span>
        )}
      </div>

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

      <Sparkline history={history} color={color} active={visible} />

      <footer className="card-foot">
        <span title={session.connected_at}>since {formatClock(session.connected_at, now)}</span>
        <span data-testid="last-frame" className={health === 'stale' ? 'stale-text' : undefined}>
          last frame {ago(session.last_frame_at, now)}
        </span>
        {confirming ? (
          <span className="confirm">
            <button className="danger" onClick={() => void disconnect()}>
              Disconnect
            </button>
            <button onClick={() => setConfirming(false)}>Keep</button>
          </span>
        ) : (
          <button className="link" onClick={() => setConfirming(true)}>
            disconnect…
          </button>
        )}
      </footer>
      {disconnectError && (
        <p className="action-error" role="alert">
          {disconnectError}
        </p>
      )}
    </article>
  );
}

/** Off screen, a card renders only when its colour, storage or pipeline would change. */
function skipRender(previous: Props, next: Props): boolean {
  if (previous.visible !== next.visible || previous.pipelines !== next.pipelines) return false;
  if (previous.bridge !== next.bridge || previous.registry !== next.registry) return false;
  if (next.visible) {
    return (
      previous.session === next.session &&
      previous.history === next.history &&
      previous.now === next.now
    );
  }
  const a = previous.session;
  const b = next.session;
  return (
    healthOf(a, previous.now) === healthOf(b, next.now) &&
    a.storage === b.storage &&
    a.pipeline_id === b.pipeline_id &&
    a.pipeline_source === b.pipeline_source
  );
}

export const CameraCard = memo(CameraCardView, skipRender);
