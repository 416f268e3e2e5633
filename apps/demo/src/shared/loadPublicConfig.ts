import type { PublicDemoConfig } from '../../scripts/demoConfig';

export type { PublicDemoConfig };

/** Replaced at build time by vite.config.ts: a static build's baked-in settings, or null. */
declare const __COPLAY_PUBLIC_CONFIG__: PublicDemoConfig | null;

/**
 * Where to connect: baked into a static build, else asked from the demo's backend. Either way it
 * holds only public values (broker URL, token route): credentials come from the token route.
 */
export async function loadPublicConfig(fetchImpl: typeof fetch = fetch): Promise<PublicDemoConfig> {
  if (typeof __COPLAY_PUBLIC_CONFIG__ !== 'undefined' && __COPLAY_PUBLIC_CONFIG__) return __COPLAY_PUBLIC_CONFIG__;
  const res = await fetchImpl('/api/config', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET /api/config answered HTTP ${res.status}`);
  const data = (await res.json()) as Partial<PublicDemoConfig>;
  if (typeof data.brokerUrl !== 'string' || !/^wss?:\/\//.test(data.brokerUrl)) {
    throw new Error('GET /api/config returned no ws:// or wss:// brokerUrl');
  }
  return {
    mode: data.mode ?? 'mqtt',
    brokerUrl: data.brokerUrl,
    tokenUrl: typeof data.tokenUrl === 'string' ? data.tokenUrl : null,
  };
}
