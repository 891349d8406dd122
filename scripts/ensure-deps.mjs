// `npm test` on a fresh clone: install the locked dependencies first when node_modules is missing,
// so the README's test command needs no other set-up step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/.package-lock.json')) {
  console.error('ftpsweep: node_modules is missing; installing the locked dependencies (npm ci) first');
  const result = spawnSync('npm', ['ci'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
