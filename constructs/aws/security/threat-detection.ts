import { Stack, Token } from 'aws-cdk-lib';
import type * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import type * as config from 'aws-cdk-lib/aws-config';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as guardduty from 'aws-cdk-lib/aws-guardduty';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import { acknowledgeThreatDetectionFindings } from './private/acknowledge-threat-detection-findings';
import { buildConfigRecording } from './private/config-recording';
import { buildDetectors } from './private/detectors';
import { routeFindings } from './private/findings-routing';
import { validateThreatDetectionProps } from './private/validate-threat-detection-props';
import type { ThreatDetectionProps } from './threat-detection-props';

export type { ConfigDelivery, ThreatDetectionProps } from './threat-detection-props';
export { CONFORMANCE_RULES } from './private/config-recording';
export { DEFAULT_GUARDDUTY_FEATURES, SECURITY_HUB_STANDARDS } from './private/detectors';
export { PAGED_SEVERITIES, SECURITY_FINDING_RUNBOOK } from './private/findings-routing';

/**
 * Detection and posture of one region of an account: GuardDuty (ECS/EKS/EC2 runtime monitoring, RDS login, S3, EBS
 * malware and Lambda network protection), Security Hub with the AWS Foundational Security Best Practices and NIST
 * SP 800-53 rev 5 standards (consolidated control findings), AWS Config recording every resource type with a
 * conformance pack of the rules the library's constructs satisfy, and an IAM Access Analyzer of the account. With a
 * `findingsTopic`, new HIGH and CRITICAL findings page through it with the runbook link (`SecurityFindingHigh`).
 *
 * Each of these exists once per region and account: deploy one `ThreatDetection` per region the account uses, where
 * no organization-wide setup (Control Tower, delegated administrators) already enables them.
 */
export class ThreatDetection extends Construct {
  public readonly detector: guardduty.CfnDetector;
  public readonly hub: securityhub.CfnHub;
  /** The enabled Security Hub standards. */
  public readonly standards: readonly securityhub.CfnStandard[];
  /** Security Hub cross-region aggregation (with `aggregateRegions`). */
  public readonly findingAggregator?: securityhub.CfnFindingAggregator;
  public readonly accessAnalyzer: accessanalyzer.CfnAnalyzer;
  /** The role the AWS Config recorder runs as. */
  public readonly configRole: iam.Role;
  public readonly configRecorder: config.CfnConfigurationRecorder;
  public readonly configDeliveryChannel: config.CfnDeliveryChannel;
  public readonly conformancePack: config.CfnConformancePack;
  /** The rule paging high and critical findings (with `findingsTopic`). */
  public readonly findingsRule?: events.Rule;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const resolved = validateThreatDetectionProps(this.node.path, props, Token.isUnresolved(region) ? '<unresolved>' : region);
    const detectors = buildDetectors(this, resolved.features, resolved.aggregateRegions);
    this.detector = detectors.detector;
    this.hub = detectors.hub;
    this.standards = detectors.standards;
    this.findingAggregator = detectors.aggregator;
    this.accessAnalyzer = detectors.analyzer;
    const recording = buildConfigRecording(this, props.configDelivery, props.recordGlobalResources ?? true, resolved.packName);
    this.configRole = recording.role;
    this.configRecorder = recording.recorder;
    this.configDeliveryChannel = recording.deliveryChannel;
    this.conformancePack = recording.conformancePack;
    if (props.findingsTopic) this.findingsRule = routeFindings(this, props.findingsTopic, props.findingsTopicKey);
    acknowledgeThreatDetectionFindings(this);
  }
}
