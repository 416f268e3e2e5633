import { requireTool, startMosquitto } from '@coplay/testkit';
import { describe } from 'vitest';
import { connectionSuite } from './connectionSuite';

describe.skipIf(!requireTool('mosquitto').available)('mosquitto', () => {
  connectionSuite({ name: 'mosquitto, protocolVersion 4', broker: 'mosquitto', protocolVersion: 4, start: () => startMosquitto() });
  connectionSuite({ name: 'mosquitto, protocolVersion 5', broker: 'mosquitto', protocolVersion: 5, start: () => startMosquitto() });
});
