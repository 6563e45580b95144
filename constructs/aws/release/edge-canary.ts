import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { PlatformValidationError } from '../../core/errors';
import { PROBE_CRITICAL_PATHS, validateCriticalPaths } from '../../core/release/critical-paths';
import { requireIntegerInRange } from '../../core/validate';
import { acknowledgeLogBucketControls } from '../private/control-tower';
import { createDataKey } from '../private/encryption';
import { acknowledgeWildcards } from '../private/nag';
import { createRunbookAlarm } from '../private/runbook-alarm';
import { markForBackup } from '../private/stateful';
import type { EdgeCanaryProps } from './edge-canary-props';

export type { EdgeCanaryProps } from './edge-canary-props';

/** Parameter Store parameter holding the URL users reach `service` under (written by the platform's global stack). */
export function edgeUrlParameter(service: string): string {
  return `/${service}/edge/url`;
}

/** Runbook of the canary's alarm. */
export const EDGE_CANARY_RUNBOOK = 'alerts/release/EdgeCanaryFailing';

let bundled: string | undefined;

/** The canary script bundled by esbuild (once per process) into a folder whose `index.js` is the handler. */
function bundleCanaryScript(): string {
  if (!bundled) {
    const entry = join(__dirname, 'edge-canary.canary');
    const outdir = mkdtempSync(join(tmpdir(), 'edge-canary-'));
    buildSync({
      entryPoints: [existsSync(`${entry}.ts`) ? `${entry}.ts` : `${entry}.js`],
      bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'warning',
      outfile: join(outdir, 'index.js'),
    });
    bundled = outdir;
  }
  return bundled;
}

/**
 * A CloudWatch Synthetics canary of a service's critical paths over HTTPS through CloudFront, from this stack's
 * region: every `interval` each path must answer its status (a failed path fails the run). Its artifacts (run reports,
 * logs) go to a bucket of its own (KMS-encrypted with a rotating key, versioned, private, retained, in the backup plan,
 * expired after 90 days). `addFailureAlarm()` adds the critical runbook alarm that pages when runs keep failing.
 */
export class EdgeCanary extends Construct {
  /** The canary. */
  public readonly canary: synthetics.Canary;
  /** The artifacts bucket. */
  public readonly artifactsBucket: s3.Bucket;
  /** The canary's role. */
  public readonly role: iam.Role;
  /** The canary's name. */
  public readonly canaryName: string;
  private readonly intervalMinutes: number;

  constructor(scope: Construct, id: string, props: EdgeCanaryProps) {
    super(scope, id);
    const where = this.node.path;
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
      throw new PlatformValidationError(where, 'service', props.service, 'is not a valid service name', 'use 1-40 lowercase letters, digits and dashes, starting with a letter');
    }
    if (props.url !== undefined && !/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(props.url)) {
      throw new PlatformValidationError(where, 'url', props.url, 'is not an https URL', 'pass the HTTPS URL users reach the service under, e.g. https://shop.example.com');
    }
    const paths = props.criticalPaths ?? PROBE_CRITICAL_PATHS;
    validateCriticalPaths(where, 'criticalPaths', paths);
    this.intervalMinutes = (props.interval ?? Duration.minutes(5)).toMinutes({ integral: false });
    requireIntegerInRange(where, 'interval (minutes)', this.intervalMinutes, 1, 60);
    const stack = Stack.of(this);
    const parameterName = props.urlParameterName ?? edgeUrlParameter(props.service);
    const parameterRegion = props.urlParameterRegion ?? 'us-east-1';

    const key: kms.IKey = props.key ?? createDataKey(this, 'Key', `${where} canary artifacts`);
    this.artifactsBucket = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'ExpireArtifacts', expiration: Duration.days(90), noncurrentVersionExpiration: Duration.days(30) }],
    });
    markForBackup(this.artifactsBucket);

    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `${where}: runs the edge canary` });
    const logGroups = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/lambda/cwsyn-*`;
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `${where}: what the edge canary writes (artifacts, metrics, logs) and reads (the edge URL)`,
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ sid: 'Artifacts', actions: ['s3:PutObject', 's3:GetObject'], resources: [this.artifactsBucket.arnForObjects('*')] }),
        new iam.PolicyStatement({ sid: 'ArtifactsBucket', actions: ['s3:GetBucketLocation'], resources: [this.artifactsBucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'ListBuckets', actions: ['s3:ListAllMyBuckets'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'Metrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': 'CloudWatchSynthetics' } },
        }),
        new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroups, `${logGroups}:*`] }),
        new iam.PolicyStatement({ sid: 'ArtifactsKey', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
        new iam.PolicyStatement({
          sid: 'EdgeUrl', actions: ['ssm:GetParameter'],
          resources: [`arn:${stack.partition}:ssm:${parameterRegion}:${stack.account}:parameter${parameterName}`],
        }),
      ],
    });

    this.canaryName = `${props.service.slice(0, 16).replace(/-+$/, '')}-edge`;
    this.canary = new synthetics.Canary(this, 'Canary', {
      canaryName: this.canaryName,
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0,
      test: synthetics.Test.custom({ code: synthetics.Code.fromAsset(bundleCanaryScript()), handler: 'index.handler' }),
      schedule: synthetics.Schedule.rate(Duration.minutes(this.intervalMinutes)),
      role: this.role,
      artifactsBucketLocation: { bucket: this.artifactsBucket, prefix: 'runs' },
      timeout: Duration.minutes(1),
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(31),
      environmentVariables: {
        CRITICAL_PATHS: JSON.stringify(paths),
        ...(props.url ? { EDGE_URL: props.url } : { EDGE_URL_PARAMETER: parameterName, EDGE_URL_PARAMETER_REGION: parameterRegion }),
      },
    });
    this.canary.node.addDependency(policy);

    // ---- acknowledgements: an artifacts bucket is a log destination of the canary, like the access-log buckets
    const logDestination = 'This bucket holds the canary\'s run artifacts (reports, logs); logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by CloudTrail.';
    Validations.of(this.artifactsBucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: logDestination },
      { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: logDestination },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'Canary run artifacts are regional diagnostics expired after 90 days; the backup plan (platform:backup tag) covers them rather than cross-region replication.' },
    );
    acknowledgeLogBucketControls(this.artifactsBucket, 'canary run artifacts');
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 's3:ListAllMyBuckets and cloudwatch:PutMetricData (limited to the CloudWatchSynthetics namespace by condition) have no resource-level permissions; Synthetics needs both for every canary.',
    });
    acknowledgeWildcards(policy, [this.artifactsBucket.arnForObjects('*')], 'The canary writes a folder of artifacts per run in its own bucket; the object keys are made at run time.');
    acknowledgeWildcards(policy, [logGroups, `${logGroups}:*`],
      'Synthetics names the canary\'s log group /aws/lambda/cwsyn-<canary>-<id> (and its streams) when it creates the function: the id is known only then.');
  }

  /** Share of successful runs (Average of SuccessPercent over the interval). */
  public metricSuccessPercent(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.canary.metricSuccessPercent({ period: Duration.minutes(this.intervalMinutes), statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * The critical alarm of two failed runs in a row (runbook `alerts/release/EdgeCanaryFailing`), built in `scope`
   * (default this construct) as `EdgeCanaryFailingAlarm`: users cannot use a critical path through the edge.
   */
  public addFailureAlarm(scope: Construct = this): cloudwatch.Alarm {
    return createRunbookAlarm(scope, 'EdgeCanaryFailingAlarm', {
      metric: this.metricSuccessPercent(),
      threshold: 100,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      severity: 'critical',
      summary: `The edge canary ${this.canaryName} failed two runs in a row from ${Stack.of(this).region}: a critical path of the service does not answer through CloudFront.`,
      runbook: EDGE_CANARY_RUNBOOK,
    });
  }
}
