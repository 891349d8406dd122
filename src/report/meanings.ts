/**
 * "What this means", per verdict: the paragraph a firewall engineer reads next to the matrix. It
 * says only what this sweep could observe: which command was probed, which oracle judged it, and
 * whether the reflector reported what it received (README: "What each verdict can and cannot tell").
 */
import type { Verdict } from '../model/judgement.js';

export interface MeaningContext {
  /** PORT, EPRT, PASV or EPSV. */
  readonly command: string;
  readonly oracle: string;
  /** The far side was the reflector: what arrived is known byte for byte. */
  readonly reflector: boolean;
}

function passMeaning({ command, oracle, reflector }: MeaningContext): string {
  if (command === 'PASV' || command === 'EPSV') {
    return `The ${command} offer arrived as a valid reply${reflector ? ', byte for byte as the reflector sent it,' : ''} and${oracle === 'data' ? ' ftpsweep connected to it and the listing arrived' : ' (reply oracle) was not connected to'}.`;
  }
  if (reflector) {
    return `The reflector received exactly the ${command} command that was sent${oracle === 'data' ? ', and connected back to exactly that port' : ''}. Nothing on the way changed it.`;
  }
  if (oracle === 'data') {
    return `The server connected back to exactly the port ${command} named. Without the reflector, ftpsweep cannot see whether something on the way rewrote the command and still delivered the data there (a NAT's FTP helper, a proxy): that looks the same.`;
  }
  return `The server accepted ${command} (2xx). Reply codes alone cannot show what it understood: lenient servers answer 200 to a corrupted command and connect elsewhere (sweep with the data oracle, or against the reflector).`;
}

function translatedMeaning({ command, oracle }: MeaningContext): string {
  const data = oracle === 'data' ? ', and the data connection still reached the exact port that was sent' : '; no data connection was made (reply oracle), so the detail says what only a data connection could decide';
  return `Something on the way rewrote ${command} into another valid command${data}. A NAT firewall's FTP helper (ALG) writes its own address, and another port when the one asked for is taken on its address; an application proxy answers ${command} itself and sends its own. This is how such middleboxes work; the detail says what changed, and the reflector shows what it received.`;
}

export function verdictMeaning(verdict: Verdict, context: MeaningContext): string {
  const { command } = context;
  switch (verdict) {
    case 'pass':
      return passMeaning(context);
    case 'translated':
      return translatedMeaning(context);
    case 'corrupted':
      return `The far side received a command that is not valid any more, or connected to a different port than the one asked for. When neighbouring values pass, something's FTP inspection is mangling these values — the example firewall (ftpsweep simulate, the demo) turns PORT …,227 into …,22_. Attach results.csv and the dialogue of one failing probe (dialogue.txt, or: ftpsweep probe --value V) to the firewall ticket.`;
    case 'rejected':
      return `The far side refused the command (4xx/5xx), and nothing shows that the bytes were changed. It may be the server or a middlebox answering for it (the reply text says which): servers refuse privileged ports, foreign addresses (RFC 2577) and, with a 501, commands they find malformed — a well-formed ${command} called malformed for only some values points at something rewriting it.`;
    case 'no-data':
      return `The far side accepted ${command}, but the data connection never got through. A stateful firewall without an FTP helper (or with a broken one) blocks active FTP this way; so does a client-side firewall refusing incoming connections.`;
    case 'timeout':
      return `No reply came within the timeout, and the control connection was given up. An FTP helper that drops or holds segments it cannot parse makes sessions hang like this (Linux's helper stalls a ${command} split over two segments) — but so does a server that waits for a line ending it accepts (ProFTPD never answers a command ended by a bare LF): sweep the server straight, or the reflector, to tell them apart.`;
    case 'reset':
      return `The control connection was closed or reset while waiting, on its own (connections the far side closed all at once, as a restart does, are made again and not counted). Some firewalls (Cisco ASA "inspect ftp strict", Check Point) reset connections whose FTP commands they dislike.`;
    case 'error':
      return 'A problem on this machine (for example a port that could not be bound), never blamed on the firewall. Free resources or lower --concurrency and run again.';
  }
}
