import { startBroker, type EmbeddedBroker } from './startBroker';
import { startTokenAuthority, type TokenAuthority } from './tokenAuthority';

/** Easemob's documented limits (restrictions page; its broker QA suite expects a 65-character topic to deliver nothing). */
export const EASEMOB_LIMITS = Object.freeze({
  maxTopicLength: 64,
  maxPayloadBytes: 65_535,
  maxClientIdLength: 64,
  /** One topic level or client id: `0-9 a-z A-Z - _ @`. */
  alphabet: /^[0-9A-Za-z_@-]*$/,
});

/** Options of {@link startEasemobBroker}. */
export interface StartEasemobBrokerOptions {
  /** Default `abc123`. */
  appId?: string | undefined;
  /** Default `YXA6-client`. */
  appClientId?: string | undefined;
  /** Default `YXA6-secret`. */
  appClientSecret?: string | undefined;
  /** Also serve MQTT over WebSocket. */
  ws?: boolean | undefined;
  appTokenTtlSeconds?: number | undefined;
  userTokenTtlSeconds?: number | undefined;
}

/** Why the Easemob-like broker dropped a publish. */
export type EasemobDropReason = 'topic-too-long' | 'topic-characters' | 'payload-too-large';

/** An Easemob-like MQTT service: Aedes with Easemob's limits plus the Easemob token REST contract. */
export interface EasemobBroker {
  /** `mqtt://127.0.0.1:PORT`. */
  readonly url: string;
  readonly wsUrl?: string | undefined;
  /** `http://127.0.0.1:PORT/app/{appId}` — the `apiUrl` for easemobCredentials / createTokenHandler. */
  readonly apiUrl: string;
  readonly appId: string;
  readonly appClientId: string;
  readonly appClientSecret: string;
  /** The embedded broker (its event record shows what clients sent, dropped publishes included). */
  readonly broker: EmbeddedBroker;
  readonly authority: TokenAuthority;
  /** Publishes dropped silently, oldest first. */
  readonly dropped: ReadonlyArray<{ readonly topic: string; readonly bytes: number; readonly reason: EasemobDropReason }>;
  close(): Promise<void>;
}

function nameProblem(name: string, filter: boolean): EasemobDropReason | undefined {
  if (name.length === 0 || name.length > EASEMOB_LIMITS.maxTopicLength) return 'topic-too-long';
  const levels = name.split('/');
  for (let i = 0; i < levels.length; i++) {
    let level = levels[i]!;
    if (filter && (level === '+' || (level === '#' && i === levels.length - 1))) continue;
    if (i === 0 && level.startsWith('$')) level = level.slice(1);
    if (!EASEMOB_LIMITS.alphabet.test(level)) return 'topic-characters';
  }
  return undefined;
}

/**
 * Starts a broker that behaves like Easemob's MQTT service where coplay can tell: CONNECT needs a user
 * token issued by the bundled token authority for exactly that username and client id (else CONNACK 4);
 * a client id over 64 characters or outside `0-9 a-z A-Z - _ @` is refused (CONNACK 2); a publish on a
 * topic over 64 characters or with other characters, or with a payload over 65,535 bytes, is acknowledged
 * and dropped without a word; such a subscription gets SUBACK failure. A second CONNECT with a client id
 * in use kicks the first session. MQTT 3.1.1 (Aedes).
 */
export async function startEasemobBroker(options: StartEasemobBrokerOptions = {}): Promise<EasemobBroker> {
  const appId = options.appId ?? 'abc123';
  const appClientId = options.appClientId ?? 'YXA6-client';
  const appClientSecret = options.appClientSecret ?? 'YXA6-secret';
  const authority = await startTokenAuthority({
    appId,
    appClientId,
    appClientSecret,
    ...(options.appTokenTtlSeconds !== undefined ? { appTokenTtlSeconds: options.appTokenTtlSeconds } : {}),
    ...(options.userTokenTtlSeconds !== undefined ? { userTokenTtlSeconds: options.userTokenTtlSeconds } : {}),
  });
  const dropped: Array<{ topic: string; bytes: number; reason: EasemobDropReason }> = [];
  let broker: EmbeddedBroker;
  try {
    broker = await startBroker({
      ws: options.ws,
      authenticate(ctx) {
        if (ctx.clientId.length === 0 || ctx.clientId.length > EASEMOB_LIMITS.maxClientIdLength || !EASEMOB_LIMITS.alphabet.test(ctx.clientId)) {
          return 'identifier-rejected';
        }
        return authority.authenticate(ctx);
      },
      accept(packet) {
        const reason = nameProblem(packet.topic, false) ?? (packet.payload.length > EASEMOB_LIMITS.maxPayloadBytes ? 'payload-too-large' : undefined);
        if (reason) dropped.push({ topic: packet.topic, bytes: packet.payload.length, reason });
        return reason === undefined;
      },
      authorizeSubscribe: (_clientId, sub) => nameProblem(sub.topic, true) === undefined,
    });
  } catch (err) {
    await authority.close();
    throw err;
  }
  return {
    url: broker.url,
    wsUrl: broker.wsUrl,
    apiUrl: authority.apiUrl,
    appId,
    appClientId,
    appClientSecret,
    broker,
    authority,
    dropped,
    async close() {
      await broker.close();
      await authority.close();
    },
  };
}
