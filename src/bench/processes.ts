/**
 * Running the programs the bench compares, each as a whole process, as users run them: wall time
 * from spawn to exit, CPU time and peak RSS of the process, and what it printed. Node children
 * report their own resource usage at exit (a preloaded one-liner, no code in the CLI for it);
 * the ftplib reference reports its own in its JSON line.
 */
import { spawn } from 'node:child_process';

export interface ProcessRun {
  readonly code: number | null;
  readonly wallMs: number;
  /** User + system CPU of the process, when it reported it. */
  readonly cpuMs: number | undefined;
  /** Peak resident set size, when it reported it. */
  readonly maxRssMb: number | undefined;
  /** RSS samples (ms since start, MB) while it ran, when asked for. */
  readonly rssSamples: readonly (readonly [number, number])[];
  readonly stdout: string;
  readonly stderr: string;
}

/** Printed by a Node child at exit: CPU (µs) and peak RSS (KiB); with `sampleMs`, RSS now and then. */
function usageReporter(sampleMs: number | undefined): string {
  const sampler = sampleMs === undefined ? '' : `setInterval(()=>process.stderr.write('rss '+Math.round(performance.now())+' '+process.memoryUsage.rss()+'\\n'),${sampleMs}).unref();`;
  return `data:text/javascript,${sampler}process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('usage '+(u.userCPUTime+u.systemCPUTime)+' '+u.maxRSS+'\\n')})`;
}

/** Runs `command args…` to its end (killed after `deadlineMs`). */
export async function runProcess(command: string, args: readonly string[], deadlineMs = 120_000): Promise<ProcessRun> {
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const wallMs = performance.now() - started;
  const usage = /^usage (\d+) (\d+)$/m.exec(stderr);
  const rssSamples = [...stderr.matchAll(/^rss (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2]) / 1e6] as const);
  return { code, wallMs, cpuMs: usage ? Number(usage[1]) / 1000 : undefined, maxRssMb: usage ? Number(usage[2]) / 1024 : undefined, rssSamples, stdout, stderr };
}

/** `node [flags] script args…`, reporting its CPU and peak RSS (and RSS samples every `sampleMs`). */
export function runNode(nodeFlags: readonly string[], script: string, args: readonly string[], sampleMs?: number): Promise<ProcessRun> {
  return runProcess(process.execPath, [...nodeFlags, '--import', usageReporter(sampleMs), script, ...args]);
}

/** The ftplib reference (scripts/ftplib-sweep.py): its run, with the CPU it reports. */
export async function runFtplib(script: string, host: string, port: number): Promise<ProcessRun & { readonly passed: number }> {
  const run = await runProcess('python3', [script, host, String(port)]);
  const line = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { passed?: number; cpu?: number };
  return { ...run, cpuMs: line.cpu === undefined ? undefined : line.cpu * 1000, passed: line.passed ?? 0 };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * A against B, in turn (A B A B …) so a machine that drifts affects both alike: the median of each,
 * and the median of the ratios pair by pair.
 */
export async function sideBySide(times: number, a: () => Promise<ProcessRun>, b: () => Promise<ProcessRun>): Promise<{ a: ProcessRun[]; b: ProcessRun[]; ratio: number }> {
  const runs = { a: [] as ProcessRun[], b: [] as ProcessRun[] };
  for (let i = 0; i < times; i++) {
    runs.a.push(await a());
    runs.b.push(await b());
  }
  return { ...runs, ratio: median(runs.a.map((r, i) => r.wallMs / runs.b[i]!.wallMs)) };
}
