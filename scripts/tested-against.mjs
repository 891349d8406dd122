// Renders the README's "Tested against" table from what test/real/servers.test.ts observed
// (reports/tested-against/*.json, written by `npm test` where the real servers run).
// Usage: npm run tested-against   (after npm test as root, with scripts/peers.sh done)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

const dir = 'reports/tested-against';
const START = '<!-- tested-against:start -->';
const END = '<!-- tested-against:end -->';
const ORDER = ['vsftpd', 'proftpd', 'pure-ftpd', 'pyftpdlib'];
const NAMES = { vsftpd: 'vsftpd', proftpd: 'ProFTPD', 'pure-ftpd': 'Pure-FTPd', pyftpdlib: 'pyftpdlib' };

let files;
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  files = [];
}
if (files.length === 0) {
  console.error(`tested-against: no observations in ${dir}/: run scripts/peers.sh and npm test as root first`);
  process.exit(2);
}
const rows = files
  .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')))
  .sort((a, b) => ORDER.indexOf(a.server) - ORDER.indexOf(b.server));
const cell = (text) => String(text).replaceAll('|', '\\|');
const table = [
  '| server | Debian package version | login used | answer to `PORT …,22_` (227 corrupted) | ftpsweep, data oracle (value 227) | ftpsweep, reply oracle (value 227) |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${NAMES[r.server] ?? r.server} | ${cell(r.version)} | ${cell(r.login)} | \`${cell(r.answer)}\` | ${cell(r.data)} | ${cell(r.replyOracle)} |`),
].join('\n');

const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from === -1 || to === -1) {
  console.error(`tested-against: README.md lacks the ${START} … ${END} markers`);
  process.exit(2);
}
writeFileSync('README.md', `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`);
console.log(table);
