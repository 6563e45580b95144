/**
 * Opens a page in a real headless Chromium (Debian package `chromium`, driven by playwright-core; `CHROMIUM` names
 * another binary) and records what a reader would miss: console errors and warnings, uncaught exceptions, and every
 * request other than the page itself (a self-contained report makes none). Screenshots go to `test-artifacts/`
 * (git-ignored; CI keeps it as the run's artifacts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots are kept. */
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/** A page opened from a file, with what went wrong while it loaded. */
export interface OpenedPage {
  readonly page: Page;
  /** `console.error`/`console.warn` messages and uncaught exceptions. */
  readonly problems: string[];
  /** URLs requested besides the page itself. */
  readonly requests: string[];
}

/** Starts Chromium (as root it needs --no-sandbox); fails with what to install when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Chromium (Debian: apt-get install chromium; .ci/run does) or set CHROMIUM to its binary`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Opens `file` in a new page of `browser` at `width` × 900 and waits for it to load. */
export async function openFile(browser: Browser, file: string, width = 1280): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, requests };
}

/** A full-page screenshot as `test-artifacts/<name>.png`; returns its path. */
export async function keepScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
