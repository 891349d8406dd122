#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=1024
// V8's heap, sized for a process that sweeps: a small young generation (the default grows it to
// 3 × 16 MB), and an old-space ceiling of 1 GB, far above what a sweep holds (passing rows are kept
// as verdicts, failing ones without their attempts past 256) but low enough that V8 lets the old
// generation grow 1.6× its live size between collections, not 4×: a 65,536-probe sweep's peak RSS
// went from 128 to 93 MB, at the same speed (npm run bench).
import { start } from './start.js';

process.exitCode = await start(process.argv.slice(2));
