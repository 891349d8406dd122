/**
 * `ftpsweep reflect`, `ftpsweep simulate` and `ftpsweep demo`.
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { SWEEP_DEFAULTS } from '../config/options.js';
import { passwordFromEnv } from '../config/readers.js';
import { DEMO_CORRUPT_VALUE, runDemo } from '../demo.js';
import { UsageError } from '../errors.js';
import { parseValueList } from '../model/values.js';
import { consoleReport } from '../report/consoleReport.js';
import { DEFAULT_LIMITS } from '../servers/admission.js';
import { startSimulator } from '../servers/firewallSimulator.js';
import type { RunningServer } from '../servers/listen.js';
import { startReflector } from '../servers/reflector.js';
import type { Run } from './handler.js';
import { progressReporter, waitForStopSignal, type Io } from './io.js';
import { parseHostPort } from './options.js';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** --tls-cert and --tls-key, read; both or neither. */
function readTlsFiles(certFile: string | undefined, keyFile: string | undefined): { cert: string; key: string } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together', 'give both PEM files, or neither');
  const read = (file: string, flag: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag} ${file}: ${(error as Error).message}`, `give a readable PEM file with ${flag}`);
    }
  };
  return { cert: read(certFile, '--tls-cert'), key: read(keyFile, '--tls-key') };
}

/** Serves until SIGINT/SIGTERM, then closes the server. */
async function serveUntilStopped(server: RunningServer, what: string, io: Io): Promise<number> {
  io.err(`${what} listening on ${server.host}:${server.port} (Ctrl-C stops it)`);
  const signal = await waitForStopSignal();
  await server.close();
  io.err(`${what} stopped (${signal})`);
  return 0;
}

export function reflectCommand(run: Run): CommandModule {
  return {
    command: 'reflect',
    describe: 'run the reflector: an FTP server that echoes the exact bytes it received (place it behind the firewall)',
    builder: (y: Argv) =>
      y
        .option('listen', { type: 'string', default: '127.0.0.1:2121', describe: 'address:port to listen on (loopback unless you name another address)' })
        .option('user', { type: 'string', describe: 'require this login name (needs --password-env)' })
        .option('password-env', { type: 'string', describe: 'environment variable holding the required password' })
        .option('allow-foreign', { type: 'boolean', default: false, describe: 'connect back to addresses other than the client\'s (RFC 2577 bounce risk)' })
        .option('tls-cert', { type: 'string', describe: 'PEM certificate: offer AUTH TLS (explicit FTPS, RFC 4217) with it (needs --tls-key)' })
        .option('tls-key', { type: 'string', describe: 'PEM private key for --tls-cert' })
        .option('max-connections', { type: 'number', default: DEFAULT_LIMITS.maxConnections, describe: 'control connections at once, from everyone (more get 421)' })
        .option('max-per-address', { type: 'number', default: DEFAULT_LIMITS.maxPerAddress, describe: 'control connections at once from one address' })
        .option('idle-timeout', { type: 'number', default: DEFAULT_LIMITS.idleTimeoutMs, describe: 'close a connection that finishes no command this long, in ms' })
        .option('line-timeout', { type: 'number', default: DEFAULT_LIMITS.lineTimeoutMs, describe: 'close a connection whose command line does not arrive whole this long after its first byte, in ms' })
        .option('login-delay', { type: 'number', default: DEFAULT_LIMITS.loginDelayMs, describe: 'wait this long before refusing a login, in ms (doubling for a source that keeps failing)' })
        .option('max-line', { type: 'number', default: DEFAULT_LIMITS.maxLineBytes, describe: 'longest command line, in bytes (longer: 500; repeated: closed)' })
        .option('max-data', { type: 'number', default: DEFAULT_LIMITS.maxDataBytes, describe: 'bytes a client may send on a data connection before it is cut' }),
    handler: run(async (raw, io) => {
      const args = raw as {
        listen: string;
        user?: string;
        'password-env'?: string;
        'allow-foreign': boolean;
        'tls-cert'?: string;
        'tls-key'?: string;
        'max-connections': number;
        'max-per-address': number;
        'idle-timeout': number;
        'line-timeout': number;
        'login-delay': number;
        'max-line': number;
        'max-data': number;
      };
      const positive = (flag: string, n: number): number => {
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${n} is not a positive whole number`, `e.g. ${flag} ${n > 0 ? Math.round(n) : 10}`);
        return n;
      };
      const limits = {
        maxConnections: positive('--max-connections', args['max-connections']),
        maxPerAddress: positive('--max-per-address', args['max-per-address']),
        idleTimeoutMs: positive('--idle-timeout', args['idle-timeout']),
        lineTimeoutMs: positive('--line-timeout', args['line-timeout']),
        loginDelayMs: positive('--login-delay', args['login-delay']),
        maxLineBytes: positive('--max-line', args['max-line']),
        maxDataBytes: positive('--max-data', args['max-data']),
      };
      const { host, port } = parseHostPort(args.listen, '--listen', '127.0.0.1');
      if ((args.user === undefined) !== (args['password-env'] === undefined)) {
        throw new UsageError('--user and --password-env go together', 'give both to require a login, or neither to accept any');
      }
      const password = passwordFromEnv(args['password-env'], io.env);
      const tls = readTlsFiles(args['tls-cert'], args['tls-key']);
      const server = await startReflector({
        limits,
        ...(tls ? { tls } : {}),
        host,
        port,
        allowForeign: args['allow-foreign'],
        log: (line) => io.err(line),
        ...(args.user !== undefined && password !== undefined ? { credentials: { user: args.user, password } } : {}),
      });
      if (!LOOPBACK.test(host)) io.err(`note: listening on ${host}: anyone who can reach it can use the reflector`);
      return serveUntilStopped(server, 'reflector', io);
    }),
  };
}

export function simulateCommand(run: Run): CommandModule {
  return {
    command: 'simulate',
    describe: 'run a TCP proxy that corrupts PORT commands like the example broken firewall',
    builder: (y: Argv) =>
      y
        .option('listen', { type: 'string', default: '127.0.0.1:2100', describe: 'address:port to listen on' })
        .option('upstream', { type: 'string', demandOption: 'give --upstream HOST:PORT, the FTP server behind the simulated firewall', describe: 'FTP server to forward to' })
        .option('corrupt', { type: 'string', describe: 'last-octet values whose PORT gets its last character replaced by _ (e.g. 227)' })
        .option('delay-ms', { type: 'number', default: 0, describe: 'delay added to each direction, in ms' })
        .option('refuse-every', { type: 'number', default: 0, describe: 'reset every N-th new control connection (a connection-rate limit); 0: none' }),
    handler: run(async (raw, io) => {
      const args = raw as { listen: string; upstream: string; corrupt?: string; 'delay-ms': number; 'refuse-every': number };
      const delayMs = args['delay-ms'];
      if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > 60_000) throw new UsageError(`--delay-ms ${delayMs} is out of range`, 'use 0..60000');
      const refuseEvery = args['refuse-every'];
      if (!Number.isInteger(refuseEvery) || refuseEvery < 0 || refuseEvery === 1) throw new UsageError(`--refuse-every ${refuseEvery} is out of range`, 'use 0 (none) or a whole number from 2');
      const server = await startSimulator({
        ...parseHostPort(args.listen, '--listen', '127.0.0.1'),
        upstream: parseHostPort(args.upstream, '--upstream'),
        corrupt: args.corrupt === undefined ? [] : parseValueList(args.corrupt, 0, 255, '--corrupt'),
        delayMs,
        refuseEvery,
        log: (line) => io.err(line),
      });
      return serveUntilStopped(server, 'simulated firewall', io);
    }),
  };
}

export function demoCommand(run: Run): CommandModule {
  return {
    command: 'demo',
    describe: `sweep a loopback reflector through a simulated firewall that corrupts ${DEMO_CORRUPT_VALUE}`,
    builder: (y: Argv) => y.option('out', { type: 'string', default: 'reports/demo', describe: 'report folder' }),
    handler: run(async (raw, io) => {
      const { out } = raw as { out: string };
      const progress = progressReporter(io, { sweep: SWEEP_DEFAULTS });
      const demo = await runDemo(out, progress.update).finally(() => progress.stop());
      io.out(consoleReport(demo.summary, demo.rows, demo.reportDir));
      io.out('');
      if (demo.problems.length === 0) {
        io.out(`demo: as expected, ${DEMO_CORRUPT_VALUE} is corrupted (the far side saw 22_) and the other 255 values pass.`);
        return 0;
      }
      io.out(`demo: NOT as expected:\n  ${demo.problems.join('\n  ')}`);
      return 1;
    }),
  };
}
