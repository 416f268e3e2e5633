import type { Connection, ConnectionOptions } from '@coplay/core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { brokerConnectionOptions } from './brokerConnectionOptions';
import { connectedConnection } from './connectedConnection';
import { startBroker, type EmbeddedBroker } from './startBroker';

/** Options of {@link useBrokerFixture}. */
export interface BrokerFixtureOptions {
  /**
   * `createConnection` from @coplay/core. Passed in because core's own tests use this kit, so the kit
   * takes no runtime dependency on core.
   */
  createConnection: (options: ConnectionOptions) => Connection;
  /** Also listen for MQTT over WebSocket, and point {@link BrokerFixture.options} there. Default true. */
  ws?: boolean | undefined;
  /** Keep a connected {@link BrokerFixture.publisher} for the whole file. Default false. */
  publisher?: boolean | undefined;
  /**
   * Runs first after each test, before anything tracked is closed: e.g. Testing Library's `cleanup`,
   * so components unmount while their connection is still open.
   */
  unmount?: (() => void) | undefined;
}

/** What {@link useBrokerFixture} hands a test file. Read its members inside tests and hooks. */
export interface BrokerFixture {
  /** The file's embedded broker (started in `beforeAll`); its event record is cleared after each test. */
  readonly broker: EmbeddedBroker;
  /** A connected connection for the whole file (with `publisher: true`), for publishing to the code under test. */
  readonly publisher: Connection;
  /** Connection options for this broker, with a unique client id made from `name`; `overrides` win. */
  options(name: string, overrides?: Partial<ConnectionOptions>): ConnectionOptions;
  /** A connection that has reached `connected`, closed after the test. */
  connect(name: string, overrides?: Partial<ConnectionOptions>): Promise<Connection>;
  /** Closes `connection` after the test (closing twice is harmless). Returns it. */
  track<C extends Connection>(connection: C): C;
  /** Runs `teardown` after the test. Teardowns and tracked connections end newest first, one at a time. */
  defer(teardown: () => unknown): void;
}

/**
 * Registers vitest hooks for one test file: an embedded broker (WebSocket too by default) started
 * before all tests; after each test, `unmount`, then every tracked connection and deferred teardown
 * (newest first), then the broker's event record is cleared; after all, the publisher and the broker
 * close. Call it once, at the top level of the file.
 */
export function useBrokerFixture(options: BrokerFixtureOptions): BrokerFixture {
  const { createConnection, ws = true, unmount } = options;
  let broker: EmbeddedBroker | undefined;
  let publisher: Connection | undefined;
  const teardowns: Array<() => unknown> = [];

  const fixture: BrokerFixture = {
    get broker() {
      if (!broker) throw new Error('useBrokerFixture: the broker starts in beforeAll; read it inside tests and hooks');
      return broker;
    },
    get publisher() {
      if (!publisher) throw new Error('useBrokerFixture: no publisher (pass `publisher: true`; it connects in beforeAll)');
      return publisher;
    },
    options: (name, overrides) => brokerConnectionOptions(fixture.broker, name, overrides),
    connect: async (name, overrides) => fixture.track(await connectedConnection(createConnection, fixture.options(name, overrides))),
    track: (connection) => {
      teardowns.push(() => connection.close());
      return connection;
    },
    defer: (teardown) => {
      teardowns.push(teardown);
    },
  };

  beforeAll(async () => {
    broker = await startBroker({ ws });
    if (options.publisher) publisher = await connectedConnection(createConnection, fixture.options('publisher'));
  });

  afterEach(async () => {
    // Every teardown runs even if one fails; failures are reported once all have run.
    const errors: unknown[] = [];
    try {
      unmount?.();
    } catch (e) {
      errors.push(e);
    }
    for (const teardown of teardowns.splice(0).reverse()) {
      try {
        await teardown();
      } catch (e) {
        errors.push(e);
      }
    }
    broker?.reset();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'useBrokerFixture: teardowns failed');
  });

  afterAll(async () => {
    await publisher?.close();
    await broker?.close();
  });

  return fixture;
}
