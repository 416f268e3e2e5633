/**
 * @coplay/testkit/vitest — fixtures that register vitest hooks. Separate from the main entry so
 * that runtime users of the test kit (the demo, the bench) never load vitest.
 */
export { useBrokerFixture } from './useBrokerFixture';
export type { BrokerFixture, BrokerFixtureOptions } from './useBrokerFixture';
export { adapterParity } from './adapterParity';
export type { AdapterApi, AdapterHarness, Arg, Out, Probe } from './adapterParity';
