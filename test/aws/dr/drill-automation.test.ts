import { Template } from 'aws-cdk-lib/assertions';
import { DrillAutomation } from '../../../constructs/aws/dr/drill-automation';
import type { DrillAutomationProps } from '../../../constructs/aws/dr/drill-automation';
import { API_GRANTS } from '../../../constructs/aws/dr/private/drill-permissions';
import { DrTier } from '../../../constructs/core/dr-tier';
import { DRILLS, findDrill } from '../../../constructs/core/drills/catalog';
import type { DrillRegion } from '../../../constructs/core/drills/parameters';
import { automationDocumentName, renderAutomationDocument } from '../../../constructs/core/drills/render-ssm';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

function synth(props: Partial<DrillAutomationProps> = {},
  nag = false): { automation: DrillAutomation; template: Template; stack: ReturnType<typeof testStack> } {
  const stack = testStack({ nag });
  const automation = new DrillAutomation(stack, 'Drills', { service: 'checkout', tier: DrTier.PILOT_LIGHT, regionRole: 'primary', ...props });
  return { automation, stack, template: nag ? (undefined as unknown as Template) : Template.fromStack(stack) };
}

/** Every IAM action the role's policy allows. */
function allowedActions(template: Template): string[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return policies.flatMap((p) => (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) => [s.Action].flat()));
}

const CASES: Array<[string, DrillRegion]> = DrTier.ALL.flatMap((t) => (['primary', 'secondary'] as DrillRegion[]).map((r): [string, DrillRegion] => [t.id, r]));

describe('DrillAutomation', () => {
  describe('documents', () => {
    test.each(CASES)('tier %s, %s region: exactly the drills of the tier acting in the region, content from renderAutomationDocument', (tierId, region) => {
      const tier = DrTier.fromId(tierId);
      const { template } = synth({ tier, regionRole: region });
      const expected = DRILLS.filter((d) => d.tiers.includes(tier) && d.region === region);
      const docs = Object.values(template.findResources('AWS::SSM::Document'));
      expect(docs.map((d) => d.Properties.Name).sort()).toEqual(expected.map((d) => automationDocumentName('checkout', d)).sort());
      for (const drill of expected) {
        const doc = docs.find((d) => d.Properties.Name === automationDocumentName('checkout', drill));
        expect(doc?.Properties).toEqual({
          Name: `checkout-drill-${drill.id}`, DocumentType: 'Automation', DocumentFormat: 'JSON', UpdateMethod: 'NewVersion',
          Content: JSON.parse(JSON.stringify(renderAutomationDocument(drill))),
          Tags: expect.any(Array),
        });
      }
    });

    test('the pilot-light failover lands in the secondary region, the failback in the primary', () => {
      expect(synth({ regionRole: 'secondary' }).automation.drills.map((d) => d.id)).toEqual(['pilot-light-failover', 'restore-from-backup']);
      expect(synth({ regionRole: 'primary' }).automation.drills.map((d) => d.id)).toEqual(
        ['regional-failback', 'az-evacuation', 'cache-primary-failover', 'restore-point-in-time']);
    });

    test('an explicit list keeps the drills of this region, in catalog order', () => {
      const { automation, template } = synth({ drills: ['restore-point-in-time', 'pilot-light-failover', 'az-evacuation'] });
      expect(automation.drills.map((d) => d.id)).toEqual(['az-evacuation', 'restore-point-in-time']);
      template.resourceCountIs('AWS::SSM::Document', 2);
    });
  });

  describe('automation role', () => {
    test('is assumed by SSM Automation of this account only, its ARN is the stack output DrillAutomationRoleArn', () => {
      const { template, stack, automation } = synth();
      const roleId = stack.getLogicalId(automation.role.node.defaultChild as never);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': 'arn:aws:ssm:eu-west-1:111111111111:automation-execution/*' },
            },
          }],
        },
      });
      expect(template.findOutputs('DrillAutomationRoleArn').DrillAutomationRoleArn.Value).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    });

    test.each(CASES)('tier %s, %s region: the policy covers every API step of the deployed drills, and nothing else', (tierId, region) => {
      const tier = DrTier.fromId(tierId);
      const { automation, template } = synth({ tier, regionRole: region });
      const calls = automation.drills.flatMap((d) => d.steps.flatMap((s) => (s.kind === 'aws-api' || s.kind === 'wait-for' ? [`${s.call.service}:${s.call.api}`] : [])));
      const needed = new Set(calls.flatMap((c) => API_GRANTS[c].flatMap((g) => g.actions)));
      const allowed = allowedActions(template);
      for (const call of calls) {
        const [service, api] = call.split(':');
        const prefix = ({ elbv2: 'elasticloadbalancing' } as Record<string, string>)[service] ?? service;
        expect(allowed).toContain(`${prefix}:${api}`);
      }
      expect([...new Set(allowed)].sort()).toEqual([...needed].sort());
    });

    test('every API call of every drill has permissions', () => {
      const missing = DRILLS.flatMap((d) => d.steps.flatMap((s) => (s.kind === 'aws-api' || s.kind === 'wait-for' ? [`${s.call.service}:${s.call.api}`] : [])))
        .filter((c) => API_GRANTS[c] === undefined);
      expect(missing).toEqual([]);
    });

    test('restore jobs may pass a role to AWS Backup only', () => {
      const { template } = synth({ regionRole: 'secondary' });
      const statement = Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement
        .find((s: { Action: string }) => s.Action === 'iam:PassRole');
      expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } });
    });

    test('global cluster failover is allowed on global clusters and clusters of this account', () => {
      const { template } = synth({ regionRole: 'secondary' });
      const statement = Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement
        .find((s: { Action: string }) => s.Action === 'rds:FailoverGlobalCluster');
      // Literal partitions and sorted resources under the recommended flags (enablePartitionLiterals, minimizePolicies).
      expect(statement.Resource).toEqual([
        'arn:aws:rds:*:111111111111:cluster:*',
        'arn:aws:rds::111111111111:global-cluster:*',
      ]);
    });
  });

  describe('bad input', () => {
    test.each<[string, Partial<DrillAutomationProps>, string]>([
      ['an unknown drill id', { drills: ['region-failover'] },
        `Test/Drills: drills ('region-failover') is not a drill id: use one of ${DRILLS.map((d) => d.id).join(', ')}`],
      ['a drill of another tier', { tier: DrTier.BACKUP_RESTORE, drills: ['pilot-light-failover'] },
        "Test/Drills: drills ('pilot-light-failover') does not apply to DR tier 'backup-restore' (it applies to pilot-light): remove it, or run the platform at one of those tiers"],
      ['a drill listed twice', { drills: ['az-evacuation', 'az-evacuation'] },
        "Test/Drills: drills ('az-evacuation') is listed twice: list each drill once"],
      ['a bad service name', { service: 'Checkout' },
        "Test/Drills: service ('Checkout') is not a valid service name: use 1-40 lowercase letters, digits and dashes, starting with a letter (the platform:service tag)"],
    ])('%s', (_name, props, message) => {
      expect(() => synth(props)).toThrow(message);
    });

    test('the catalog has the drills the error lists', () => {
      expect(findDrill('pilot-light-failover')?.tiers).toEqual([DrTier.PILOT_LIGHT]);
    });
  });

  describe('compliance', () => {
    test.each(CASES)('AwsSolutions and NIST 800-53 rev 5 report nothing (tier %s, %s region)', (tierId, region) => {
      const { stack } = synth({ tier: DrTier.fromId(tierId), regionRole: region }, true);
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });
});
