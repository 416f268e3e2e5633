import type { IClientOptions } from 'mqtt';
import clientModule from 'mqtt/lib/client';
import { webSocketStream } from './webSocketStream';

/**
 * MQTT.js's client class. `mqtt/lib/client` is CommonJS (`exports.default = MqttClient`): a bundler
 * importing it from an ESM package (Node's rules) hands over `module.exports`, others `exports.default`.
 */
const MqttClient: typeof clientModule = (clientModule as unknown as { default?: typeof clientModule }).default ?? clientModule;
type MqttClient = InstanceType<typeof clientModule>;

/**
 * MQTT.js's `connect` for the browser build, from MQTT.js's own client (`mqtt/lib/client`, public through
 * its exports map) and {@link webSocketStream}: the parts of `mqtt` coplay uses, without MQTT.js's
 * other transports (TCP, TLS, `ws`, WeChat, Alipay) and Node's stream library, which its browser bundle
 * carries. tsup maps `mqtt` to this module in `dist/browser/index.js` only.
 *
 * The URL is read as MQTT.js's `connect` reads it in a browser: user info becomes `username` /
 * `password`, `?clientId=` sets the client id, and `mqtt:` / `mqtts:` fall back to `ws:` / `wss:` on the
 * same host and port (a browser has no TCP).
 */
function connect(brokerUrl: string, options: IClientOptions = {}): MqttClient {
  const u = new URL(brokerUrl);
  const opts: IClientOptions = { ...options };
  if (u.username) {
    opts.username = decodeURIComponent(u.username);
    if (u.password) opts.password = decodeURIComponent(u.password);
  }
  const clientId = u.searchParams.get('clientId');
  if (clientId !== null) opts.clientId = clientId;
  if (opts.clean === false && !opts.clientId) throw new Error('Missing clientId for unclean clients');
  const secure = u.protocol === 'wss:' || u.protocol === 'mqtts:';
  // Built as a string: WHATWG URL will not switch a non-special scheme (`mqtt:`) to a special one (`ws:`).
  const path = u.protocol === 'ws:' || u.protocol === 'wss:' ? `${u.pathname}${u.search}` : '/';
  const url = `${secure ? 'wss' : 'ws'}://${u.host}${path}`;
  opts.protocol = secure ? 'wss' : 'ws';
  const client = new MqttClient((c) => webSocketStream(url, opts, c) as never, opts);
  // As MQTT.js's connect: an error nobody listens to must not throw.
  client.on('error', () => {});
  return client;
}

/** The `mqtt` module as coplay's browser build sees it. */
const browserMqtt = { connect, MqttClient };
export default browserMqtt;
