// The runtime scenario in a browser page built by Vite: WebSocket only (a page cannot open TCP).
import { runScenario } from '../scenario.mjs';

const ws = new URLSearchParams(location.search).get('ws');
const log = (line) => (document.getElementById('log').textContent += `${line}\n`);
window.__coplayRuntime = runScenario({ ws }, log).then(
  (passed) => ({ ok: true, runtime: navigator.userAgent, passed }),
  (error) => ({ ok: false, runtime: navigator.userAgent, error: String(error?.stack ?? error) }),
);
