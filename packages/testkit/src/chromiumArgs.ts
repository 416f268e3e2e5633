/**
 * The flags the project runs Debian's chromium with: headless as root, and no background traffic
 * (this machine's closed network refuses it, many connections at a time).
 */
export const CHROMIUM_ARGS: string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
