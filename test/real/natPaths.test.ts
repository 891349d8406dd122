/**
 * Linux's FTP helper (nf_conntrack_ftp + nf_nat_ftp) on the paths alg.test.ts does not take
 * (FIELD-NOTES §5), in network namespaces built afresh for every test: conntrack expectations
 * outlive the connections that made them (minutes), and a stale one would remap or admit the next
 * test's data connections.
 *
 *   - IPv6: masquerade rewrites `EPRT |2|2001:db8:1::2|p|` into the full, uncompressed form of the
 *     firewall's address. Valid RFC 2428: addresses are compared as addresses.
 *   - A multi-homed server: the reflector listening on the server's second address must connect
 *     back from that address; the expectation names it, and a connection from the default source
 *     matches nothing.
 *   - NAT port remapping: when another client behind the same NAT already holds the port (its
 *     expectation), nf_nat_ftp rewrites the port too and relays the data to the port asked for.
 *     A valid rewrite: the data arrives.
 *
 * The sweeps run in the client namespace as users run them (the CLI).
 */
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { parseValueList } from '../../src/model/values.js';
import { runCli, startCli } from '../helpers/cli.js';
import { holdNatPorts } from '../helpers/natHolder.js';
import {
  CLIENT_IP,
  CLIENT_IP6,
  createTopology,
  FIREWALL_SERVER_SIDE,
  FIREWALL_SERVER_SIDE6,
  ipv6Missing,
  namespacesMissing,
  SECOND_CLIENT_IP,
  SECOND_CLIENT_IP6,
  SERVER_ALIAS_IP,
  SERVER_ALIAS_IP6,
  SERVER_IP,
  SERVER_IP6,
  type Topology,
} from '../helpers/netns.js';
import { LINUX_HELPER_NAT, linuxHelperVersion, recordPath } from '../helpers/observations.js';
import { peerMissing, startRealPeer } from '../helpers/realPeers.js';
import { describeWhen } from '../helpers/requirements.js';

type Row = Record<'value' | 'sent' | 'seen' | 'reply_code' | 'reply' | 'data' | 'verdict' | 'repeat' | 'detail' | 'ms', string>;

/** An IPv6 address in the full form nf_nat_ftp writes: eight groups of four hex digits. */
function fullForm(address: string): string {
  const [head, tail] = address.includes('::') ? address.split('::') as [string, string] : [address, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

/** The port a PORT or EPRT line names. */
function portOf(line: string): number {
  const eprt = /^EPRT \|[12]\|[^|]*\|(\d+)\|$/.exec(line);
  if (eprt) return Number(eprt[1]);
  const port = /^PORT \d+,\d+,\d+,\d+,(\d+),(\d+)$/.exec(line);
  if (port) return Number(port[1]) * 256 + Number(port[2]);
  throw new Error(`not a PORT or EPRT line: ${JSON.stringify(line)}`);
}

/** What the firewall's helper makes of a data-port command for `port`, seen from the server. */
function translated(family: 4 | 6, port: number): string {
  return family === 4
    ? `PORT ${FIREWALL_SERVER_SIDE.replaceAll('.', ',')},${port >> 8},${port & 255}`
    : `EPRT |2|${fullForm(FIREWALL_SERVER_SIDE6)}|${port}|`;
}

function sentBy(family: 4 | 6, port: number): string {
  return family === 4 ? `PORT ${CLIENT_IP.replaceAll('.', ',')},${port >> 8},${port & 255}` : `EPRT |2|${CLIENT_IP6}|${port}|`;
}

const listenOn = (host: string, port: number): string => (isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`);

describeWhen('Linux FTP helper: IPv6, a multi-homed server, NAT port remapping (network namespaces)', namespacesMissing() ?? ipv6Missing(), () => {
  let topology: Topology | undefined;
  let work: string;
  const stops: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-natpaths-'));
  });
  beforeEach(() => {
    topology = createTopology();
    topology.useFirewall('helper-nat');
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    topology?.destroy();
    topology = undefined;
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  function topo(): Topology {
    if (!topology) throw new Error('no topology: beforeEach builds one');
    return topology;
  }

  /** The reflector in the server namespace on `host`, port 21 (where the helper looks). */
  async function reflector(host: string): Promise<void> {
    const running = await startCli(['reflect', '--listen', listenOn(host, 21)], {}, ['ip', 'netns', 'exec', topo().server]);
    stops.push(running.stop);
  }

  /** A sweep from the client namespace: exit code, rows and summary. */
  async function sweep(name: string, host: string, extra: string[] = [], expectRows = 256): Promise<{ code: number | null; rows: Row[]; summary: { inspection: { findings: string[] } } }> {
    const out = path.join(work, name);
    const command = isIPv6(host) ? ['--command', 'EPRT'] : [];
    const run = await runCli(['sweep', '--host', host, '--port', '21', '--concurrency', '16', '--timeout', '3000', ...command, '--out', out, ...extra], {
      prefix: ['ip', 'netns', 'exec', topo().client],
      timeoutMs: 45_000, // within the test's 60 s, so the sweep is killed before its namespaces go
    });
    expect(run.stderr).toBe('');
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Row[];
    expect(rows).toHaveLength(expectRows);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    return { code: run.code, rows, summary };
  }

  /**
   * The rows that are not `verdict` with the data arrived, in short: how many of each kind, and the
   * first three whole, so a failure reads in a few lines rather than 256.
   */
  function offenders(rows: Row[], verdict: string): string[] {
    const off = rows.filter((r) => r.verdict !== verdict || r.data !== 'arrived');
    if (off.length === 0) return [];
    const kinds = new Map<string, number>();
    for (const r of off) kinds.set(`${r.verdict} (data ${r.data})`, (kinds.get(`${r.verdict} (data ${r.data})`) ?? 0) + 1);
    return [
      `${off.length} of ${rows.length} values: ${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')}`,
      ...off.slice(0, 3).map((r) => `${r.value} ${r.verdict} ${r.repeat}: sent ${r.sent} | seen ${r.seen} | data ${r.data} | ${r.detail}`),
    ];
  }

  it('IPv6: the reflector sees every EPRT with the firewall\'s address in full form, the same port, and the data arrives', async () => {
    await reflector(SERVER_IP6);
    const { code, rows, summary } = await sweep('ipv6-reflector', SERVER_IP6);
    // What the firewall did (the kernel's part): 2001:0db8:0002:0000:0000:0000:0000:0001 is
    // 2001:db8:2::1 written in full; the port is kept.
    for (const row of rows) {
      const port = portOf(row.sent);
      expect(row.sent).toBe(sentBy(6, port));
      expect(row.seen).toBe(translated(6, port));
    }
    // What ftpsweep makes of it.
    expect(offenders(rows, 'translated')).toEqual([]);
    expect(code).toBe(0);
    expect(summary.inspection.findings).toEqual([expect.stringMatching(/the address is translated/)]);
    await recordPath('linux-helper-nat6-reflector', { middlebox: LINUX_HELPER_NAT, version: linuxHelperVersion(), farSide: 'ftpsweep reflector', command: 'EPRT over IPv6', rows, exitCode: code, note: 'the address is written in full form' });
  });

  for (const family of [4, 6] as const) {
    const alias = family === 4 ? SERVER_ALIAS_IP : SERVER_ALIAS_IP6;
    it(`a multi-homed server (IPv${family}): the reflector on its second address ${alias} connects back from that address, and every value is translated`, async () => {
      // The premise: left to the routing table, the server's connections leave from its first address.
      const firewallSide = family === 4 ? FIREWALL_SERVER_SIDE : FIREWALL_SERVER_SIDE6;
      expect(topo().sourceFor(topo().server, firewallSide)).toBe(family === 4 ? SERVER_IP : SERVER_IP6);
      await reflector(alias);
      const { code, rows } = await sweep(`alias-${family}`, alias);
      for (const row of rows) expect(row.seen).toBe(translated(family, portOf(row.sent)));
      // The expectation admits only connections from the address the control connection went to:
      // data that arrives came from the alias.
      expect(offenders(rows, 'translated')).toEqual([]);
      expect(code).toBe(0);
      await recordPath(`linux-helper-nat${family}-alias-reflector`, { middlebox: LINUX_HELPER_NAT, version: linuxHelperVersion(), farSide: `ftpsweep reflector on the server's second address`, command: family === 4 ? 'PORT' : 'EPRT over IPv6', rows, exitCode: code, note: 'connects back from the address the client connected to' });
    });
  }

  describeWhen('through the helper to vsftpd over IPv6', peerMissing('vsftpd'), () => {
    it('every EPRT value passes: vsftpd connects to the translated address and the helper forwards it to the client', async () => {
      const vsftpd = await startRealPeer('vsftpd', { netns: { topology: topo(), ns: topo().server, host: SERVER_IP6, port: 21 } });
      stops.push(() => vsftpd.close());
      const { code, rows } = await sweep('ipv6-vsftpd', SERVER_IP6);
      // vsftpd's "200 EPRT command successful." quotes no argument: it is not an echo (FIELD-NOTES §5).
      expect(offenders(rows, 'pass')).toEqual([]);
      expect(code).toBe(0);
      await recordPath('linux-helper-nat6-vsftpd', { middlebox: LINUX_HELPER_NAT, version: linuxHelperVersion(), farSide: `vsftpd ${vsftpd.version}`, command: 'EPRT over IPv6', rows, exitCode: code });
    });
  });

  for (const family of [4, 6] as const) {
    it(`NAT port remapping (IPv${family}): with the ports held by a second client behind the NAT, the sweep's commands get other ports, the data still arrives`, async () => {
      const [server, second] = family === 4 ? [SERVER_IP, SECOND_CLIENT_IP] : [SERVER_IP6, SECOND_CLIENT_IP6];
      await reflector(server);
      // Four connections at once take high bytes 100..103 (one each), and share values 10..13 in
      // whatever order: hold all sixteen ports, so that every value's first attempt asks for a
      // held one.
      const ports = [100, 101, 102, 103].flatMap((p1) => [10, 11, 12, 13].map((value) => p1 * 256 + value));
      const holder = await holdNatPorts({ ns: topo().client, from: second, host: server, ports, timeoutMs: 5000 });
      stops.push(() => holder.close());
      // The holder's own commands kept their ports: the reflector's echo (hex) says what arrived.
      for (const held of holder.held) {
        const echo = Buffer.from(/\[ftpsweep-echo ([0-9a-f]+)\]/.exec(held.reply)?.[1] ?? '', 'hex').toString('latin1');
        expect(echo).toBe(`${translated(family, held.port)}\r\n`);
      }

      const { code, rows, summary } = await sweep(`remap-${family}`, server, ['--values', '10-13', '--high-byte', '100', '--concurrency', '4'], 4);
      // What the firewall did: every value's command asked for a held port and got another one
      // on the firewall's address.
      const remaps = rows.map((row) => ({ row, asked: portOf(row.sent), given: portOf(row.seen) }));
      for (const { row, asked, given } of remaps) {
        expect(ports).toContain(asked);
        expect(given).not.toBe(asked);
        expect(row.seen).toBe(translated(family, given));
      }
      // What ftpsweep makes of it: a valid rewrite, the data at the port asked for, and the detail
      // names both ports.
      expect(offenders(rows, 'translated')).toEqual([]);
      for (const { row, asked, given } of remaps) {
        expect(row.detail).toContain(String(asked));
        expect(row.detail).toContain(String(given));
      }
      expect(summary.inspection.findings).toEqual([expect.stringMatching(/another port, and the data still reached the port sent \(a NAT remapping ports taken on its address; values [\d,-]+\)$/)]);
      // The finding names the remapped values, once each, as a value list (10-13).
      const named = /values ([\d,-]+)\)$/.exec(summary.inspection.findings[0] as string)![1]!;
      expect(parseValueList(named)).toEqual(remaps.map(({ row }) => Number(row.value)).sort((a, b) => a - b));
      expect(code).toBe(0);
      await recordPath(`linux-helper-nat${family}-remap`, { middlebox: `${LINUX_HELPER_NAT}, ports held by another client`, version: linuxHelperVersion(), farSide: 'ftpsweep reflector', command: family === 4 ? 'PORT' : 'EPRT over IPv6', rows, exitCode: code, note: 'the port is remapped; the data still reaches the port sent' });
    });
  }
});
