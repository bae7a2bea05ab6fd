/**
 * Export of a recorded session (or its marked range): in a browser, download
 * links to the HTTP export; in the desktop window, "Save…" buttons that open
 * the system's save dialog and say how the save went.
 */
import { useState } from 'react';
import type { StationBridge } from '../../../shared/contract';
import type { CameraId, SessionId } from '../../../shared/inputs';
import type { ExportRange } from '../../../shared/recordings';
import { isHttpBridge } from '../bridge/pick-bridge';
import { formatBytes, formatCount } from '../format';

type Kind = 'zip' | 'mp4';

interface Props {
  bridge: StationBridge;
  cameraId: CameraId;
  sessionId: SessionId;
  range: ExportRange | undefined;
}

type SaveState =
  | { step: 'idle' }
  | { step: 'saving'; kind: Kind }
  | { step: 'saved'; path: string; frames: number; bytes: number }
  | { step: 'failed'; message: string };

const LABEL: Record<Kind, string> = { zip: 'ZIP', mp4: 'MP4' };

export function ExportControls({ bridge, cameraId, sessionId, range }: Props) {
  if (isHttpBridge(bridge)) {
    return (
      <>
        {(['zip', 'mp4'] as const).map((kind) => (
          <a
            key={kind}
            className="button"
            data-testid={`export-${kind}`}
            href={bridge.recordingExportUrl(cameraId, sessionId, kind, range)}
            download
          >
            {range ? `${LABEL[kind]} of range` : LABEL[kind]}
          </a>
        ))}
      </>
    );
  }
  return <SaveButtons bridge={bridge} cameraId={cameraId} sessionId={sessionId} range={range} />;
}

function SaveButtons({ bridge, cameraId, sessionId, range }: Props) {
  const [state, setState] = useState<SaveState>({ step: 'idle' });
  const save = bridge.saveRecordingExport;
  if (!save) return null;

  async function run(kind: Kind): Promise<void> {
    setState({ step: 'saving', kind });
    try {
      const saved = await save!(cameraId, sessionId, kind, range ?? null);
      setState(saved.saved ? { step: 'saved', ...saved } : { step: 'idle' });
    } catch (err) {
      setState({ step: 'failed', message: (err as Error).message });
    }
  }

  const busy = state.step === 'saving';
  return (
    <>
      {(['zip', 'mp4'] as const).map((kind) => (
        <button
          key={kind}
          data-testid={`save-${kind}`}
          disabled={busy}
          onClick={() => void run(kind)}
        >
          {range ? `Save ${LABEL[kind]} of range…` : `Save ${LABEL[kind]}…`}
        </button>
      ))}
      <span className="muted small" data-testid="save-state" role="status">
        {state.step === 'saving' && `Saving ${LABEL[state.kind]}…`}
        {state.step === 'saved' &&
          `Saved ${formatCount(state.frames)} frames (${formatBytes(state.bytes)}) to ${state.path}`}
      </span>
      {state.step === 'failed' && (
        <span className="action-error" role="alert" data-testid="save-error">
          {state.message}
        </span>
      )}
    </>
  );
}
