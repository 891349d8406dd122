/**
 * Real FTP servers on loopback, unpacked by scripts/peers.sh into .peers/root: each started on a
 * free port with a minimal config in its own temp folder (a login, a few files), waited for until
 * it greets, and always stopped by its process group id (the servers fork one process per session).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { greetsWith220, vsftpdConf } from '../../src/bench/vsftpd.js';
import { waitListening, type Topology } from './netns.js';
import { isRoot } from './requirements.js';

export const PEER_NAMES = ['vsftpd', 'proftpd', 'pure-ftpd', 'pyftpdlib'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

const TOP = fileURLToPath(new URL('../..', import.meta.url));
const ROOT = path.join(TOP, '.peers', 'root');
const PYTHON = '/usr/bin/python3'; // Debian's, where python3-pyftpdlib lives (not a pyenv shim)
const BINARIES: Record<PeerName, string> = {
  vsftpd: path.join(ROOT, 'usr/sbin/vsftpd'),
  proftpd: path.join(ROOT, 'usr/sbin/proftpd'),
  'pure-ftpd': path.join(ROOT, 'usr/sbin/pure-ftpd'),
  pyftpdlib: PYTHON,
};

export interface RealPeer {
  readonly name: PeerName;
  readonly version: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Set for servers that log in with a password (Pure-FTPd's virtual user); never anonymous. */
  readonly password: string | undefined;
  close(): Promise<void>;
}

/** Why `name` cannot run here, or undefined when it can. */
export function peerMissing(name: PeerName): string | undefined {
  if (!isRoot()) return 'real FTP servers need root (run scripts/peers.sh and the tests as root)';
  if (!existsSync(BINARIES[name])) return `${BINARIES[name]} is missing: run scripts/peers.sh as root`;
  if (name === 'pyftpdlib') {
    try {
      execFileSync(PYTHON, ['-c', 'import pyftpdlib'], { stdio: 'ignore' });
    } catch {
      return 'python3-pyftpdlib is not installed: run scripts/peers.sh as root';
    }
  }
  return undefined;
}

/** Versions recorded by scripts/peers.sh (Debian package versions). */
export function peerVersion(name: PeerName): string {
  const file = path.join(TOP, '.peers', 'versions.txt');
  const pkg = { vsftpd: 'vsftpd', proftpd: 'proftpd-core', 'pure-ftpd': 'pure-ftpd', pyftpdlib: 'python3-pyftpdlib' }[name];
  const line = existsSync(file) ? readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${pkg} `)) : undefined;
  return line?.split(' ')[1] ?? 'unknown';
}

async function freePort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Launch {
  readonly args: readonly string[];
  readonly user: string;
  readonly password?: string;
}

/**
 * The server part every proftpd the tests start shares: standalone on `host:port`, as nobody, its
 * pid file and scoreboard in `dir`, no wtmp or reverse DNS. `ipv6`: whether it speaks IPv6 at all.
 */
export function proftpdServer(name: string, host: string, port: number, dir: string, ipv6: boolean): string {
  return `ServerType standalone
ServerName "${name}"
Port ${port}
UseIPv6 ${ipv6 ? 'on' : 'off'}
DefaultAddress ${host}
SocketBindTight on
User nobody
Group nogroup
PidFile ${dir}/proftpd.pid
ScoreboardFile ${dir}/scoreboard
WtmpLog off
UseReverseDNS off
MaxInstances 200`;
}

async function configure(name: PeerName, dir: string, files: string, host: string, port: number): Promise<Launch> {
  switch (name) {
    case 'vsftpd': {
      const conf = path.join(dir, 'vsftpd.conf');
      await writeFile(conf, vsftpdConf(host, port, files, dir));
      return { args: [BINARIES.vsftpd, conf], user: 'anonymous' };
    }
    case 'proftpd': {
      const conf = path.join(dir, 'proftpd.conf');
      await writeFile(
        conf,
        `${proftpdServer('ftpsweep test', host, port, dir, net.isIP(host) === 6)}
RequireValidShell off
<Anonymous ${files}>
  User nobody
  Group nogroup
  UserAlias anonymous nobody
  RequireValidShell off
  <Limit WRITE>
    DenyAll
  </Limit>
</Anonymous>
`,
      );
      return { args: [BINARIES.proftpd, '-n', '-q', '-c', conf], user: 'anonymous' };
    }
    case 'pure-ftpd': {
      // Anonymous Pure-FTPd needs a system user "ftp"; a virtual user (PureDB) needs nothing
      // system-wide, and exercises --password-env against a real server. SHA-512 crypt: the
      // argon2 hashes `pure-pw useradd` makes cost seconds per login.
      const password = `pw-${process.pid}-${Date.now()}`;
      const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: password }).toString().trim();
      await writeFile(path.join(dir, 'passwd'), `ftpsweep:${hash}:65534:65534::${files}/./::::::::::::\n`);
      execFileSync(path.join(ROOT, 'usr/bin/pure-pw'), ['mkdb', path.join(dir, 'pureftpd.pdb'), '-f', path.join(dir, 'passwd')]);
      return { args: [BINARIES['pure-ftpd'], '-S', `${host},${port}`, '-l', `puredb:${dir}/pureftpd.pdb`, '-E', '-H', '-A', '-C', '300', '-c', '300'], user: 'ftpsweep', password };
    }
    case 'pyftpdlib':
      return { args: [PYTHON, fileURLToPath(new URL('./pyftpd_server.py', import.meta.url)), host, String(port), files], user: 'anonymous' };
  }
}

/** Connects until the server greets with 220, the process exits, or `deadlineMs` passes. */
async function awaitGreeting(host: string, port: number, child: ChildProcess, output: () => string, deadlineMs = 10_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before listening: ${output()}`);
    if (await greetsWith220(host, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no 220 greeting on port ${port} within ${deadlineMs} ms: ${output()}`);
}

export interface PeerPlace {
  /** Run inside this namespace of a test topology (listening on `host:port` there). */
  readonly netns?: { readonly topology: Topology; readonly ns: string; readonly host: string; readonly port: number };
  /** Listen on this loopback address instead of 127.0.0.1 (e.g. `::1`, for EPRT `|2|`). */
  readonly host?: string;
}

/**
 * Starts `name` over a temp folder holding three files: on a free loopback port, or inside a test
 * namespace at a given address and port.
 */
export async function startRealPeer(name: PeerName, place?: PeerPlace): Promise<RealPeer> {
  const dir = await mkdtemp(path.join(tmpdir(), `ftpsweep-${name}-`));
  const files = path.join(dir, 'files');
  await mkdir(files);
  for (const f of ['alpha.txt', 'beta.txt', 'gamma.txt']) await writeFile(path.join(files, f), `${f}\n`);
  // The servers drop to nobody before reading the folder.
  await chmod(dir, 0o755);
  await chmod(files, 0o755);

  const netns = place?.netns;
  const host = netns?.host ?? place?.host ?? '127.0.0.1';
  const port = netns?.port ?? (await freePort(host));
  const launch = await configure(name, dir, files, host, port);
  // `ip netns exec` execs the server itself, so the pid is still the server's.
  const command = netns ? ['ip', 'netns', 'exec', netns.ns, ...launch.args] : launch.args;
  // detached: its own process group, so stopping it (kill -PGID) also stops its session children.
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const close = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    if (netns) await waitListening(netns.topology, netns.ns, port);
    else await awaitGreeting(host, port, child, () => output);
  } catch (error) {
    await close();
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  return { name, version: peerVersion(name), host, port, user: launch.user, password: launch.password, close };
}
