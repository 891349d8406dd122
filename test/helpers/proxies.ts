/**
 * FTP application-level proxies on loopback, unpacked by scripts/peers.sh into .peers/root:
 * Debian's ftp-proxy (SuSE proxy-suite 1.9.2.4) and ProFTPD's mod_proxy as a reverse proxy. Each
 * is started on a free 127.0.0.1 port in front of one upstream (the reflector, a real server), with
 * its config and log in a temp folder removed on close, and always stopped by its process group id
 * (both fork one process per session).
 *
 * What they do to PORT (FIELD-NOTES §5): both answer PORT themselves (`200 PORT command
 * successful.` / `200 PORT command successful`) and send the upstream a PORT of their own
 * (127,0,0,1 and a port of theirs; ftp-proxy only when the transfer command comes, mod_proxy at
 * once), then relay the data to the client's port. So the upstream never sees the client's PORT,
 * the client never sees the upstream's PORT reply, and the 150 and 226 of NLST are relayed as they
 * are. Both refuse a PORT naming another address than the client's own. ftp-proxy answers EPRT,
 * EPSV and FEAT with `500 '<verb>': command unrecognized.`; mod_proxy forwards EPRT as an EPRT of
 * its own, turns EPSV into PASV, and answers FEAT itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { proftpdServer } from './realPeers.js';
import { isRoot } from './requirements.js';

export const PROXY_NAMES = ['ftp-proxy', 'mod_proxy'] as const;
export type ProxyName = (typeof PROXY_NAMES)[number];

const TOP = fileURLToPath(new URL('../..', import.meta.url));
const ROOT = path.join(TOP, '.peers', 'root');
const FTP_PROXY = path.join(ROOT, 'usr/sbin/ftp-proxy');
const PROFTPD = path.join(ROOT, 'usr/sbin/proftpd');
const MODULES = path.join(ROOT, 'usr/lib/proftpd');
const MOD_PROXY = path.join(MODULES, 'mod_proxy.so');
const NEEDS: Record<ProxyName, readonly string[]> = { 'ftp-proxy': [FTP_PROXY], mod_proxy: [PROFTPD, MOD_PROXY] };
const PACKAGES: Record<ProxyName, string> = { 'ftp-proxy': 'ftp-proxy', mod_proxy: 'proftpd-mod-proxy' };

/** Debian's nobody / nogroup: both proxies drop to them, as Debian's own configs do. */
const NOBODY = 65534;

/**
 * Debian 12's mod_proxy.so calls OpenSSL (OPENSSL_init_ssl, EVP_*) but names only libsodium,
 * libsqlite3 and libc as needed libraries, and the proftpd binary does not link OpenSSL either:
 * without this, proftpd exits 127 with "symbol lookup error: …/mod_proxy.so: undefined symbol:
 * OPENSSL_init_ssl" while loading the module.
 */
const MOD_PROXY_PRELOAD = 'libssl.so.3 libcrypto.so.3';

export interface RunningProxy {
  readonly name: ProxyName;
  /** Debian package version, from .peers/versions.txt. */
  readonly version: string;
  readonly host: string;
  readonly port: number;
  /** The proxy's pid, which is also its process group id (its sessions are in that group). */
  readonly pid: number;
  /** The proxy's own log so far (ftp-proxy: LogDestination at INF; mod_proxy: ProxyLog). */
  log(): Promise<string>;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /**
   * ftp-proxy's ForkLimit. Unset: its default, 40. It is not "per minute" as documented: the daemon
   * counts accepted connections per wall-clock 30-second slice (time(NULL) / 30) and closes every
   * connection from the (ForkLimit / 2)-th of a slice on, right after accept, without a byte (the
   * client sees a FIN, no 421; proxy-suite ftp-daemon.c, daemon_accept). So ForkLimit 40 lets 19
   * connections through per slice, 6 lets 2, 2 or 1 lets none; 0 turns the limit off.
   */
  readonly forkLimit?: number;
  /** ftp-proxy's MaxClients (default 64): one more at once gets `421 Service not available.` */
  readonly maxClients?: number;
  /**
   * ftp-proxy's own data ports (ActiveMin/MaxDataPort: it connects to clients from these;
   * PassiveMin/MaxDataPort: it offers these in 227), [min, max] each. Unset: a free block of 16 + 16
   * ports above the ephemeral range (61000–65499), away from the ports ftpsweep asks for (high
   * bytes 5–127), as a deployment behind a firewall would fix them. Only the first port of a range
   * is ever tried (socket_d_bind shares one retry counter across the range and spends it all on
   * the first port), so while one session's PASV listener is open, another session's PASV gets
   * `425 Can't open data connection.` — a PASV sweep at concurrency 4 sees intermittent 425s.
   * 'ephemeral': no range in the config, and ftp-proxy (not root) lets the kernel pick each port.
   */
  readonly activePorts?: readonly [number, number] | 'ephemeral';
  readonly passivePorts?: readonly [number, number] | 'ephemeral';
  /** More config lines, appended as they are (ftp-proxy.conf or proftpd.conf syntax). */
  readonly config?: readonly string[];
}

/** Why `name` cannot run here, or undefined when it can. */
export function proxyMissing(name: ProxyName): string | undefined {
  if (!isRoot()) return 'FTP proxies need root (run scripts/peers.sh and the tests as root)';
  const missing = NEEDS[name].find((file) => !existsSync(file));
  return missing === undefined ? undefined : `${missing} is missing: run scripts/peers.sh as root`;
}

/** Versions recorded by scripts/peers.sh (Debian package versions). */
export function proxyVersion(name: ProxyName): string {
  const file = path.join(TOP, '.peers', 'versions.txt');
  const line = existsSync(file) ? readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${PACKAGES[name]} `)) : undefined;
  return line?.split(' ')[1] ?? 'unknown';
}

async function freePort(host: string, port = 0): Promise<number | undefined> {
  const server = net.createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host, port }, () => resolve(true));
  });
  if (!bound) return undefined;
  const { port: got } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return got;
}

/** A block of 32 ports above the ephemeral range whose first ports are free now (see activePorts). */
async function dataPortBlock(host: string): Promise<{ active: [number, number]; passive: [number, number] }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 61000 + 32 * Math.floor(Math.random() * 140);
    if ((await freePort(host, base)) !== undefined && (await freePort(host, base + 16)) !== undefined) {
      return { active: [base, base + 15], passive: [base + 16, base + 31] };
    }
  }
  throw new Error('no free block of data ports between 61000 and 65499');
}

/** Local ports in state LISTEN on `host` (IPv4), from /proc/net/tcp. */
function listening(host: string, port: number): boolean {
  const want = `${Buffer.from(host.split('.').map(Number)).reverse().toString('hex').toUpperCase()}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((line) => {
      const f = line.trim().split(/\s+/);
      return f[1] === want && f[3] === '0A';
    });
}

/**
 * Pids of the live (not zombie) processes in process group `pgid`, from /proc. A stopped proxy's
 * sessions can linger as zombies until init reaps them, and kill(-pgid, 0) still counts those.
 */
export function liveMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

interface Launch {
  readonly command: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
}

async function configure(name: ProxyName, dir: string, upstream: { host: string; port: number }, host: string, port: number, options: ProxyOptions): Promise<Launch> {
  const extra = options.config ?? [];
  switch (name) {
    case 'ftp-proxy': {
      if (net.isIP(upstream.host) === 6) throw new Error('ftp-proxy speaks IPv4 only (DestinationAddress, PORT, PASV)');
      const block = options.activePorts && options.passivePorts ? undefined : await dataPortBlock(host);
      const range = (verb: 'Active' | 'Passive', given: ProxyOptions['activePorts'], fallback: [number, number] | undefined): string[] => {
        const [min, max] = given === 'ephemeral' ? [] : (given ?? fallback!);
        return min === undefined ? [] : [`${verb}MinDataPort ${min}`, `${verb}MaxDataPort ${max}`];
      };
      const conf = path.join(dir, 'ftp-proxy.conf');
      // The daemon drops to nobody, then moves any old log aside and creates a new one (O_EXCL,
      // com-syslog.c): that needs a folder of nobody's.
      const logs = path.join(dir, 'log');
      await mkdir(logs);
      await chown(logs, NOBODY, NOBODY);
      const logFile = path.join(logs, 'ftp-proxy.log');
      await writeFile(
        conf,
        [
          'ServerType standalone',
          `Listen ${host}`,
          `Port ${port}`,
          // Fixed upstream: the global DestinationAddress / DestinationPort; no AllowMagicUser, so
          // USER anonymous goes to it as it is.
          `DestinationAddress ${upstream.host}`,
          `DestinationPort ${upstream.port}`,
          // Without an active range, ftp-proxy running as root connects to clients from port 20;
          // it drops to nobody here (as Debian's config does), so it may go without one.
          ...range('Active', options.activePorts, block?.active),
          ...range('Passive', options.passivePorts, block?.passive),
          'User nobody',
          'Group nogroup',
          `PidFile ${path.join(dir, 'ftp-proxy.pid')}`,
          `LogDestination ${logFile}`,
          'LogLevel INF',
          ...(options.forkLimit === undefined ? [] : [`ForkLimit ${options.forkLimit}`]),
          ...(options.maxClients === undefined ? [] : [`MaxClients ${options.maxClients}`]),
          ...extra,
        ].join('\n') + '\n',
      );
      // -d: standalone daemon; -n: do not detach, so the pid we spawned is the daemon's.
      return { command: [FTP_PROXY, '-d', '-n', '-f', conf], env: {}, logFile };
    }
    case 'mod_proxy': {
      if (options.forkLimit !== undefined || options.maxClients !== undefined || options.activePorts || options.passivePorts) {
        throw new Error('forkLimit, maxClients, activePorts and passivePorts are ftp-proxy options');
      }
      const conf = path.join(dir, 'proftpd.conf');
      const logFile = path.join(dir, 'proxy.log');
      const tables = path.join(dir, 'tables');
      await mkdir(tables);
      // An IPv6 upstream (the servers of realPeers on ::1) needs UseIPv6 on, else proftpd stops
      // with "ProxyReverseServers: error parsing 'ftp://[::1]:…': Invalid argument", and a
      // ProxySourceAddress of that family, else every connect fails with "Address family not
      // supported by protocol". Then mod_proxy speaks EPRT |2| and EPSV to it for PORT and PASV.
      const v6 = net.isIP(upstream.host) === 6;
      const backend = v6 ? `[${upstream.host}]` : upstream.host;
      await writeFile(
        conf,
        `${proftpdServer('ftpsweep mod_proxy', host, port, dir, v6)}
TransferLog none
ModulePath ${MODULES}
LoadModule mod_proxy.c
ProxyEngine on
ProxyRole reverse
ProxyReverseServers ftp://${backend}:${upstream.port}
${v6 ? `ProxySourceAddress ${upstream.host}` : ''}
# Sessions chroot into a folder under ProxyTables once the upstream has logged them in.
ProxyTables ${tables}
ProxyLog ${logFile}
# Plain FTP upstream. The default (auto) would send AUTH TLS to an upstream whose FEAT offers it
# (the reflector with --tls-cert), checked against /etc/proftpd/cacerts.pem, which is not there.
ProxyTLSEngine off
${extra.join('\n')}
`,
      );
      return { command: [PROFTPD, '-n', '-q', '-c', conf], env: { LD_PRELOAD: MOD_PROXY_PRELOAD }, logFile };
    }
  }
}

/**
 * Starts `name` on a free 127.0.0.1 port in front of `upstream`. Login passes through: both hand
 * USER and PASS to the upstream as they are (mod_proxy without UseReverseProxyAuth).
 *
 * Readiness is read from /proc/net/tcp, never by connecting: a probe connection would cost one of
 * ftp-proxy's ForkLimit slots, and through mod_proxy it would open a session on the upstream (it
 * connects and sends FEAT before the client's first command).
 */
export async function startProxy(name: ProxyName, upstream: { host: string; port: number }, options: ProxyOptions = {}): Promise<RunningProxy> {
  const dir = await mkdtemp(path.join(tmpdir(), `ftpsweep-${name}-`));
  // The proxies drop to nobody and still write their log here.
  await chmod(dir, 0o755);
  const host = '127.0.0.1';
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const close = async (): Promise<void> => {
    const pid = child?.pid;
    if (child && pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const signal = (sig: NodeJS.Signals): void => {
        try {
          process.kill(-pid, sig);
        } catch {
          // already gone
        }
      };
      // The whole group: the daemon and every session.
      signal('SIGTERM');
      const killer = setTimeout(() => signal('SIGKILL'), 3000);
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (deadline = setTimeout(resolve, 6000)))]);
      clearTimeout(killer);
      clearTimeout(deadline);
      // ftp-proxy's sessions keep its stderr, so 'close' waits for them; proftpd's sessions close
      // their stdio, so they may still be ending after the daemon is gone.
      const until = Date.now() + 3000;
      while (liveMembers(pid).length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      if (liveMembers(pid).length > 0) signal('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const port = await freePort(host);
    if (port === undefined) throw new Error(`no free port on ${host}`);
    const launch = await configure(name, dir, upstream, host, port, options);
    // detached: its own process group, so stopping it (kill -PGID) also stops its session children.
    child = spawn(launch.command[0]!, launch.command.slice(1), { detached: true, env: { ...process.env, ...launch.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const spawned = child;
    spawned.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    spawned.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    spawned.on('error', (error) => (output += `\n${error.message}`));
    exited = new Promise<void>((resolve) => spawned.once('close', () => resolve()));

    // ftp-proxy retries a busy listening port every 30 s, proftpd gives up: either way, 10 s.
    const until = Date.now() + 10_000;
    for (;;) {
      if (spawned.exitCode !== null || spawned.signalCode !== null) throw new Error(`exited (${spawned.exitCode ?? spawned.signalCode}) before listening: ${output}`);
      if (listening(host, port)) break;
      if (Date.now() > until) throw new Error(`not listening on ${host}:${port} after 10 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const logFile = launch.logFile;
    return {
      name,
      version: proxyVersion(name),
      host,
      port,
      pid: spawned.pid!,
      log: () => readFile(logFile, 'utf8').catch(() => ''),
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}
