import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CostMonitoring } from '../cost/cost-monitoring';
import { crossStackValue } from '../cross-region';
import { PlatformStack } from '../platform-stack';
import { AuditTrail } from '../security/audit-trail';
import { ThreatDetection } from '../security/threat-detection';
import type { GlobalStack } from './global-stack';
import type { PlatformSpec } from './multi-region-platform-props';
import { platformStackProps, useRunbookBase } from './private/platform-stack-props';

/** Props of {@link AccountBaselineStack}. */
export interface AccountBaselineStackProps {
  /** The platform this stack belongs to. */
  readonly spec: PlatformSpec;
  /** The global stack: its alerting topics (us-east-1) take the findings and the cost notifications. */
  readonly global: GlobalStack;
}

/**
 * The account baseline (opt-in, once per account), in us-east-1 where Cost Explorer lives: the multi-region audit
 * trail and its bucket (which every region's AWS Config delivers to), threat detection of us-east-1 aggregating the
 * Security Hub findings of the platform's other regions and paging their HIGH and CRITICAL findings through the global
 * stack's critical topic, and the service's budget and cost anomaly monitor notifying its warning and critical topics.
 */
export class AccountBaselineStack extends PlatformStack {
  public readonly audit: AuditTrail;
  public readonly detection: ThreatDetection;
  public readonly cost: CostMonitoring;

  constructor(scope: Construct, id: string, props: AccountBaselineStackProps) {
    const { spec, global } = props;
    super(scope, id, platformStackProps(spec, 'global', 'account baseline: audit trail, threat detection, cost monitoring'));
    useRunbookBase(this, spec);
    this.audit = new AuditTrail(this, 'Audit');
    const topics = global.topics;
    this.detection = new ThreatDetection(this, 'Detection', {
      configDelivery: { bucket: this.audit.bucket, key: this.audit.key },
      findingsTopic: topics.critical,
      findingsTopicKey: topics.key,
      aggregateRegions: baselineRegions(spec).filter((r) => r !== this.region),
      recordGlobalResources: true,
    });
    this.cost = new CostMonitoring(this, 'Cost', {
      budgets: [{ service: spec.service, monthlyLimit: spec.monthlyBudget }],
      criticalTopic: topics.critical,
      warningTopic: topics.warning,
      topicKey: topics.key,
    });
  }
}

/** Props of {@link RegionalBaselineStack}. */
export interface RegionalBaselineStackProps {
  /** The platform this stack belongs to. */
  readonly spec: PlatformSpec;
  /** Which of the platform's regions. */
  readonly role: 'primary' | 'secondary';
  /** The account baseline: its audit bucket takes this region's AWS Config history. */
  readonly account: AccountBaselineStack;
}

/**
 * Threat detection of one of the platform's regions other than us-east-1 (GuardDuty, Security Hub and its standards,
 * AWS Config with the conformance pack, IAM Access Analyzer): its findings reach the account baseline's region through
 * Security Hub aggregation and page from there. Deployed after the account baseline (the audit bucket).
 */
export class RegionalBaselineStack extends PlatformStack {
  public readonly detection: ThreatDetection;

  constructor(scope: Construct, id: string, props: RegionalBaselineStackProps) {
    const { spec, account } = props;
    super(scope, id, platformStackProps(spec, props.role, `${props.role}-region threat detection of the account baseline`));
    useRunbookBase(this, spec);
    const bucketName = crossStackValue(account, this, 'AuditBucketName', account.audit.bucket.bucketName, 'Audit bucket (trail and AWS Config history of every region)');
    const keyArn = crossStackValue(account, this, 'AuditKeyArn', account.audit.key.keyArn, 'Key of the audit bucket');
    this.detection = new ThreatDetection(this, 'Detection', {
      configDelivery: { bucket: s3.Bucket.fromBucketName(this, 'AuditBucket', bucketName), key: kms.Key.fromKeyArn(this, 'AuditKey', keyArn) },
      recordGlobalResources: false,
    });
  }
}

/** The regions the account baseline watches: the platform's two regions and us-east-1 (the global stack's), once each. */
export function baselineRegions(spec: PlatformSpec): string[] {
  return [...new Set(['us-east-1', spec.primaryRegion, spec.secondaryRegion])];
}
