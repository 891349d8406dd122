import { describe, expect, it } from 'vitest';
import { attempt, reply, rowOf } from '../helpers/attempts.js';
import { isFailure, VERDICTS, type Verdict } from '../../src/model/judgement.js';
import { classify, decide } from '../../src/model/verdict.js';

const SENT = 'PORT 127,0,0,1,124,227';

describe('classify: evidence → verdict', () => {
  it.each<{ name: string; a: ReturnType<typeof attempt>; verdict: Verdict; seen?: string; detail?: RegExp }>([
    { name: 'data arrived on the right port', a: attempt(), verdict: 'pass' },
    { name: 'reflector echo identical', a: attempt({ echo: `${SENT}\r\n` }), verdict: 'pass', seen: SENT },
    {
      name: 'reflector echo shows the seed corruption',
      a: attempt({ echo: 'PORT 127,0,0,1,124,22_\r\n', portReply: reply('501 Syntax error'), finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'corrupted',
      seen: 'PORT 127,0,0,1,124,22_',
      detail: /character 22/,
    },
    {
      name: 'a BSD-style echo in the error reply (the seed server)',
      a: attempt({ echoedInReply: 'PORT 127,0,0,1,124,22_', portReply: reply("500 'PORT 127,0,0,1,124,22_': command not understood."), finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'corrupted',
      seen: 'PORT 127,0,0,1,124,22_',
    },
    {
      name: 'echo with the address rewritten, same port, data arrived: NAT',
      a: attempt({ echo: 'PORT 203,0,113,1,124,227\r\n' }),
      verdict: 'translated',
      seen: 'PORT 203,0,113,1,124,227',
      detail: /203\.0\.113\.1:31971 instead of 127\.0\.0\.1:31971/,
    },
    {
      name: 'echo with the port changed, the data still reached the port sent: NAT remapping a taken port',
      a: attempt({ echo: 'PORT 203,0,113,1,124,39\r\n' }),
      verdict: 'translated',
      seen: 'PORT 203,0,113,1,124,39',
      detail: /203\.0\.113\.1:31783 instead of 127\.0\.0\.1:31971 \(address and port changed\); the data still reached port 31971$/,
    },
    {
      name: 'echo with the port changed, no data came: a failure that says what the far side was told',
      a: attempt({ echo: 'PORT 127,0,0,1,124,228\r\n', finalReply: reply("425 Can't open data connection"), data: { kind: 'none' } }),
      verdict: 'no-data',
      detail: /425.*127\.0\.0\.1:31972 instead of 127\.0\.0\.1:31971 \(port changed\)/,
    },
    {
      name: 'echo with the port changed, the data went to that port: corrupted',
      a: attempt({ echo: 'PORT 127,0,0,1,124,228\r\n', data: { kind: 'wrong-port', port: 31972, bytes: 5 } }),
      verdict: 'corrupted',
      seen: 'PORT 127,0,0,1,124,228',
    },
    {
      name: 'reply oracle, echo with another port: translated, saying only a data connection can decide',
      a: attempt({ oracle: 'reply', echo: 'PORT 203,0,113,1,124,39\r\n', finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'translated',
      detail: /reply oracle.*only a data connection can tell.*--oracle data/,
    },
    {
      name: 'a proxy answered PORT (no echo) and the reflector named its own PORT: translated, data arrived',
      a: attempt({ relayed: 'PORT 127,0,0,1,140,17\r\n' }),
      verdict: 'translated',
      seen: 'PORT 127,0,0,1,140,17',
      detail: /answered PORT itself .*an application proxy; the data still reached port 31971/,
    },
    {
      name: 'a proxy\'s command that is not valid: corrupted',
      a: attempt({ relayed: 'PORT 127,0,0,1,140,1_\r\n' }),
      verdict: 'corrupted',
      detail: /not a valid command/,
    },
    {
      name: 'EPRT: the full IPv6 form of the same address (nf_nat_ftp) is the same address',
      a: attempt({ command: 'EPRT', sent: 'EPRT |2|2001:db8:2::1|31971|', echo: 'EPRT |2|2001:0db8:0002:0000:0000:0000:0000:0001|31971|\r\n' }),
      verdict: 'translated',
      detail: /rewritten, but the same address \(2001:db8:2::1\) and port/,
    },
    {
      name: 'EPRT over IPv6 NAT: shown in RFC 5952 form',
      a: attempt({ command: 'EPRT', sent: 'EPRT |2|2001:db8:1::2|31971|', echo: 'EPRT |2|2001:0db8:0002:0000:0000:0000:0000:0001|31971|\r\n' }),
      verdict: 'translated',
      detail: /the far side saw \[2001:db8:2::1\]:31971 instead of \[2001:db8:1::2\]:31971 \(address changed\)/,
    },
    { name: 'echo with the terminator changed to a bare LF', a: attempt({ echo: `${SENT}\n` }), verdict: 'corrupted', seen: `${SENT}\\n` },
    {
      name: 'vsftpd-like: 200 to PORT, data connection reached port …,22',
      a: attempt({ data: { kind: 'wrong-port', port: 124 * 256 + 22, bytes: 10 } }),
      verdict: 'corrupted',
      seen: 'PORT ...,124,22',
      detail: /port 31766 \(124,22\) instead of 31971 \(124,227\)/,
    },
    {
      name: 'data oracle: accepted but 425',
      a: attempt({ finalReply: reply("425 Can't open data connection"), data: { kind: 'none' } }),
      verdict: 'no-data',
      detail: /425/,
    },
    {
      name: 'data oracle: PORT accepted, NLST unanswered, no data (blocked firewall)',
      a: attempt({ finalReply: undefined, data: { kind: 'none' }, failure: { kind: 'timeout', phase: 'list-reply', timeoutMs: 1000, message: 'x' } }),
      verdict: 'no-data',
      detail: /did not answer NLST, but no data connection reached port 31971 within 1000 ms/,
    },
    {
      name: 'no reply to PORT',
      a: attempt({ portReply: undefined, finalReply: undefined, data: { kind: 'not-tried' }, failure: { kind: 'timeout', phase: 'port-reply', timeoutMs: 1000, message: 'x' } }),
      verdict: 'timeout',
      detail: /PORT reply/,
    },
    {
      name: 'connection reset at PORT',
      a: attempt({ portReply: undefined, finalReply: undefined, data: { kind: 'not-tried' }, failure: { kind: 'closed', phase: 'port-reply', reset: true, message: 'ECONNRESET' } }),
      verdict: 'reset',
      detail: /reset/,
    },
    {
      name: 'oversized reply',
      a: attempt({ portReply: undefined, finalReply: undefined, data: { kind: 'not-tried' }, failure: { kind: 'protocol', message: 'too long' } }),
      verdict: 'reset',
    },
    { name: 'PORT refused without sign of corruption', a: attempt({ portReply: reply('500 Illegal PORT command.'), finalReply: undefined, data: { kind: 'not-tried' } }), verdict: 'rejected' },
    {
      name: 'a well-formed PORT called malformed (501, pyftpdlib): rejected, with the hint',
      a: attempt({ portReply: reply('501 Invalid PORT format.'), finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'rejected',
      detail: /501 Invalid PORT format\. \(what was sent is well-formed/,
    },
    { name: 'NLST refused (no files)', a: attempt({ finalReply: reply('450 No files found'), data: { kind: 'none' } }), verdict: 'rejected', detail: /NLST refused/ },
    { name: 'local bind problem', a: attempt({ portReply: undefined, finalReply: undefined, failure: { kind: 'local', message: 'EMFILE' } }), verdict: 'error', detail: /not the firewall/ },
    { name: 'reply oracle: 200 passes', a: attempt({ oracle: 'reply', finalReply: undefined, data: { kind: 'not-tried' } }), verdict: 'pass', detail: /reply oracle/ },
    {
      name: 'reply oracle: 200 to a corrupted PORT is a pass (what reply codes cannot see)',
      a: attempt({ oracle: 'reply', finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'pass',
    },
    { name: 'data arrived but 426 at the end', a: attempt({ finalReply: reply('426 Aborted') }), verdict: 'rejected' },
    {
      name: 'an address field naming another host, echoed unchanged, refused by the reflector: pass',
      a: attempt({ sent: 'PORT 127,0,0,9,124,9', echo: 'PORT 127,0,0,9,124,9\r\n', dataExpected: false, portReply: reply('501 Refusing to connect to 127.0.0.9'), finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'pass',
      detail: /arrived unchanged; the address is not this machine's/,
    },
    {
      name: 'the reflector refuses an unchanged PORT naming another address than it sees us at: a NAT without an FTP helper, no hint of a rewrite',
      a: attempt({ sent: 'PORT 198,51,100,2,124,227', echo: 'PORT 198,51,100,2,124,227\r\n', portReply: reply("501 Refusing to connect to 198.51.100.2: only to this connection's peer 203.0.113.1 (RFC 2577; see --allow-foreign)"), finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'rejected',
      detail: /^the reflector received PORT unchanged, naming 198\.51\.100\.2, but sees the control connection come from 203\.0\.113\.1: the address was not translated — a NAT without an FTP helper/,
    },
    {
      name: 'a 501 with the reflector\'s echo showing the bytes unchanged: no hint that something changed them',
      a: attempt({ echo: `${SENT}\r\n`, portReply: reply('501 Syntax error in parameters: nope'), finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'rejected',
      detail: /^PORT refused: 501 Syntax error in parameters: nope$/,
    },
    {
      name: 'an address field naming another host, no echo, refused: rejected, saying why',
      a: attempt({ sent: 'PORT 127,0,0,9,124,9', dataExpected: false, portReply: reply('500 Illegal PORT command.'), finalReply: undefined, data: { kind: 'not-tried' } }),
      verdict: 'rejected',
      detail: /RFC 2577.*reflector/,
    },
    {
      name: 'a split command that stalls: timeout naming the cut point',
      a: attempt({ cut: 9, portReply: undefined, finalReply: undefined, data: { kind: 'not-tried' }, failure: { kind: 'timeout', phase: 'port-reply', timeoutMs: 2000, message: 'x' } }),
      verdict: 'timeout',
      detail: /cut after byte 9/,
    },
    { name: 'data arrived and never closed', a: attempt({ data: { kind: 'open', port: 31971, bytes: 0 } }), verdict: 'pass', detail: /left it open/ },
  ])('$name → $verdict', ({ a, verdict, seen, detail }) => {
    const judgement = classify(a);
    expect(judgement.verdict).toBe(verdict);
    if (seen !== undefined) expect(judgement.seen).toBe(seen);
    if (detail !== undefined) expect(judgement.detail).toMatch(detail);
  });

  it('only pass and translated are not failures', () => {
    expect(VERDICTS.filter((v) => !isFailure(v))).toEqual(['pass', 'translated']);
  });
});

describe('decide: merging a value\'s attempts', () => {
  const judge = (a: ReturnType<typeof attempt>) => ({ attempt: a, judgement: classify(a) });
  const noData = attempt({ finalReply: reply('425 no'), data: { kind: 'none' } });
  const wrong = attempt({ data: { kind: 'wrong-port', port: 31766, bytes: 1 }, wide: true });
  const local = attempt({ portReply: undefined, finalReply: undefined, failure: { kind: 'local', message: 'EADDRINUSE' } });

  it('prefers the most specific failure: corrupted over no-data', () => {
    const d = decide([judge(noData), judge(wrong), judge(wrong)]);
    expect(d.chosen.judgement.verdict).toBe('corrupted');
    expect([d.failures, d.attempts, d.intermittent]).toEqual([3, 3, false]);
  });

  it('a value that fails once in three is intermittent but still fails', () => {
    const d = decide([judge(noData), judge(attempt()), judge(attempt())]);
    expect(d.chosen.judgement.verdict).toBe('no-data');
    expect([d.failures, d.attempts, d.intermittent]).toEqual([1, 3, true]);
  });

  it('a local error does not count against the firewall when another attempt ran', () => {
    const d = decide([judge(local), judge(attempt())]);
    expect(d.chosen.judgement.verdict).toBe('pass');
    expect(d.failures).toBe(0);
  });

  it('local errors stand when nothing else ran', () => {
    expect(decide([judge(local)]).chosen.judgement.verdict).toBe('error');
  });

  it('valueResult fills the row from the chosen attempt', () => {
    const row = rowOf(noData, wrong, wrong);
    expect(row).toMatchObject({ value: 227, verdict: 'corrupted', seen: 'PORT ...,124,22', data: { kind: 'wrong-port', port: 31766 }, failures: 3, attempts: 3, replyCode: 226 });
    expect(row.reply).toBe('200 PORT command successful | 226 Transfer complete');
  });

  it('valueResult says when a failure was intermittent', () => {
    expect(rowOf(noData, attempt()).detail).toMatch(/^intermittent: 1 of 2 attempts failed/);
  });
});
