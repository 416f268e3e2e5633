import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memGiB: number;
  os: string;
  kernel: string;
  node: string;
  mqttJs: string;
  mosquitto: string;
  chromium?: string;
  loadAvgStart: number[];
  loadAvgEnd?: number[];
}

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 }).split('\n')[0]!.trim();
  } catch (err) {
    // mosquitto -h prints its version and exits 3
    const out = (err as { stdout?: string }).stdout;
    return out ? out.split('\n')[0]!.trim() : 'not found';
  }
}

export function machineInfo(): MachineInfo {
  const require = createRequire(import.meta.url);
  let osName = os.type();
  try {
    osName = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? osName;
  } catch {
    // not Linux
  }
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName,
    kernel: os.release(),
    node: process.version,
    mqttJs: (require('mqtt/package.json') as { version: string }).version,
    mosquitto: version('mosquitto', ['-h']),
    loadAvgStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
