import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

export const RUNBOOK_ROOT = join(__dirname, '..', '..', 'runbooks');

/** Every markdown file under runbooks/<sub>, as paths relative to runbooks/ without `.md`. */
export function runbookPaths(sub: string): string[] {
  const dir = join(RUNBOOK_ROOT, sub);
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : f.endsWith('.md') ? [p] : [];
  });
  return walk(dir).map((p) => relative(RUNBOOK_ROOT, p).replace(/\.md$/, '')).sort();
}

export interface ParsedRunbook {
  readonly frontMatter: Record<string, unknown>;
  readonly sections: string[];
  readonly body: string;
}

/** Front matter (YAML between `---` lines) and the `## ` section titles of a runbook. */
export function parseRunbook(path: string): ParsedRunbook {
  const text = readFileSync(join(RUNBOOK_ROOT, `${path}.md`), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  const frontMatter = m ? (parse(m[1]) as Record<string, unknown>) : {};
  const body = m ? m[2] : text;
  const sections = [...body.matchAll(/^## (.+)$/gm)].map((s) => s[1].trim());
  return { frontMatter, sections, body };
}
