/**
 * What the integration tests (test/integ/integ.*.ts) share: the account they deploy to and the options every test
 * case takes. Not a test itself (integ-runner and the snapshot test pick up `integ.*.ts` only).
 */
import type { TestOptions } from 'aws-cdk-lib/cloud-assembly-schema';

/** The placeholder account the committed snapshots are synthesized for (no credentials, no lookups). */
export const SNAPSHOT_ACCOUNT = '111111111111';

/**
 * The account to deploy to: `PLATFORM_INTEG_ACCOUNT` (12 digits) when a user runs the tests for real (README
 * "Integration tests"), else the placeholder of the snapshots.
 */
export function integAccount(): string {
  const account = process.env.PLATFORM_INTEG_ACCOUNT;
  if (account === undefined || account === '') return SNAPSHOT_ACCOUNT;
  if (!/^\d{12}$/.test(account)) throw new Error(`PLATFORM_INTEG_ACCOUNT (${account}) is not a 12-digit AWS account id: set it to the account to deploy to`);
  return account;
}

/**
 * Options of every test case. The update workflow (deploy the committed snapshot, then the change) is off: the
 * snapshots keep templates and manifests, not the built assets. Clean-up destroys the stacks without a prompt;
 * what the platform retains on purpose (nothing-lost) stays: README "Integration tests" lists it.
 */
export const INTEG_OPTIONS: TestOptions = {
  stackUpdateWorkflow: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
};
