/**
 * A real firewall that inspects FTP: Linux netfilter (nf_conntrack_ftp + nf_nat_ftp) driven by
 * nftables, in network namespaces this test builds and always tears down. The sweep runs in the
 * client namespace as users run it (the CLI), so PORT carries the client's own address and the
 * ALG rewrites it on the way.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { CLIENT_IP, createTopology, FIREWALL_SERVER_SIDE, namespacesMissing, SERVER_IP, type FirewallVariant, type Topology } from '../helpers/netns.js';
import { LINUX_HELPER_NAT, linuxHelperVersion, recordPath } from '../helpers/observations.js';
import { peerMissing, startRealPeer } from '../helpers/realPeers.js';
import { describeWhen } from '../helpers/requirements.js';

type Row = Record<'value' | 'sent' | 'seen' | 'reply_code' | 'reply' | 'data' | 'verdict' | 'repeat' | 'detail' | 'ms', string>;

describeWhen('Linux FTP ALG in network namespaces', namespacesMissing(), () => {
  let topology: Topology;
  let work: string;
  const stops: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    topology = createTopology();
    work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-alg-'));
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  afterAll(async () => {
    topology?.destroy();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** The reflector in the server namespace on port 21, where the FTP helper looks. */
  async function reflectorBehindFirewall(extra: string[] = []): Promise<void> {
    const reflector = await startCli(['reflect', '--listen', `${SERVER_IP}:21`, ...extra], {}, ['ip', 'netns', 'exec', topology.server]);
    stops.push(reflector.stop);
  }

  /** A sweep (full, unless `extra` says otherwise) from the client namespace: exit code and rows. */
  async function sweepFromClient(name: string, variant: FirewallVariant, extra: string[] = [], expectRows = 256): Promise<{ code: number | null; rows: Row[]; stdout: string }> {
    topology.useFirewall(variant);
    const out = path.join(work, name);
    const timeout = extra.includes('--timeout') ? [] : ['--timeout', '3000'];
    const run = await runCli(['sweep', '--host', SERVER_IP, '--port', '21', '--concurrency', '16', ...timeout, '--out', out, ...extra], {
      prefix: ['ip', 'netns', 'exec', topology.client],
      timeoutMs: 120_000,
    });
    expect(run.stderr).toBe('');
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Row[];
    expect(rows).toHaveLength(expectRows);
    return { code: run.code, rows, stdout: run.stdout };
  }

  const portBytes = (sent: string): string => sent.split(',').slice(4).join(',');

  it('masquerade + ct helper "ftp": the reflector sees every PORT translated to the firewall\'s address, data arrives', async () => {
    await reflectorBehindFirewall();
    const { code, rows } = await sweepFromClient('helper-nat', 'helper-nat');
    expect(code).toBe(0);
    for (const row of rows) {
      expect(row.verdict).toBe('translated');
      expect(row.data).toBe('arrived');
      expect(row.sent.startsWith(`PORT ${CLIENT_IP.replaceAll('.', ',')},`)).toBe(true);
      // Same port bytes, the firewall's server-side address.
      expect(row.seen).toBe(`PORT ${FIREWALL_SERVER_SIDE.replaceAll('.', ',')},${portBytes(row.sent)}`);
    }
    // The check before the sweep saw it too.
    const summary = JSON.parse(await readFile(path.join(work, 'helper-nat', 'summary.json'), 'utf8'));
    expect(summary.inspection.findings).toEqual([expect.stringMatching(/saw "PORT 203,0,113,1,\d+,\d+" for "PORT 198,51,100,2,\d+,\d+": the address is translated/)]);
    await recordPath('linux-helper-nat-reflector', { middlebox: LINUX_HELPER_NAT, version: linuxHelperVersion(), farSide: 'ftpsweep reflector', command: 'PORT', rows, exitCode: code });
  });

  describeWhen('through the helper to vsftpd', peerMissing('vsftpd'), () => {
    it('every value passes: vsftpd connects to the translated address, and the ALG forwards it to the client', async () => {
      const vsftpd = await startRealPeer('vsftpd', { netns: { topology, ns: topology.server, host: SERVER_IP, port: 21 } });
      stops.push(() => vsftpd.close());
      const { code, rows } = await sweepFromClient('helper-nat-vsftpd', 'helper-nat');
      expect(code).toBe(0);
      expect(rows.filter((r) => r.verdict !== 'pass').map((r) => `${r.value} ${r.verdict} ${r.detail}`)).toEqual([]);
      expect(rows.every((r) => r.data === 'arrived')).toBe(true);
      await recordPath('linux-helper-nat-vsftpd', { middlebox: LINUX_HELPER_NAT, version: linuxHelperVersion(), farSide: `vsftpd ${vsftpd.version}`, command: 'PORT', rows, exitCode: code });
    });

    it('without the helper vsftpd refuses the untranslated private address (RFC 2577): every value rejected', async () => {
      const vsftpd = await startRealPeer('vsftpd', { netns: { topology, ns: topology.server, host: SERVER_IP, port: 21 } });
      stops.push(() => vsftpd.close());
      const { code, rows } = await sweepFromClient('no-helper-nat-vsftpd', 'no-helper-nat');
      expect(code).toBe(1);
      for (const row of rows) {
        expect(row).toMatchObject({ verdict: 'rejected', reply_code: '500', data: 'not-tried' });
        expect(row.reply).toMatch(/^500 Illegal PORT command/);
      }
      await recordPath('linux-no-helper-nat-vsftpd', { middlebox: 'Linux masquerade without the FTP helper', version: linuxHelperVersion(), farSide: `vsftpd ${vsftpd.version}`, command: 'PORT', rows, exitCode: code, note: 'vsftpd refuses the untranslated private address (RFC 2577)' });
    });
  });

  it('the same without the helper (active FTP blocked): every value no-data, exit 1, and the detail says why', async () => {
    // Behind NAT without the helper, PORT names the client's private address: a server honouring
    // RFC 2577 refuses it outright, so the reflector is told to try, as a permissive server would.
    await reflectorBehindFirewall(['--allow-foreign']);
    const { code, rows, stdout } = await sweepFromClient('no-helper-nat', 'no-helper-nat');
    expect(code).toBe(1);
    for (const row of rows) {
      expect(row.verdict).toBe('no-data');
      expect(row.data).toBe('none');
      expect(row.seen).toBe(row.sent); // nothing rewrote PORT: there is no helper
      expect(row.repeat).toBe('3/3');
      expect(row.detail).toMatch(new RegExp(`could not open the data connection to port \\d+: 425 Cannot open data connection to ${CLIENT_IP.replaceAll('.', '\\.')}`));
    }
    expect(stdout).toMatch(/no-data 256/);
    await recordPath('linux-no-helper-nat-reflector', { middlebox: 'Linux masquerade without the FTP helper', version: linuxHelperVersion(), farSide: 'ftpsweep reflector --allow-foreign', command: 'PORT', rows, exitCode: code, note: 'active FTP blocked: the 425 is quoted' });
  });

  it('the same without the helper, the reflector as it comes (RFC 2577): every value rejected, and both row and finding say the address was not translated', async () => {
    await reflectorBehindFirewall();
    const { code, rows } = await sweepFromClient('no-helper-nat-strict', 'no-helper-nat', ['--values', '0-7', '--confirm', '0'], 8);
    expect(code).toBe(1);
    for (const row of rows) {
      expect(row).toMatchObject({ verdict: 'rejected', reply_code: '501' });
      expect(row.seen).toBe(row.sent);
      expect(row.detail).toMatch(/but sees the control connection come from 203\.0\.113\.1: the address was not translated — a NAT without an FTP helper/);
      expect(row.detail).not.toMatch(/may have changed it/);
    }
    const summary = JSON.parse(await readFile(path.join(work, 'no-helper-nat-strict', 'summary.json'), 'utf8'));
    expect(summary.inspection.findings).toEqual(['the far side sees the control connection come from 203.0.113.1, but PORT names 198.51.100.2, unchanged: a NAT without an FTP helper (active FTP cannot work through it)']);
  });

  it('the helper stalls a PORT split over two TCP segments, at every cut point (FIELD-NOTES §2)', async () => {
    await reflectorBehindFirewall();
    // Cut points 1..8 in turn; --timeout 1500: the stall lasts far longer (15 s measured).
    const { code, rows } = await sweepFromClient('helper-split', 'helper-nat', ['--split', 'auto', '--values', '0-7', '--timeout', '1500', '--confirm', '0'], 8);
    expect(code).toBe(1);
    rows.forEach((row, i) => {
      expect(row.verdict).toBe('timeout');
      expect(row.detail).toContain(`cut after byte ${i + 1}`);
    });
    // The same values in one segment each pass (translated) through the same firewall.
    const whole = await sweepFromClient('helper-whole', 'helper-nat', ['--values', '0-7'], 8);
    expect(whole.rows.every((r) => r.verdict === 'translated')).toBe(true);
    await recordPath('linux-helper-nat-split', { middlebox: LINUX_HELPER_NAT, version: linuxHelperVersion(), farSide: 'ftpsweep reflector', command: 'PORT --split auto (cut after byte 1..8)', rows, exitCode: code, note: 'the helper stalls a PORT split over two TCP segments' });
  });

  it('an unreachable host is a one-line error, exit 2, within the timeout', async () => {
    topology.useFirewall('helper-routed');
    const started = performance.now();
    const run = await runCli(['sweep', '--host', '203.0.113.99', '--port', '21', '--timeout', '1500', '--out', path.join(work, 'nowhere')], {
      prefix: ['ip', 'netns', 'exec', topology.client],
      timeoutMs: 30_000,
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/203\.0\.113\.99:21 (is unreachable|within 1500 ms)/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('the helper on a routed firewall (no NAT): every value passes untouched', async () => {
    await reflectorBehindFirewall();
    const { code, rows } = await sweepFromClient('helper-routed', 'helper-routed');
    expect(code).toBe(0);
    expect(rows.filter((r) => r.verdict !== 'pass')).toEqual([]);
    expect(rows.every((r) => r.seen === r.sent && r.data === 'arrived')).toBe(true);
    await recordPath('linux-helper-routed-reflector', { middlebox: 'Linux nf_conntrack_ftp, routed (no NAT)', version: linuxHelperVersion(), farSide: 'ftpsweep reflector', command: 'PORT', rows, exitCode: code });
  });
});
