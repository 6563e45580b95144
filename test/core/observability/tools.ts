import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of a tool run. */
export interface ToolRun {
  readonly status: number | null;
  /** stdout then stderr. */
  readonly output: string;
  readonly stdout: string;
}

/**
 * Runs a real tool (promtool, amtool). A missing binary fails the test, never skips it: CI installs them.
 */
export function runTool(binary: 'promtool' | 'amtool', args: readonly string[], cwd?: string): ToolRun {
  const r = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${binary} is not installed: run apt-get install -y prometheus prometheus-alertmanager (CI installs them)`);
  }
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/** A fresh temp dir holding `files` (name → content); returns its path. */
export function writeTempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'platform-stacks-obs-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
