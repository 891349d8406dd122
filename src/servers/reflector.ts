/**
 * The reflector: an FTP server to place behind the firewall under test. Every reply carries the exact
 * bytes it received (`[ftpsweep-echo HEX]`), so a sweep can diff them byte for byte with what it
 * sent. It has no file system at all, and connects back only to the control connection's peer.
 */
import { VERSION } from '../version.js';
import { DEFAULT_LIMITS, type ServerLimits } from './admission.js';
import { startFtpServer, type RunningServer } from './ftpServer.js';
import { LoginGuard } from './logins.js';
import { reflectorVerbs, type Credentials } from './reflectorVerbs.js';

export interface ReflectorOptions {
  /** Default 127.0.0.1 (loopback): exposing the reflector is an explicit choice. */
  readonly host: string;
  readonly port: number;
  readonly credentials?: Credentials;
  readonly allowForeign?: boolean;
  /** Deadline for connecting back to the client, in milliseconds. Default 10000. */
  readonly dataTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Connection, idle, line and data limits; default DEFAULT_LIMITS (admission.ts). */
  readonly limits?: Partial<ServerLimits>;
  /** PEM certificate and key: with them the reflector offers AUTH TLS (explicit FTPS, RFC 4217). */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** The greeting names the tool and the echo format, so people reading a transcript know what it is. */
export const REFLECTOR_GREETING = `ftpsweep-reflector ${VERSION} ready; every reply ends with [ftpsweep-echo HEX] of the bytes received`;

/**
 * Starts the reflector on `host:port` (port 0: a free one, read it from the handle). Resolves once
 * it listens; `close()` stops it and every connection it holds. Throws LocalError when it cannot
 * listen.
 */
export function startReflector(options: ReflectorOptions): Promise<RunningServer> {
  return startFtpServer({
    host: options.host,
    port: options.port,
    greeting: REFLECTOR_GREETING,
    echo: true,
    verbs: reflectorVerbs(
      { allowForeign: options.allowForeign ?? false, dataTimeoutMs: options.dataTimeoutMs ?? 10_000, maxDataBytes: options.limits?.maxDataBytes ?? DEFAULT_LIMITS.maxDataBytes },
      options.credentials,
      new LoginGuard({ ...DEFAULT_LIMITS, ...options.limits }),
    ),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
}
