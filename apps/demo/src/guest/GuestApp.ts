import {
  createConnection,
  gamepadInput,
  goodbyes,
  keyboardInput,
  mergeControllers,
  NEUTRAL,
  parseInvite,
  type Connection,
  type ControllerState,
  type GuestStatus,
  type HostTrust,
  type RoomInvite,
} from '@coplay/core';
import { provideCoplay, useConnection, useConnectionState, useGuestRoom, useLive } from '@coplay/vue';
import { combineLatest, map } from 'rxjs';
import { computed, defineComponent, h, onBeforeUnmount, onMounted, onScopeDispose, shallowRef, watch, type PropType } from 'vue';
import { parseSnapshot, type PongSnapshot } from '../game/snapshot';
import { connectionOptions } from '../shared/connectionOptions';
import { describeConnection } from '../shared/describeConnection';
import { exposeDemo } from '../shared/exposeDemo';
import { loadPublicConfig } from '../shared/loadPublicConfig';
import { roomFromUrl } from '../shared/tabIdentity';
import { ControllerPad } from './ControllerPad';
import { GuestGame } from './GuestGame';
import { statusText } from './statusText';

function topbar(badge: ReturnType<typeof h>) {
  return h('header', { class: 'topbar' }, [
    h('h1', 'coplay · Pong'),
    h('span', { class: 'role' }, 'guest'),
    h('span', { class: 'spacer' }),
    badge,
  ]);
}

/** The guest page inside the connection (composables inject what {@link GuestSession} provides). */
const GuestView = defineComponent({
  name: 'GuestView',
  props: {
    roomId: { type: String, required: true },
    name: { type: String, required: true },
    invite: { type: Object as PropType<RoomInvite>, required: false },
  },
  setup(props) {
    const connection = useConnection();
    const state = useConnectionState();
    // A link with the host's key joins an authenticated room; one without can only join a room
    // opened with `secure: false`, and the page says the host cannot be verified.
    const guest = useGuestRoom(
      props.invite?.key ? { invite: props.invite, name: props.name } : { room: props.roomId, secure: false, name: props.name },
    );

    // Keyboard (arrows / WASD) and the first gamepad, merged into one controller.
    const keyboard = keyboardInput(window);
    const gamepad = gamepadInput(0);
    const local$ = combineLatest([keyboard.state$, gamepad.state$]).pipe(map(([k, g]) => mergeControllers(k, g)));
    const local = shallowRef<ControllerState>(NEUTRAL);
    const localSub = local$.subscribe((s) => (local.value = s));

    // Attach the controller to the room once it exists; the room samples and sends it.
    let detach: (() => void) | undefined;
    watch(
      () => guest.value,
      (room) => {
        detach?.();
        detach = room?.attach(local$, { hz: 60 });
      },
      { immediate: true },
    );

    let latest: PongSnapshot | undefined;
    const latestSnapshot = () => {
      const raw = guest.value?.hostState.value;
      const parsed = raw === undefined ? undefined : parseSnapshot(raw);
      if (parsed) latest = parsed;
      return latest;
    };

    const status = useLive(() => guest.value?.status, { status: 'joining' } as GuestStatus);
    const rtt = useLive(() => guest.value?.rtt, undefined);
    const trust = useLive<HostTrust, HostTrust>(() => guest.value?.hostTrust, props.invite?.key ? 'pending' : 'unverified');
    const forged = useLive(() => guest.value?.stats, undefined);
    const slot = computed(() => (status.value.status === 'playing' ? status.value.slot : undefined));

    let unexpose: (() => void) | undefined;
    onMounted(() => {
      unexpose = exposeDemo({
        role: 'guest',
        get connection() {
          return connection.state.value.status;
        },
        get room() {
          return status.value;
        },
        get rtt() {
          return rtt.value;
        },
        get game() {
          return latestSnapshot();
        },
        get input() {
          return local.value;
        },
      });
    });
    onBeforeUnmount(() => {
      unexpose?.();
      detach?.();
      localSub.unsubscribe();
      keyboard.dispose();
      gamepad.dispose();
    });

    return () => {
      const { label, tone } = describeConnection(state.value);
      const s = status.value;
      const dropped = forged.value?.forged ?? 0;
      return h('div', { class: 'page' }, [
        topbar(h('span', { class: 'badge', 'data-testid': 'connection-state', 'data-tone': tone }, label)),
        trust.value === 'verified'
          ? null
          : h(
              'p',
              { class: `notice ${trust.value === 'unverified' ? 'bad' : ''}`, 'data-testid': 'host-trust', 'data-trust': trust.value },
              trust.value === 'unverified'
                ? 'This host cannot be verified: the link carries no host key, so anyone on the broker could pose as the host. Ask the host for a fresh guest link.'
                : 'Verifying the host…',
            ),
        dropped > 0 ? h('p', { class: 'notice', 'data-testid': 'forged' }, `${dropped} forged message(s) dropped`) : null,
        h('div', { class: 'layout' }, [
          h('div', { class: 'panel' }, [
            h(GuestGame, {
              latest: latestSnapshot,
              slot: slot.value,
              banner: state.value.status === 'connected' ? undefined : `${label}…`,
            }),
            h('p', { class: 'hint' }, [
              'Move P2 with ',
              h('kbd', '↑'),
              '/',
              h('kbd', '↓'),
              ' or ',
              h('kbd', 'W'),
              '/',
              h('kbd', 'S'),
              ', a gamepad’s d-pad, or its left stick. The picture is the host’s game, mirrored.',
            ]),
          ]),
          h('div', { class: 'stack' }, [
            h('section', { class: 'panel' }, [
              h('h2', ['Room ', h('span', { class: 'room-id' }, props.roomId)]),
              h('dl', { class: 'kv' }, [
                h('dt', 'You'),
                h('dd', props.name),
                h('dt', 'Status'),
                h('dd', { 'data-testid': 'room-status', 'data-status': s.status }, statusText(state.value, s)),
                h('dt', 'Slot'),
                h('dd', { 'data-testid': 'slot' }, slot.value === undefined ? '–' : `P${slot.value}`),
                h('dt', 'Host'),
                h('dd', { 'data-testid': 'host-verified' }, trust.value === 'verified' ? 'verified ✓' : trust.value === 'pending' ? 'verifying…' : 'not verified'),
                h('dt', 'RTT'),
                h('dd', { 'data-testid': 'rtt' }, rtt.value === undefined ? '–' : `${Math.round(rtt.value)} ms`),
              ]),
            ]),
            h('section', { class: 'panel' }, [h('h2', 'Your controller'), h(ControllerPad, { state: local.value, testId: 'local-controller' })]),
          ]),
        ]),
      ]);
    };
  },
});

/** Provides the page's one connection to the room below it. */
const GuestSession = defineComponent({
  name: 'GuestSession',
  props: {
    connection: { type: Object as PropType<Connection>, required: true },
    roomId: { type: String, required: true },
    name: { type: String, required: true },
    invite: { type: Object as PropType<RoomInvite>, required: false },
  },
  setup(props) {
    provideCoplay({ connection: props.connection });
    return () => h(GuestView, { roomId: props.roomId, name: props.name, ...(props.invite ? { invite: props.invite } : {}) });
  },
});

/** Guest page: reads the room from the link, loads the public config, then joins. Owns the connection. */
export const GuestApp = defineComponent({
  name: 'GuestApp',
  setup() {
    const connection = shallowRef<Connection>();
    let owned: Connection | undefined;
    // Closed when the page goes, after the room below has said goodbye.
    onScopeDispose(() => {
      const c = owned;
      if (c) goodbyes.later(() => goodbyes.closeLast(c));
    });
    const error = shallowRef<string>();
    // The invite is in the fragment (`#r=room&k=key`); older links only have `?room=`.
    let invite: RoomInvite | undefined;
    try {
      invite = location.hash.length > 1 ? parseInvite(location.hash) : undefined;
    } catch {
      error.value = 'This link’s invite is damaged. Ask the host for the guest link again.';
    }
    const roomId = invite?.room ?? roomFromUrl();
    const name = `guest-${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36).slice(0, 4)}`;
    if (error.value) {
      // reported below
    } else if (!roomId) {
      error.value = 'This link has no room in it. Ask the host for the guest link (it ends in ?room=…).';
    } else {
      loadPublicConfig().then(
        (config) => {
          // Connecting starts here, and the room's components are rendered a task later: the connection's
          // first attempt (a 0 ms timer, queued first) sends the token request before that render, the
          // longest task after the scripts have loaded, instead of after it.
          const c = (owned = createConnection(connectionOptions(config, 'guest', name)));
          setTimeout(() => (connection.value = c));
        },
        (e: unknown) => (error.value = `Could not load the demo configuration: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
    return () => {
      if (connection.value && roomId) return h(GuestSession, { connection: connection.value, roomId, name, ...(invite ? { invite } : {}) });
      return h('div', { class: 'page' }, [
        topbar(
          h('span', { class: 'badge', 'data-testid': 'connection-state', 'data-tone': error.value ? 'bad' : 'busy' }, error.value ? 'not connected' : 'loading'),
        ),
        error.value ? h('p', { class: 'notice bad', 'data-testid': 'config-error' }, error.value) : null,
      ]);
    };
  },
});
