import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** A service's monthly cost budget. */
export interface ServiceBudget {
  /** The service: the value of the cost allocation tag (`platform:service`) its resources carry. */
  readonly service: string;
  /** Monthly budget in USD. */
  readonly monthlyLimit: number;
}

/** Props of {@link CostMonitoring}. */
export interface CostMonitoringProps {
  /** One budget and one anomaly monitor per service. */
  readonly budgets: readonly ServiceBudget[];
  /** Topic of `critical` notifications (`AlertingTopics.critical`): actual cost above 100% of a budget. */
  readonly criticalTopic: sns.ITopic;
  /** Topic of `warning` notifications (`AlertingTopics.warning`): forecast above 80%, cost anomalies. */
  readonly warningTopic: sns.ITopic;
  /**
   * The customer key both topics are encrypted with: AWS Budgets and Cost Anomaly Detection get the use of it.
   * @default - the topics have no customer key
   */
  readonly topicKey?: kms.IKey;
  /**
   * The tag cost is allocated on (activate it as a cost allocation tag in the Billing console once per account).
   * @default 'platform:service'
   */
  readonly costAllocationTag?: string;
  /**
   * Smallest total impact in USD of a cost anomaly that notifies.
   * @default 100
   */
  readonly anomalyThreshold?: number;
}
