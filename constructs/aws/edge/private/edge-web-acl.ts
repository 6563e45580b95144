import { ArnFormat, Names, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { EDGE_RATE_LIMIT_RULE } from '../../../core/incidents/remediations';
import { createEncryptedLogGroup } from '../../private/encryption';

/** Options of {@link buildEdgeWebAcl}. */
export interface EdgeWebAclOptions {
  /** Key of the WAF log group. */
  readonly encryptionKey: kms.IKey;
  /** Requests per client IP per 5 minutes above which the WAF answers 429. */
  readonly rateLimitPerIp: number;
  /** Retention of the WAF log group. */
  readonly logRetention: logs.RetentionDays;
}

/** What {@link buildEdgeWebAcl} builds. */
export interface EdgeWebAcl {
  /** The web ACL (CLOUDFRONT scope). */
  readonly webAcl: wafv2.CfnWebACL;
  /** The rule group of the per-IP rate rule (the `tighten-waf-rate-limit` remediation updates it). */
  readonly rateLimitRuleGroup: wafv2.CfnRuleGroup;
  /** Name of that rule group. */
  readonly rateLimitRuleGroupName: string;
  /** CloudWatch metric name of that rule group and its rule. */
  readonly rateLimitMetricName: string;
  /** Log group of the WAF logs (`aws-waf-logs-...`, KMS-encrypted, retained). */
  readonly logGroup: logs.LogGroup;
  /** The logging configuration sending the web ACL's logs to `logGroup`. */
  readonly logging: wafv2.CfnLoggingConfiguration;
}

/**
 * The WAF of an `EdgeDistribution`, built in `scope` (construct IDs `WafLogs`, `WebAcl`, `WebAclLogging`): a
 * CLOUDFRONT-scoped web ACL allowing by default, with the Amazon IP reputation list (priority 0), a per-IP rate limit
 * answering 429 (1: a rule group of its own, `RateLimitRules`, so the spike remediation can tighten it without touching
 * the web ACL), the common (2) and known-bad-inputs (3) managed rule groups; its logs go to a KMS-encrypted
 * `aws-waf-logs-` log group with the Authorization and Cookie headers redacted.
 */
export function buildEdgeWebAcl(scope: Construct, options: EdgeWebAclOptions): EdgeWebAcl {
  // WAF delivers only to log groups whose name starts with aws-waf-logs-.
  const logGroupName = `aws-waf-logs-${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`;
  const logGroup = createEncryptedLogGroup(scope, 'WafLogs', {
    key: options.encryptionKey,
    retention: options.logRetention,
    logGroupName,
  });

  const metricPrefix = Names.uniqueResourceName(scope, { maxLength: 64, separator: '-' });
  const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: `${metricPrefix}-${name}`.slice(-128),
  });
  const managed = (priority: number, name: string): wafv2.CfnWebACL.RuleProperty => ({
    name,
    priority,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    overrideAction: { none: {} },
    visibilityConfig: visibility(name),
  });
  const rule = EDGE_RATE_LIMIT_RULE;
  const rateLimitMetricName = `${metricPrefix}-RateLimitRules`.slice(-128);
  const rateLimitRuleGroupName = `${Names.uniqueResourceName(scope, { maxLength: 110, separator: '-' })}-rate-limit`;
  const groupVisibility = { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: rateLimitMetricName };
  const rateLimitRuleGroup = new wafv2.CfnRuleGroup(scope, 'RateLimitRules', {
    name: rateLimitRuleGroupName,
    scope: 'CLOUDFRONT',
    capacity: 10,
    description: 'Per-IP rate limit of the edge, tightened for 30 minutes by the tighten-waf-rate-limit remediation during a spike',
    visibilityConfig: groupVisibility,
    customResponseBodies: { [rule.responseBodyKey]: { contentType: 'APPLICATION_JSON', content: rule.responseBody } },
    rules: [{
      name: rule.name,
      priority: 0,
      statement: { rateBasedStatement: { limit: options.rateLimitPerIp, aggregateKeyType: 'IP', evaluationWindowSec: rule.windowSeconds } },
      // The rule group's block action is free-form JSON in the L1: written in CloudFormation's own case.
      action: { block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: rule.responseBodyKey } } },
      visibilityConfig: groupVisibility,
    }],
  });
  const webAcl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'CLOUDFRONT',
    description: `${scope.node.path} edge protection`.slice(-256),
    defaultAction: { allow: {} },
    visibilityConfig: visibility('WebAcl'),
    rules: [
      managed(0, 'AWSManagedRulesAmazonIpReputationList'),
      {
        name: rule.name,
        priority: 1,
        statement: { ruleGroupReferenceStatement: { arn: rateLimitRuleGroup.attrArn } },
        overrideAction: { none: {} },
        visibilityConfig: visibility(rule.name),
      },
      managed(2, 'AWSManagedRulesCommonRuleSet'),
      managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
    ],
  });
  const logging = new wafv2.CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: webAcl.attrArn,
    // WAF wants the log group ARN without the trailing `:*` of LogGroup.logGroupArn.
    logDestinationConfigs: [Stack.of(scope).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })],
    redactedFields: [
      { singleHeader: { Name: 'authorization' } },
      { singleHeader: { Name: 'cookie' } },
    ],
  });
  logging.node.addDependency(logGroup);
  return { webAcl, logGroup, logging, rateLimitRuleGroup, rateLimitRuleGroupName, rateLimitMetricName };
}
