import { describe, expect, it } from 'vitest';
import { DemoConfigError, loadDemoConfig, publicConfig } from './demoConfig';

const easemobEnv = {
  COPLAY_EASEMOB_API_URL: 'https://api.cn1.mqtt.chat/app/abc123',
  COPLAY_EASEMOB_APP_ID: 'abc123',
  COPLAY_EASEMOB_CLIENT_ID: 'client-id',
  COPLAY_EASEMOB_CLIENT_SECRET: 'TOP-SECRET-VALUE',
  COPLAY_BROKER_URL: 'wss://abc123.cn1.mqtt.chat:443/mqtt',
};

describe('loadDemoConfig', () => {
  it('defaults to local mode on loopback with port 5173 and free ports elsewhere', () => {
    expect(loadDemoConfig({})).toEqual({
      mode: 'local',
      host: '127.0.0.1',
      port: 5173,
      apiPort: 0,
      brokerPort: 0,
      brokerWsPort: 0,
      testHooks: false,
    });
  });

  it('reads ports and the test-hook flag', () => {
    const c = loadDemoConfig({
      COPLAY_DEMO_PORT: '6000',
      COPLAY_API_PORT: '6001',
      COPLAY_BROKER_PORT: '6002',
      COPLAY_BROKER_WS_PORT: '6003',
      COPLAY_DEMO_TEST_HOOKS: '1',
    });
    expect([c.port, c.apiPort, c.brokerPort, c.brokerWsPort, c.testHooks]).toEqual([6000, 6001, 6002, 6003, true]);
  });

  it.each([
    ['COPLAY_DEMO_PORT', 'abc'],
    ['COPLAY_BROKER_PORT', '70000'],
    ['COPLAY_BROKER_WS_PORT', '-1'],
    ['COPLAY_DEMO_MODE', 'cloud'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    try {
      loadDemoConfig({ [name]: value });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DemoConfigError);
      expect((e as DemoConfigError).variable).toBe(name);
      expect((e as Error).message).toContain(name);
    }
  });

  it('infers easemob mode from the app id and validates its settings', () => {
    const c = loadDemoConfig(easemobEnv);
    expect(c.mode).toBe('easemob');
    expect(c.easemob?.appClientSecret).toBe('TOP-SECRET-VALUE');
    expect(() => loadDemoConfig({ ...easemobEnv, COPLAY_EASEMOB_CLIENT_SECRET: '' })).toThrow(
      /COPLAY_EASEMOB_CLIENT_SECRET is required/,
    );
    expect(() => loadDemoConfig({ ...easemobEnv, COPLAY_BROKER_URL: 'mqtt://x:1883' })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => loadDemoConfig({ ...easemobEnv, COPLAY_EASEMOB_API_URL: 'not a url' })).toThrow(/not a URL/);
  });

  it('infers mqtt mode from a broker URL alone', () => {
    const c = loadDemoConfig({ COPLAY_BROKER_URL: 'wss://broker.example.test/mqtt' });
    expect(c.mode).toBe('mqtt');
    expect(publicConfig(c)).toEqual({ mode: 'mqtt', brokerUrl: 'wss://broker.example.test/mqtt', tokenUrl: null });
    expect(() => loadDemoConfig({ COPLAY_DEMO_MODE: 'mqtt' })).toThrow(/COPLAY_BROKER_URL/);
  });
});

describe('publicConfig', () => {
  it('never contains the app secret or client id', () => {
    const text = JSON.stringify(publicConfig(loadDemoConfig(easemobEnv)));
    expect(text).not.toContain('TOP-SECRET-VALUE');
    expect(text).not.toContain('client-id');
    expect(JSON.parse(text)).toEqual({ mode: 'easemob', brokerUrl: easemobEnv.COPLAY_BROKER_URL, tokenUrl: '/api/token' });
  });

  it('points local mode at the embedded broker and the token endpoint', () => {
    expect(publicConfig(loadDemoConfig({}), 'ws://127.0.0.1:1234')).toEqual({
      mode: 'local',
      brokerUrl: 'ws://127.0.0.1:1234',
      tokenUrl: '/api/token',
    });
  });
});
