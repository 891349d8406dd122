/**
 * Full sweeps over loopback against peers the tests start and stop: the reflector, the simulated
 * firewall, a vsftpd-like lenient server, and peers that stall or reset.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFirewall } from '../helpers/firewall.js';
import { startLenientPeer, startMisbehavingPeer } from '../helpers/peers.js';
import { loopbackOptions, valuesNot } from '../helpers/sweep.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';
import { LoginError } from '../../src/ftp/errors.js';
import { connectBack, sendAndClose } from '../../src/servers/dataConnection.js';
import { probeOnce } from '../../src/sweep/probeOnce.js';
import { runSweep } from '../../src/sweep/sweep.js';

const started: { close(): Promise<void> }[] = [];
async function track<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const s = await server;
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

function firewallIn(front: RunningServer, corrupt: number[]): Promise<RunningServer> {
  return track(startFirewall(front, corrupt));
}

describe('sweep over loopback', () => {
  it('against the reflector: all 256 values pass, with byte-exact echoes', async () => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0 }));
    const outcome = await runSweep(loopbackOptions(reflector.port));
    expect(outcome.results).toHaveLength(256);
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    expect(outcome.reflector).toBe(true);
    for (const r of outcome.results) {
      expect(r.seen).toBe(r.sent);
      expect(r.data).toEqual({ kind: 'arrived' });
      expect(r.sent).toMatch(new RegExp(`^PORT 127,0,0,1,\\d+,${r.value}$`));
    }
  });

  it('through the simulated firewall corrupting 227: only 227 is corrupted, and seen shows 22_', async () => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0 }));
    const firewall = await firewallIn(reflector, [227]);
    const outcome = await runSweep(loopbackOptions(firewall.port));
    expect(valuesNot(outcome.results, 'pass')).toEqual([227]);
    const bad = outcome.results[227]!;
    expect(bad.verdict).toBe('corrupted');
    expect(bad.seen).toBe(bad.sent.replace(/227$/, '22_'));
    expect(`${bad.failures}/${bad.attempts}`).toBe('3/3');
    // SYST passed untouched, yet the control-channel check reports the rewrite the probes saw.
    expect(outcome.inspection!.findings).toEqual([`the far side saw "${bad.seen}" for "${bad.sent}": data-port commands are rewritten in transit (value 227)`]);
  });

  it('a vsftpd-like server answers 200 to 22_: only the data oracle catches it, and names port …,22', async () => {
    const peer = await track(startLenientPeer());
    const firewall = await firewallIn(peer, [227]);

    const data = await runSweep(loopbackOptions(firewall.port));
    expect(valuesNot(data.results, 'pass')).toEqual([227]);
    const bad = data.results[227]!;
    expect(bad.verdict).toBe('corrupted');
    expect(bad.replyCode).toBe(226); // the confirmation listened wide, so the server's connection arrived
    const p1 = Number(/,(\d+),227$/.exec(bad.sent)![1]);
    expect(bad.data).toEqual({ kind: 'wrong-port', port: p1 * 256 + 22 });
    expect(bad.seen).toBe(`PORT ...,${p1},22`);
    expect(bad.reply.startsWith('200 ')).toBe(true);

    // The honest outcome of trusting reply codes: every PORT got 200, so all 256 "pass".
    const reply = await runSweep(loopbackOptions(firewall.port, { oracle: 'reply' }));
    expect(valuesNot(reply.results, 'pass')).toEqual([]);
    expect(reply.results[227]!.replyCode).toBe(200);
  });

  it('a peer that never answers one PORT: that value times out, the rest pass', async () => {
    const peer = await track(startMisbehavingPeer([100], () => undefined));
    const started = performance.now();
    const outcome = await runSweep(loopbackOptions(peer.port, { timeoutMs: 400, confirm: 1 }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([100]);
    expect(outcome.results[100]).toMatchObject({ verdict: 'timeout', failures: 2, attempts: 2 });
    expect(outcome.results[100]!.detail).toMatch(/PORT reply/);
    // Two stalled attempts of 400 ms each; everything else is fast. Bounded, never hung.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a peer that resets on one PORT: that value is reset, the rest pass', async () => {
    const peer = await track(startMisbehavingPeer([200], (s) => s.abort()));
    const outcome = await runSweep(loopbackOptions(peer.port, { confirm: 1 }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([200]);
    expect(outcome.results[200]).toMatchObject({ verdict: 'reset', failures: 2, attempts: 2 });
    expect(outcome.results[200]!.detail).toMatch(/reset/);
  });

  it('a port taken locally is never a failure: another high byte is used and recorded', async () => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0 }));
    // The squatter's port is the system's choice, so no other test file's sweep can hold it.
    const squatter = net.createServer();
    squatter.on('error', () => undefined);
    await new Promise<void>((resolve) => squatter.listen({ host: '127.0.0.1', port: 0, exclusive: true }, resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      const [p1, p2] = [taken >> 8, taken & 255];
      const outcome = await runSweep(loopbackOptions(reflector.port, { highByte: p1, concurrency: 1, values: [p2] }));
      expect(valuesNot(outcome.results, 'pass')).toEqual([]);
      expect(outcome.results[0]!.sent).not.toBe(`PORT 127,0,0,1,${p1},${p2}`);
      expect(outcome.results[0]!.sent).toMatch(new RegExp(`,${p2}$`));
      expect(outcome.results[0]!.detail).toMatch(new RegExp(`local port ${taken} was taken, moved to p1 ${p1 === 255 ? 5 : p1 + 1}`));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('the pass/fail picture does not depend on concurrency', async () => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0 }));
    const firewall = await firewallIn(reflector, [0, 127, 255]);
    for (const concurrency of [1, 16]) {
      const outcome = await runSweep(loopbackOptions(firewall.port, { concurrency, confirm: 0 }));
      expect(valuesNot(outcome.results, 'pass')).toEqual([0, 127, 255]);
    }
  });
});

describe('a password that is also ordinary text', () => {
  // Masking once came before reading: a password such as `ftp` or `1` wiped the reflector's echo
  // tag and addresses from replies, and 227 came out `rejected`, or every value odd.
  it.each(['ftp', '1', 'echo'])('password %j: the corruption is still found, and judged on the raw replies', async (password) => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0, credentials: { user: 'bob', password }, limits: { loginDelayMs: 50 } }));
    const firewall = await firewallIn(reflector, [227]);
    const outcome = await runSweep(loopbackOptions(firewall.port, { user: 'bob', password, values: [1, 226, 227, 228] }));
    expect(outcome.results.map((r) => r.verdict)).toEqual(['pass', 'pass', 'corrupted', 'pass']);
    expect(outcome.inspection?.findings.join(' ')).not.toMatch(/carries no echo/);
  });

  it('a password outside ASCII goes out as UTF-8 (RFC 2640), and the reflector takes it; the dialogue shows USER as typed', async () => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0, credentials: { user: 'zoë', password: 'pässwörd-€' }, limits: { loginDelayMs: 50 } }));
    const outcome = await runSweep(loopbackOptions(reflector.port, { user: 'zoë', password: 'pässwörd-€', values: [1, 2] }));
    expect(outcome.results.map((r) => r.verdict)).toEqual(['pass', 'pass']);
    const { transcript } = await probeOnce(loopbackOptions(reflector.port, { user: 'zoë', password: 'pässwörd-€' }), 3);
    expect(transcript.map((e) => `${e.dir} ${e.text}`)).toContain('> USER zoë');
  });

  it('a password a server sends back \\x-escaped on the data connection is masked in the dialogue', async () => {
    const password = 'Tr0ub4dor&3 x/Q+';
    const escaped = [...Buffer.from(password)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    const peer = await track(
      startMisbehavingPeer([], () => undefined, {
        directive: 'NLST',
        needsLogin: true,
        syntax: 'NLST',
        description: 'lists the password',
        handler: async (s) => {
          const socket = await connectBack(s.dataTarget!.address, 2000);
          s.reply(150, 'here');
          await sendAndClose(socket, `file '${escaped}'\r\n`);
          s.reply(226, 'done');
        },
      }),
    );
    const { transcript } = await probeOnce(loopbackOptions(peer.port, { user: 'u', password }), 3);
    const text = transcript.map((e) => e.text).join('\n');
    expect(text).toMatch(/data connection from .*: "file \*\*\*\*/);
    expect(text).not.toContain('x54');
  });

  it('no answer to PASS (a server slowing a refused login) is a login error that says so', async () => {
    const peer = await track(startMisbehavingPeer([], () => undefined, { directive: 'PASS', needsLogin: false, syntax: 'PASS <password>', description: 'never answers', handler: () => undefined }));
    await expect(runSweep(loopbackOptions(peer.port, { user: 'u', password: 'p', values: [1], timeoutMs: 300 }))).rejects.toThrow(LoginError);
    await expect(runSweep(loopbackOptions(peer.port, { user: 'u', password: 'p', values: [1], timeoutMs: 300 }))).rejects.toThrow(/did not answer PASS within 300 ms: servers delay a refused login/);
  });
});

describe('the simulated firewall on a delayed link', () => {
  it('passes the last reply before a close: the 221 to QUIT reaches the client (it was dropped)', async () => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0 }));
    const link = await track(startFirewall(reflector, [], 5));
    const socket = net.connect({ host: '127.0.0.1', port: link.port });
    let got = '';
    let quit = false;
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (/^220 /m.test(got) && !quit) {
        quit = true;
        socket.write('QUIT\r\n');
      }
    });
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(got).toMatch(/^221 /m);
  });
});
