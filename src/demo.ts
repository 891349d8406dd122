/**
 * The demo: the example firewall's story on loopback. A reflector stands in for the FTP server, the simulated
 * firewall corrupts PORT commands ending in 227, and a full sweep finds exactly that value.
 */
import { SWEEP_DEFAULTS } from './config/options.js';
import { type SweepOptions } from './config/settings.js';
import { runSweepJob } from './jobs/sweepJob.js';
import type { ResultRow } from './model/valueResult.js';
import type { ExitStatus } from './report/exitStatus.js';
import type { Summary } from './report/summary.js';
import { startSimulator } from './servers/firewallSimulator.js';
import { startReflector } from './servers/reflector.js';
import { checkOpenFiles, FILES_PER_PROBE } from './sweep/openFiles.js';
import { fileNeeds } from './sweep/sweep.js';
import { type SweepProgress } from './sweep/sweepRows.js';

export const DEMO_CORRUPT_VALUE = 227;
const DEMO_FILES_PER_PROBE = FILES_PER_PROBE + 6;

export interface DemoOutcome {
  readonly options: SweepOptions;
  readonly rows: readonly ResultRow[];
  readonly summary: Summary;
  readonly reportDir: string;
  /** What differs from the expected picture (227 corrupted showing `22_`, 255 pass); empty when as expected. */
  readonly problems: readonly string[];
}

/** Runs the demo, writes its report to `reportDir`, and checks the outcome. Stops both servers. */
export async function runDemo(reportDir: string, onProgress?: (p: SweepProgress) => void): Promise<DemoOutcome> {
  // The reflector and the simulated firewall run in this process: each probe's connections are
  // counted three times over (the sweep's, the firewall's both sides, the reflector's).
  checkOpenFiles({ ...fileNeeds(SWEEP_DEFAULTS, DEMO_FILES_PER_PROBE), who: 'the demo' });
  const reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  try {
    const firewall = await startSimulator({
      host: '127.0.0.1',
      port: 0,
      upstream: { host: reflector.host, port: reflector.port },
      corrupt: [DEMO_CORRUPT_VALUE],
      delayMs: 0,
    });
    try {
      const options: SweepOptions = {
        ...SWEEP_DEFAULTS,
        host: firewall.host,
        port: firewall.port,
      };
      // The demo's folder is its own: each run replaces the last one's report. It expects 227 to
      // fail, so its exit code (and summary.json's) says whether it saw that, not whether all passed.
      const expect = (rows: readonly ResultRow[]): ExitStatus => {
        const problems = demoProblems(rows);
        return problems.length === 0
          ? { exitCode: 0, exitReason: `the demo saw what it expects: ${DEMO_CORRUPT_VALUE} corrupted (the far side saw 22_), the other values pass` }
          : { exitCode: 1, exitReason: `the demo did not see what it expects: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; … (${problems.length} in all)` : ''}` };
      };
      const { summary, rows } = await runSweepJob({ options, out: reportDir, baseline: undefined, junit: undefined, force: true, expect }, onProgress ? { onProgress } : {});
      return { options, rows, summary, reportDir, problems: demoProblems(rows) };
    } finally {
      await firewall.close();
    }
  } finally {
    await reflector.close();
  }
}

function demoProblems(rows: readonly ResultRow[]): string[] {
  const problems: string[] = [];
  for (const r of rows) {
    if (r.value === DEMO_CORRUPT_VALUE) {
      if (r.verdict !== 'corrupted') problems.push(`${r.value} is ${r.verdict}, expected corrupted`);
      else if (!r.seen.endsWith(',22_')) problems.push(`${r.value} seen is "${r.seen}", expected it to end in 22_`);
    } else if (r.verdict !== 'pass') {
      problems.push(`${r.value} is ${r.verdict}, expected pass: ${r.detail}`);
    }
  }
  return problems;
}
