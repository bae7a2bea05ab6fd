/**
 * A session's live preview. Fetched only when the station kept a new one
 * (thumbnail_seq changed), at most every MIN_INTERVAL_MS, and only while the
 * card is on screen and the page is visible: never more often than shown.
 */
import { useEffect, useRef, useState } from 'react';
import type { StationBridge } from '../../../shared/contract';

const MIN_INTERVAL_MS = 500;

interface Props {
  bridge: StationBridge;
  sessionId: string;
  seq: number;
  label: string;
}

export function Thumbnail({ bridge, sessionId, seq, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  const [src, setSrc] = useState<string | null>(null);
  const shownSeq = useRef(0);
  const lastFetch = useRef(0);
  const [retryTick, setRetryTick] = useState(0);
  const objectUrl = useRef<string | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new IntersectionObserver((entries) => {
      setVisible(entries.some((e) => e.isIntersecting));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!visible || seq === 0 || seq === shownSeq.current || document.hidden) return;
    const wait = lastFetch.current + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      // Come back when the interval is over; by then seq may have moved on.
      const timer = setTimeout(() => setRetryTick((t) => t + 1), wait);
      return () => clearTimeout(timer);
    }
    let cancelled = false;
    lastFetch.current = Date.now();
    shownSeq.current = seq;
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
  }, [bridge, sessionId, seq, visible, retryTick]);

  useEffect(
    () => () => {
      if (objectUrl.current) URL.revokeObjectURL(objectUrl.current);
    },
    [],
  );

  return (
    <div className="thumb" ref={box}>
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
