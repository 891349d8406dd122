/**
 * vsftpd on loopback for the bench (and the tests' real peers): unpacked by scripts/peers.sh into
 * .peers/root, run as the launching user with an anonymous, read-only login over a folder of three
 * files, stopped by its process group (it forks a process per session).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VSFTPD = fileURLToPath(new URL('../../.peers/root/usr/sbin/vsftpd', import.meta.url));

/** vsftpd.conf for `host:port` serving `files`: no privilege separation, chroot or system users beyond nobody. */
export function vsftpdConf(host: string, port: number, files: string, dir: string): string {
  // vsftpd listens on one family: listen=YES (IPv4) or listen_ipv6=YES (IPv6), never both.
  const listen = net.isIP(host) === 6 ? ['listen=NO', 'listen_ipv6=YES', `listen_address6=${host}`] : ['listen=YES', 'listen_ipv6=NO', `listen_address=${host}`];
  return [
    ...listen, `listen_port=${port}`, 'background=NO',
    'anonymous_enable=YES', 'no_anon_password=YES', `anon_root=${files}`, 'local_enable=NO', 'write_enable=NO',
    'connect_from_port_20=NO', 'run_as_launching_user=YES', 'ftp_username=nobody', 'nopriv_user=nobody',
    'seccomp_sandbox=NO', 'isolate=NO', 'isolate_network=NO', 'xferlog_enable=NO', `secure_chroot_dir=${dir}`,
  ].join('\n') + '\n';
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One try: whether an FTP server on `host:port` greets with 220 within a second. */
export function greetsWith220(host: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', (d: Buffer) => done(d.toString('latin1').startsWith('220')));
    socket.once('error', () => done(false));
  });
}

/** Connects until vsftpd greets (220), or fails after `deadlineMs`. */
async function greeted(port: number, deadlineMs = 10_000): Promise<void> {
  for (const until = Date.now() + deadlineMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    if (await greetsWith220('127.0.0.1', port)) return;
  }
  throw new Error(`vsftpd did not greet on port ${port} within ${deadlineMs} ms`);
}

/** Starts vsftpd on a free loopback port, or says why it cannot run here. */
export async function startVsftpd(): Promise<{ readonly port: number; close(): Promise<void> } | string> {
  if (!existsSync(VSFTPD)) return `${VSFTPD} is missing (run scripts/peers.sh as root)`;
  if (process.getuid?.() !== 0) return 'vsftpd needs root here (run_as_launching_user still needs it to bind and fork sessions)';
  const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-bench-vsftpd-'));
  const files = path.join(dir, 'files');
  await mkdir(files);
  for (const f of ['alpha.txt', 'beta.txt', 'gamma.txt']) await writeFile(path.join(files, f), `${f}\n`);
  await chmod(dir, 0o755);
  await chmod(files, 0o755);
  const port = await freePort();
  await writeFile(path.join(dir, 'vsftpd.conf'), vsftpdConf('127.0.0.1', port, files, dir));
  const child = spawn(VSFTPD, [path.join(dir, 'vsftpd.conf')], { detached: true, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const close = async (): Promise<void> => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await greeted(port);
  } catch (error) {
    await close();
    return (error as Error).message;
  }
  return { port, close };
}
