import mqtt from 'mqtt';

function tryOnce(url: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, {
      clientId: `probe_${Math.random().toString(16).slice(2, 10)}`,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      protocolVersion: 4,
    });
    const done = (problem: string | undefined) => {
      client.removeAllListeners();
      client.on('error', () => {});
      client.end(true);
      resolve(problem);
    };
    client.once('connect', () => done(undefined));
    client.once('error', (e) => done(e.message));
    client.once('close', () => done('closed before CONNACK'));
  });
}

/**
 * Polls until an MQTT 3.1.1 CONNECT to `url` is accepted (a listening port is not enough: NATS and
 * RabbitMQ accept TCP before their MQTT layer is ready). Rejects with the last problem on timeout.
 */
export async function waitForMqtt(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    const problem = await tryOnce(url, Math.max(500, Math.min(3000, deadline - Date.now())));
    if (problem === undefined) return;
    last = problem;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waitForMqtt: ${url} did not accept an MQTT CONNECT within ${timeoutMs} ms (last: ${last})`);
}
