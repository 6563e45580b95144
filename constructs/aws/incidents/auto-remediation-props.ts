import type * as appconfig from 'aws-cdk-lib/aws-appconfig';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IFeatureFlags } from '../release/feature-flags-props';

/** Props of {@link AutoRemediation}. */
export interface AutoRemediationProps {
  /** The service (`platform:service`): documents `<service>-remediate-<action>`. */
  readonly service: string;
  /**
   * Regions whose drill automations (`<service>-drill-*`) hold remediation back while they run.
   * @default - this stack's region
   */
  readonly drillRegions?: readonly string[];
  /**
   * Region of the pause parameter `/<service>/remediation/paused` (`true` pauses every action). Created here when it
   * is this stack's region; elsewhere it is read from there (one switch for every region of the service).
   * @default - this stack's region
   */
  readonly pauseParameterRegion?: string;
  /**
   * Create the pause parameter here (only in its region; pass false where another stack of that region creates it).
   * @default - true when `pauseParameterRegion` is this stack's region
   */
  readonly createPauseParameter?: boolean;
  /**
   * Incident Manager response plan whose open incidents get a timeline event for every run, held-back run and failure.
   * @default - no timeline (the runs are in the SSM Automation history and the function's logs)
   */
  readonly responsePlanName?: string;
  /**
   * Region the incidents are read in (a region of the Incident Manager replication set).
   * @default - this stack's region
   */
  readonly incidentRegion?: string;
  /**
   * Key of the guard function's logs (its policy must let CloudWatch Logs use it: this construct adds that).
   * @default - a new rotating, retained customer key
   */
  readonly key?: kms.IKey;
  /**
   * Retention of the guard function's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Options of {@link AutoRemediation.addWafRateLimitAction}. */
export interface WafRateLimitActionOptions {
  /** Name of the CLOUDFRONT-scoped rule group holding the rate rule. */
  readonly ruleGroupName: string;
  /** Its id. */
  readonly ruleGroupId: string;
  /** Its ARN (the automation may update this rule group only). */
  readonly ruleGroupArn: string;
  /** Its CloudWatch metric name (kept on update). */
  readonly metricName: string;
  /** The normal limit, restored after 30 minutes (requests per IP per 5 minutes). */
  readonly normalLimit: number;
  /**
   * The limit during a spike.
   * @default - a quarter of normalLimit, at least 100 (WAF's minimum)
   */
  readonly tightLimit?: number;
}

/** Options of {@link AutoRemediation.addFlagActions}. */
export interface FlagActionsOptions {
  /** The service's feature flags in this region (their switch function and AppConfig application). */
  readonly flags: IFeatureFlags;
  /** The region's AppConfig environment the actions switch flags in (`FeatureFlagEnvironment.environment`). */
  readonly environment: appconfig.IEnvironment;
}
