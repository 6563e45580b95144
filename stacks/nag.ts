import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/**
 * The compliance packs every synth of the reference app runs: AWS Solutions and NIST 800-53 rev 5.
 * A finding fails the synth unless it is fixed or acknowledged, with a reason, on the narrowest construct.
 */
export function addCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}
