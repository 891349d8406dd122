/**
 * Where two command lines differ, for marking the changed bytes in a report: everything between
 * their common prefix and their common suffix.
 */
export interface DiffParts {
  readonly before: string;
  readonly changed: string;
  readonly after: string;
}

export function splitDifference(a: string, b: string): { readonly a: DiffParts; readonly b: DiffParts } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const part = (s: string): DiffParts => ({ before: s.slice(0, start), changed: s.slice(start, s.length - end), after: s.slice(s.length - end) });
  return { a: part(a), b: part(b) };
}
