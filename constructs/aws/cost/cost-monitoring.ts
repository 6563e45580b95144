import { Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import { Construct } from 'constructs';
import { runbookUrl } from '../../core/runbooks';
import { runbookBaseUrlOf, requireStackRegion } from '../private/context';
import { allowServiceToPublish } from '../private/topic-access';
import type { CostMonitoringProps } from './cost-monitoring-props';
import { validateCostMonitoringProps } from './private/validate-cost-monitoring-props';

export type { CostMonitoringProps, ServiceBudget } from './cost-monitoring-props';

/** Runbooks of the cost notifications, by what notifies. */
export const COST_RUNBOOKS = {
  forecasted: 'alerts/cost/CostBudgetForecastExceeded',
  actual: 'alerts/cost/CostBudgetExceeded',
  anomaly: 'alerts/cost/CostAnomalyDetected',
} as const;

/** Tag key whose value is the runbook of a budget's or monitor's notifications (AWS writes their text: no room for a link). */
export const RUNBOOK_TAG_KEY = 'platform:runbook';

/**
 * Cost monitoring of an account's services: per service a monthly AWS Budgets cost budget allocated on the
 * `platform:service` tag, notifying the warning topic when the month's forecast passes 80% and the critical topic when
 * actual cost passes 100%, and a Cost Anomaly Detection monitor of the same tag; one anomaly subscription sends every
 * monitor's anomalies above `anomalyThreshold` USD to the warning topic at once. Each budget and monitor carries its
 * runbook links as tags (`platform:runbook...`): AWS writes the notifications' text.
 *
 * Cost Explorer's resources exist only in us-east-1: the construct refuses another region.
 */
export class CostMonitoring extends Construct {
  /** The budgets, by service. */
  public readonly budgets = new Map<string, budgets.CfnBudget>();
  /** The anomaly monitors, by service. */
  public readonly monitors = new Map<string, ce.CfnAnomalyMonitor>();
  public readonly anomalySubscription: ce.CfnAnomalySubscription;

  constructor(scope: Construct, id: string, props: CostMonitoringProps) {
    super(scope, id);
    requireStackRegion(this, 'us-east-1', 'AWS Cost Explorer (anomaly monitors and subscriptions) exists only in us-east-1',
      'build CostMonitoring in a stack in us-east-1 (the platform\'s <service>-baseline stack is)');
    validateCostMonitoringProps(this.node.path, props);
    const stack = Stack.of(this);
    const tag = props.costAllocationTag ?? 'platform:service';
    const base = runbookBaseUrlOf(this);
    allowServiceToPublish(props.criticalTopic, props.topicKey, { service: 'budgets.amazonaws.com', sid: 'Budgets', sourceArn: `arn:${stack.partition}:budgets::${stack.account}:*` });
    allowServiceToPublish(props.warningTopic, props.topicKey, { service: 'budgets.amazonaws.com', sid: 'Budgets', sourceArn: `arn:${stack.partition}:budgets::${stack.account}:*` });
    allowServiceToPublish(props.warningTopic, props.topicKey, { service: 'costalerts.amazonaws.com', sid: 'CostAnomalyDetection' });
    for (const { service, monthlyLimit } of props.budgets) {
      const notify = (type: 'FORECASTED' | 'ACTUAL', threshold: number, topicArn: string): budgets.CfnBudget.NotificationWithSubscribersProperty => ({
        notification: { notificationType: type, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
        subscribers: [{ subscriptionType: 'SNS', address: topicArn }],
      });
      this.budgets.set(service, new budgets.CfnBudget(this, `Budget-${service}`, {
        budget: {
          budgetName: `${service}-monthly-cost`,
          budgetType: 'COST',
          timeUnit: 'MONTHLY',
          budgetLimit: { amount: monthlyLimit, unit: 'USD' },
          filterExpression: { tags: { key: tag, values: [service], matchOptions: ['EQUALS'] } },
        },
        notificationsWithSubscribers: [notify('FORECASTED', 80, props.warningTopic.topicArn), notify('ACTUAL', 100, props.criticalTopic.topicArn)],
        resourceTags: [
          { key: `${RUNBOOK_TAG_KEY}:forecasted`, value: runbookUrl(base, COST_RUNBOOKS.forecasted) },
          { key: `${RUNBOOK_TAG_KEY}:actual`, value: runbookUrl(base, COST_RUNBOOKS.actual) },
        ],
      }));
      this.monitors.set(service, new ce.CfnAnomalyMonitor(this, `Monitor-${service}`, {
        monitorName: `${service}-cost`,
        monitorType: 'CUSTOM',
        monitorSpecification: JSON.stringify({ Tags: { Key: tag, Values: [service], MatchOptions: ['EQUALS'] } }),
        resourceTags: [{ key: RUNBOOK_TAG_KEY, value: runbookUrl(base, COST_RUNBOOKS.anomaly) }],
      }));
    }
    this.anomalySubscription = new ce.CfnAnomalySubscription(this, 'AnomalySubscription', {
      subscriptionName: `${[...this.monitors.keys()].join('-').slice(0, 80)}-cost-anomalies`,
      frequency: 'IMMEDIATE',
      monitorArnList: [...this.monitors.values()].map((m) => m.attrMonitorArn),
      subscribers: [{ type: 'SNS', address: props.warningTopic.topicArn }],
      thresholdExpression: JSON.stringify({
        Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(props.anomalyThreshold ?? 100)] },
      }),
      resourceTags: [{ key: RUNBOOK_TAG_KEY, value: runbookUrl(base, COST_RUNBOOKS.anomaly) }],
    });
  }
}
