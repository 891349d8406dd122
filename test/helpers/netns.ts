/**
 * A real firewall for the tests: three network namespaces, client — firewall — server, joined by
 * veth pairs, with nftables on the firewall. Documentation addresses only (RFC 5737, RFC 3849),
 * IPv4 and IPv6 on the same links:
 *
 *   client 198.51.100.2/24  ──  198.51.100.1 firewall 203.0.113.1  ──  203.0.113.2/24 server
 *          2001:db8:1::2/64 ──  2001:db8:1::1          2001:db8:2::1 ──  2001:db8:2::2/64
 *
 * Each end holds a second address per family that it never picks as a source on its own:
 *
 *   - the client 198.51.100.3 and 2001:db8:1::3: a second client behind the same NAT;
 *   - the server 203.0.113.3 and 2001:db8:2::3: a multi-homed server. A program listening there
 *     that connects back without binding its source goes out from 203.0.113.2 / 2001:db8:2::2.
 *
 * (IPv4: the second address of a subnet is a secondary one, never a route's source. IPv6: the
 * second address is deprecated — preferred_lft 0 — so source selection avoids it (RFC 6724 rule
 * 3), while it still accepts connections and explicit binds.)
 *
 * Names are unique per run (the pid and random bytes), and `destroy()` deletes exactly the
 * namespaces this run created, which takes their veths and processes' network with them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isRoot } from './requirements.js';

export const CLIENT_IP = '198.51.100.2';
export const FIREWALL_CLIENT_SIDE = '198.51.100.1';
export const FIREWALL_SERVER_SIDE = '203.0.113.1';
export const SERVER_IP = '203.0.113.2';

export const CLIENT_IP6 = '2001:db8:1::2';
export const FIREWALL_CLIENT_SIDE6 = '2001:db8:1::1';
export const FIREWALL_SERVER_SIDE6 = '2001:db8:2::1';
export const SERVER_IP6 = '2001:db8:2::2';

/** A second client in the client namespace, behind the same NAT as the first. */
export const SECOND_CLIENT_IP = '198.51.100.3';
export const SECOND_CLIENT_IP6 = '2001:db8:1::3';
/** The server's second address: reachable, but not the source its routes pick. */
export const SERVER_ALIAS_IP = '203.0.113.3';
export const SERVER_ALIAS_IP6 = '2001:db8:2::3';

function tool(name: string): string | undefined {
  return ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((dir) => `${dir}/${name}`).find((p) => existsSync(p));
}

/** Why namespaces with nftables cannot be built here, or undefined when they can. */
export function namespacesMissing(): string | undefined {
  if (!isRoot()) return 'network namespaces need root';
  if (!tool('ip')) return 'ip (iproute2) is missing: run scripts/peers.sh as root';
  if (!tool('nft')) return 'nft (nftables) is missing: run scripts/peers.sh as root';
  const probe = `fsp${process.pid}${randomBytes(2).toString('hex')}`;
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (made.status !== 0) return `cannot create a network namespace: ${made.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

/** Why the topology has no IPv6 here (a kernel without it), or undefined when it has. */
export function ipv6Missing(): string | undefined {
  return existsSync('/proc/sys/net/ipv6') ? undefined : 'this kernel has no IPv6 (/proc/sys/net/ipv6 is missing)';
}

/** Each variant filters, translates and inspects IPv4 and IPv6 alike (one `table inet`). */
export type FirewallVariant =
  /** nftables masquerade + `ct helper "ftp"` on port 21: Linux's FTP ALG translating PORT/EPRT. */
  | 'helper-nat'
  /** The same without the helper: only established/related traffic back — active FTP blocked. */
  | 'no-helper-nat'
  /** The helper on a routed firewall (no NAT): inspection without translation. */
  | 'helper-routed';

/** The veth ends: client's, firewall's two, server's (for `tcpdump -i`, `ip route get … oif`). */
export interface Interfaces {
  readonly client: string;
  readonly firewallClientSide: string;
  readonly firewallServerSide: string;
  readonly server: string;
}

export interface Topology {
  readonly client: string;
  readonly firewall: string;
  readonly server: string;
  readonly interfaces: Interfaces;
  /** Runs a command in a namespace and returns its stdout; throws with its stderr on failure. */
  run(ns: string, args: readonly string[]): string;
  /** Replaces the firewall's whole ruleset. */
  useFirewall(variant: FirewallVariant): void;
  /** The source address `ns` picks on its own for a connection to `destination` (`ip route get`). */
  sourceFor(ns: string, destination: string): string;
  /** Deletes the three namespaces. Idempotent; safe after a partial build. */
  destroy(): void;
}

function sh(args: readonly string[]): string {
  try {
    return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}

/**
 * The firewall's ruleset for a variant; `toClient`/`toServer` are its interface names. One
 * `table inet`: the same rules for IPv4 and IPv6, and the helper object serves both families.
 */
export function firewallRuleset(variant: FirewallVariant, toClient: string, toServer: string): string {
  const helper = variant !== 'no-helper-nat';
  const nat = variant !== 'helper-routed';
  return `flush ruleset
table inet ftpsweep {
${helper ? `  ct helper ftp-standard { type "ftp" protocol tcp; l3proto inet; }
  chain helpers { type filter hook prerouting priority filter; policy accept; tcp dport 21 ct helper set "ftp-standard"; }
` : ''}  chain forwarding {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "${toClient}" ct state new accept
    # Refuse the rest at once (a dropped SYN would only make the tests wait out timeouts).
    reject with tcp reset
  }
${nat ? `  chain nat_out { type nat hook postrouting priority srcnat; policy accept; oifname "${toServer}" masquerade; }
` : ''}}
`;
}

/** Builds the three namespaces; on any failure, removes what it made and rethrows. */
export function createTopology(): Topology {
  const id = `${(process.pid % 4096).toString(16)}${randomBytes(2).toString('hex')}`;
  const [client, firewall, server] = ['c', 'f', 's'].map((role) => `ftpsweep-${id}-${role}`) as [string, string, string];
  // veth names: at most 15 characters, unique while both ends are still in the root namespace.
  const [cEnd, fcEnd, sEnd, fsEnd] = [`fw${id}c`, `fw${id}fc`, `fw${id}s`, `fw${id}fs`];
  const created: string[] = [];
  const topology: Topology = {
    client,
    firewall,
    server,
    interfaces: { client: cEnd, firewallClientSide: fcEnd, firewallServerSide: fsEnd, server: sEnd },
    run: (ns, args) => sh(['ip', 'netns', 'exec', ns, ...args]),
    useFirewall(variant) {
      execFileSync('ip', ['netns', 'exec', firewall, 'nft', '-f', '-'], { input: firewallRuleset(variant, fcEnd, fsEnd) });
    },
    sourceFor(ns, destination) {
      const route = sh(['ip', '-n', ns, 'route', 'get', destination]);
      const source = / src (\S+)/.exec(route)?.[1];
      if (source === undefined) throw new Error(`ip route get ${destination} in ${ns} names no source: ${route.trim()}`);
      return source;
    },
    destroy() {
      for (const ns of created.splice(0)) spawnSync('ip', ['netns', 'del', ns]);
    },
  };
  try {
    for (const ns of [client, firewall, server]) {
      sh(['ip', 'netns', 'add', ns]);
      created.push(ns);
      sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    sh(['ip', 'link', 'add', cEnd, 'netns', client, 'type', 'veth', 'peer', 'name', fcEnd, 'netns', firewall]);
    sh(['ip', 'link', 'add', sEnd, 'netns', server, 'type', 'veth', 'peer', 'name', fsEnd, 'netns', firewall]);
    // nodad: usable at once (no duplicate address detection to wait out).
    const address = (ns: string, dev: string, cidr: string, ...flags: string[]): void => {
      sh(['ip', '-n', ns, 'addr', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : []), ...flags]);
    };
    // The second addresses after the first: a secondary IPv4 address, a deprecated IPv6 one.
    // Without IPv6 in the kernel the topology is IPv4 only (what alg.test.ts needs).
    const ipv6 = ipv6Missing() === undefined;
    address(client, cEnd, `${CLIENT_IP}/24`);
    address(client, cEnd, `${SECOND_CLIENT_IP}/24`);
    address(firewall, fcEnd, `${FIREWALL_CLIENT_SIDE}/24`);
    address(firewall, fsEnd, `${FIREWALL_SERVER_SIDE}/24`);
    address(server, sEnd, `${SERVER_IP}/24`);
    address(server, sEnd, `${SERVER_ALIAS_IP}/24`);
    if (ipv6) {
      address(client, cEnd, `${CLIENT_IP6}/64`);
      address(client, cEnd, `${SECOND_CLIENT_IP6}/64`, 'preferred_lft', '0');
      address(firewall, fcEnd, `${FIREWALL_CLIENT_SIDE6}/64`);
      address(firewall, fsEnd, `${FIREWALL_SERVER_SIDE6}/64`);
      address(server, sEnd, `${SERVER_IP6}/64`);
      address(server, sEnd, `${SERVER_ALIAS_IP6}/64`, 'preferred_lft', '0');
    }
    for (const [ns, dev] of [[client, cEnd], [firewall, fcEnd], [firewall, fsEnd], [server, sEnd]] as const) {
      sh(['ip', '-n', ns, 'link', 'set', dev, 'up']);
    }
    sh(['ip', '-n', client, 'route', 'add', 'default', 'via', FIREWALL_CLIENT_SIDE]);
    sh(['ip', '-n', server, 'route', 'add', 'default', 'via', FIREWALL_SERVER_SIDE]);
    topology.run(firewall, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    if (ipv6) {
      sh(['ip', '-n', client, '-6', 'route', 'add', 'default', 'via', FIREWALL_CLIENT_SIDE6]);
      sh(['ip', '-n', server, '-6', 'route', 'add', 'default', 'via', FIREWALL_SERVER_SIDE6]);
      topology.run(firewall, ['sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1']);
    }
  } catch (error) {
    topology.destroy();
    throw error;
  }
  return topology;
}

/** Waits until something in `ns` listens on TCP `port` (polling `ss`), at most `deadlineMs`. */
export async function waitListening(topology: Topology, ns: string, port: number, deadlineMs = 10_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (topology.run(ns, ['ss', '-Hltn', `sport = :${port}`]).trim() !== '') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port} in ${ns} after ${deadlineMs} ms`);
}
