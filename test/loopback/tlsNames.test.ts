/**
 * Which names a server's certificate is checked against under --tls: an address given to --host is
 * checked against the certificate's IP SANs (never as "localhost"), and a failed check says what
 * the certificate names, with a hint that fits the flags given.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { describeWhen } from '../helpers/requirements.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

function opensslMissing(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is missing (it makes the test certificates): install openssl';
  }
}

describeWhen('TLS: the names a certificate is checked against', opensslMissing(), () => {
  let dir: string;
  const servers: RunningServer[] = [];

  /** A self-signed certificate for `san` (CN names no host), and a reflector serving it. */
  async function serving(name: string, san: string): Promise<{ ca: string; port: number }> {
    const [cert, key] = [path.join(dir, `${name}.pem`), path.join(dir, `${name}.key`)];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=ftpsweep test ${name}`, '-addext', `subjectAltName=${san}`, '-days', '1'], { stdio: 'ignore' });
    const server = await startReflector({ host: '127.0.0.1', port: 0, tls: { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') } });
    servers.push(server);
    return { ca: cert, port: server.port };
  }

  let ipOnly: { ca: string; port: number };
  let otherIp: { ca: string; port: number };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-tls-names-'));
    ipOnly = await serving('ip-only', 'IP:127.0.0.1');
    otherIp = await serving('other-ip', 'IP:127.0.0.9,DNS:ftp.example.net');
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sweep = (port: number, ca: string, out: string): ReturnType<typeof runCli> =>
    runCli(['sweep', '--host', '127.0.0.1', '--port', String(port), '--tls', '--tls-ca', ca, '--values', '1', '--confirm', '0', '--out', path.join(dir, out)]);

  it('--host 127.0.0.1 with a certificate whose only SAN is IP:127.0.0.1: verified, the sweep passes', async () => {
    const run = await sweep(ipOnly.port, ipOnly.ca, 'ip-only');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/under TLS/);
  });

  it('a trusted certificate that names another address: says what it names, and does not ask for --tls-ca again', async () => {
    const run = await sweep(otherIp.port, otherIp.ca, 'other-ip');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/the certificate does not name 127\.0\.0\.1 \(it names IP Address:127\.0\.0\.9, DNS:ftp\.example\.net\) — give --host a name or address the certificate names/);
    expect(run.stderr).not.toMatch(/--tls-ca FILE/);
  });

  it('--tls-ca holding another certificate: says none in it vouches for the server\'s', async () => {
    const run = await sweep(ipOnly.port, otherIp.ca, 'wrong-ca');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/no certificate in --tls-ca vouches for the server's .* — give --tls-ca the server's certificate or the CA that issued it/);
  });
});
