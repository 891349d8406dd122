/**
 * Loopback FTP peers for tests, built on the same server core as the reflector. Each returns a
 * RunningServer handle; tests always close it.
 */
import { connectBack, sendAndClose } from '../../src/servers/dataConnection.js';
import { startFtpServer, type RunningServer, type Session, type Verb } from '../../src/servers/ftpServer.js';
import { reflectorVerbs, sessionVerbs } from '../../src/servers/reflectorVerbs.js';

/** The last field of a PORT argument, read like atoi: leading digits only ("22_" → 22). */
function atoi(field: string | undefined): number {
  const digits = /^\s*(\d+)/.exec(field ?? '');
  return digits ? Number(digits[1]) : 0;
}

/**
 * Like vsftpd / ProFTPD / Pure-FTPd (FIELD-NOTES §1): PORT is parsed leniently and answered 200
 * even for `…,22_`; NLST connects to the port it parsed *before* saying 150, and answers 425 when
 * that fails.
 */
export function startLenientPeer(): Promise<RunningServer> {
  const port: Verb = {
    directive: 'PORT',
    needsLogin: true,
    syntax: 'PORT h1,h2,h3,h4,p1,p2',
    description: 'lenient, atoi-style',
    handler: (s, arg) => {
      const f = arg.split(',');
      const host = f.slice(0, 4).map(atoi).join('.');
      s.dataTarget = { address: { family: 4, host, port: atoi(f[4]) * 256 + atoi(f[5]) }, line: `PORT ${arg}`, raw: s.raw };
      s.reply(200, 'PORT command successful. Consider using PASV.');
    },
  };
  const nlst: Verb = {
    directive: 'NLST',
    needsLogin: true,
    syntax: 'NLST',
    description: 'connect first, then 150',
    handler: async (s) => {
      const target = s.dataTarget;
      s.dataTarget = undefined;
      if (!target) return s.reply(425, 'Use PORT or PASV first.');
      try {
        const socket = await connectBack(target.address, 2000);
        s.reply(150, 'Here comes the directory listing.');
        await sendAndClose(socket, 'file1\r\nfile2\r\n');
        s.reply(226, 'Directory send OK.');
      } catch {
        s.reply(425, 'Failed to establish connection.');
      }
    },
  };
  return startFtpServer({ host: '127.0.0.1', port: 0, greeting: '(vsFTPd-like test peer)', echo: false, verbs: [...sessionVerbs(), port, nlst] });
}

/**
 * The reflector, except that a PORT whose last octet is in `values` gets `misbehave` instead of its
 * normal handling (never answered, reset, garbage …), and `replace`, if given, takes the place of
 * the verb of the same name.
 */
export function startMisbehavingPeer(values: readonly number[], misbehave: (s: Session, answer: () => void) => void, replace?: Verb): Promise<RunningServer> {
  const verbs = reflectorVerbs({ allowForeign: false, dataTimeoutMs: 2000 }).map((verb) => {
    if (replace && verb.directive === replace.directive) return replace;
    if (verb.directive !== 'PORT') return verb;
    return { ...verb, handler: (s: Session, arg: string) => (values.includes(atoi(arg.split(',')[5])) ? misbehave(s, () => verb.handler(s, arg)) : verb.handler(s, arg)) };
  });
  return startFtpServer({ host: '127.0.0.1', port: 0, greeting: 'misbehaving test peer', echo: true, verbs });
}
