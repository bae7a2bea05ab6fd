/** One station of the fleet: state, load bar, cameras, rates, and a link to its dashboard. */
import type { FleetMember } from '../../../../shared/fleet';
import { formatRate } from '../../format';
import { safeLink } from '../../state/fleet';

/** Load 0..1 and what it is measured against. */
function load(member: FleetMember): { share: number; basis: string } | null {
  const s = member.status;
  if (!s) return null;
  if (s.capacity_fps !== null && s.capacity_fps > 0) {
    return {
      share: s.fps_out / s.capacity_fps,
      basis: `${formatRate(s.fps_out)} of ${formatRate(s.capacity_fps)} fps`,
    };
  }
  return {
    share: s.max_sessions > 0 ? s.sessions / s.max_sessions : 0,
    basis: `${s.sessions} of ${s.max_sessions} sessions (capacity unknown)`,
  };
}

function stateText(member: FleetMember): string {
  if (member.state === 'offline') {
    const since = member.offline_since ? new Date(member.offline_since) : null;
    return since && !Number.isNaN(since.getTime())
      ? `offline since ${since.toLocaleTimeString()}`
      : 'offline';
  }
  return member.state === 'stale' ? 'not heard from' : 'online';
}

export function StationRow({ member }: { member: FleetMember }) {
  const s = member.status;
  const bar = load(member);
  const link = safeLink(s?.dashboard_url);
  const pill =
    member.state === 'online' ? 'pill-on' : member.state === 'stale' ? 'pill-warn' : 'pill-off';
  return (
    <tr data-testid="fleet-station" data-station={member.station_id} data-state={member.state}>
      <th scope="row">
        {member.station_id}
        {member.self && <span className="muted small"> (this station)</span>}
      </th>
      <td>
        <span className={`pill ${pill}`} data-testid="fleet-state">
          {stateText(member)}
        </span>
      </td>
      <td>
        {bar && (
          <span className="load" title={bar.basis}>
            <span
              className={`load-fill${bar.share >= 0.8 ? ' load-high' : ''}`}
              style={{ width: `${Math.min(100, Math.round(bar.share * 100))}%` }}
            />
          </span>
        )}
        {bar && <span className="muted small"> {bar.basis}</span>}
      </td>
      <td data-testid="fleet-cameras">{s ? `${s.sessions} / ${s.max_sessions}` : '–'}</td>
      <td>{s ? `${formatRate(s.fps_in)} / ${formatRate(s.fps_out)}` : '–'}</td>
      <td className="muted small">{s?.version ?? ''}</td>
      <td>
        {link && !member.self && (
          <a href={link} target="_blank" rel="noopener noreferrer" data-testid="fleet-link">
            Open its dashboard
          </a>
        )}
      </td>
    </tr>
  );
}
