// Errors
export { CoplayError, isCoplayError } from './errors/CoplayError';
export type { CoplayErrorCode } from './errors/CoplayError';

// Connection
export { createConnection } from './connection/createConnection';
export { backoffDelay, DEFAULT_RECONNECT } from './connection/backoffDelay';
export { topicMatches } from './connection/topicMatches';
export { validateFilter, validateTopic } from './connection/validateTopic';
export type {
  Connection,
  ConnectionOptions,
  ConnectionState,
  ConnectionStatus,
  Credentials,
  CredentialsProvider,
  CredentialsRequest,
  Message,
  OverflowPolicy,
  PublishOptions,
  QoS,
  QueueOptions,
  QueueStats,
  ReconnectOptions,
  TopicOptions,
  WillMessage,
} from './connection/types';
