import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DrTier } from '../../constructs/core/dr-tier';
import { referenceApp, sharedReferenceApp, synthesizedReferenceApp, synthFindings } from '../helpers/reference-app';
import type { CfnResource } from '../helpers/reference-app';
import { CDK_JSON_CONTEXT, formatFindings } from '../helpers/test-stack';

const TIERS = DrTier.ALL.map((t) => t.id);

describe('reference app', () => {
  describe('stack tags (DESIGN.md contract)', () => {
    test.each(TIERS)('every stack carries platform:service, platform:region-role and platform:dr-tier (%s)', (tier) => {
      const { assembly } = sharedReferenceApp({ drTier: tier });
      expect(assembly.stacks.length).toBeGreaterThan(0);
      for (const stack of assembly.stacks) {
        expect(stack.tags).toEqual({
          'platform:service': 'checkout',
          'platform:region-role': expect.stringMatching(/^(primary|secondary|global)$/),
          'platform:dr-tier': tier,
        });
      }
    });
  });

  describe('environment', () => {
    test('pinned placeholder account and configured regions; zones from config, no lookups', () => {
      const { ref, assembly } = sharedReferenceApp();
      for (const stack of assembly.stacks) {
        expect(stack.environment.account).toBe('111111111111');
        expect(stack.manifest.metadata ?? {}).not.toHaveProperty('missing');
      }
      expect(assembly.manifest.missing ?? []).toEqual([]);
      expect(ref.platform.primary.region).toBe('eu-west-1');
    });

    test('context overrides account, regions and tier', () => {
      const { ref, assembly } = sharedReferenceApp({ account: '123456789012', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2', drTier: 'warm-standby' });
      expect(ref.platform.primary.account).toBe('123456789012');
      expect(ref.platform.primary.region).toBe('us-east-1');
      expect(ref.platform.primary.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
      expect(assembly.getStackArtifact('checkout-primary').tags['platform:dr-tier']).toBe('warm-standby');
    });

    test('bad context fails before any construct with the exact fix', () => {
      expect(() => referenceApp({ primaryRegion: 'eu-central-1', secondaryRegion: 'eu-central-1' })).toThrow(
        "config: secondaryRegion ('eu-central-1') equals primaryRegion; a regional failure would take out both: pick a secondary region other than eu-central-1 (e.g. -c secondaryRegion=eu-west-1)");
    });
  });

  describe('feature flags (what `cdk init` writes for a new project)', () => {
    test('cdk.json holds exactly the recommended flags of the installed aws-cdk-lib, and tests run under them', () => {
      const root = join(__dirname, '..', '..');
      const recommended = JSON.parse(readFileSync(join(root, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
      expect(CDK_JSON_CONTEXT).toEqual(recommended);
      const app = sharedReferenceApp().ref.app;
      for (const [flag, value] of Object.entries(recommended)) {
        expect({ flag, value: app.node.tryGetContext(flag) as unknown }).toEqual({ flag, value });
      }
    });
  });

  describe('compliance', () => {
    test.each(['pilot-light', 'active-active'])('cdk-nag AwsSolutions and NIST 800-53 rev 5 under the recommended flags: no unacknowledged finding in any stack (%s)', (drTier) => {
      expect(formatFindings(synthFindings(synthesizedReferenceApp({ drTier }, 'nag')))).toEqual([]);
    });

    test('every acknowledgement carries a written reason', () => {
      const { ref } = sharedReferenceApp();
      const acks = ref.app.node.findAll().flatMap((c) => c.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .map((m) => ({ path: c.node.path, data: m.data as unknown })));
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        for (const [id, reason] of Object.entries(ack.data as Record<string, unknown>)) {
          const written = typeof reason === 'string' && reason.length >= 40;
          expect({ path: ack.path, id, written }).toEqual({ path: ack.path, id, written: true });
        }
      }
    });
  });

  describe('size', () => {
    test.each(TIERS)('every stack stays under 250 resources (%s)', (tier) => {
      for (const [name, template] of Object.entries(sharedReferenceApp({ drTier: tier }).templates)) {
        expect({ name, under250: Object.keys(template.Resources).length < 250 }).toEqual({ name, under250: true });
      }
    });
  });

  describe('incident response', () => {
    /** A config that names receivers for every severity and an on-call rotation (`-c` values). */
    const PAGED = {
      pageEmails: 'oncall@example.com', ticketEmails: 'tickets@example.com', pageWebhookUrls: 'https://events.pagerduty.com/integration/abc/enqueue',
      slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD', onCallContacts: 'alice:alice@example.com,bob:bob@example.com', production: 'true',
    };
    const resources = (template: { Resources: Record<string, CfnResource> }, type: string): CfnResource[] =>
      Object.values(template.Resources).filter((r) => r.Type === type);

    test('every region has the dead man\'s switch and the automatic remediations by default (pilot light)', () => {
      const { templates } = sharedReferenceApp({ drTier: 'pilot-light' });
      for (const stack of ['checkout-primary', 'checkout-secondary']) {
        const alarms = resources(templates[stack], 'AWS::CloudWatch::Alarm');
        expect(alarms.filter((a) => a.Properties?.MetricName === 'AlertingHeartbeat' && a.Properties.TreatMissingData === 'breaching')).toHaveLength(1);
        expect(resources(templates[stack], 'AWS::SSM::Document').map((d) => d.Properties?.Name).filter((n) => String(n).includes('-remediate-')).sort())
          .toEqual(['checkout-remediate-cache-bypass', 'checkout-remediate-kill-switch', 'checkout-remediate-replace-unhealthy-tasks', 'checkout-remediate-scale-out']);
      }
      expect(resources(templates['checkout-global'], 'AWS::SSM::Document').map((d) => d.Properties?.Name)).toEqual(['checkout-remediate-tighten-waf-rate-limit']);
      // One pause switch: the primary region's parameter.
      expect(Object.entries(templates).flatMap(([name, t]) => resources(t, 'AWS::SSM::Parameter')
        .filter((p) => p.Properties?.Name === '/checkout/remediation/paused').map(() => name))).toEqual(['checkout-primary']);
    });

    test('with receivers configured every severity reaches a subscriber, the page alarms open incidents, and the escalation plan exists', () => {
      const { templates } = sharedReferenceApp(PAGED);
      for (const stack of ['checkout-primary', 'checkout-secondary', 'checkout-global']) {
        const subs = resources(templates[stack], 'AWS::SNS::Subscription').map((r) => [r.Properties?.Protocol, r.Properties?.Endpoint,
          JSON.stringify(r.Properties?.TopicArn).replace(/.*Alerting(Critical|Warning).*/, '$1')]);
        expect(subs).toEqual(expect.arrayContaining([
          ['email', 'oncall@example.com', 'Critical'], ['https', 'https://events.pagerduty.com/integration/abc/enqueue', 'Critical'],
          ['email', 'tickets@example.com', 'Warning'],
        ]));
        const slack = resources(templates[stack], 'AWS::Chatbot::SlackChannelConfiguration');
        expect(slack).toHaveLength(1);
        expect(JSON.stringify(slack[0].Properties?.SnsTopicArns)).toMatch(/AlertingCritical.*AlertingWarning/);
      }
      for (const stack of ['checkout-primary', 'checkout-secondary']) {
        const page = resources(templates[stack], 'AWS::CloudWatch::CompositeAlarm').find((a) => String(a.Properties?.AlarmDescription).includes('ServiceCriticalSymptoms'));
        expect(page?.Properties?.AlarmActions).toContain('arn:aws:ssm-incidents::111111111111:response-plan/checkout-service-page');
      }
      const primary = templates['checkout-primary'];
      expect(resources(primary, 'AWS::SSMIncidents::ResponsePlan')).toHaveLength(1);
      expect(resources(primary, 'AWS::SSMContacts::Contact').map((c) => c.Properties?.Type).sort())
        .toEqual(['ESCALATION', 'ONCALL_SCHEDULE', 'ONCALL_SCHEDULE', 'PERSONAL', 'PERSONAL']);
      expect(resources(primary, 'AWS::SSMIncidents::ReplicationSet')).toHaveLength(0);
      for (const [name, template] of Object.entries(templates)) {
        expect({ name, under250: Object.keys(template.Resources).length < 250 }).toEqual({ name, under250: true });
      }
    });
  });

  describe('release safety', () => {
    const resources = (template: { Resources: Record<string, CfnResource> }, type: string): CfnResource[] =>
      Object.values(template.Resources).filter((r) => r.Type === type);
    /** The switch function (by name) and the release hooks (by description) of a base stack. */
    const releaseFunctions = (template: { Resources: Record<string, CfnResource> }): string[] => resources(template, 'AWS::Lambda::Function')
      .map((r) => String(r.Properties?.FunctionName ?? String(r.Properties?.Description).replace(/:.*/, '')))
      .filter((n) => n === 'checkout-feature-flags' || n.startsWith('release hooks')).sort();
    const deployment = (template: { Resources: Record<string, CfnResource> }) => resources(template, 'AWS::ECS::Service')[0].Properties?.DeploymentConfiguration as {
      Strategy: string;
      Alarms: { AlarmNames: Array<{ Ref: string }> };
      LifecycleHooks: Array<{ LifecycleStages: string[]; HookDetails: { check: string; paths?: Array<{ path: string }> } }>;
    };

    test.each([
      ['pilot-light', 'CANARY', 'BLUE_GREEN', ['PRE_SCALE_UP']],
      ['warm-standby', 'CANARY', 'BLUE_GREEN', ['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT+POST_PRODUCTION_TRAFFIC_SHIFT']],
      ['active-active', 'CANARY', 'CANARY', ['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT+POST_PRODUCTION_TRAFFIC_SHIFT']],
    ])('%s: serving regions deploy CANARY, standbys BLUE_GREEN; the gate everywhere, smoke tests where tasks run', (drTier, primary, secondary, secondaryHooks) => {
      const { templates } = sharedReferenceApp({ drTier });
      const p = deployment(templates['checkout-primary']);
      const s = deployment(templates['checkout-secondary']);
      expect([p.Strategy, s.Strategy]).toEqual([primary, secondary]);
      expect(p.LifecycleHooks.map((h) => h.LifecycleStages.join('+'))).toEqual(['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT+POST_PRODUCTION_TRAFFIC_SHIFT']);
      expect(s.LifecycleHooks.map((h) => h.LifecycleStages.join('+'))).toEqual(secondaryHooks);
      // The reference service's critical paths (the default image), not only its probes.
      expect(p.LifecycleHooks[1].HookDetails.paths?.map((x) => x.path)).toEqual(['/health', '/ready', '/items/1', '/items?popular', '/orders']);
      // Rollback alarms: 5xx, unhealthy targets, p99 latency, and the fast-burn (5-minute) half of each SLO's page row.
      expect(p.Alarms.AlarmNames.map((a) => a.Ref.replace(/[0-9A-F]{8}$/, ''))).toEqual([
        'ServiceHigh5xxRateAlarm', 'ServiceUnhealthyTargetsAlarm', 'ServiceHighLatencyAlarm', 'MonitoringSlocheckoutavailability1h5mShort', 'MonitoringSlocheckoutlatency1h5mShort',
      ]);
    });

    test('backup & restore: the primary alone gets flags, hooks and the canary; the secondary base none', () => {
      const { templates } = sharedReferenceApp({ drTier: 'backup-restore' });
      expect(deployment(templates['checkout-primary']).Strategy).toBe('CANARY');
      expect(resources(templates['checkout-primary-base'], 'AWS::Synthetics::Canary')).toHaveLength(1);
      for (const type of ['AWS::AppConfig::Application', 'AWS::Synthetics::Canary', 'AWS::ECS::Service']) {
        expect(resources(templates['checkout-secondary-base'], type)).toEqual([]);
      }
      expect(releaseFunctions(templates['checkout-secondary-base'])).toEqual([]);
    });

    test('flags, hooks and canaries live in the base stacks (under the budget of the application stacks); the edge URL in the global stack', () => {
      const { templates } = sharedReferenceApp({ drTier: 'active-active' });
      for (const base of ['checkout-primary-base', 'checkout-secondary-base']) {
        expect(resources(templates[base], 'AWS::AppConfig::Application').map((r) => r.Properties?.Name)).toEqual(['checkout']);
        expect(releaseFunctions(templates[base])).toEqual(['checkout-feature-flags', 'release hooks of checkout']);
        expect(resources(templates[base], 'AWS::Synthetics::Canary').map((r) => r.Properties?.Name)).toEqual(['checkout-edge']);
      }
      for (const app of ['checkout-primary', 'checkout-secondary']) {
        expect(resources(templates[app], 'AWS::AppConfig::Environment')).toHaveLength(1);
        expect(resources(templates[app], 'AWS::CloudWatch::Alarm').filter((a) => String(a.Properties?.AlarmDescription).includes('EdgeCanaryFailing'))).toHaveLength(1);
      }
      // A pilot-light standby runs nothing to call before a failover: no canary there (a warm standby serves CloudFront's fallback).
      expect(resources(sharedReferenceApp({ drTier: 'pilot-light' }).templates['checkout-secondary-base'], 'AWS::Synthetics::Canary')).toEqual([]);
      expect(resources(sharedReferenceApp({ drTier: 'warm-standby' }).templates['checkout-secondary-base'], 'AWS::Synthetics::Canary')).toHaveLength(1);
      const url = resources(templates['checkout-global'], 'AWS::SSM::Parameter').find((r) => r.Properties?.Name === '/checkout/edge/url');
      expect(url?.Properties?.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^EdgeDistribution/), 'DomainName'] }]] });
      expect((url as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    });

    test('the remediation flag actions switch the region\'s AppConfig flags (no Parameter Store flag is left)', () => {
      const { templates } = sharedReferenceApp({ drTier: 'pilot-light' });
      for (const [stack, region] of [['checkout-primary', 'eu-west-1'], ['checkout-secondary', 'eu-central-1']]) {
        const doc = resources(templates[stack], 'AWS::SSM::Document').find((d) => d.Properties?.Name === 'checkout-remediate-kill-switch');
        expect((doc?.Properties?.Content as { parameters: Record<string, { default: unknown }> }).parameters.Environment.default).toBe(region);
        expect(resources(templates[stack], 'AWS::SSM::Parameter').filter((r) => String(r.Properties?.Name).includes('/flags/'))).toEqual([]);
      }
    });
  });

  describe('runbook links', () => {
    test('every alarm description ends with a Runbook link to a committed runbook', () => {
      const alarms = Object.values(sharedReferenceApp().templates)
        .flatMap((t) => Object.values(t.Resources))
        .filter((r: CfnResource) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm');
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) {
        const description = String(alarm.Properties?.AlarmDescription ?? '');
        const m = /Runbook: https:\/\/github\.com\/platform-stacks\/platform-stacks\/blob\/main\/runbooks\/(\S+\.md)$/.exec(description);
        expect({ description, linked: m !== null }).toEqual({ description, linked: true });
        expect(() => readFileSync(join(__dirname, '..', '..', 'runbooks', m![1]))).not.toThrow();
      }
    });
  });
});
