/**
 * A full station cannot tell a browser why its socket was refused, so the
 * camera page asks it: when it is full and knows peers with room, the page
 * offers the peers' own /camera pages (never a cross-origin socket).
 */
import type { FleetSnapshot } from '../../shared/fleet';
import { operationPath } from '../../shared/operations';
import { peerCameraPages } from './peer-pages';

async function readFleet(): Promise<FleetSnapshot | null> {
  try {
    const res = await fetch(operationPath('getFleet'), { cache: 'no-store' });
    return res.ok ? ((await res.json()) as FleetSnapshot) : null;
  } catch {
    return null;
  }
}

/** Shows (or hides) the links to peers' camera pages under the stream's message. */
export async function offerPeers(box: HTMLElement): Promise<void> {
  const fleet = await readFleet();
  const pages = fleet ? peerCameraPages(fleet) : [];
  box.replaceChildren();
  box.hidden = pages.length === 0;
  if (pages.length === 0) return;
  box.append('This station is full. Stream to another station of the lab instead: ');
  pages.forEach((page, i) => {
    const link = document.createElement('a');
    link.href = page;
    link.textContent = new URL(page).host;
    link.dataset.testid = 'handoff-link';
    if (i > 0) box.append(', ');
    box.append(link);
  });
}
