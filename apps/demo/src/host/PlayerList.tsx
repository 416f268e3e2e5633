import type { HostRoom, PlayerInfo } from '@coplay/core';
import { usePlayers } from '@coplay/react';

function rtt(p: PlayerInfo): string {
  return p.rttMs === undefined ? '–' : `${Math.round(p.rttMs)} ms`;
}

/** Everyone in the room: slot, name, status, round-trip time, and a kick button for guests. */
export function PlayerList({ host }: { host: HostRoom }) {
  const players = usePlayers(host);
  const guests = players.filter((p) => p.slot !== 1);
  return (
    <table className="players" data-testid="player-list">
      <thead>
        <tr>
          <th>Slot</th>
          <th>Name</th>
          <th>Status</th>
          <th>RTT</th>
          <th />
        </tr>
      </thead>
      <tbody>
        <tr data-testid="player-row-1">
          <td>P1</td>
          <td className="name">You (host)</td>
          <td>
            <span className="status" data-status="playing">
              playing
            </span>
          </td>
          <td>–</td>
          <td />
        </tr>
        {guests.map((p) => (
          <tr key={p.id} data-testid={`player-row-${p.slot}`}>
            <td>P{p.slot}</td>
            <td className="name">{p.name || p.id}</td>
            <td>
              <span className="status" data-status={p.status} data-testid={`player-status-${p.slot}`}>
                {p.status}
              </span>
            </td>
            <td data-testid={`player-rtt-${p.slot}`}>{rtt(p)}</td>
            <td>
              {p.status !== 'left' ? (
                <button className="danger" data-testid={`kick-${p.slot}`} onClick={() => host.kick(p.id)}>
                  Kick
                </button>
              ) : null}
            </td>
          </tr>
        ))}
        {guests.length === 0 ? (
          <tr>
            <td colSpan={5} className="empty" data-testid="no-guests">
              Waiting for a guest to join…
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
