/**
 * How flag text becomes option values, where that takes more than a parser call: a command name in
 * any case, a password from the environment, a CA file read, a default that depends on another flag,
 * an address that must fit the command. Each reads the flags as given, defaults applied.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import type { TlsSettings } from '../ftp/connect.js';
import { axisValues, LOWEST_P1, parseFields, type DataCommand } from '../model/plan.js';
import { parseValueList } from '../model/values.js';

/** Flags as given — the command line over a sweep file over the defaults — before they are read. */
export type Given = { readonly [name: string]: string | number | boolean | undefined };

export const COMMANDS: readonly DataCommand[] = ['PORT', 'EPRT', 'PASV', 'EPSV'];

export function command(given: Given): DataCommand {
  const text = String(given.command ?? 'PORT').toUpperCase();
  if (!(COMMANDS as readonly string[]).includes(text)) throw new UsageError(`--command ${String(given.command)} is not PORT, EPRT, PASV or EPSV`, 'use --command PORT, EPRT, PASV or EPSV');
  return text as DataCommand;
}

/** Reads a password from the variable named by a `--password-env` flag, if given. */
/**
 * --host: a name (RFC 1123 §2.1 letters, digits, hyphens, dots; underscores seen in the wild) or an
 * address. Anything else — a control character, a space, a URL — is refused before it becomes a
 * name lookup.
 */
export function host(given: Given): string {
  const text = String(given.host ?? '').trim();
  if (text !== '' && !/^[A-Za-z0-9._-]+$|^\[?[0-9A-Fa-f:.]+(%[\w.-]+)?\]?$/.test(text)) {
    throw new UsageError(`--host ${JSON.stringify(text)} is not a host name or address`, 'give a name such as ftp.example.net or an address such as 192.0.2.10');
  }
  return text.replace(/^\[(.*)\]$/, '$1');
}

export function passwordFromEnv(variable: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (variable === undefined) return undefined;
  const value = env[variable];
  if (value === undefined) throw new UsageError(`the environment variable ${variable} (from --password-env) is not set`, `export ${variable}=… first, or leave out --password-env`);
  // Set but empty: most often a secret store that returned nothing; an empty PASS is not sent.
  if (value === '') throw new UsageError(`the environment variable ${variable} (from --password-env) is empty`, `put the password in ${variable}, or leave out --password-env for an anonymous login`);
  return value;
}

/** --tls, --tls-ca FILE, --tls-insecure (either of the last two implies --tls). */
export function tlsSettings(given: Given): TlsSettings | undefined {
  const caFile = given['tls-ca'] === undefined ? undefined : String(given['tls-ca']);
  if (!given.tls && caFile === undefined && !given['tls-insecure']) return undefined;
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--tls-ca ${caFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'give a PEM file with the certificates to trust');
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--tls-ca ${caFile} holds no PEM certificate`, 'give a PEM file with the certificates to trust');
  }
  return { insecure: given['tls-insecure'] === true, ...(ca ? { ca } : {}) };
}

/**
 * Sweeping p1 alone, values below 4 make ports below 1024, which every server refuses (RFC 2577):
 * not the firewall's doing, so they are left out unless asked for. Otherwise every value (a 2-D
 * sweep leaves out p1 below 4 itself: plan.ts, LOWEST_P1); a 2-D list that leaves p1 nothing is
 * refused before anything is probed.
 */
export function values(given: Given): readonly number[] {
  const list = parseValueList(String(given.values ?? (String(given.field).trim() === 'p1' ? '4-255' : '0-255')));
  const fields = parseFields(String(given.field ?? 'p2'), command(given));
  if (fields.length === 2 && fields.includes('p1') && axisValues('p1', list).length === 0) {
    throw new UsageError(`--values ${String(given.values)} with --field ${fields.join(',')}: p1 below ${LOWEST_P1} makes only ports below 1024, which servers refuse (RFC 2577)`, `give values from ${LOWEST_P1} up as well, e.g. --values 4-255`);
  }
  return list;
}

export function advertise(given: Given): string | undefined {
  const address = given.advertise === undefined ? undefined : String(given.advertise);
  if (address === undefined) return undefined;
  if (command(given) === 'PORT' && isIP(address) !== 4) throw new UsageError(`--advertise ${address} is not an IPv4 address`, 'PORT carries IPv4 addresses only, e.g. --advertise 192.0.2.10 (or use --command EPRT)');
  if (isIP(address) === 0) throw new UsageError(`--advertise ${address} is not an IP address`, 'e.g. --advertise 192.0.2.10');
  return address;
}
