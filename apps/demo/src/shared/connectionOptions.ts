import { endpointCredentials, type ConnectionOptions } from '@coplay/core';
import type { PublicDemoConfig } from './loadPublicConfig';
import { tabDeviceId } from './tabIdentity';

/**
 * Connection options for a page. With a token route the page asks the demo's backend for MQTT
 * credentials before every connect (the backend holds the app secret); without one it connects
 * anonymously.
 */
export function connectionOptions(config: PublicDemoConfig, role: 'host' | 'guest', name: string): ConnectionOptions {
  const deviceId = tabDeviceId(role);
  return {
    url: config.brokerUrl,
    // The token route answers with the real client id (`deviceId@appId` on Easemob).
    clientId: `coplay-demo-${deviceId}`,
    ...(config.tokenUrl ? { credentials: endpointCredentials({ url: config.tokenUrl, body: { name, deviceId } }) } : {}),
    keepalive: 15,
    // A demo should come back quickly once the broker is back.
    reconnect: { initialDelayMs: 250, maxDelayMs: 2000 },
  };
}
