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

// Credentials
export { createTokenCache } from './auth/createTokenCache';
export type { TokenCache, TokenCacheOptions, TokenFetchResult, TokenGetOptions, TokenState, TokenStatus } from './auth/createTokenCache';
export { cachedCredentials } from './auth/cachedCredentials';
export type { CachedCredentials } from './auth/cachedCredentials';
export { easemobCredentials } from './auth/easemobCredentials';
export type { EasemobCredentialsOptions } from './auth/easemobCredentials';
export { endpointCredentials } from './auth/endpointCredentials';
export type { EndpointCredentialsOptions, EndpointCredentialsResponse } from './auth/endpointCredentials';
export { staticCredentials } from './auth/staticCredentials';
export { easemobClientId, MAX_CLIENT_ID_LENGTH } from './auth/easemobClientId';
export type { HttpRetryOptions } from './auth/postJson';

// room/ and input/ names the React and Vue adapters use (added for issue 5; owners of room/ and input/ may extend)
export { hostRoom } from './room/hostRoom';
export { joinRoom } from './room/joinRoom';
export type { GuestRoom, GuestRoomOptions, GuestStatus, HostRoom, HostRoomOptions, PlayerInfo } from './room/types';
export { NEUTRAL } from './input/ControllerState';
export type { ControllerState } from './input/ControllerState';
