/**
 * A session's live preview. Loaded only when the station kept a new one
 * (thumbnail_seq changed), at most every MIN_INTERVAL_MS, and only while the
 * card is on screen and the page is visible: never more often than shown.
 * Over HTTP the <img> loads the URL itself (fetch and decode stay off the main
 * thread); over IPC the bytes become a blob URL.
 */
import { memo, useEffect, useRef, useState } from 'react';
import type { StationBridge } from '../../../shared/contract';
import type { SessionId } from '../../../shared/inputs';
import { isHttpBridge } from '../bridge/pick-bridge';

const MIN_INTERVAL_MS = 1000;

interface Props {
  bridge: StationBridge;
  sessionId: SessionId;
  seq: number;
  label: string;
  /** False while the card is off screen: nothing is loaded then. */
  active: boolean;
}

function ThumbnailView({ bridge, sessionId, seq, label, active }: Props) {
  const [src, setSrc] = useState<string | null>(null);
  const shownSeq = useRef(0);
  const lastLoad = useRef(0);
  const [retryTick, setRetryTick] = useState(0);
  const objectUrl = useRef<string | null>(null);

  useEffect(() => {
    if (!active || seq === 0 || seq === shownSeq.current || document.hidden) return;
    const wait = lastLoad.current + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      // Come back when the interval is over; by then seq may have moved on.
      const timer = setTimeout(() => setRetryTick((t) => t + 1), wait);
      return () => clearTimeout(timer);
    }
    lastLoad.current = Date.now();
    shownSeq.current = seq;
    if (isHttpBridge(bridge)) {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- a new URL for the <img>, rate-limited above
      setSrc(bridge.thumbnailUrl(sessionId, seq));
      return;
    }
    let cancelled = false;
    bridge
      .getThumbnail(sessionId)
      .then((bytes) => {
        if (cancelled || !bytes) return;
        const url = URL.createObjectURL(
          new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
        );
        if (objectUrl.current) URL.revokeObjectURL(objectUrl.current);
        objectUrl.current = url;
        setSrc(url);
      })
      .catch(() => {
        shownSeq.current = 0;
      });
    return () => {
      cancelled = true;
    };
  }, [bridge, sessionId, seq, active, retryTick]);

  useEffect(
    () => () => {
      if (objectUrl.current) URL.revokeObjectURL(objectUrl.current);
    },
    [],
  );

  return (
    <div className={seq === 0 && !src ? 'thumb thumb-none' : 'thumb'}>
      {src ? (
        <img src={src} alt={`latest frame of ${label}`} decoding="async" />
      ) : (
        <span className="thumb-empty">
          {seq === 0 ? 'no preview in this pipeline' : 'loading…'}
        </span>
      )}
    </div>
  );
}

export const Thumbnail = memo(ThumbnailView);
