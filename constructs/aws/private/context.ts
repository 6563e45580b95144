import { Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { DEFAULT_RUNBOOK_BASE_URL, RUNBOOK_BASE_URL_CONTEXT_KEY } from '../../core/runbooks';

/** The runbook base URL for `scope`: context `runbookBaseUrl` (cdk.json or `-c`), else the repository URL. */
export function runbookBaseUrlOf(scope: Construct): string {
  const fromContext: unknown = scope.node.tryGetContext(RUNBOOK_BASE_URL_CONTEXT_KEY);
  return typeof fromContext === 'string' && fromContext.length > 0 ? fromContext : DEFAULT_RUNBOOK_BASE_URL;
}

/**
 * Fails unless `scope`'s stack is in `region` (a literal): `why` says what exists only there, `fix` where to build it.
 */
export function requireStackRegion(scope: Construct, region: string, why: string, fix: string): void {
  const actual = Stack.of(scope).region;
  if (Token.isUnresolved(actual) || actual !== region) {
    throw new PlatformValidationError(scope.node.path, 'region', Token.isUnresolved(actual) ? '<unresolved>' : actual,
      `is not ${region}: ${why}`, fix);
  }
}
