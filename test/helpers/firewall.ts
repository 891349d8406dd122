import { startSimulator } from '../../src/servers/firewallSimulator.js';
import type { RunningServer } from '../../src/servers/listen.js';

/**
 * The simulated firewall on a free loopback port, in front of `front`: corrupts the PORT/EPRT
 * last octets in `corrupt`, delays each direction by `delayMs` (none by default), and resets every
 * `refuseEvery`-th new connection (none by default).
 */
export function startFirewall(front: { readonly host: string; readonly port: number }, corrupt: readonly number[], delayMs = 0, refuseEvery = 0): Promise<RunningServer> {
  return startSimulator({ host: '127.0.0.1', port: 0, upstream: { host: front.host, port: front.port }, corrupt, delayMs, refuseEvery });
}
