/**
 * Real FTP application-level proxies (test/helpers/proxies.ts): Debian's ftp-proxy and ProFTPD's
 * mod_proxy, each in front of the reflector and in front of vsftpd. Both answer PORT themselves and
 * send the far side a PORT of their own, then relay the data to the client's exact port
 * (FIELD-NOTES §5): nothing is broken, so every value is `translated` (reflector) or `pass`
 * (vsftpd), and the report names the proxy. ftp-proxy refuses EPRT outright and limits new
 * connections (ForkLimit): those are said as they are, and never blamed on a value.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { recordPath, type CsvRow } from '../helpers/observations.js';
import { liveMembers, PROXY_NAMES, proxyMissing, startProxy, type RunningProxy } from '../helpers/proxies.js';
import { peerMissing, startRealPeer, type RealPeer } from '../helpers/realPeers.js';
import { describeWhen } from '../helpers/requirements.js';
import type { Summary } from '../../src/report/summary.js';

/** What one control connection saw: every reply (its lines), and whether it was closed. */
interface Control {
  send(line: string): void;
  /** The next complete reply, or undefined when the connection closed or `ms` passed first. */
  reply(ms?: number): Promise<string[] | undefined>;
  /** Raw bytes received so far. */
  received(): string;
  closed(): Promise<void>;
  destroy(): void;
}

function control(host: string, port: number): Control {
  const socket = net.connect({ host, port });
  let buffer = '';
  let all = '';
  let ended = false;
  const waiters: (() => void)[] = [];
  const wake = (): void => waiters.splice(0).forEach((w) => w());
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    all += d.toString('latin1');
    wake();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      ended = true;
      wake();
      resolve();
    }),
  );
  /** A complete reply at the start of the buffer: `NNN text` or `NNN-…` up to `NNN text`. */
  const take = (): string[] | undefined => {
    const lines = buffer.split('\r\n');
    const code = /^(\d{3})[ -]/.exec(lines[0] ?? '')?.[1];
    if (code === undefined) return undefined;
    const end = lines.slice(0, -1).findIndex((l) => l.startsWith(`${code} `));
    if (end < 0) return undefined;
    buffer = lines.slice(end + 1).join('\r\n');
    return lines.slice(0, end + 1);
  };
  return {
    send: (line) => socket.write(`${line}\r\n`),
    reply: async (ms = 5000) => {
      const until = Date.now() + ms;
      for (;;) {
        const got = take();
        if (got || ended || Date.now() >= until) return got;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, until - Date.now());
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    received: () => all,
    closed: () => closed,
    destroy: () => socket.destroy(),
  };
}

/** The bytes a reflector reply says it received: its `[ftpsweep-echo HEX]` tag, decoded. */
function echoed(reply: readonly string[] | undefined): string | undefined {
  const hex = /\[ftpsweep-echo ([0-9a-f]*)\]/.exec(reply?.join('\n') ?? '')?.[1];
  return hex === undefined ? undefined : Buffer.from(hex, 'hex').toString('latin1');
}

for (const name of PROXY_NAMES) {
  describeWhen(`FTP proxy: ${name}`, proxyMissing(name) ?? peerMissing('vsftpd'), () => {
    let reflector: Awaited<ReturnType<typeof startCli>> | undefined;
    let vsftpd: RealPeer | undefined;
    let toReflector: RunningProxy;
    let toVsftpd: RunningProxy;
    let out: string;

    beforeAll(async () => {
      out = await mkdtemp(path.join(tmpdir(), `ftpsweep-${name}-reports-`));
      reflector = await startCli(['reflect', '--listen', '127.0.0.1:0']);
      vsftpd = await startRealPeer('vsftpd');
      toReflector = await startProxy(name, { host: '127.0.0.1', port: reflector.port });
      toVsftpd = await startProxy(name, vsftpd);
    });
    afterAll(async () => {
      await toReflector?.close();
      await toVsftpd?.close();
      await vsftpd?.close();
      await reflector?.stop();
      if (out) await rm(out, { recursive: true, force: true });
    });

    it('passes an anonymous login through to the reflector, byte for byte', async () => {
      const c = control(toReflector.host, toReflector.port);
      try {
        expect((await c.reply())?.[0]).toMatch(/^220[ -]/);
        c.send('USER anonymous');
        const user = await c.reply();
        expect(user?.[0]).toMatch(/^331 /);
        expect(echoed(user)).toBe('USER anonymous\r\n');
        c.send('PASS guest@example.org');
        expect((await c.reply())?.[0]).toMatch(/^230 /);
        c.send('QUIT');
        expect((await c.reply())?.[0]).toMatch(/^221 /);
      } finally {
        c.destroy();
      }
    });

    /** A full sweep through `proxy`: exit code, rows, summary.json. */
    async function sweep(proxy: RunningProxy, label: string, extra: string[] = []): Promise<{ code: number | null; rows: CsvRow[]; summary: Summary; stdout: string }> {
      const dir = path.join(out, label);
      const run = await runCli(['sweep', '--host', proxy.host, '--port', String(proxy.port), '--out', dir, ...extra], { timeoutMs: 90_000 });
      expect(run.stderr, `${run.stdout}\n${await proxy.log()}`).toBe('');
      const rows = parse(await readFile(path.join(dir, 'results.csv'), 'utf8'), { columns: true }) as CsvRow[];
      expect(rows).toHaveLength(256);
      return { code: run.code, rows, summary: JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as Summary, stdout: run.stdout };
    }

    it('in front of the reflector: every PORT value translated, the data at the port sent, the proxy named; exit 0', async () => {
      const { code, rows, summary } = await sweep(toReflector, 'reflector-port');
      for (const row of rows) {
        // The far side was told the proxy's own PORT (its address, a port of its own).
        expect(row).toMatchObject({ verdict: 'translated', data: 'arrived' });
        expect(row.seen).toMatch(/^PORT 127,0,0,1,\d+,\d+$/);
        expect(row.seen).not.toBe(row.sent);
      }
      expect(summary.inspection?.findings).toEqual([expect.stringMatching(/^an application proxy answers PORT itself and opens its own data connections: the far side saw "PORT 127,0,0,1,\d+,\d+" for "PORT 127,0,0,1,\d+,\d+"/)]);
      expect(code).toBe(0);
      await recordPath(`${name}-reflector-port`, { middlebox: name, version: toReflector.version, farSide: 'ftpsweep reflector', command: 'PORT', rows, exitCode: code, note: 'named in the findings as an application proxy' });
    });

    it('in front of vsftpd: every PORT value passes; exit 0', async () => {
      const { code, rows } = await sweep(toVsftpd, 'vsftpd-port');
      expect(rows.filter((r) => r.verdict !== 'pass' || r.data !== 'arrived').map((r) => `${r.value} ${r.verdict}`)).toEqual([]);
      expect(code).toBe(0);
      await recordPath(`${name}-vsftpd-port`, { middlebox: name, version: toVsftpd.version, farSide: `vsftpd ${vsftpd!.version}`, command: 'PORT', rows, exitCode: code });
    });

    if (name === 'mod_proxy') {
      it('EPRT in front of the reflector: answered and sent on as its own EPRT; every value translated; exit 0', async () => {
        const { code, rows, summary } = await sweep(toReflector, 'reflector-eprt', ['--command', 'EPRT']);
        for (const row of rows) {
          expect(row).toMatchObject({ verdict: 'translated', data: 'arrived' });
          expect(row.seen).toMatch(/^EPRT \|1\|127\.0\.0\.1\|\d+\|$/);
        }
        expect(summary.inspection?.findings).toEqual([expect.stringMatching(/^an application proxy answers EPRT itself/)]);
        expect(code).toBe(0);
        await recordPath(`${name}-reflector-eprt`, { middlebox: name, version: toReflector.version, farSide: 'ftpsweep reflector', command: 'EPRT', rows, exitCode: code });
      });
    } else {
      it('EPRT in front of the reflector: refused by the proxy itself, every value rejected 3/3, said as such; no value blamed on a refused connection', async () => {
        const { code, rows, summary, stdout } = await sweep(toReflector, 'reflector-eprt', ['--command', 'EPRT']);
        for (const row of rows) {
          expect(row).toMatchObject({ verdict: 'rejected', repeat: '3/3', data: 'not-tried' });
          expect((row as CsvRow & { reply: string }).reply).toBe("500 'EPRT': command unrecognized.");
        }
        // The reflector echoes SYST, but not these: something between answered them.
        expect(summary.inspection?.findings).toEqual([expect.stringMatching(/^the far side is the reflector, but 256 EPRT replies carry no echo \("500 'EPRT': command unrecognized\."\): something between answers EPRT itself$/)]);
        // 768 attempts open more connections than ForkLimit lets through: those are retried, and
        // counted, never a value's verdict.
        expect(summary.connectionRetries?.total).toBeGreaterThan(0);
        expect(stdout).toMatch(/connections: \d+ control connections retried, never counted against a value: \d+ failed connecting or at the greeting/);
        expect(code).toBe(1);
        await recordPath(`${name}-reflector-eprt`, { middlebox: name, version: toReflector.version, farSide: 'ftpsweep reflector', command: 'EPRT', rows, exitCode: code, note: `the proxy refuses EPRT (500); ForkLimit refused ${summary.connectionRetries?.total} new connections, retried` });
      });
    }

    it('PASV in front of the reflector: the proxy answers it itself; the reports say the ports were not asked for, and draw no matrix', async () => {
      // A proxy of its own: the sweeps above may have used up ftp-proxy's ForkLimit for now. One
      // connection: ftp-proxy tries only the first port of its passive range (proxies.ts).
      const proxy = await startProxy(name, { host: '127.0.0.1', port: reflector!.port });
      const dir = path.join(out, 'reflector-pasv');
      const run = await runCli(['sweep', '--host', proxy.host, '--port', String(proxy.port), '--command', 'PASV', '--values', '0-7', '--concurrency', '1', '--out', dir], { timeoutMs: 60_000 }).finally(() => proxy.close());
      expect(run.stderr).toBe('');
      const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as Summary;
      expect(summary).toMatchObject({ reflector: true, offersChosenByServer: true });
      expect(summary.inspection?.findings).toEqual([expect.stringMatching(/^the far side is the reflector, but 8 PASV replies carry no echo \("227 Entering Passive Mode .*"\): something between answers PASV itself$/)]);
      expect(run.stdout).toMatch(/note: PASV offers that the reflector was not asked for .* not values; there is no value matrix/);
      expect(existsSync(path.join(dir, 'matrix.csv'))).toBe(false);
      expect(run.code).toBe(0);
    });

    it('close() stops the proxy and every session it forked', async () => {
      const proxy = await startProxy(name, { host: '127.0.0.1', port: reflector!.port });
      const c = control(proxy.host, proxy.port);
      try {
        expect((await c.reply())?.[0]).toMatch(/^220[ -]/);
        c.send('USER anonymous');
        expect((await c.reply())?.[0]).toMatch(/^331 /);
      } finally {
        await proxy.close();
      }
      // The session was in the proxy's process group: nothing of the group is left running.
      expect(liveMembers(proxy.pid)).toEqual([]);
      await Promise.race([c.closed(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      c.destroy();
      const refused = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host: proxy.host, port: proxy.port });
        const timer = setTimeout(() => (s.destroy(), resolve(false)), 2000);
        s.once('connect', () => (clearTimeout(timer), s.destroy(), resolve(false)));
        s.once('error', () => (clearTimeout(timer), resolve(true)));
      });
      expect(refused).toBe(true);
    });
  });
}

describeWhen('FTP proxy: mod_proxy in front of an IPv6 server', proxyMissing('mod_proxy') ?? peerMissing('vsftpd'), () => {
  let vsftpd: RealPeer | undefined;
  let proxy: RunningProxy | undefined;
  let out: string | undefined;
  afterAll(async () => {
    await proxy?.close();
    await vsftpd?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('carries an IPv4 PORT sweep to vsftpd on ::1: every value passes', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'ftpsweep-mod_proxy-v6-reports-'));
    vsftpd = await startRealPeer('vsftpd', { host: '::1' });
    proxy = await startProxy('mod_proxy', vsftpd);
    const run = await runCli(['sweep', '--host', proxy.host, '--port', String(proxy.port), '--values', '0-7', '--concurrency', '1', '--out', out], { timeoutMs: 45_000 });
    expect(run.code, `${run.stdout}\n${run.stderr}\n${await proxy.log()}`).toBe(0);
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as { verdict: string }[];
    expect(rows.map((r) => r.verdict)).toEqual(Array(8).fill('pass'));
  });
});

describeWhen('FTP proxy: ftp-proxy options', proxyMissing('ftp-proxy'), () => {
  describe('data ports', () => {
    let reflector: Awaited<ReturnType<typeof startCli>> | undefined;
    const proxies: RunningProxy[] = [];
    beforeAll(async () => {
      reflector = await startCli(['reflect', '--listen', '127.0.0.1:0']);
    });
    afterAll(async () => {
      for (const p of proxies) await p.close();
      await reflector?.stop();
    });

    /** PASV on two sessions at once, the first one's listener still open: the two first lines. */
    async function twoPasv(proxy: RunningProxy): Promise<string[]> {
      const sessions = [control(proxy.host, proxy.port), control(proxy.host, proxy.port)];
      try {
        const answers: string[] = [];
        for (const c of sessions) {
          expect((await c.reply())?.[0]).toMatch(/^220 /);
          c.send('USER anonymous');
          expect((await c.reply())?.[0]).toMatch(/^331 /);
          c.send('PASS guest@example.org');
          expect((await c.reply())?.[0]).toMatch(/^230 /);
          c.send('PASV');
          answers.push((await c.reply())?.[0] ?? 'no reply');
        }
        return answers;
      } finally {
        sessions.forEach((c) => c.destroy());
      }
    }

    it('a passive range: only its first port is tried, so a second PASV at once gets 425', async () => {
      const proxy = await startProxy('ftp-proxy', { host: '127.0.0.1', port: reflector!.port });
      proxies.push(proxy);
      const [first, second] = await twoPasv(proxy);
      expect(first).toMatch(/^227 Entering Passive Mode \(127,0,0,1,\d+,\d+\)\.$/);
      expect(second).toBe("425 Can't open data connection.");
    });

    it("passivePorts 'ephemeral': the kernel picks each port, and both PASV get 227", async () => {
      const proxy = await startProxy('ftp-proxy', { host: '127.0.0.1', port: reflector!.port }, { activePorts: 'ephemeral', passivePorts: 'ephemeral' });
      proxies.push(proxy);
      const answers = await twoPasv(proxy);
      expect(answers.map((a) => a.slice(0, 4))).toEqual(['227 ', '227 ']);
    });
  });

  describe('forkLimit', () => {
    let reflector: Awaited<ReturnType<typeof startCli>> | undefined;
    let proxy: RunningProxy | undefined;
    let out: string | undefined;
    afterAll(async () => {
      await proxy?.close();
      await reflector?.stop();
      if (out) await rm(out, { recursive: true, force: true });
    });

    it('ForkLimit 6 (two new connections per 30-second slice) against a sweep at concurrency 4: the refused ones are retried, the sweep goes on with two, every value translated', async () => {
      // The count restarts at every wall-clock slice (time / 30 s): start early in one, so that the
      // sweep's first connections all fall into it.
      const intoSlice = (Date.now() / 1000) % 30;
      if (intoSlice > 15) await new Promise((resolve) => setTimeout(resolve, (30.5 - intoSlice) * 1000));
      out = await mkdtemp(path.join(tmpdir(), 'ftpsweep-forklimit-'));
      reflector = await startCli(['reflect', '--listen', '127.0.0.1:0']);
      proxy = await startProxy('ftp-proxy', { host: '127.0.0.1', port: reflector.port }, { forkLimit: 6 });
      const run = await runCli(['sweep', '--host', proxy.host, '--port', String(proxy.port), '--values', '0-63', '--concurrency', '4', '--out', out], { timeoutMs: 60_000 });
      expect(run.stderr).toBe('');
      const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as CsvRow[];
      expect(rows.map((r) => r.verdict)).toEqual(Array(64).fill('translated'));
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as Summary;
      expect(summary.connectionRetries!.total).toBeGreaterThanOrEqual(2);
      expect(summary.connectionRetries!.byStage).toEqual({ connect: summary.connectionRetries!.total });
      expect(summary.connectionRetries!.example).toMatch(/closed the connection before its greeting/);
      expect(run.code).toBe(0);
      expect(await proxy.log()).toContain("reject: '127.0.0.1' (ForkLimit 6)");
      await recordPath('ftp-proxy-forklimit', {
        middlebox: 'ftp-proxy, ForkLimit 6',
        version: proxy.version,
        farSide: 'ftpsweep reflector',
        command: 'PORT, --concurrency 4',
        rows,
        exitCode: run.code,
        note: `${summary.connectionRetries!.total} refused connections retried${summary.connectionRetries!.concurrencyLoweredTo === null ? '' : `; went on with ${summary.connectionRetries!.concurrencyLoweredTo}`}`,
      });
    });
  });
});
