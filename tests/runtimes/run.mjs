/**
 * Entry point for Node, Bun and Deno: `<runtime> run.mjs <mqtt://...> <ws://...>`. Prints one `ok` line
 * per check and a final `RESULT {json}` line; exits 0 only when everything passed.
 */
import { runScenario } from './scenario.mjs';

const [tcp, ws] = (globalThis.Deno ? Deno.args : process.argv.slice(2));
const runtime = globalThis.Deno ? `deno ${Deno.version.deno}` : globalThis.Bun ? `bun ${Bun.version}` : `node ${process.version}`;

try {
  const passed = await runScenario({ tcp, ws }, (line) => console.log(line));
  console.log(`RESULT ${JSON.stringify({ runtime, passed })}`);
  // Nothing should keep the event loop alive after close(); exit explicitly anyway so a leak in a
  // runtime's socket shim cannot hang the test (the test asserts the output, not the exit timing).
  (globalThis.Deno ? Deno : process).exit(0);
} catch (error) {
  console.error(`FAILED under ${runtime}:`, error);
  (globalThis.Deno ? Deno : process).exit(1);
}
