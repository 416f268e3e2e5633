import { MAX_ID_LENGTH, validateId } from '../room/validateId';

/** Characters allowed in usernames, device ids and app ids (no `@`: it separates device and app). */
const EASEMOB_ID = /^[A-Za-z0-9_-]+$/;

/** Longest MQTT client id Easemob accepts (the same 64 as every id coplay checks). */
export const MAX_CLIENT_ID_LENGTH = MAX_ID_LENGTH;

/**
 * Checks a username, device id or app id: 1..`max` characters of `[A-Za-z0-9_-]`.
 * @throws CoplayError `INVALID_ID`
 */
export function checkId(value: unknown, what: string, max = MAX_CLIENT_ID_LENGTH): string {
  return validateId(value, what, { max, pattern: EASEMOB_ID, alphabet: 'A-Z a-z 0-9 _ -' });
}

/**
 * The Easemob MQTT client id `deviceId@appId`, validated (charset, at most 64 characters).
 * @throws CoplayError `INVALID_ID`
 */
export function easemobClientId(deviceId: string, appId: string): string {
  checkId(appId, 'appId', MAX_CLIENT_ID_LENGTH - 2);
  checkId(deviceId, 'deviceId', MAX_CLIENT_ID_LENGTH - 1 - appId.length);
  return `${deviceId}@${appId}`;
}
