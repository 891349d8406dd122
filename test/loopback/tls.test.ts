/**
 * The TLS control group: explicit FTPS (AUTH TLS, RFC 4217) on the control connection, with a
 * certificate the test makes. An inspecting firewall cannot read or rewrite what it cannot see, so
 * a value that fails in clear and passes under TLS points at the middlebox, not the server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import { describeWhen } from '../helpers/requirements.js';
import { loopbackOptions, valuesNot } from '../helpers/sweep.js';
import { ControlConnection } from '../../src/ftp/controlConnection.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';
import { runSweep } from '../../src/sweep/sweep.js';

function opensslMissing(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is missing (it makes the test certificate): install openssl';
  }
}

describeWhen('TLS control group (AUTH TLS)', opensslMissing(), () => {
  let dir: string;
  let ca: string;
  let reflector: RunningServer;
  let plainOnly: RunningServer;
  let firewall: RunningServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-tls-'));
    const [certFile, keyFile] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '1'], { stdio: 'ignore' });
    ca = await readFile(certFile, 'utf8');
    reflector = await startReflector({ host: '127.0.0.1', port: 0, tls: { cert: ca, key: await readFile(keyFile, 'utf8') } });
    plainOnly = await startReflector({ host: '127.0.0.1', port: 0 });
    firewall = await startFirewall(reflector, [227]);
  });
  afterAll(async () => {
    await Promise.all([firewall, reflector, plainOnly].map((s) => s?.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('through the firewall corrupting 227: in clear 227 is corrupted, under TLS every value passes', async () => {
    const values = [226, 227, 228];
    const clear = await runSweep(loopbackOptions(firewall.port, { values }));
    expect(valuesNot(clear.results, 'pass')).toEqual([227]);
    const secured = await runSweep(loopbackOptions(firewall.port, { values, tls: { ca, insecure: false } }));
    expect(valuesNot(secured.results, 'pass')).toEqual([]);
    expect(secured.results[1]!.seen).toBe(secured.results[1]!.sent); // the reflector saw 227 intact
  });

  it('the CLI: --tls-ca trusts the test certificate; the dialogue shows the handshake and PROT C', async () => {
    const caFile = path.join(dir, 'cert.pem');
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(firewall.port), '--value', '227', '--tls-ca', caFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/> AUTH TLS\n.*< 234 /);
    expect(run.stdout).toMatch(/\* TLSv1\.\d established/);
    expect(run.stdout).toMatch(/> PROT C\n.*< 200 /);
    expect(run.stdout).toMatch(/verdict: pass/);
  });

  it('an untrusted certificate is a one-line error, exit 2', async () => {
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--tls', '--values', '1', '--out', path.join(dir, 'x')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: self-signed certificate — trust the server's certificate with --tls-ca FILE/);
  });

  it('a server without AUTH TLS is a one-line error, exit 2', async () => {
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(plainOnly.port), '--tls', '--values', '1', '--out', path.join(dir, 'y')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refused AUTH TLS: 502 .* — the server does not offer explicit FTPS; run without --tls/);
  });

  it('FEAT lists the extensions the registry has: AUTH TLS, PBSZ and PROT only where there is a certificate', async () => {
    const features = async (server: RunningServer): Promise<string[]> => {
      const connection = await ControlConnection.open({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
      try {
        const feat = await connection.command('FEAT', 'login');
        expect(feat.code).toBe(211);
        return feat.lines.slice(1, -1).map((line) => line.trim());
      } finally {
        connection.close();
      }
    };
    expect(await features(reflector)).toEqual(['AUTH TLS', 'PBSZ', 'PROT', 'EPRT', 'EPSV']);
    expect(await features(plainOnly)).toEqual(['EPRT', 'EPSV']);
  });
});
