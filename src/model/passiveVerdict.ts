/**
 * Verdicts for PASV/EPSV probes: the offer as the reflector sent it against the offer as it
 * arrived, then whether the offered address could be connected to and delivered the listing.
 */
import { formatEndpoint, sameAddress } from '../ftp/address.js';
import { firstDifference } from '../ftp/echo.js';
import { parseEpsvReply, parsePasvReply } from '../ftp/passiveReply.js';
import { isNegative, replyKind } from '../ftp/replyParser.js';
import type { Attempt } from './evidence.js';
import { failureJudgement, summarize } from './failures.js';
import type { Judgement, Translation } from './judgement.js';

export function classifyPassive(a: Attempt): Judgement {
  const verb = a.command;
  const seen = a.offer?.received ?? '';
  const failed = failureJudgement(a, seen);
  if (failed) return failed;
  const reply = a.portReply;
  if (!reply) return { verdict: 'error', seen, detail: `internal: no ${verb} reply and no failure recorded` };
  if (replyKind(reply.code) !== 'positive') return { verdict: 'rejected', seen, code: reply.code, detail: `${verb} refused: ${summarize(reply)}` };
  const offer = a.offer!;

  // What left the reflector against what arrived here. A valid offer for another address (a NAT's
  // helper) or port (NAT remapping it) is fine when the listing still arrives through it.
  let translation: { readonly text: string; readonly via: Translation; readonly portChanged: boolean } | undefined;
  if (offer.reported !== undefined && offer.reported !== offer.received) {
    const parse = (line: string) => (verb === 'PASV' ? parsePasvReply(line.slice(4)) : parseEpsvReply(line.slice(4), '0.0.0.0'));
    const [sent, got] = [parse(offer.reported), offer.parsed];
    if (sent.ok && got.ok && offer.received.slice(0, 4) === offer.reported.slice(0, 4)) {
      const portChanged = sent.address.port !== got.address.port;
      const addressChanged = verb === 'PASV' && !sameAddress(sent.address.host, got.address.host);
      translation = {
        text: `the reflector offered ${formatEndpoint(sent.address.host, sent.address.port)}, ftpsweep received ${formatEndpoint(got.address.host, got.address.port)}`,
        via: portChanged ? 'remap' : addressChanged ? 'nat' : 'rewrite',
        portChanged,
      };
    } else {
      const at = firstDifference(offer.reported, offer.received);
      return { verdict: 'corrupted', seen, detail: `the reflector sent "${offer.reported}" and ftpsweep received "${offer.received}" (differs from character ${at + 1})` };
    }
  }
  if (!offer.parsed.ok) {
    return { verdict: 'corrupted', seen, detail: `the ${reply.code} reply is not a valid ${verb} offer (${offer.parsed.reason}): the server wrote it so, or something on the way changed it` };
  }
  const where = formatEndpoint(offer.parsed.address.host, offer.parsed.address.port);
  const told = translation ? `; ${translation.text}` : '';
  const ok = (how: string): Judgement => (translation ? { verdict: 'translated', seen, via: translation.via, detail: `${translation.text}; ${how}` } : { verdict: 'pass', seen, detail: how });
  if (a.oracle === 'reply') {
    const undecided = translation?.portChanged ? ': an offer for another port works only if something forwards it to the one offered; only connecting to it (--oracle data) tells' : '';
    return ok(`the offer ${where} arrived intact (reply oracle: not connected to)${undecided}`);
  }
  if (offer.connectError !== undefined) return { verdict: 'no-data', seen, detail: `could not connect to the offer ${where}: ${offer.connectError}${told}` };
  const final = a.finalReply;
  if (a.data.kind === 'arrived' || a.data.kind === 'open') {
    if (final && isNegative(final.code)) return { verdict: 'rejected', seen, code: final.code, detail: `connected to ${where} but the listing failed: ${summarize(final)}` };
    return ok(`connected to the offer ${where} and the listing arrived`);
  }
  return { verdict: 'no-data', seen, detail: `connected to ${where} but no listing arrived${final ? `: ${summarize(final)}` : ''}${told}` };
}
