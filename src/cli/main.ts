#!/usr/bin/env -S node --max-semi-space-size=4
// A small young generation (V8's default grows it to 3 × 16 MB): a 65,536-probe sweep makes a lot of
// short-lived garbage, and this keeps its peak memory down at no cost in speed (npm run bench).
import { start } from './start.js';

process.exitCode = await start(process.argv.slice(2));
