// Errors
export { CoplayError, isCoplayError } from './errors/CoplayError';
export type { CoplayErrorCode } from './errors/CoplayError';

// Connection
export { createConnection } from './connection/createConnection';
export { backoffDelay, DEFAULT_RECONNECT, MIN_RECONNECT_DELAY_MS } from './connection/backoffDelay';
export { topicMatches } from './connection/topicMatches';
export { validateFilter, validateTopic } from './connection/validateTopic';
export { brokerProfile } from './connection/brokerProfile';
export type { BrokerOption, BrokerProfile } from './connection/brokerProfile';
export { BROKER_PROFILES } from './connection/BROKER_PROFILES';
export type { BrokerProfileName } from './connection/BROKER_PROFILES';
export { brokerViolation } from './connection/brokerViolation';
export type { BrokerSubject } from './connection/brokerViolation';
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

// Codecs and live values
export type { Codec } from './codec/Codec';
export { bytesCodec } from './codec/bytesCodec';
export { textCodec } from './codec/textCodec';
export { jsonCodec } from './codec/jsonCodec';
export { decodeFailed } from './codec/decodeFailed';
export type { Live } from './store/Live';
export { createLive } from './store/createLive';
export type { LiveSource } from './store/createLive';
export { decodeMessages } from './store/decodeMessages';
export type { Select } from './store/decodeMessages';
export { liveTopic } from './store/liveTopic';
export type { LiveTopic, LiveTopicOptions } from './store/liveTopic';
export { goodbyes } from './store/goodbyes';
export { roomKey } from './store/roomKey';
export type { FocusSource } from './store/FocusSource';
export { browserFocus } from './store/browserFocus';
export type { FocusTargets } from './store/browserFocus';

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

// Input
export { NEUTRAL, ALL_BUTTONS, Button, isPressed, isNeutral, statesEqual, normalizeState } from './input/ControllerState';
export type { ControllerState, ButtonName } from './input/ControllerState';
export { encodeFrame } from './input/encodeFrame';
export type { FrameInput } from './input/encodeFrame';
export { decodeFrame } from './input/decodeFrame';
export { FRAME_BYTES, FRAME_TAG_BYTES, FRAME_VERSION } from './input/frameFormat';
export type { Frame, DecodeResult, FrameErrorReason } from './input/frameFormat';
export type { InputSource } from './input/InputSource';
export { sampleInput } from './input/sampleInput';
export type { SampleInputOptions } from './input/sampleInput';
export { keyboardInput } from './input/keyboardInput';
export type { KeyboardInput, KeyboardInputOptions } from './input/keyboardInput';
export { DEFAULT_KEY_MAP } from './input/DEFAULT_KEY_MAP';
export type { KeyMap, KeyBinding } from './input/DEFAULT_KEY_MAP';
export { gamepadInput } from './input/gamepadInput';
export { mergeControllers } from './input/mergeControllers';
export type { GamepadInput, GamepadInputOptions } from './input/gamepadInput';

// Rooms
export { hostRoom } from './room/hostRoom';
export { joinRoom } from './room/joinRoom';
export { guestWill } from './room/guestWill';
export { hostWill } from './room/hostWill';
export { roomTopics, ROOM_PROTOCOL_VERSION, LINK_ID_LENGTH, maxRoomIdLength, checkRoomFits } from './room/roomTopics';
export type { RoomTopics, RoomTopicLimits } from './room/roomTopics';
export { validateId, MAX_ID_LENGTH } from './room/validateId';
export type { IdRules } from './room/validateId';
export { formatInvite, parseInvite } from './room/invite';
export type { RoomInvite } from './room/invite';
export { compareSeq } from './room/compareSeq';
export type { SeqOrder } from './room/compareSeq';
export { ALL_PERMISSIONS, NO_PERMISSIONS, applyPermissions } from './room/Permissions';
export type { Permissions } from './room/Permissions';
export type {
  AttachOptions,
  GuestRoom,
  GuestRoomOptions,
  GuestStats,
  GuestStatus,
  HostRoom,
  HostRoomOptions,
  HostStatus,
  HostTrust,
  PendingGuest,
  PlayerInfo,
  RoomStats,
} from './room/types';
