// `ws` is Node's WebSocket package. @coplay/core imports it for its Node-only WebSocket transport, which
// a browser never uses (browsers have their own WebSocket); bundlers swap in ws's browser stub, and this
// is that stub for the import map.
export default function WebSocket() {
  throw new Error('ws does not work in the browser: browsers use their own WebSocket');
}
