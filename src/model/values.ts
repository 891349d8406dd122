/**
 * Value lists for `--values`: single numbers and inclusive ranges, comma-separated (`0-255`,
 * `220-230,0`). The result is sorted and free of duplicates, so every value is probed once.
 */
import { UsageError } from '../errors.js';

/** Parses a value list; every value must lie in `min..max` (defaults: one byte, 0..255). */
export function parseValueList(text: string, min = 0, max = 255, flag = '--values'): number[] {
  const values = new Set<number>();
  const hint = `use numbers ${min}..${max}, lists and ranges, e.g. ${flag} ${min}-${max} or ${flag} 220-230,0`;
  if (text.trim() === '') throw new UsageError(`${flag} is empty`, hint);
  for (const rawPart of text.split(',')) {
    const part = rawPart.trim();
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!match) throw new UsageError(`${flag}: ${JSON.stringify(part)} is not a number or a range`, hint);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    for (const n of [from, to]) {
      if (n < min || n > max) throw new UsageError(`${flag}: ${n} is out of range ${min}..${max}`, hint);
    }
    if (to < from) throw new UsageError(`${flag}: range ${part} runs backwards`, hint);
    for (let n = from; n <= to; n++) values.add(n);
  }
  return [...values].sort((a, b) => a - b);
}

/** The compact form of a sorted list: `0-3,7,9-10`. */
export function formatValueList(values: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(j === i ? `${values[i]}` : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The compact form of a set of values for a sentence: sorted, each once, ranges joined
 * (`4-9,227`), cut at a comma after about `max` characters with the count (`…, (126 in all)`).
 */
export function shortValueList(values: Iterable<number>, max = 60): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const text = formatValueList(sorted);
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(',', max);
  return `${cut > 0 ? text.slice(0, cut) : text.slice(0, text.indexOf(','))}, … (${sorted.length} in all)`;
}
