/**
 * One IntersectionObserver for all camera cards: which are on screen. Cards off
 * screen render only when their state changes, and load no thumbnails.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

export interface VisibilityRegistry {
  /** Starts watching an element under an id; returns the function that stops it. */
  observe(element: Element, id: string): () => void;
}

export function useVisibility(): { visible: ReadonlySet<string>; registry: VisibilityRegistry } {
  const [visible, setVisible] = useState<ReadonlySet<string>>(new Set());
  const watchedRef = useRef(new Map<Element, string>());
  const observerRef = useRef<IntersectionObserver | null>(null);

  useEffect(() => {
    const watched = watchedRef.current;
    const observer = new IntersectionObserver(
      (entries) => {
        setVisible((current) => {
          const updated = new Set(current);
          for (const entry of entries) {
            const id = watched.get(entry.target);
            if (id === undefined) continue;
            if (entry.isIntersecting) updated.add(id);
            else updated.delete(id);
          }
          return updated;
        });
      },
      // A margin: cards about to scroll in are already live.
      { rootMargin: '200px 0px' },
    );
    observerRef.current = observer;
    for (const element of watched.keys()) observer.observe(element);
    return () => {
      observer.disconnect();
      observerRef.current = null;
    };
  }, []);

  const registry = useMemo<VisibilityRegistry>(
    () => ({
      observe(element, id) {
        const watched = watchedRef.current;
        watched.set(element, id);
        observerRef.current?.observe(element);
        return () => {
          watched.delete(element);
          observerRef.current?.unobserve(element);
          setVisible((current) => {
            if (!current.has(id)) return current;
            const updated = new Set(current);
            updated.delete(id);
            return updated;
          });
        };
      },
    }),
    [],
  );

  return { visible, registry };
}
