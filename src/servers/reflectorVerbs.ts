/**
 * The reflector's verbs. One object per verb, gathered in a registry (ftp-srv's shape). The session
 * verbs (login, QUIT, TYPE …) are shared with the test peers that imitate other servers.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { canonicalAddress, formatEndpoint, sameAddress } from '../ftp/address.js';
import { sentTag, targetTag } from '../ftp/echo.js';
import { passiveReplyText } from '../ftp/passiveReply.js';
import { parseEprtArgument, parsePortArgument, type DataAddress, type ParseResult } from '../ftp/portCommand.js';
import { DEFAULT_LIMITS } from './admission.js';
import { capIncoming, connectBack, listenPassive, sendAndClose } from './dataConnection.js';
import { LoginGuard } from './logins.js';
import type { Session, Verb } from './ftpServer.js';
import { wireText } from '../ftp/secretSpellings.js';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

function verb(directive: string, needsLogin: boolean, syntax: string, description: string, handler: Verb['handler'], feature?: Verb['feature']): Verb {
  return { directive, needsLogin, syntax, description, handler, ...(feature ? { feature } : {}) };
}

/** TLS's verbs are features only where the server has a certificate (RFC 4217 §6). */
const TLS_FEATURE = (name: string): Verb['feature'] => ({ name, needsTls: true });

/**
 * FEAT (RFC 2389): the extensions of `verbs`, as the registry says — a client (or a proxy like
 * mod_proxy, which asks first) must not be told of AUTH TLS where there is no certificate.
 */
function featVerb(verbs: () => readonly Verb[]): Verb {
  return verb('FEAT', false, 'FEAT', 'extensions', (s) => {
    const features = verbs().flatMap((v) => (v.feature && (!v.feature.needsTls || s.tlsAvailable) ? [v.feature.name] : []));
    s.reply(211, ['Extensions supported:', ...features, 'End'].join('\n'));
  });
}

/** The password received (latin1: the bytes as they came) against the one set (sent as UTF-8, RFC 2640). */
function sameSecret(received: string, expected: string): boolean {
  const x = Buffer.from(received, 'latin1');
  const y = Buffer.from(expected, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * USER, PASS, QUIT, NOOP, SYST, TYPE, MODE, STRU, PWD, CWD: enough for any FTP client to log in.
 * With credentials, refused logins are slowed, counted and logged by `guard` (logins.ts).
 */
export function sessionVerbs(credentials?: Credentials, guard = new LoginGuard(DEFAULT_LIMITS)): Verb[] {
  return [
    verb('USER', false, 'USER <name>', 'start a login', (s, name) => {
      s.user = name;
      s.loggedIn = false;
      s.reply(331, credentials ? 'Password required' : 'Any password will do');
    }),
    verb('PASS', false, 'PASS <password>', 'finish a login', async (s, password) => {
      if (s.user === undefined) return s.reply(503, 'Send USER first');
      if (credentials && !(s.user === wireText(credentials.user) && sameSecret(password, credentials.password))) {
        const failures = ++s.loginFailures;
        s.log(`login failed for user ${JSON.stringify(s.user.slice(0, 64))} from ${s.peerAddress} (${failures} of ${guard.maxFailures} on this connection)`);
        s.user = undefined;
        // The command queue waits too: guesses pipelined on this connection wait their turn.
        await new Promise((resolve) => setTimeout(resolve, guard.failed(s.peerAddress)).unref());
        s.reply(530, 'Login incorrect');
        if (failures >= guard.maxFailures) {
          s.reply(421, `${failures} failed logins, closing control connection`);
          s.end();
        }
        return;
      }
      if (credentials) guard.succeeded(s.peerAddress);
      s.loggedIn = true;
      s.reply(230, 'Logged in');
    }),
    verb('QUIT', false, 'QUIT', 'end the session', (s) => {
      s.reply(221, 'Goodbye');
      s.end();
    }),
    verb('NOOP', false, 'NOOP', 'do nothing', (s) => s.reply(200, 'OK')),
    verb('AUTH', false, 'AUTH TLS', 'secure the control connection (RFC 4217)', (s, arg) => {
      if (!/^(TLS|TLS-C|SSL)$/i.test(arg.trim())) return s.reply(504, 'Only AUTH TLS');
      if (s.secured) return s.reply(503, 'Already under TLS');
      // The 234 goes out in clear, then the handshake starts on the same connection.
      if (!s.tlsAvailable) return s.reply(502, 'AUTH TLS is not available here (start the reflector with --tls-cert and --tls-key)');
      s.reply(234, 'AUTH TLS ok, start the handshake');
      s.startTls();
    }, TLS_FEATURE('AUTH TLS')),
    verb('PBSZ', false, 'PBSZ 0', 'protection buffer size (RFC 4217)', (s) => (s.secured ? s.reply(200, 'PBSZ=0') : s.reply(503, 'AUTH TLS first')), TLS_FEATURE('PBSZ')),
    verb('PROT', false, 'PROT C', 'data channel protection (RFC 4217)', (s, arg) => {
      if (!s.secured) return s.reply(503, 'AUTH TLS first');
      if (arg.trim().toUpperCase() === 'C') return s.reply(200, 'Data channel in clear');
      return s.reply(536, 'Only PROT C: the reflector keeps data connections in clear');
    }, TLS_FEATURE('PROT')),
    verb('SYST', false, 'SYST', 'system type', (s) => s.reply(215, 'UNIX Type: L8')),
    verb('TYPE', true, 'TYPE A|I', 'transfer type', (s, arg) => (/^[AI]( N)?$/i.test(arg) ? s.reply(200, `Type set to ${arg.toUpperCase()}`) : s.reply(504, 'Only TYPE A and I'))),
    verb('MODE', true, 'MODE S', 'transfer mode', (s, arg) => (arg.toUpperCase() === 'S' ? s.reply(200, 'Mode S') : s.reply(504, 'Only MODE S'))),
    verb('STRU', true, 'STRU F', 'file structure', (s, arg) => (arg.toUpperCase() === 'F' ? s.reply(200, 'Structure F') : s.reply(504, 'Only STRU F'))),
    verb('PWD', true, 'PWD', 'working directory', (s) => s.reply(257, '"/" is the only directory (there is no file system)')),
    verb('CWD', true, 'CWD <dir>', 'change directory', (s) => s.reply(250, 'There is no file system; still in "/"')),
  ];
}

export interface ReflectorPolicy {
  /** Connect to addresses other than the control peer's (RFC 2577 says don't). */
  readonly allowForeign: boolean;
  /** Deadline for connecting back, in milliseconds. */
  readonly dataTimeoutMs: number;
  /** Bytes a client may send on a data connection before it is cut (the reflector reads none). */
  readonly maxDataBytes?: number;
}

/**
 * Accepts a parsed PORT/EPRT target if the policy allows it; otherwise answers why not.
 * RFC 2577 §3: refuse foreign addresses (bounce attacks) and privileged ports.
 */
function acceptTarget(s: Session, parsed: ParseResult, line: string, policy: ReflectorPolicy, family: 4 | 6 | undefined): void {
  if (!parsed.ok) return s.reply(501, `Syntax error in parameters: ${parsed.reason}`);
  const { address } = parsed;
  if (family !== undefined && address.family !== family) return s.reply(522, `Network protocol not supported on this connection, use (${family === 4 ? 1 : 2})`);
  if (address.port < 1024) return s.reply(501, `Refusing to connect to privileged port ${address.port} (RFC 2577)`);
  // Addresses, not their spellings: nf_nat_ftp writes IPv6 in full form (FIELD-NOTES §5).
  if (!policy.allowForeign && !sameAddress(address.host, s.peerAddress)) {
    return s.reply(501, `Refusing to connect to ${canonicalAddress(address.host)}: only to this connection's peer ${canonicalAddress(s.peerAddress)} (RFC 2577; see --allow-foreign)`);
  }
  s.passive?.close(); // a data-port command replaces a pending passive offer
  s.passive = undefined;
  s.dataTarget = { address, line, raw: s.raw };
  s.reply(200, `${line.split(' ')[0]} understood: data connection will go to ${formatTarget(address)}`);
}

function formatTarget(address: DataAddress): string {
  return formatEndpoint(address.host, address.port);
}

function familyOf(address: string): 4 | 6 | undefined {
  const family = isIP(address);
  return family === 4 || family === 6 ? family : undefined;
}

/** The listing's data connection: active (connect to PORT/EPRT's target) or passive (the client's). */
async function openData(s: Session, policy: ReflectorPolicy): Promise<{ socket: Socket; label: string } | string> {
  const passive = s.passive;
  if (passive) {
    s.passive = undefined;
    s.reply(150, `Waiting for the data connection on ${formatTarget(passive.address)}`);
    try {
      return { socket: await passive.connection(policy.dataTimeoutMs), label: `passive ${formatTarget(passive.address)}` };
    } catch (error) {
      passive.close();
      return `No data connection to ${formatTarget(passive.address)}: ${(error as Error).message}`;
    }
  }
  const target = s.dataTarget;
  s.dataTarget = undefined;
  if (!target) return '';
  // Connect first, then 150, as vsftpd does: a refused connection is a plain 425, and the 150 goes
  // out next to the 226 instead of being a separate reply across the link. Both name the exact
  // data-port command acted on: behind a proxy that answered PORT itself, nothing else does.
  const tag = targetTag(target.raw);
  try {
    const socket = await connectBack(target.address, policy.dataTimeoutMs, s.localAddress);
    capIncoming(socket, policy.maxDataBytes ?? Number.POSITIVE_INFINITY);
    s.reply(150, `Connected to ${formatTarget(target.address)} ${tag}`);
    return { socket, label: `"${target.line}" reached ${formatTarget(target.address)} ${tag}` };
  } catch (error) {
    return `Cannot open data connection to ${formatTarget(target.address)}: ${(error as Error).message} ${tag}`;
  }
}

/** A listing: 150, the data connection, one line naming the probe, 226 (RFC 959 §4.1.3). */
function listing(policy: ReflectorPolicy): Verb['handler'] {
  return async (s) => {
    if (!s.passive && !s.dataTarget) return s.reply(503, 'Send PORT, EPRT, PASV or EPSV first');
    const data = await openData(s, policy);
    if (typeof data === 'string') return s.reply(425, data);
    // The 226 follows as soon as the data is handed to the kernel and our FIN is requested, without
    // the extra event-loop turn libuv takes to report the FIN sent (about 0.5 ms per listing through
    // the 5 ms link). A client must cope with either order anyway: the data and the reply travel on
    // separate connections (RFC 959 §3.2).
    void sendAndClose(data.socket, `ftpsweep-reflector: data for ${data.label}\r\n`);
    s.reply(226, 'Transfer complete');
  };
}

/**
 * PASV/EPSV: listen on the offered port (`SITE OFFER`, else any free one) at our address, and say
 * both the offer and, in `[ftpsweep-sent HEX]`, the exact line sent — so a sweep can tell whether
 * something between rewrote the 227/229 reply (RFC 2428; CERT VU#328867 for why firewalls care).
 */
function passiveOffer(command: 'PASV' | 'EPSV', policy: ReflectorPolicy): Verb['handler'] {
  return async (s) => {
    const family = s.localAddress.includes(':') ? 6 : 4;
    if (command === 'PASV' && family === 6) return s.reply(425, 'PASV is for IPv4; use EPSV on IPv6 (RFC 2428)');
    s.dataTarget = undefined; // passive replaces a pending PORT/EPRT
    s.passive?.close();
    s.passive = s.offer;
    s.offer = undefined;
    if (!s.passive) {
      try {
        s.passive = await listenPassive(s.localAddress, 0, s.peerAddress, policy.maxDataBytes);
      } catch (error) {
        return s.reply(425, `Cannot listen for a data connection: ${(error as Error).message}`);
      }
    }
    const code = command === 'PASV' ? 227 : 229;
    const text = passiveReplyText(command, s.passive.address);
    s.reply(code, `${text} ${sentTag(`${code} ${text}`)}`);
  };
}

/**
 * `SITE OFFER <port>`: listen on that port now, and offer it at the next PASV/EPSV. Binding here
 * lets a sweep learn at once that the port is taken on this host (450), which is no firewall's
 * doing, and ask for another.
 */
async function site(s: Session, argument: string, maxDataBytes?: number): Promise<void> {
  const match = /^OFFER\s+(\d{1,5})$/i.exec(argument.trim());
  if (!match) return s.reply(501, 'Syntax: SITE OFFER <port 1024..65535>');
  const port = Number(match[1]);
  if (port < 1024 || port > 65535) return s.reply(501, `Port ${port} is not in 1024..65535`);
  s.offer?.close();
  s.offer = undefined;
  try {
    s.offer = await listenPassive(s.localAddress, port, s.peerAddress, maxDataBytes);
  } catch (error) {
    return s.reply(450, `Port ${port} is taken here: ${(error as Error).message}`);
  }
  s.reply(200, `The next PASV or EPSV offers port ${port}`);
}

/** The reflector: session verbs plus strict PORT/EPRT and listings that connect back. */
export function reflectorVerbs(policy: ReflectorPolicy, credentials?: Credentials, guard?: LoginGuard): Verb[] {
  const verbs: Verb[] = [
    ...sessionVerbs(credentials, guard),
    featVerb(() => verbs),
    verb('PORT', true, 'PORT h1,h2,h3,h4,p1,p2', 'where to connect for data (RFC 959)', (s, arg) =>
      acceptTarget(s, parsePortArgument(arg), `PORT ${arg}`, policy, undefined),
    ),
    verb(
      'EPRT',
      true,
      'EPRT |proto|addr|port|',
      'where to connect for data (RFC 2428)',
      (s, arg) => acceptTarget(s, parseEprtArgument(arg), `EPRT ${arg}`, policy, familyOf(s.peerAddress)),
      { name: 'EPRT' },
    ),
    verb('NLST', true, 'NLST', 'name list over the data connection', listing(policy)),
    verb('LIST', true, 'LIST', 'listing over the data connection', listing(policy)),
    verb('PASV', true, 'PASV', 'listen for the data connection (RFC 959)', passiveOffer('PASV', policy)),
    verb('EPSV', true, 'EPSV', 'listen for the data connection (RFC 2428)', passiveOffer('EPSV', policy), { name: 'EPSV' }),
    verb('SITE', true, 'SITE OFFER <port>', 'the port the next PASV/EPSV offers', (s, arg) => site(s, arg, policy.maxDataBytes)),
  ];
  return verbs;
}
