import { freePort } from './ports';
import { startNatsNode, type NatsInstance, type NatsNodePlan } from './startNats';

/** Options of {@link startNatsCluster}. */
export interface StartNatsClusterOptions {
  /** Number of nodes; default 3 (JetStream needs a majority to survive one node's death). */
  nodes?: number | undefined;
  /** Replicas of the MQTT session and retained-message streams; default = nodes (a dead node must not take sessions with it). */
  streamReplicas?: number | undefined;
  /** WebSocket MQTT on every node. */
  ws?: boolean | undefined;
  /** Per-node startup timeout in ms; default 30 000. */
  startTimeoutMs?: number | undefined;
}

/** A running NATS cluster with MQTT on every node. */
export interface NatsCluster {
  readonly nodes: readonly NatsInstance[];
  /** Every node's `mqtt://` URL, node 1 first. */
  readonly urls: readonly string[];
  /** Stops every node and removes their temp dirs. */
  close(): Promise<void>;
}

/**
 * Starts a NATS cluster (routes between every node, one cluster name, JetStream on each with its own
 * `server_name`, `mqtt { stream_replicas }`) and waits until each node accepts MQTT CONNECTs.
 */
export async function startNatsCluster(options: StartNatsClusterOptions = {}): Promise<NatsCluster> {
  const count = options.nodes ?? 3;
  const replicas = options.streamReplicas ?? count;
  const ports: Array<{ port: number; mqttPort: number; monitorPort: number; clusterPort: number; wsPort?: number | undefined }> = [];
  for (let i = 0; i < count; i++) {
    ports.push({
      port: await freePort(),
      mqttPort: await freePort(),
      monitorPort: await freePort(),
      clusterPort: await freePort(),
      wsPort: options.ws ? await freePort() : undefined,
    });
  }
  const name = `coplay-${ports[0]!.clusterPort}`;
  const plans: NatsNodePlan[] = ports.map((p, i) => ({
    port: p.port,
    mqttPort: p.mqttPort,
    monitorPort: p.monitorPort,
    wsPort: p.wsPort,
    serverName: `${name}-n${i + 1}`,
    cluster: { name, port: p.clusterPort, routes: ports.filter((_, j) => j !== i).map((o) => o.clusterPort), streamReplicas: replicas },
  }));
  const timeout = options.startTimeoutMs ?? 30_000;
  // All at once: JetStream elects its meta leader only when a majority is up, so MQTT on node 1 waits for the others.
  const results = await Promise.allSettled(plans.map((plan) => startNatsNode(plan, { startTimeoutMs: timeout })));
  const nodes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((n) => n.close()));
    throw failed.reason;
  }
  return {
    nodes,
    urls: nodes.map((n) => n.url),
    close: async () => {
      await Promise.all(nodes.map((n) => n.close()));
    },
  };
}
