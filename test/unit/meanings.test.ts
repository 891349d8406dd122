import { describe, expect, it } from 'vitest';
import { verdictMeaning, type MeaningContext } from '../../src/report/meanings.js';

describe('"What this means" says only what the sweep could observe', () => {
  const context = (over: Partial<MeaningContext> = {}): MeaningContext => ({ command: 'PORT', oracle: 'data', reflector: true, ...over });

  it('pass: with the reflector, nothing changed; without it, a rewrite that still delivers cannot be seen', () => {
    expect(verdictMeaning('pass', context())).toMatch(/reflector received exactly the PORT command that was sent, and connected back to exactly that port\. Nothing on the way changed it/);
    expect(verdictMeaning('pass', context({ reflector: false }))).toMatch(/cannot see whether something on the way rewrote the command/);
    expect(verdictMeaning('pass', context({ reflector: false }))).not.toMatch(/Nothing on the way changed it/);
    expect(verdictMeaning('pass', context({ reflector: false, oracle: 'reply' }))).toMatch(/Reply codes alone cannot show what it understood/);
    expect(verdictMeaning('pass', context({ command: 'PASV', reflector: false }))).toMatch(/^The PASV offer arrived as a valid reply and ftpsweep connected to it/);
  });

  it('translated: names the command, and under the reply oracle claims no data connection', () => {
    expect(verdictMeaning('translated', context({ command: 'EPRT' }))).toMatch(/rewrote EPRT into another valid command, and the data connection still reached the exact port/);
    expect(verdictMeaning('translated', context({ oracle: 'reply' }))).toMatch(/no data connection was made \(reply oracle\)/);
    expect(verdictMeaning('translated', context({ oracle: 'reply' }))).not.toMatch(/still reached/);
  });
});
