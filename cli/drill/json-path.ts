/** The subset of JSONPath SSM property selectors use: `$.a.b[0].c`. */
export function selectPath(value: unknown, selector: string): unknown {
  const path = selector.replace(/^\$/, '');
  let current: unknown = value;
  for (const m of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (current === null || current === undefined) return undefined;
    current = m[1] !== undefined ? (current as Record<string, unknown>)[m[1]] : (current as unknown[])[Number(m[2])];
  }
  return current;
}
