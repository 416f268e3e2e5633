import { formatInvite, type ConnectionOptions } from '@coplay/core';
import { CoplayProvider, useConnection, useHostRoom, useRemoteInput } from '@coplay/react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { connectionOptions } from '../shared/connectionOptions';
import { loadPublicConfig } from '../shared/loadPublicConfig';
import { newRoomId, roomFromUrl } from '../shared/tabIdentity';
import { ConnectionBadge } from './ConnectionBadge';
import { ControllerView } from './ControllerView';
import { HostGame } from './HostGame';
import { PlayerList } from './PlayerList';
import { ShareLink } from './ShareLink';

/** The room id from the link, or a new one written into the address bar so a reload keeps it. */
function useRoomId(): string {
  return useMemo(() => {
    const existing = roomFromUrl();
    if (existing) return existing;
    const id = newRoomId();
    const url = new URL(location.href);
    url.searchParams.set('room', id);
    history.replaceState(null, '', url);
    return id;
  }, []);
}

function Page({ badge, children }: { badge: ReactNode; children: ReactNode }) {
  return (
    <div className="page">
      <header className="topbar">
        <h1>coplay · Pong</h1>
        <span className="role">host</span>
        <span className="spacer" />
        {badge}
      </header>
      {children}
    </div>
  );
}

function HostView({ roomId }: { roomId: string }) {
  const connection = useConnection();
  const host = useHostRoom({ room: roomId });
  const p2 = useRemoteInput(host, 2);
  // The invite (room id + the host's public key) rides in the URL fragment, which browsers never send to a server.
  // Kept with the room it belongs to, so a new room never shows the old room's invite.
  const [issued, setIssued] = useState<{ host: typeof host; text: string }>();
  const invite = issued && issued.host === host ? issued.text : undefined;
  useEffect(() => {
    let live = true;
    host?.invite.then(
      (i) => live && setIssued({ host, text: formatInvite(i) }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [host]);
  const guestUrl = useMemo(
    () => (invite ? new URL(`guest.html?room=${roomId}#${invite}`, location.href).href : undefined),
    [roomId, invite],
  );

  return (
    <Page badge={<ConnectionBadge />}>
      <div className="layout">
        <div className="panel">
          {host ? <HostGame host={host} connection={connection} /> : <p className="empty">Opening the room…</p>}
        </div>
        <div className="stack">
          <section className="panel">
            <h2>Invite player 2</h2>
            {guestUrl ? <ShareLink url={guestUrl} /> : <p className="empty">Making the room’s keys…</p>}
          </section>
          <section className="panel">
            <h2>
              Players · room <span className="room-id">{roomId}</span>
            </h2>
            {host ? <PlayerList host={host} /> : null}
          </section>
          <section className="panel">
            <h2>P2 controller</h2>
            <ControllerView state={p2} testId="p2-controller" />
          </section>
        </div>
      </div>
    </Page>
  );
}

/** Host page: loads the public config, opens one connection, and hosts the room. */
export function HostApp() {
  const roomId = useRoomId();
  const [options, setOptions] = useState<ConnectionOptions>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadPublicConfig().then(
      (config) => setOptions(connectionOptions(config, 'host', 'host')),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  if (!options) {
    return (
      <Page
        badge={
          <span className="badge" data-testid="connection-state" data-tone={error ? 'bad' : 'busy'}>
            {error ? 'no config' : 'loading'}
          </span>
        }
      >
        {error ? (
          <p className="notice bad" data-testid="config-error">
            Could not load the demo configuration: {error}
          </p>
        ) : null}
      </Page>
    );
  }
  return (
    <CoplayProvider options={options}>
      <HostView roomId={roomId} />
    </CoplayProvider>
  );
}
