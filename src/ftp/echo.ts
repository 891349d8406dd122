/**
 * Evidence of what the far side received.
 *
 * The reflector appends `[ftpsweep-echo HEX]` to every reply: the exact bytes of the command line it
 * received, terminator included, in lower-case hex. Hex keeps the echo free of text an inspecting
 * firewall might act on (CERT VU#328867: a `227 (…)` echoed in a reply made firewalls open pinholes)
 * and lets the sweep diff byte for byte. Other servers sometimes echo the command in an error reply
 * (BSD ftpd: `500 'PORT 10,225,1,89,124,22_': command not understood.`); that is used too.
 */
import type { Reply } from './replyParser.js';

const ECHO_TAG = /\s*\[ftpsweep-echo ([0-9a-f]*)\]/;
const SENT_TAG = /\s*\[ftpsweep-sent ([0-9a-f]*)\]/;
const TARGET_TAG = /\s*\[ftpsweep-target ([0-9a-f]*)\]/;

/** The tag the reflector appends to a reply for the command bytes `raw`. */
export function echoTag(raw: Buffer): string {
  return `[ftpsweep-echo ${raw.toString('hex')}]`;
}

/** The bytes the reflector says it received, if this reply carries its echo tag. */
export function findEcho(reply: Reply): Buffer | undefined {
  for (const line of reply.lines) {
    const match = ECHO_TAG.exec(line);
    if (match && match[1]!.length % 2 === 0) return Buffer.from(match[1]!, 'hex');
  }
  return undefined;
}

/** Reply text for people: the reflector's tags removed (they are shown decoded elsewhere). */
export function stripEcho(text: string): string {
  return text.replace(ECHO_TAG, '').replace(SENT_TAG, '').replace(TARGET_TAG, '');
}

/**
 * The reflector's listing replies (150, 425) and its data payload also carry
 * `[ftpsweep-target HEX]`: the exact bytes of the PORT/EPRT line it is acting on. Usually that is
 * the line it echoed at once; behind an application proxy, which answers PORT itself and sends its
 * own PORT only when the listing is asked for (FIELD-NOTES §5), it is the only word of what the
 * far side was told.
 */
export function targetTag(raw: Buffer): string {
  return `[ftpsweep-target ${raw.toString('hex')}]`;
}

/** The data-port command (latin1, terminator included) named by a target tag in `text`, if any. */
export function findTarget(text: string): string | undefined {
  const match = TARGET_TAG.exec(text);
  return match && match[1]!.length % 2 === 0 ? Buffer.from(match[1]!, 'hex').toString('latin1') : undefined;
}

/**
 * The reflector refuses a data-port command naming another address than the control connection's
 * peer (RFC 2577) with `501 Refusing to connect to A: only to this connection's peer P (…)`. Its
 * peer is the address the far side sees us at — behind NAT, the NAT's: the one fact that tells an
 * untranslated address from a corrupted one.
 */
export function refusedForeign(reply: Reply): { readonly named: string; readonly peer: string } | undefined {
  const match = /Refusing to connect to (\S+): only to this connection's peer (\S+) \(RFC 2577/.exec(reply.lines.join('\n'));
  return match ? { named: match[1]!, peer: match[2]! } : undefined;
}

/**
 * For passive offers (PASV/EPSV) the reflector also says what it sent: `[ftpsweep-sent HEX]` of
 * the reply line before its tags, so the sweep can compare it with the line it received.
 */
export function sentTag(line: string): string {
  return `[ftpsweep-sent ${Buffer.from(line, 'latin1').toString('hex')}]`;
}

/** The reply line the reflector says it sent, if this reply carries its sent tag. */
export function findSent(reply: Reply): string | undefined {
  for (const line of reply.lines) {
    const match = SENT_TAG.exec(line);
    if (match && match[1]!.length % 2 === 0) return Buffer.from(match[1]!, 'hex').toString('latin1');
  }
  return undefined;
}

/**
 * Bytes as one readable line: printable ASCII as is, CR/LF/TAB as \r \n \t, anything else as \xNN.
 * A single trailing CRLF (the normal terminator) is dropped so an untouched line reads naturally;
 * any other terminator stays visible (a bare LF shows as \n).
 */
export function displayBytes(bytes: Buffer | string): string {
  let text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  if (/^[\x20-\x5b\x5d-\x7e]*$/.test(text)) return text; // printable, no backslash: as is
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * A data-port command echoed inside a reply's text, e.g. `PORT 10,225,1,89,124,22_` from
 * `500 'PORT 10,225,1,89,124,22_': command not understood.`. A reply is an echo only when it quotes
 * the command's argument (FIELD-NOTES §5): a PORT argument starts with two comma-separated numbers,
 * an EPRT argument is framed by a delimiter that is no letter or digit, seen four times (RFC 2428
 * §2: `|1|addr|port|`). So `200 PORT command successful` and vsftpd's `200 EPRT command successful.
 * Consider using EPSV.` are not mistaken for what the server received.
 */
export function echoedCommandInReply(reply: Reply, verb: 'PORT' | 'EPRT'): string | undefined {
  const pattern = verb === 'PORT' ? /\bPORT (\d+,\d+,[^\s'"`]*)/i : /\bEPRT (([!-/:-@[-`{-~])[^\s'"`]*?\2[^\s'"`]*?\2[^\s'"`]*?\2)/i;
  for (const line of reply.lines) {
    const match = pattern.exec(stripEcho(line.slice(4)));
    if (match) return `${verb} ${match[1]}`;
  }
  return undefined;
}

/** Index of the first differing character of two strings, or -1 when equal. */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
