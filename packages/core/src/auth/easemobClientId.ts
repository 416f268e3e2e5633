import { CoplayError } from '../errors/CoplayError';

/** Characters allowed in usernames, device ids and app ids. */
const ID = /^[A-Za-z0-9_-]+$/;

/** Longest MQTT client id Easemob accepts. */
export const MAX_CLIENT_ID_LENGTH = 64;

/**
 * Checks a username, device id or app id: 1..`max` characters of `[A-Za-z0-9_-]`.
 * @throws CoplayError `INVALID_ID`
 */
export function checkId(value: unknown, what: string, max = MAX_CLIENT_ID_LENGTH): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !ID.test(value)) {
    throw new CoplayError('INVALID_ID', `${what} must be 1-${max} characters of A-Z a-z 0-9 _ -`, {
      details: { field: what, length: typeof value === 'string' ? value.length : undefined },
    });
  }
  return value;
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
