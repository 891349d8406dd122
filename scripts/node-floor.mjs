#!/usr/bin/env node
// The floor under ftpsweep for `npm run bench`: a bare Node client doing the same exchange as the
// default sweep — over 4 control connections, for each value: listen on HIGH*256+value, PORT, NLST,
// accept, read to the end, 226 — with nothing else: no judging, no evidence, no reports. What
// ftpsweep costs above it is its own bookkeeping.
//
// usage: node-floor.mjs HOST PORT [COUNT]   (COUNT 0: log in and out only, the start-up)
// prints one JSON line: probes, passed
import net from 'node:net';

const [host, port, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 256)];
const CONNECTIONS = 4;
const HIGH = 100; // ports 25600..26879: below the ephemeral range

/** A logged-in control connection: send a command, await its final reply line (RFC 959 §4.2). */
function login() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('error', reject);
    let text = '';
    const waiting = [];
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      for (let end = text.indexOf('\r\n'); end !== -1; end = text.indexOf('\r\n')) {
        const line = text.slice(0, end);
        text = text.slice(end + 2);
        if (/^\d{3} /.test(line)) waiting.shift()?.(line);
      }
    });
    const reply = () => new Promise((r) => waiting.push(r));
    const command = (line) => {
      socket.write(`${line}\r\n`);
      return reply();
    };
    reply()
      .then(() => command('USER anonymous'))
      .then(() => command('PASS ftpsweep@'))
      .then(() => resolve({ socket, command, reply }), reject);
  });
}

const connections = await Promise.all(Array.from({ length: CONNECTIONS }, login));
let next = 0;
let passed = 0;
await Promise.all(
  connections.map(async (c, k) => {
    for (let value = next++; value < count; value = next++) {
      const high = HIGH + k;
      let arrived;
      const data = new Promise((resolve) => (arrived = resolve));
      const server = net.createServer((socket) => socket.on('data', () => undefined).on('end', arrived));
      await new Promise((resolve, reject) => server.once('error', reject).listen({ host: '127.0.0.1', port: high * 256 + value, exclusive: true }, resolve));
      if ((await c.command(`PORT 127,0,0,1,${high},${value}`)).startsWith('200') && (await c.command('NLST')).startsWith('150')) {
        await data;
        if ((await c.reply()).startsWith('226')) passed++;
      }
      server.close();
    }
  }),
);
await Promise.all(connections.map((c) => c.command('QUIT').then(() => c.socket.destroy())));
console.log(JSON.stringify({ probes: count, passed }));
