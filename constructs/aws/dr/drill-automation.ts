import { CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { DrTier } from '../../core/dr-tier';
import type { Drill } from '../../core/drills/drill';
import { DRILLS } from '../../core/drills/catalog';
import type { DrillRegion } from '../../core/drills/parameters';
import { automationDocumentName, renderAutomationDocument } from '../../core/drills/render-ssm';
import { PlatformValidationError } from '../../core/errors';
import { API_GRANTS } from './private/drill-permissions';
import { acknowledgeWildcards } from '../private/nag';

/** Props of {@link DrillAutomation}. */
export interface DrillAutomationProps {
  /** The service (`platform:service`): documents are named `<service>-drill-<drill>`. */
  readonly service: string;
  /** The DR tier the platform runs at: only drills for this tier are deployed. */
  readonly tier: DrTier;
  /** The region this stack is: only drills that act in this region (`Drill.region`) are deployed here. */
  readonly regionRole: DrillRegion;
  /**
   * Ids of the drills to deploy (each must apply to `tier`); those acting in the other region are left to that
   * region's stack.
   * @default - every drill of `DRILLS` that applies to `tier` and acts in `regionRole`
   */
  readonly drills?: readonly string[];
  /**
   * The drill catalog to deploy from: `drillCatalog({ redeployCommand })` when the global stack is redeployed some
   * other way than the reference app's command (another stack ID, another CLI).
   * @default DRILLS
   */
  readonly catalog?: readonly Drill[];
}

/**
 * Deploys the DR drills of a region as SSM Automation documents (`<service>-drill-<drill>`, content
 * `renderAutomationDocument(drill)`: the same steps as `runbooks/drills/<drill>.md`) and the role the automation
 * assumes (`AutomationAssumeRole`), allowed exactly the API calls those drills' steps make.
 *
 * Start a drill: `aws ssm start-automation-execution --document-name <service>-drill-<drill>
 * --parameters AutomationAssumeRole=<DrillAutomationRoleArn output>,...`.
 */
export class DrillAutomation extends Construct {
  /** The drills deployed in this region, in catalog order. */
  public readonly drills: readonly Drill[];
  /** The Automation documents, one per drill, in the order of `drills`. */
  public readonly documents: readonly ssm.CfnDocument[];
  /** The role the automation assumes (pass its ARN as `AutomationAssumeRole`). */
  public readonly role: iam.Role;
  /** Stack output `DrillAutomationRoleArn`: the role's ARN. */
  public readonly roleArnOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: DrillAutomationProps) {
    super(scope, id);
    const where = this.node.path;
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
      throw new PlatformValidationError(where, 'service', props.service, 'is not a valid service name',
        'use 1-40 lowercase letters, digits and dashes, starting with a letter (the platform:service tag)');
    }
    this.drills = selectDrills(where, props);
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      description: `SSM Automation role of the ${props.service} DR drills (${props.regionRole} region, ${props.tier.id})`,
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }) },
        },
      }),
    });
    const grants = new Map<string, Set<string>>();
    for (const drill of this.drills) {
      for (const step of drill.steps) {
        if (step.kind !== 'aws-api' && step.kind !== 'wait-for') continue;
        const key = `${step.call.service}:${step.call.api}`;
        const needed = API_GRANTS[key];
        if (!needed) {
          throw new PlatformValidationError(`${where}/${drill.id}`, `step ${step.name}`, key, 'calls an API DrillAutomation has no permissions for',
            'add the call with its IAM actions and resources to constructs/aws/dr/private/drill-permissions.ts');
        }
        for (const grant of needed) {
          for (const action of grant.actions) {
            // One statement per action and condition block.
            const key = JSON.stringify([action, grant.conditions ?? null]);
            const resources = grants.get(key) ?? new Set<string>();
            grant.resources.forEach((r) => resources.add(r));
            grants.set(key, resources);
          }
        }
      }
    }
    const arn = (pattern: string): string => pattern.replace('{P}', stack.partition).replace('{A}', stack.account);
    for (const [key, resources] of [...grants].sort(([a], [b]) => a.localeCompare(b))) {
      const [action, conditions] = JSON.parse(key) as [string, Record<string, Record<string, string>> | null];
      this.role.addToPolicy(new iam.PolicyStatement({
        actions: [action], resources: [...resources].map(arn), ...(conditions ? { conditions } : {}),
      }));
    }
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'Generated from the deployed drills\' API steps for this one role; a managed policy would only widen who could attach it.',
      });
      acknowledgeWildcards(policy, [...grants.values()].flatMap((r) => [...r].map(arn)),
        'Drill targets (clusters, services, load balancers, proxies, recovery points, restored clusters) are runtime parameters of the automation and a '
        + 'drill acts in both regions, so resources are this account\'s ARNs of the right type in any region; elasticloadbalancing:DescribeTargetHealth '
        + 'and backup:DescribeRestoreJob have no resource-level permissions (*); iam:PassRole is limited to AWS Backup (restore jobs). '
        + 'Every action is one a deployed drill step calls.');
    }

    this.documents = this.drills.map((drill) => new ssm.CfnDocument(this, drill.id, {
      name: automationDocumentName(props.service, drill),
      documentType: 'Automation',
      documentFormat: 'JSON',
      content: renderAutomationDocument(drill),
      // The name is fixed (runbooks and the CLI use it): update in place as a new version instead of replacing.
      updateMethod: 'NewVersion',
    }));

    this.roleArnOutput = new CfnOutput(this, 'RoleArn', {
      value: this.role.roleArn,
      description: `AutomationAssumeRole of the ${props.service} drill automation documents (${props.regionRole} region)`,
    });
    this.roleArnOutput.overrideLogicalId('DrillAutomationRoleArn');
  }
}

function selectDrills(where: string, props: DrillAutomationProps): Drill[] {
  const catalog = props.catalog ?? DRILLS;
  if (props.drills === undefined) {
    return catalog.filter((d) => d.tiers.includes(props.tier) && d.region === props.regionRole);
  }
  const seen = new Set<string>();
  const selected: Drill[] = [];
  for (const id of props.drills) {
    const drill = catalog.find((d) => d.id === id);
    if (!drill) {
      throw new PlatformValidationError(where, 'drills', id, 'is not a drill id', `use one of ${catalog.map((d) => d.id).join(', ')}`);
    }
    if (seen.has(id)) {
      throw new PlatformValidationError(where, 'drills', id, 'is listed twice', 'list each drill once');
    }
    seen.add(id);
    if (!drill.tiers.includes(props.tier)) {
      throw new PlatformValidationError(where, 'drills', id, `does not apply to DR tier '${props.tier.id}' (it applies to ${drill.tiers.map((t) => t.id).join(', ')})`,
        `remove it, or run the platform at one of those tiers`);
    }
    if (drill.region === props.regionRole) selected.push(drill);
  }
  return DRILLS.filter((d) => selected.includes(d));
}
