// A browser app's file: the main entries type-check without Node's types (no @types/node in the program).
import { createConnection, endpointCredentials, joinRoom, keyboardInput, type GuestRoom } from '@coplay/core';
import { useGuestRoom } from '@coplay/react';
import { useLive } from '@coplay/vue';

const connection = createConnection({
  url: 'wss://broker.example/mqtt',
  credentials: endpointCredentials({ url: '/api/coplay-token' }),
});
export const guest: GuestRoom = joinRoom(connection, { invite: 'r=room&k=key' });
export const keys = keyboardInput();
export const hooks = [useGuestRoom, useLive] as const;
