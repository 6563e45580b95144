import type { Construct } from 'constructs';
import { DEFAULT_RUNBOOK_BASE_URL, RUNBOOK_BASE_URL_CONTEXT_KEY } from '../../core/runbooks';

/** The runbook base URL for `scope`: context `runbookBaseUrl` (cdk.json or `-c`), else the repository URL. */
export function runbookBaseUrlOf(scope: Construct): string {
  const fromContext: unknown = scope.node.tryGetContext(RUNBOOK_BASE_URL_CONTEXT_KEY);
  return typeof fromContext === 'string' && fromContext.length > 0 ? fromContext : DEFAULT_RUNBOOK_BASE_URL;
}
