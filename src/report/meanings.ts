/**
 * "What this means", per verdict: the paragraph a firewall engineer reads next to the matrix.
 */
import type { Verdict } from '../sweep/verdict.js';

export const VERDICT_MEANING: Readonly<Record<Verdict, string>> = {
  pass: 'The far side understood exactly the PORT command that was sent, and (data oracle) the server connected back to exactly that port. Nothing on the way changed it.',
  translated:
    'Something on the way rewrote PORT into another valid command, and the data connection still reached the exact port that was sent. A NAT firewall\'s FTP helper (ALG) writes its own address, and another port when the one asked for is taken on its address; an application proxy answers PORT itself and sends its own. This is normal; the detail says what changed, and the reflector shows what it received. (Under the reply oracle no data connection was made: the detail says so.)',
  corrupted:
    'The far side received different bytes than were sent, or the server connected to a different port than the one asked for. When neighbouring values pass, the firewall\'s FTP inspection is mangling these values — the seed\'s DMZ firewall turned PORT …,227 into …,22_. Attach results.csv and the dialogue below to the firewall ticket.',
  rejected:
    'The server refused the command (4xx/5xx) and nothing shows that the bytes were changed. Check the reply: servers refuse privileged ports, foreign addresses (RFC 2577) and, with a 501, commands they find malformed — a well-formed PORT called malformed for only some values points at something rewriting it.',
  'no-data':
    'The server accepted PORT, but its data connection never reached the port. A stateful firewall without an FTP helper (or with a broken one) blocks active FTP this way; so does a client-side firewall refusing incoming connections.',
  timeout:
    'No reply came within the timeout, and the control connection was given up. An FTP helper that drops or holds segments it cannot parse makes sessions hang like this (Linux\'s helper stalls a PORT split over two segments).',
  reset:
    'The control connection was closed or reset while waiting. Some firewalls (Cisco ASA "inspect ftp strict", Check Point) reset connections whose FTP commands they dislike.',
  error:
    'A problem on this machine (for example a port that could not be bound), never blamed on the firewall. Free resources or lower --concurrency and run again.',
};
