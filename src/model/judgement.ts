/**
 * What an attempt means, as data: the verdicts, each with the evidence a report needs. A readonly
 * discriminated union, made by the pure classifiers (verdict.ts, passiveVerdict.ts) and read by
 * everything after them.
 */
import type { Phase } from '../ftp/errors.js';

/** The words written in the CSV, in the order reports list them. */
export const VERDICTS = ['pass', 'translated', 'corrupted', 'rejected', 'no-data', 'timeout', 'reset', 'error'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * What made a `translated` row fine: the far side saw a valid command that still got the data to
 * the port sent. `nat`: another address (a NAT's FTP helper). `remap`: another port too (NAT
 * remapping a port taken on its address). `proxy`: an application proxy answered the command itself
 * and sent its own. `rewrite`: other bytes, the same address and port.
 */
export type Translation = 'nat' | 'remap' | 'proxy' | 'rewrite';

export type Judgement =
  /** The far side understood exactly what was sent (and, for the data oracle, connected to it). */
  | { readonly verdict: 'pass'; readonly seen: string; readonly detail: string }
  /** A valid command naming another address or port (NAT, a proxy), and the data still arrived. */
  | { readonly verdict: 'translated'; readonly seen: string; readonly via: Translation; readonly detail: string }
  /** The far side saw other bytes, or connected to another port. */
  | { readonly verdict: 'corrupted'; readonly seen: string; readonly detail: string }
  | { readonly verdict: 'rejected'; readonly seen: string; readonly code: number; readonly detail: string }
  | { readonly verdict: 'no-data'; readonly seen: string; readonly detail: string }
  | { readonly verdict: 'timeout'; readonly seen: string; readonly phase: Phase; readonly detail: string }
  | { readonly verdict: 'reset'; readonly seen: string; readonly phase: Phase | undefined; readonly detail: string }
  /** A local problem (cannot bind …): never blamed on the firewall. */
  | { readonly verdict: 'error'; readonly seen: string; readonly detail: string };

/** pass and translated are fine; everything else fails the value (exit code 1). */
export function isFailure(verdict: Verdict): boolean {
  return verdict !== 'pass' && verdict !== 'translated';
}
