// Renders the README's "Tested against" tables from what the real-path tests observed:
// reports/tested-against/*.json (test/real/servers.test.ts, one per server) and
// reports/tested-against/paths/*.json (alg, natPaths and proxies tests, one per middlebox and far
// side), written by `npm test` where the real servers, proxies and namespaces run.
// Usage: npm run tested-against   (after npm test as root, with scripts/peers.sh done)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

const dir = 'reports/tested-against';
const ORDER = ['vsftpd', 'proftpd', 'pure-ftpd', 'pyftpdlib'];
const NAMES = { vsftpd: 'vsftpd', proftpd: 'ProFTPD', 'pure-ftpd': 'Pure-FTPd', pyftpdlib: 'pyftpdlib' };

function notes(folder) {
  try {
    return readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ id: f.slice(0, -5), ...JSON.parse(readFileSync(`${folder}/${f}`, 'utf8')) }));
  } catch {
    return [];
  }
}

const servers = notes(dir).sort((a, b) => ORDER.indexOf(a.server) - ORDER.indexOf(b.server));
const paths = notes(`${dir}/paths`).sort((a, b) => a.id.localeCompare(b.id));
if (servers.length === 0 || paths.length === 0) {
  console.error(`tested-against: no observations in ${dir}/ (servers: ${servers.length}, paths: ${paths.length}): run scripts/peers.sh and npm test as root first`);
  process.exit(2);
}
const cell = (text) => String(text ?? '–').replaceAll('|', '\\|');
const tables = {
  'tested-against': [
    '| server | Debian package version | login used | answer to `PORT …,22_` (227 corrupted) | ftpsweep, data oracle (value 227) | ftpsweep, reply oracle (value 227) | EPRT `\\|1\\|` straight | EPRT `\\|2\\|` (IPv6) straight |',
    '|---|---|---|---|---|---|---|---|',
    ...servers.map((r) => `| ${NAMES[r.server] ?? r.server} | ${cell(r.version)} | ${cell(r.login)} | \`${cell(r.answer)}\` | ${cell(r.data)} | ${cell(r.replyOracle)} | ${cell(r.eprt4)} | ${cell(r.eprt6)} |`),
  ],
  paths: [
    '| middlebox | version | far side | command | ftpsweep verdicts | example: sent → what the far side saw | exit | note |',
    '|---|---|---|---|---|---|---|---|',
    ...paths.map((p) => `| ${cell(p.middlebox)} | ${cell(p.version)} | ${cell(p.farSide)} | ${cell(p.command)} | ${cell(p.verdicts)} | \`${cell(p.example)}\` | ${cell(p.exitCode)} | ${cell(p.note)} |`),
  ],
};

let readme = readFileSync('README.md', 'utf8');
for (const [name, lines] of Object.entries(tables)) {
  const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1) {
    console.error(`tested-against: README.md lacks the ${start} … ${end} markers`);
    process.exit(2);
  }
  readme = `${readme.slice(0, from + start.length)}\n${lines.join('\n')}\n${readme.slice(to)}`;
  console.log(lines.join('\n'), '\n');
}
writeFileSync('README.md', readme);
