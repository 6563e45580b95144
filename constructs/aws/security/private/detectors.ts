import { Stack } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import type { Construct } from 'constructs';

/**
 * GuardDuty protection plans turned on by default (detector feature names), besides S3 protection, which is always on
 * and set as the detector's `DataSources.S3Logs` (what the Control Tower control CT.GUARDDUTY.PR.1 checks).
 */
export const DEFAULT_GUARDDUTY_FEATURES: readonly string[] = [
  'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING',
];

/** The agents GuardDuty Runtime Monitoring manages by itself (ECS on Fargate, EKS add-on, EC2 through SSM). */
const RUNTIME_AGENTS = ['ECS_FARGATE_AGENT_MANAGEMENT', 'EKS_ADDON_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'];

/** The Security Hub standards enabled: AWS Foundational Security Best Practices and NIST SP 800-53 rev 5. */
export const SECURITY_HUB_STANDARDS: Readonly<Record<string, string>> = {
  FoundationalBestPractices: 'aws-foundational-security-best-practices/v/1.0.0',
  Nist80053: 'nist-800-53/v/5.0.0',
};

/** What {@link buildDetectors} built. */
export interface Detectors {
  readonly detector: guardduty.CfnDetector;
  readonly hub: securityhub.CfnHub;
  readonly standards: securityhub.CfnStandard[];
  readonly aggregator?: securityhub.CfnFindingAggregator;
  readonly analyzer: accessanalyzer.CfnAnalyzer;
}

/**
 * GuardDuty (findings every 15 minutes, S3 protection and `features` on), Security Hub with consolidated control findings and the two
 * standards (no default standards), cross-region aggregation of `aggregateRegions`, and an IAM Access Analyzer of the
 * account, in `scope`'s region.
 */
export function buildDetectors(scope: Construct, features: readonly string[], aggregateRegions: readonly string[]): Detectors {
  const stack = Stack.of(scope);
  const detector = new guardduty.CfnDetector(scope, 'GuardDuty', {
    enable: true,
    findingPublishingFrequency: 'FIFTEEN_MINUTES',
    dataSources: { s3Logs: { enable: true } },
    features: features.map((name) => ({
      name,
      status: 'ENABLED',
      ...(name === 'RUNTIME_MONITORING' ? { additionalConfiguration: RUNTIME_AGENTS.map((agent) => ({ name: agent, status: 'ENABLED' })) } : {}),
    })),
  });
  const hub = new securityhub.CfnHub(scope, 'SecurityHub', {
    enableDefaultStandards: false,
    controlFindingGenerator: 'SECURITY_CONTROL',
    autoEnableControls: true,
  });
  const standards = Object.entries(SECURITY_HUB_STANDARDS).map(([id, standard]) => {
    const cfn = new securityhub.CfnStandard(scope, `Standard${id}`, {
      standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::standards/${standard}`,
    });
    cfn.addDependency(hub);
    return cfn;
  });
  let aggregator: securityhub.CfnFindingAggregator | undefined;
  if (aggregateRegions.length > 0) {
    aggregator = new securityhub.CfnFindingAggregator(scope, 'FindingAggregator', {
      regionLinkingMode: 'SPECIFIED_REGIONS',
      regions: [...aggregateRegions],
    });
    aggregator.addDependency(hub);
  }
  const analyzer = new accessanalyzer.CfnAnalyzer(scope, 'AccessAnalyzer', { type: 'ACCOUNT' });
  return { detector, hub, standards, aggregator, analyzer };
}
