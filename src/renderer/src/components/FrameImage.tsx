/** One recorded frame: over HTTP the <img> loads its URL; over IPC the bytes become a blob URL. */
import { useEffect, useState } from 'react';
import type { StationBridge } from '../../../shared/contract';
import type { CameraId, SessionId } from '../../../shared/inputs';
import { isHttpBridge } from '../bridge/pick-bridge';

interface Props {
  bridge: StationBridge;
  cameraId: CameraId;
  sessionId: SessionId;
  file: string | null;
}

export function FrameImage({ bridge, cameraId, sessionId, file }: Props) {
  const [blobUrl, setBlobUrl] = useState<string | null>(null);
  const direct =
    isHttpBridge(bridge) && file ? bridge.recordedFrameUrl(cameraId, sessionId, file) : null;

  useEffect(() => {
    if (isHttpBridge(bridge) || !file) return;
    let cancelled = false;
    let made: string | null = null;
    void bridge.getRecordedFrame(cameraId, sessionId, file).then((bytes) => {
      if (cancelled || !bytes) return;
      made = URL.createObjectURL(
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
      );
      setBlobUrl(made);
    });
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [bridge, cameraId, sessionId, file]);

  const src = direct ?? blobUrl;
  return (
    <div className="frame-view">
      {src ? (
        <img
          src={src}
          alt={`recorded frame ${file ?? ''}`}
          data-testid="recorded-frame"
          data-file={file ?? ''}
        />
      ) : (
        <span className="muted">{file ? 'loading…' : 'no frame'}</span>
      )}
    </div>
  );
}
