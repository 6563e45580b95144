import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { addControlTowerControls } from './control-tower';

/**
 * Context key that adds the AWS Control Tower proactive controls to a synth (`npx cdk synth -c controlTower=true`).
 * Off by default: cfn-guard takes longer than the whole synth budget; `npm test` runs them on every change
 * (test/stacks/control-tower.test.ts).
 */
export const CONTROL_TOWER_CONTEXT = 'controlTower';

/**
 * The compliance packs every synth of the reference app runs: AWS Solutions and NIST 800-53 rev 5, and the
 * Control Tower proactive controls when asked (`CONTROL_TOWER_CONTEXT`).
 * A finding fails the synth unless it is fixed or acknowledged, with a reason, on the narrowest construct.
 */
export function addCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const controlTower: unknown = app.node.tryGetContext(CONTROL_TOWER_CONTEXT);
  if (controlTower === true || controlTower === 'true') addControlTowerControls(app);
}
