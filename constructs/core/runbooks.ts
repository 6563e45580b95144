/**
 * Runbook links (DESIGN.md "Runbook links resolve"): `<runbookBaseUrl>/runbooks/<path>.md`, where
 * `<path>.md` is a committed file under runbooks/.
 */

/** Where runbooks are served from unless `runbookBaseUrl` is configured: the repository URL in package.json. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/platform-stacks/platform-stacks/blob/main';

/** Context key (cdk.json or `-c`) that overrides {@link DEFAULT_RUNBOOK_BASE_URL}. */
export const RUNBOOK_BASE_URL_CONTEXT_KEY = 'runbookBaseUrl';

/** The URL of the runbook at `runbooks/<path>.md`. `path` has no leading slash and no extension. */
export function runbookUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/runbooks/${path}.md`;
}

/** The runbook path (`alerts/service/ServiceHigh5xxRate`) a URL points at, or undefined when it is not a runbook URL. */
export function runbookPathFromUrl(url: string): string | undefined {
  const m = /\/runbooks\/(.+)\.md$/.exec(url);
  return m ? m[1] : undefined;
}
