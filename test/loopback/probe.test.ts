/**
 * `ftpsweep probe` as the firewall team uses it to reproduce a failure: a header, each attempt on a
 * fresh control connection with its UTC time, both connections' ends and a capture filter, and a
 * tally — also when Ctrl-C stops a long run. Against the simulated firewall that corrupts 227 into
 * 22_, in front of a server that reads `22_` as 22 (as vsftpd does) and connects there.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import { startLenientPeer } from '../helpers/peers.js';
import { loopbackOptions } from '../helpers/sweep.js';
import { VERSION } from '../../src/version.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';
import { probeRepeatedly } from '../../src/sweep/probeRepeat.js';

let lenient: RunningServer;
let firewall: RunningServer;
let reflector: RunningServer;
let reflected: RunningServer;

beforeAll(async () => {
  lenient = await startLenientPeer();
  firewall = await startFirewall(lenient, [227]);
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  reflected = await startFirewall(reflector, [227]);
});
afterAll(async () => {
  await Promise.all([firewall, lenient, reflected, reflector].map((s) => s?.close()));
});

interface AttemptLines {
  readonly index: number;
  readonly at: string;
  readonly verdict: string;
  readonly data: string;
  readonly control: string;
  readonly capture: string;
}

/** The attempt blocks of a probe's output. */
function attempts(stdout: string): AttemptLines[] {
  return stdout
    .split(/\n(?=attempt \d+\/\d+ at )/)
    .filter((block) => block.startsWith('attempt '))
    .map((block) => {
      const line = (name: string): string => new RegExp(`^${name}: +(.*)$`, 'm').exec(block)?.[1] ?? '';
      const head = /^attempt (\d+)\/\d+ at (\S+)/.exec(block)!;
      return { index: Number(head[1]), at: head[2]!, verdict: line('verdict'), data: line('data'), control: line('control'), capture: line('capture') };
    });
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('ftpsweep probe --repeat', () => {
  it('repeat 3 through the corrupting firewall: three attempts on three connections, their ends, capture filters, and the tally', async () => {
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(firewall.port), '--value', '227', '--repeat', '3', '--interval', '10']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const [header] = run.stdout.split('\n');
    expect(header).toMatch(new RegExp(`^ftpsweep ${VERSION.replace(/\./g, '\\.')} probe of 127\\.0\\.0\\.1:${firewall.port} at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(UTC\\): PORT p2 = 227, 3 attempts`));

    const found = attempts(run.stdout);
    expect(found.map((a) => a.index)).toEqual([1, 2, 3]);
    const controlPorts = found.map((a) => {
      const ends = new RegExp(`^127\\.0\\.0\\.1:(\\d+) → 127\\.0\\.0\\.1:${firewall.port} \\(client → server\\)$`).exec(a.control);
      expect(ends, a.control).not.toBeNull();
      return Number(ends![1]);
    });
    expect(new Set(controlPorts).size).toBe(3); // a fresh control connection each time
    for (const [i, a] of found.entries()) {
      expect(a.at).toMatch(ISO_UTC);
      if (i > 0) expect(Date.parse(a.at)).toBeGreaterThan(Date.parse(found[i - 1]!.at));
      expect(a.verdict).toBe('corrupted');
      // The server read 22_ as 22 and connected to that port of the high byte, not to the one sent.
      const data = /^wrong-port:(\d+): 127\.0\.0\.1:(\d+) → 127\.0\.0\.1:(\d+) \(server → client; the command named 127\.0\.0\.1:(\d+)\)$/.exec(a.data);
      expect(data, a.data).not.toBeNull();
      const [, wrong, from, reached, sent] = data!.map(Number);
      expect(reached).toBe(wrong);
      expect(wrong! & 255).toBe(22);
      expect(sent! & 255).toBe(227);
      expect(sent! >> 8).toBe(wrong! >> 8);
      // Each connection by both its ports: the data port is the same every time, the server's is not.
      expect(a.capture).toBe(`tcpdump -ni any '(host 127.0.0.1 and tcp port ${controlPorts[i]}) or (host 127.0.0.1 and tcp port ${from} and tcp port ${wrong})'`);
    }
    // The whole dialogue once (the first attempt of its verdict), not three times.
    expect(run.stdout.match(/> PORT 127,0,0,1,\d+,227/g)).toHaveLength(1);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('227: corrupted 3/3');
  });

  it('a value that passes tallies pass, exit 0, with the data connection\'s ends', async () => {
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(firewall.port), '--value', '226', '--repeat', '2', '--interval', '0']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const found = attempts(run.stdout);
    expect(found).toHaveLength(2);
    for (const a of found) {
      expect(a.verdict).toBe('pass');
      const data = /^arrived: 127\.0\.0\.1:(\d+) → 127\.0\.0\.1:(\d+) \(server → client\)$/.exec(a.data);
      expect(data, a.data).not.toBeNull();
      expect(Number(data![2]) & 255).toBe(226);
      const local = /^127\.0\.0\.1:(\d+) → /.exec(a.control)![1];
      expect(a.capture).toBe(`tcpdump -ni any '(host 127.0.0.1 and tcp port ${local}) or (host 127.0.0.1 and tcp port ${data![1]} and tcp port ${data![2]})'`);
    }
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('226: pass 2/2');
  });

  it('says so when no data connection arrived: the reflector refuses the corrupted command', async () => {
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(reflected.port), '--value', '227']);
    expect(run.code).toBe(1);
    const [a] = attempts(run.stdout);
    expect(a!.data).toBe('not-tried: no data connection arrived (none was asked for: the server answered 501)');
    expect(a!.capture).toMatch(/^tcpdump -ni any '\(host 127\.0\.0\.1 and tcp port \d+\) or \(tcp dst port \d+\)'$/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('227: corrupted 1/1');
  });

  it('two fields take two numbers: --field p1,p2 --value A,B probes port A × 256 + B; --interval defaults to 1000 ms', async () => {
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(reflector.port), '--field', 'p1,p2', '--value', '20,17', '--repeat', '2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/: PORT p1,p2 = 20,17, 2 attempts 1000 ms apart/);
    expect(run.stdout).toMatch(/^sent: +PORT 127,0,0,1,20,17$/m);
    const [first, second] = attempts(run.stdout);
    expect(first!.data).toMatch(new RegExp(`→ 127\\.0\\.0\\.1:${20 * 256 + 17} `));
    // The pause comes between the end of one attempt and the start of the next.
    expect(Date.parse(second!.at) - Date.parse(first!.at)).toBeGreaterThanOrEqual(1000);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('20,17: pass 2/2');
  });

  it('Ctrl-C during a long repeat: the tally of the attempts done, exit as their verdicts say', async () => {
    const args = ['probe', '--host', '127.0.0.1', '--port', String(firewall.port), '--value', '227', '--repeat', '1000', '--interval', '200'];
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const until = Date.now() + 20_000;
    while (attempts(stdout).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(attempts(stdout).length).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(killer);

    expect(code).toBe(1); // every attempt done was corrupted
    expect(stderr.trim().split('\n')).toEqual(['ftpsweep: SIGINT: stopping; the tally of the attempts done follows (SIGINT again stops at once)']);
    const done = attempts(stdout).length;
    expect(done).toBeLessThan(1000);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`227: corrupted ${done}/${done}`);
  });

  it('in process: a stop drops the attempt under way and starts no other', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const outcome = await probeRepeatedly(loopbackOptions(firewall.port), 226, {
      repeat: 50,
      intervalMs: 0,
      signal: controller.signal,
      onAttempt: (_, index) => {
        seen.push(index);
        if (index === 1) controller.abort();
      },
    });
    expect(seen).toEqual([0, 1]);
    expect(outcome).toMatchObject({ verdicts: ['pass', 'pass'], interrupted: true, stopped: undefined });
  });
});

describe('ftpsweep probe: flags that are not a probe\'s', () => {
  /** An expected error: exit 2, exactly one line on stderr, no stack trace. */
  async function refused(args: readonly string[], pattern: RegExp): Promise<void> {
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(reflector.port), '--value', '227', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
  }

  it('refuses sweep-only flags, bounded numbers out of range, and two numbers for one field, each in one line', async () => {
    await refused(['--concurrency', '4'], /^ftpsweep: --concurrency is not a probe flag — a probe runs one control connection at a time/);
    await refused(['--confirm', '1'], /^ftpsweep: --confirm is not a probe flag — .*--repeat N/);
    await refused(['--out', 'somewhere'], /^ftpsweep: --out is not a probe flag/);
    await refused(['--repeat', '0'], /^ftpsweep: --repeat 0 is out of range — use a whole number 1\.\.\d+/);
    await refused(['--interval', '-1'], /^ftpsweep: --interval -1 is out of range — use a whole number 0\.\.\d+/);
    await refused(['--repeat', 'lots'], /^ftpsweep: --repeat lots is not a whole number — use 1\.\.100000$/m);
    const twoForOne = await runCli(['probe', '--host', '127.0.0.1', '--value', '4,227']);
    expect(twoForOne.code).toBe(2);
    expect(twoForOne.stderr).toMatch(/^ftpsweep: --value "4,227" is two numbers, and --field p2 is one field — .*--field p1,p2 --value 4,227/);
  });

  it('sweep does not take --repeat', async () => {
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--repeat', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/repeat/);
  });
});
