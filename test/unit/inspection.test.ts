/**
 * The control-channel check's findings from the sweep's own rows (PathObservations): translated
 * and rewritten data-port commands, only when the reflector's word makes them certain.
 */
import { describe, expect, it } from 'vitest';
import { attempt, reply, rowOf } from '../helpers/attempts.js';
import { type ValueResult } from '../../src/model/valueResult.js';
import { PathObservations, type InspectionReport } from '../../src/sweep/inspection.js';

const CHECKED: InspectionReport = { checked: ['SYST', 'echo'], findings: [] };

/** A row from one reflector attempt at `value` (high byte 64) whose echo was `echo`. */
function row(value: number, echo: string, overrides: Parameters<typeof attempt>[0] = {}): ValueResult {
  const sent = `PORT 127,0,0,1,64,${value}`;
  return rowOf(attempt({ value, sent, expectedPort: 64 * 256 + value, data: { kind: 'arrived', port: 64 * 256 + value, bytes: 9 }, echo: `${echo}\r\n`, ...overrides }));
}

const passing = Array.from({ length: 256 }, (_, v) => row(v, `PORT 127,0,0,1,64,${v}`));
const corrupt = (v: number): ValueResult => row(v, `PORT 127,0,0,1,64,${String(v).slice(0, -1)}_`, { portReply: reply('501 Syntax error'), finalReply: undefined, data: { kind: 'not-tried' } });

function findings(rows: readonly ValueResult[], checked: InspectionReport = CHECKED, command = 'PORT'): InspectionReport {
  const observed = new PathObservations();
  for (const r of rows) observed.add(r);
  return observed.findings(checked, command);
}

/** A server that is not the reflector: SYST came back without an echo. */
const NO_ECHO: InspectionReport = { checked: ['SYST'], findings: [] };

describe('PathObservations', () => {
  it('every row passed: the address was checked and nothing found', () => {
    expect(findings(passing)).toEqual({ checked: ['SYST', 'echo', 'address'], findings: [] });
  });

  it('without the reflector\'s word nothing is claimed, not even the check', () => {
    const plain = rowOf(attempt({ data: { kind: 'wrong-port', port: 31766, bytes: 1 } }));
    expect(findings([plain], NO_ECHO)).toBe(NO_ECHO);
  });

  it('the reflector echoed SYST but not the probed command: something between answered it', () => {
    const refused = rowOf(attempt({ command: 'EPRT', sent: 'EPRT |1|127.0.0.1|31971|', portReply: reply("500 'EPRT': command unrecognized."), finalReply: undefined, data: { kind: 'not-tried' } }));
    expect(findings([refused, refused], CHECKED, 'EPRT')).toEqual({
      checked: ['SYST', 'echo'],
      findings: ['the far side is the reflector, but 2 EPRT replies carry no echo ("500 \'EPRT\': command unrecognized."): something between answers EPRT itself'],
    });
  });

  it('one corrupted value names the bytes the far side saw', () => {
    const rows = passing.map((r) => (r.value === 227 ? corrupt(227) : r));
    expect(findings(rows).findings).toEqual(['the far side saw "PORT 127,0,0,1,64,22_" for "PORT 127,0,0,1,64,227": data-port commands are rewritten in transit (value 227)']);
  });

  it('many corrupted values: named once each, ranges joined', () => {
    const rows = [...Array.from({ length: 10 }, (_, i) => corrupt(200 + i)), corrupt(227)];
    const [finding] = findings(rows).findings;
    expect(finding).toMatch(/\(values 200-209,227\)$/);
  });

  it('one value corrupted in every syntax variant is named once, with the probes counted', () => {
    const rows = Array.from({ length: 9 }, () => corrupt(227));
    expect(findings(rows).findings[0]).toMatch(/rewritten in transit \(value 227, 9 probes\)$/);
  });

  it('scattered values: a long list is cut, with the count', () => {
    const rows = Array.from({ length: 60 }, (_, i) => corrupt(i * 4));
    expect(findings(rows).findings[0]).toMatch(/\(values 0,4,8,[\d,]+, … \(60 in all\)\)$/);
  });

  it('a corrupted row without what was seen (e.g. no data came) is no evidence of a rewrite', () => {
    const noEcho = row(5, 'PORT 127,0,0,1,64,5', { data: { kind: 'wrong-port', port: 64 * 256 + 6, bytes: 1 } });
    expect(findings([{ ...noEcho, seen: '' }]).findings).toEqual([]);
  });

  it('a translated address and a rewrite are two findings', () => {
    const { findings: found } = findings([row(1, 'PORT 203,0,113,2,64,1'), corrupt(227)]);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/address is translated \(a NAT with an FTP helper\)/);
    expect(found[1]).toMatch(/rewritten in transit \(value 227\)/);
  });

  it('another port with the data still arriving: NAT remapping, the values named', () => {
    const { findings: found } = findings([row(40, 'PORT 203,0,113,1,124,39'), row(41, 'PORT 203,0,113,1,124,42')]);
    expect(found).toEqual([expect.stringMatching(/^the far side saw "PORT 203,0,113,1,124,39" for "PORT 127,0,0,1,64,40": another port, .*NAT remapping ports .*values 40-41\)$/)]);
  });

  it('an unchanged PORT the reflector refuses for naming another address than it sees: a NAT without an FTP helper', () => {
    const refused = row(3, 'PORT 127,0,0,1,64,3', { portReply: reply("501 Refusing to connect to 127.0.0.1: only to this connection's peer 203.0.113.1 (RFC 2577; see --allow-foreign)"), finalReply: undefined, data: { kind: 'not-tried' } });
    expect(findings([refused]).findings).toEqual(['the far side sees the control connection come from 203.0.113.1, but PORT names 127.0.0.1, unchanged: a NAT without an FTP helper (active FTP cannot work through it)']);
  });

  it('another port under the reply oracle: the finding claims no data connection', () => {
    const unchecked = row(40, 'PORT 203,0,113,1,124,39', { oracle: 'reply', finalReply: undefined, data: { kind: 'not-tried' } });
    expect(unchecked.verdict).toBe('translated');
    expect(findings([unchecked]).findings).toEqual([expect.stringMatching(/another port \(value 40\); no data connection checked it: .*--oracle data/)]);
  });

  it('a command named only in the listing replies: an application proxy answered PORT itself', () => {
    const proxied = row(7, 'unused', { echo: undefined, relayed: 'PORT 127,0,0,1,140,17\r\n', portReply: reply('200 PORT command successful') });
    expect(proxied.verdict).toBe('translated');
    expect(findings([proxied]).findings).toEqual([
      'an application proxy answers PORT itself and opens its own data connections: the far side saw "PORT 127,0,0,1,140,17" for "PORT 127,0,0,1,64,7", and the data still reached the port sent',
    ]);
  });
});
