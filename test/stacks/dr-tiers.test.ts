/**
 * The four DR tiers as reference stacks: which stacks exist, in which order they deploy, and what the
 * secondary region runs at each tier.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DrTier } from '../../constructs/core/dr-tier';
import { sharedReferenceApp } from '../helpers/reference-app';

/** The app of `drTier`'s stacks, built in this file (for what only the constructs tell). */
function tier(drTier: string) {
  const { ref } = sharedReferenceApp({ drTier });
  const { secondaryBase, primary, secondary } = ref.platform;
  return { ref, platform: ref.platform, secondaryBase, primary, secondary };
}

/** The synthesized template of stack `stackName` of the app for `context` (synthesized once per jest run). */
function template(context: Record<string, string>, stackName: string): Template {
  const found = sharedReferenceApp(context).templates[stackName];
  if (!found) throw new Error(`the app for ${JSON.stringify(context)} has no stack ${stackName}`);
  return Template.fromJSON(found);
}

describe('DR tiers', () => {
  test.each([
    ['backup-restore', ['checkout-primary-base', 'checkout-secondary-base', 'checkout-primary', 'checkout-global']],
    ['pilot-light', ['checkout-primary-base', 'checkout-secondary-base', 'checkout-primary', 'checkout-secondary', 'checkout-global']],
    ['warm-standby', ['checkout-primary-base', 'checkout-secondary-base', 'checkout-primary', 'checkout-secondary', 'checkout-global']],
    ['active-active', ['checkout-primary-base', 'checkout-secondary-base', 'checkout-primary', 'checkout-secondary', 'checkout-global']],
  ])('%s synthesizes stacks %j', (drTier, stacks) => {
    const { assembly } = sharedReferenceApp({ drTier });
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(expect.arrayContaining(stacks));
    expect(assembly.stacks.filter((s) => stacks.includes(s.stackName))).toHaveLength(stacks.length);
  });

  test('deployment order: secondary base (copy vault) -> primary (global database) -> secondary (joins it) -> global', () => {
    const { ref, secondaryBase, primary, secondary } = tier('pilot-light');
    expect(primary.dependencies).toContain(secondaryBase);
    expect(secondary!.dependencies).toEqual(expect.arrayContaining([primary, secondaryBase]));
    expect(ref.platform.global.dependencies).toEqual(expect.arrayContaining([primary, secondary]));
    expect(ref.platform.global.region).toBe('us-east-1');
    expect(secondaryBase.region).toBe('eu-central-1');
    expect(secondary!.region).toBe('eu-central-1');
  });

  test('deployment order: the primary base (copy vault of the other regions) deploys before the secondary and global stacks', () => {
    const { ref, secondary } = tier('pilot-light');
    const primaryBase = ref.platform.primaryBase;
    expect(secondary!.dependencies).toContain(primaryBase);
    expect(ref.platform.global.dependencies).toContain(primaryBase);
    expect(primaryBase.dependencies).toEqual([]);
  });

  test.each(DrTier.ALL.filter((t) => t.replicatesContinuously).map((t) => [t.id, t.envelope.rpoSeconds] as const))(
    '%s: the global secondary\'s replication lag alarms at the tier\'s RPO (%i s)', (drTier, rpoSeconds) => {
      template({ drTier }, 'checkout-secondary').hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/RDS',
        MetricName: 'AuroraGlobalDBRPOLag',
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: { Ref: Match.stringLikeRegexp('^DatabaseCluster') } }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: rpoSeconds * 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        AlarmDescription: Match.stringLikeRegexp('Runbook: \\S+/runbooks/alerts/dr/AuroraGlobalReplicationLagHigh\\.md$'),
        // Routed to the secondary region's ticket topic.
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertingWarning') }],
      });
    });

  test('backup & restore: the database is regional and every recovery point is copied to the secondary vault', () => {
    const primary = template({ drTier: 'backup-restore' }, 'checkout-primary');
    primary.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    primary.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: Match.arrayWith([Match.objectLike({
          CopyActions: [Match.objectLike({
            DestinationBackupVaultArn: Match.stringLikeRegexp('^arn:aws:backup:eu-central-1:111111111111:backup-vault:'),
          })],
        })]),
      },
    });
  });

  test('pilot light and up: the primary creates the Aurora Global Database', () => {
    for (const drTier of ['pilot-light', 'warm-standby', 'active-active']) {
      template({ drTier }, 'checkout-primary').hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'checkout-global' });
    }
  });

  test('the edge fails over to the secondary origin only where the secondary serves', () => {
    const origins = (drTier: string) => template({ drTier }, 'checkout-global')
      .findResources('AWS::CloudFront::VpcOrigin');
    expect(Object.keys(origins('pilot-light'))).toHaveLength(1);
    expect(Object.keys(origins('warm-standby'))).toHaveLength(2);
    expect(Object.keys(origins('active-active'))).toHaveLength(2);
  });

  test.each([
    ['backup-restore', 0, undefined],
    ['pilot-light', 1, 'activePassive'],
    ['warm-standby', 1, 'activePassive'],
    ['active-active', 1, 'activeActive'],
  ])('%s: Region switch plans %i (%s)', (drTier, count, approach) => {
    const global = template({ drTier }, 'checkout-global');
    global.resourceCountIs('AWS::ARCRegionSwitch::Plan', count);
    if (approach) {
      global.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
        RecoveryApproach: approach,
        Regions: ['eu-west-1', 'eu-central-1'],
        Workflows: Match.arrayWith([Match.objectLike({
          WorkflowTargetAction: 'activate',
          WorkflowTargetRegion: 'eu-central-1',
          Steps: [
            Match.objectLike({ ExecutionBlockType: 'ManualApproval' }),
            Match.objectLike({ ExecutionBlockType: 'ECSServiceScaling' }),
            Match.objectLike({ ExecutionBlockType: 'AuroraGlobalDatabase', ExecutionBlockConfiguration: Match.objectLike({
              GlobalAuroraConfig: Match.objectLike({ GlobalClusterIdentifier: 'checkout-global', Behavior: 'switchoverOnly' }),
            }) }),
          ],
        })]),
      });
    }
  });

  test.each([
    ['pilot-light', { instances: 1, desired: 0, cache: 0, writeForwarding: Match.absent() }],
    ['warm-standby', { instances: 2, desired: 2, cache: 1, writeForwarding: Match.absent() }],
    ['active-active', { instances: 3, desired: 3, cache: 1, writeForwarding: true }],
  ])('%s: the secondary region runs its share', (drTier, expected) => {
    const secondary = template({ drTier }, 'checkout-secondary');
    secondary.hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: 'checkout-global',
      EnableGlobalWriteForwarding: expected.writeForwarding,
    });
    secondary.resourceCountIs('AWS::RDS::DBInstance', expected.instances);
    secondary.hasResourceProperties('AWS::ECS::Service', { DesiredCount: expected.desired });
    secondary.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: expected.desired, MaxCapacity: 20 });
    secondary.resourceCountIs('AWS::ElastiCache::ReplicationGroup', expected.cache);
  });

  test.each([
    ['pilot-light', 0],
    ['warm-standby', 2],
  ])('%s: the standby (%i tasks in 3 AZs by design) is built as one and raises no capacity warning', (drTier, desired) => {
    const { primary, secondary } = tier(drTier);
    expect(secondary!.service.standby).toBe(true);
    expect(primary.service.standby).toBe(false);
    template({ drTier }, 'checkout-secondary').hasResourceProperties('AWS::ECS::Service', { DesiredCount: desired });
    // What Annotations.fromStack(stack).findWarning('*', Match.anyValue()) reads: each stack's warnings in the assembly.
    const warnings = sharedReferenceApp({ drTier }).assembly.stacks
      .flatMap((stack) => stack.messages.filter((m) => m.level === 'warning')).map((w) => String(w.entry.data));
    expect(warnings.filter((w) => w.includes('platform:service:min-'))).toEqual([]);
  });
});

describe('the reference service', () => {
  test('without -c image the stacks deploy the reference service, built from its Dockerfile, checked with node', () => {
    template({ drTier: 'pilot-light' }, 'checkout-primary').hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({
        Image: { 'Fn::Sub': Match.stringLikeRegexp('cdk-hnb659fds-container-assets') },
        HealthCheck: Match.objectLike({ Command: ['CMD', 'node', '-e', Match.stringLikeRegexp("fetch\\('http://127.0.0.1:8080/health'\\)")] }),
      })]),
    });
  });

  test('with -c image the stacks run that image, checked with curl', () => {
    template({ image: 'public.ecr.aws/acme/checkout:1.0.0' }, 'checkout-primary').hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({
        Image: 'public.ecr.aws/acme/checkout:1.0.0',
        HealthCheck: Match.objectLike({ Command: ['CMD-SHELL', 'curl -fsS http://localhost:8080/health || exit 1'] }),
      })]),
    });
  });
});

describe('moving traffic with activeRegion', () => {
  const originArns = (context: Record<string, string>) => {
    return Object.values(template(context, 'checkout-global').findResources('AWS::CloudFront::VpcOrigin'))
      .map((r) => JSON.stringify((r as { Properties: unknown }).Properties));
  };

  test('activeRegion=secondary makes the secondary origin the primary one (the failover drill deploys this)', () => {
    const normal = originArns({ drTier: 'warm-standby' });
    const failedOver = originArns({ drTier: 'warm-standby', activeRegion: 'secondary' });
    expect(normal[0]).toContain('checkout-primary');
    expect(failedOver[0]).toContain('checkout-secondary');
    expect(failedOver[1]).toContain('checkout-primary');
  });

  test('pilot light after failover: the secondary serves alone', () => {
    const failedOver = originArns({ drTier: 'pilot-light', activeRegion: 'secondary' });
    expect(failedOver).toHaveLength(1);
    expect(failedOver[0]).toContain('checkout-secondary');
  });
});

describe('a custom domain', () => {
  test('the distribution answers on the domain with the us-east-1 certificate; A and AAAA alias it', () => {
    const global = template({
      domainName: 'shop.example.com', hostedZoneId: 'Z0123456789ABC',
      certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc-123',
    }, 'checkout-global');
    global.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['shop.example.com'],
        ViewerCertificate: Match.objectLike({ AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc-123', MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
    for (const type of ['A', 'AAAA']) {
      global.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: 'Z0123456789ABC', Name: 'shop.example.com.', Type: type,
        AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }, HostedZoneId: 'Z2FDTNDATAQYW2' },
      });
    }
  });
});
