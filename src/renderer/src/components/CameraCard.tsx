/** One connected camera: preview, pipeline, rates, drop-rate sparkline and state. */
import { memo, useCallback, useEffect, useRef } from 'react';
import type { PipelineSummary, SessionInfo, StationBridge } from '../../../shared/contract';
import type { PipelineId } from '../../../shared/inputs';
import type { DropHistory } from '../state/drop-history';
import type { VisibilityRegistry } from '../state/use-visibility';
import { CardFigures, CardFoot, CardHead } from './CameraCardParts';
import { PipelineSelect } from './PipelineSelect';
import { Sparkline } from './Sparkline';
import { healthOf, HEALTH_COLOR } from './state-style';
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

/** The card tells the visibility registry where it is on screen. */
function useObservedCard(registry: VisibilityRegistry, cameraId: string) {
  const element = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!element.current) return;
    return registry.observe(element.current, cameraId);
  }, [registry, cameraId]);
  return element;
}

function CardPipeline({
  bridge,
  session,
  pipelines,
}: Pick<Props, 'bridge' | 'session' | 'pipelines'>) {
  const sessionId = session.session_id;
  const choosePipeline = useCallback(
    (pipelineId: PipelineId) => bridge.switchPipeline(sessionId, pipelineId),
    [bridge, sessionId],
  );
  return (
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
  );
}

function CameraCardView({ bridge, session, history, pipelines, now, visible, registry }: Props) {
  const element = useObservedCard(registry, session.camera_id);
  const health = healthOf(session, now);
  const color = HEALTH_COLOR[health];
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
      <CardHead session={session} health={health} color={color} now={now} />
      <Thumbnail
        bridge={bridge}
        sessionId={session.session_id}
        seq={session.thumbnail_seq}
        label={session.camera_id}
        active={visible}
      />
      <CardPipeline bridge={bridge} session={session} pipelines={pipelines} />
      <CardFigures session={session} color={color} />
      <Sparkline history={history} color={color} active={visible} />
      <CardFoot bridge={bridge} session={session} health={health} now={now} />
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
