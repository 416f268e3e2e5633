'use client';
// The guest, as a client component. It is also rendered on the server, where CoplayProvider creates an
// idle connection and the room hooks return undefined: no socket and no token request until the browser
// runs the effects.
import { endpointCredentials, keyboardInput, type ConnectionOptions } from '@coplay/core';
import { CoplayProvider, useConnectionState, useGuestRoom, useLive } from '@coplay/react';
import { useEffect, useState } from 'react';

export function Guest({ brokerUrl }: { brokerUrl: string }) {
  const [options] = useState<ConnectionOptions>(() => ({
    url: brokerUrl,
    // The route handler answers the client id too (deviceId@appId).
    credentials: endpointCredentials({
      url: '/api/coplay-token',
      body: { deviceId: Math.random().toString(36).slice(2, 14) },
    }),
  }));
  return (
    <CoplayProvider options={options}>
      <Connection />
      <Join />
    </CoplayProvider>
  );
}

function Connection() {
  const state = useConnectionState();
  return (
    <p>
      Connection: <strong data-testid="connection">{state.status}</strong>
    </p>
  );
}

function Join() {
  // The host's invite (room id + its public key) travels in the link's fragment, which only the browser sees.
  const [invite, setInvite] = useState<string>();
  useEffect(() => setInvite(location.hash.slice(1) || undefined), []);
  if (!invite) return <p>Open the guest link a host printed (…/#r=room&amp;k=key).</p>;
  return <Room invite={invite} />;
}

function Room({ invite }: { invite: string }) {
  const guest = useGuestRoom({ invite, name: 'Next.js guest' });
  const status = useLive(guest?.status, { status: 'joining' } as const);
  useEffect(() => {
    if (!guest) return;
    const keys = keyboardInput(); // arrows/WASD, J/K = A/B
    const detach = guest.attach(keys.state$, { hz: 60 });
    return () => {
      detach();
      keys.dispose();
    };
  }, [guest]);
  return (
    <p>
      Room: <strong data-testid="status">{status.status === 'playing' ? `playing as P${status.slot}` : status.status}</strong>
      {' '}— arrows or WASD move, J/K are A/B.
    </p>
  );
}
