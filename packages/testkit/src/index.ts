/**
 * @coplay/testkit — real brokers and faults for coplay's tests (private, consumed from source).
 */
export { startBroker, matchesBrokerEvent } from './startBroker';
export { BrokerListenError } from './BrokerListenError';
export type {
  BrokerAuthContext,
  BrokerAuthResult,
  BrokerEvent,
  BrokerEventMatch,
  BrokerEventType,
  BrokerWill,
  EmbeddedBroker,
  StartBrokerOptions,
} from './startBroker';
export { startMosquitto, mosquittoPasswordLine } from './startMosquitto';
export type { MosquittoInstance, StartMosquittoOptions } from './startMosquitto';
export { startNats } from './startNats';
export type { NatsInstance, StartNatsOptions } from './startNats';
export { startNatsCluster } from './startNatsCluster';
export type { NatsCluster, StartNatsClusterOptions } from './startNatsCluster';
export { startRabbitMQ } from './startRabbitMQ';
export type { RabbitMQInstance, StartRabbitMQOptions } from './startRabbitMQ';
export { startEasemobBroker, EASEMOB_LIMITS } from './startEasemobBroker';
export type { EasemobBroker, EasemobDropReason, StartEasemobBrokerOptions } from './startEasemobBroker';
export { waitForMqtt } from './waitForMqtt';
export { startRedis } from './startRedis';
export type { RedisInstance } from './startRedis';
export { startAedesCluster } from './startAedesCluster';
export type { AedesCluster, AedesClusterNode, StartAedesClusterOptions } from './startAedesCluster';
export { faultProxy } from './faultProxy';
export type { FaultMode, FaultProxy } from './faultProxy';
export { CHROMIUM_ARGS } from './chromiumArgs';
export { requireTool } from './requireTool';
export type { RequireToolOptions, ToolInfo, ToolName } from './requireTool';
export { freePort, waitForPort } from './ports';
export { startTokenAuthority } from './tokenAuthority';
export type {
  AuthenticateContext,
  FailureSpec,
  TokenAuthority,
  TokenAuthorityOptions,
  TokenAuthorityRequest,
  TokenEndpoint,
} from './tokenAuthority';
// Helpers for the React/Vue adapter tests (framework-neutral; type-only imports from @coplay/core).
// useBrokerFixture registers vitest hooks, so it lives in '@coplay/testkit/vitest': the demo imports
// this entry at run time and must not load vitest.
export { brokerConnectionOptions } from './brokerConnectionOptions';
export { connectedConnection } from './connectedConnection';
export { uniqueClientId } from './uniqueClientId';
export { waitForGuestStatus } from './waitForGuestStatus';
export { refuseSubscribe } from './refuseSubscribe';
export { farewell } from './farewell';
