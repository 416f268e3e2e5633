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

// codec/ and store/ (issue 5)
export type { Codec } from './codec/Codec';
export { bytesCodec } from './codec/bytesCodec';
export { textCodec } from './codec/textCodec';
export { jsonCodec } from './codec/jsonCodec';
export { decodeFailed } from './codec/decodeFailed';
export type { Live } from './store/Live';
export { decodeMessages } from './store/decodeMessages';
export type { Select } from './store/decodeMessages';
export { liveTopic } from './store/liveTopic';
export type { LiveTopic, LiveTopicOptions } from './store/liveTopic';
