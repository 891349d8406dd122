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
import { DEFAULT_LIMITS, type ServerLimits } from '../servers/admission.js';
import { startSimulator } from '../servers/firewallSimulator.js';
import type { RunningServer } from '../servers/listen.js';
import { startReflector } from '../servers/reflector.js';
import type { Run } from './handler.js';
import { progressReporter, waitForStopSignal, type Io } from './io.js';
import { parseHostPort, wholeNumberFlag } from './options.js';
import { formatEndpoint } from '../ftp/address.js';

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
  io.err(`${what} listening on ${formatEndpoint(server.host, server.port)} (Ctrl-C stops it)`);
  const signal = await waitForStopSignal();
  await server.close();
  io.err(`${what} stopped (${signal})`);
  return 0;
}

/** The reflector's limits, each a flag of `reflect`: a whole number from 1, defaults from admission.ts. */
const LIMIT_FLAGS = [
  ['max-connections', 'maxConnections', 'control connections at once, from everyone (more get 421)'],
  ['max-per-address', 'maxPerAddress', 'control connections at once from one address'],
  ['idle-timeout', 'idleTimeoutMs', 'close a connection that finishes no command this long, in ms'],
  ['line-timeout', 'lineTimeoutMs', 'close a connection whose command line does not arrive whole this long after its first byte, in ms'],
  ['login-delay', 'loginDelayMs', 'wait this long before refusing a login, in ms (doubling for a source that keeps failing)'],
  ['max-line', 'maxLineBytes', 'longest command line, in bytes (longer: 500; repeated: closed)'],
  ['max-data', 'maxDataBytes', 'bytes a client may send on a data connection before it is cut'],
] as const satisfies readonly (readonly [string, keyof ServerLimits, string])[];

/** A yargs default, shown in help as the other commands' defaults are: as typed, unquoted. */
function byDefault<T extends string | number>(value: T): { default: T; defaultDescription: string } {
  return { default: value, defaultDescription: String(value) };
}

export function reflectCommand(run: Run): CommandModule {
  return {
    command: 'reflect',
    describe: 'run the reflector: an FTP server that echoes the exact bytes it received (place it behind the firewall)',
    builder: (y: Argv) => {
      let argv = y
        .option('listen', { type: 'string', ...byDefault('127.0.0.1:2121'), describe: 'address:port to listen on (loopback unless you name another address)' })
        .option('user', { type: 'string', describe: 'require this login name (needs --password-env)' })
        .option('password-env', { type: 'string', describe: 'environment variable holding the required password' })
        .option('allow-foreign', { type: 'boolean', describe: 'connect back to addresses other than the client\'s (RFC 2577 bounce risk)' })
        .option('tls-cert', { type: 'string', describe: 'PEM certificate: offer AUTH TLS (explicit FTPS, RFC 4217) with it (needs --tls-key)' })
        .option('tls-key', { type: 'string', describe: 'PEM private key for --tls-cert' });
      for (const [flag, key, describe] of LIMIT_FLAGS) argv = wholeNumberFlag(argv, flag, [1, Number.POSITIVE_INFINITY], { ...byDefault(DEFAULT_LIMITS[key]), describe });
      return argv
        .example('$0', 'echo on 127.0.0.1:2121, for a client on this machine')
        .example('$0 --listen 192.0.2.10:2121 --user sweep --password-env REFLECTOR_PW', 'behind the firewall, for the sweeping machine in front of it; a login required')
        .example('$0 --tls-cert cert.pem --tls-key key.pem', 'offer AUTH TLS too (ftpsweep sweep --tls: the control group)');
    },
    handler: run(async (raw, io) => {
      const args = raw as { listen: string; user?: string; 'password-env'?: string; 'allow-foreign'?: boolean; 'tls-cert'?: string; 'tls-key'?: string } & Record<(typeof LIMIT_FLAGS)[number][0], number>;
      const limits = Object.fromEntries(LIMIT_FLAGS.map(([flag, key]) => [key, args[flag]])) as Partial<ServerLimits>;
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
        allowForeign: args['allow-foreign'] === true,
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
    builder: (y: Argv) => {
      let argv = y
        .option('listen', { type: 'string', ...byDefault('127.0.0.1:2100'), describe: 'address:port to listen on' })
        .option('upstream', { type: 'string', demandOption: 'give --upstream HOST:PORT, the FTP server behind the simulated firewall', describe: 'FTP server to forward to' })
        .option('corrupt', { type: 'string', describe: 'last-octet values whose PORT gets its last character replaced by _ (e.g. 227)' });
      argv = wholeNumberFlag(argv, 'delay-ms', [0, 60_000], { ...byDefault(0), describe: 'delay added to each direction, in ms' });
      argv = wholeNumberFlag(argv, 'refuse-every', [0, Number.POSITIVE_INFINITY], { ...byDefault(0), describe: 'reset every N-th new control connection (a connection-rate limit); 0: none' });
      return argv
        .example('$0 --upstream 127.0.0.1:2121 --corrupt 227', "listen on 127.0.0.1:2100 and corrupt PORT …,227 on its way to a reflector, as the example broken firewall did")
        .example('$0 --upstream 127.0.0.1:2121 --refuse-every 5', 'reset every 5th new connection, as a connection-rate limit does');
    },
    handler: run(async (raw, io) => {
      const args = raw as { listen: string; upstream: string; corrupt?: string; 'delay-ms': number; 'refuse-every': number };
      const delayMs = args['delay-ms'];
      const refuseEvery = args['refuse-every'];
      // Resetting every 1st connection would refuse them all.
      if (refuseEvery === 1) throw new UsageError('--refuse-every 1 would refuse every connection', 'use 0 (none) or a whole number from 2');
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
    builder: (y: Argv) =>
      y
        .option('out', { type: 'string', ...byDefault('reports/demo'), describe: 'report folder' })
        .example('$0', 'sweep 0..255 on this machine and write reports/demo/report.html')
        .example('$0 --out /tmp/demo', 'the same, written elsewhere'),
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
