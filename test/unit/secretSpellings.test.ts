import { describe, expect, it } from 'vitest';
import { Transcript } from '../../src/ftp/transcript.js';

const SECRETS = ['S3cret-Pa55', 'pässwörd 2', 'ab+/?&=xyz', 'Tr0ub4dor&3 x/Q+'];

/** What a hostile server may send back: the PASS line it received, encoded its way. */
const ENCODINGS: ReadonlyArray<[string, (bytes: Buffer) => string, (text: string) => string]> = [
  ['base64', (b) => b.toString('base64'), (t) => Buffer.from(t.replace(/\*/g, 'A'), 'base64').toString('latin1')],
  ['base64 without padding', (b) => b.toString('base64').replace(/=+$/, ''), (t) => Buffer.from(t.replace(/\*/g, 'A'), 'base64').toString('latin1')],
  ['URL-safe base64', (b) => b.toString('base64url'), (t) => Buffer.from(t.replace(/\*/g, 'A'), 'base64url').toString('latin1')],
  ['hex', (b) => b.toString('hex'), (t) => Buffer.from(t.replace(/\*/g, '0'), 'hex').toString('latin1')],
  ['HEX', (b) => b.toString('hex').toUpperCase(), (t) => Buffer.from(t.replace(/\*/g, '0'), 'hex').toString('latin1')],
  ['hex with spaces', (b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' '), (t) => Buffer.from(t.replace(/[ *]/g, ''), 'hex').toString('latin1')],
  ['URL-encoded (as UTF-8)', (b) => encodeURIComponent(b.toString('latin1')), (t) => decodeURIComponent(t)],
  ['URL-encoded as Python\'s quote() does (/ kept)', (b) => [...b].map((x) => (/[\w.~/-]/.test(String.fromCharCode(x)) ? String.fromCharCode(x) : `%${x.toString(16).padStart(2, '0').toUpperCase()}`)).join(''), (t) => unescape(t)],
  ['\\x escapes', (b) => [...b].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join(''), (t) => Buffer.from(t.replace(/\\x/g, '').replace(/\*/g, '0'), 'hex').toString('latin1')],
  ['base64 wrapped every 12 characters', (b) => b.toString('base64').replace(/(.{12})/g, '$1 '), (t) => Buffer.from(t.replace(/\s/g, '').replace(/\*/g, 'A'), 'base64').toString('latin1')],
  ['URL-encoded (the bytes sent)', (b) => [...b].map((x) => (/[\w.~-]/.test(String.fromCharCode(x)) ? String.fromCharCode(x) : `%${x.toString(16).padStart(2, '0').toUpperCase()}`)).join(''), (t) => unescape(t)],
  ['URL-encoded, every byte', (b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0').toUpperCase()}`).join(''), (t) => unescape(t)],
];

describe('the password, however a server spells it back', () => {
  for (const secret of SECRETS) {
    for (const [name, encode, decode] of ENCODINGS) {
      it(`${JSON.stringify(secret)} in ${name}, wherever it falls in the line: masked`, () => {
        const transcript = new Transcript(true, secret);
        // Every alignment: base64 groups bytes in threes, so the prefix length changes the encoding.
        for (const prefix of ['', 'P', 'PA', 'PAS', 'PASS', 'PASS ']) {
          const encoded = encode(Buffer.from(`${prefix}${secret}\r\n`, 'latin1'));
          expect(decode(encoded)).toContain(secret); // the test's own decoding is right
          const shown = transcript.redact(`500 unknown command: ${encoded}`);
          expect(shown).toContain('****');
          expect(decode(shown.slice('500 unknown command: '.length))).not.toContain(secret);
        }
      });
    }
  }

  it('spaced out letter by letter: masked', () => {
    expect(new Transcript(true, 'S3cret-Pa55').redact('530 you said S 3 c r e t - P a 5 5')).toBe('530 you said ****');
  });

  it('ordinary replies are left alone', () => {
    const transcript = new Transcript(true, 'S3cret-Pa55');
    for (const text of ['200 PORT command successful. Consider using PASV.', '227 Entering Passive Mode (127,0,0,1,195,80).', '230 Login successful.']) {
      expect(transcript.redact(text)).toBe(text);
    }
  });

  it('the whole word a spelling is in is masked, so what is left around it does not tell the password', () => {
    expect(new Transcript(true, 'sweep').redact('220 ftpsweep-reflector 0.1.0 ready')).toBe('220 **** 0.1.0 ready');
    expect(new Transcript(true, '1').redact('200 PORT 127,0,0,1,64,227 ok')).toBe('200 PORT **** ok');
  });

  it('a password of 1–3 bytes encoded alone in base64 is masked (padding makes it distinctive)', () => {
    expect(new Transcript(true, '1').redact('230 hello MQ==')).toBe('230 hello ****');
    expect(new Transcript(true, 'ftp').redact("230 hello 'ZnRw'")).toBe('230 hello ****');
  });

  it('only what the server sent is masked in a dialogue: our own lines hold no password', () => {
    const transcript = new Transcript(true, '1');
    transcript.add('>', 'PORT 127,0,0,1,64,1');
    transcript.add('*', 'listening on 127.0.0.1:16385');
    transcript.add('<', '200 PORT 127,0,0,1,64,1 ok');
    expect(transcript.entries.map((e) => e.text)).toEqual(['PORT 127,0,0,1,64,1', 'listening on 127.0.0.1:16385', '200 PORT **** ok']);
  });

  it('no password, nothing masked', () => {
    expect(new Transcript(true, undefined).redact('230 ****')).toBe('230 ****');
    expect(new Transcript(true, '').redact('230 ok')).toBe('230 ok');
  });
});
