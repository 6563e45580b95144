import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeControlTower } from './control-tower';
import { createEncryptedLogGroup } from './encryption';

/** Options of {@link createPlatformFunction}. */
export interface PlatformFunctionOptions {
  /** The handler file beside the construct, without extension (`<dir>/<name>.handler`): `.ts` in the repository, `.js` in the package. */
  readonly handler: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  /** Key of the function's log group (its policy must admit CloudWatch Logs). */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Most concurrent invocations (1 serializes them). */
  readonly reservedConcurrency: number;
  readonly timeout: Duration;
  /** The function's permissions besides its logs, in its own managed policy. */
  readonly statements: iam.PolicyStatement[];
  /** Why the function needs no VPC (NIST.800.53.R5-LambdaInsideVPC, CT.LAMBDA.PR.3). */
  readonly outsideVpcReason: string;
  /** Why the function needs no dead-letter queue (NIST.800.53.R5-LambdaDLQ). */
  readonly noDeadLetterQueueReason: string;
}

/** What {@link createPlatformFunction} built: `<id>Logs`, `<id>Role`, `<id>Policy`, `<id>` under the scope. */
export interface PlatformFunction {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly policy: iam.ManagedPolicy;
  readonly logGroup: logs.LogGroup;
}

/**
 * A small platform Lambda function: Node.js 24 on ARM64 bundled by esbuild from node_modules (never Docker, the AWS SDK
 * v3 from the runtime), encrypted retained logs, reserved concurrency, a role whose only policy is a managed policy of
 * exactly `statements` and its log writes.
 */
export function createPlatformFunction(scope: Construct, id: string, options: PlatformFunctionOptions): PlatformFunction {
  const logGroup = createEncryptedLogGroup(scope, `${id}Logs`, { key: options.key, retention: options.logRetention });
  const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: options.description });
  const policy = new iam.ManagedPolicy(scope, `${id}Policy`, {
    description: `${scope.node.path}/${id}: ${options.description}`.slice(0, 1000),
    roles: [role],
    statements: [
      ...options.statements,
      new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    ],
  });
  const ts = `${options.handler}.ts`;
  const fn = new nodejs.NodejsFunction(scope, id, {
    entry: existsSync(ts) ? ts : `${options.handler}.js`,
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: options.timeout,
    reservedConcurrentExecutions: options.reservedConcurrency,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.TEXT,
    description: options.description.slice(0, 256),
    environment: options.environment,
    bundling: { externalModules: ['@aws-sdk/*'], minify: true, sourceMap: false, forceDockerBundling: false },
  });
  fn.node.addDependency(policy);
  Validations.of(fn).acknowledge(
    { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: options.outsideVpcReason },
    { id: 'NIST.800.53.R5-LambdaDLQ', reason: options.noDeadLetterQueueReason },
  );
  acknowledgeControlTower(fn, 'CT.LAMBDA.PR.3', `${options.outsideVpcReason} The construct has no vpc option, so an OU that enforces CT.LAMBDA.PR.3 rejects it.`);
  return { fn, role, policy, logGroup };
}

/** `<dir>/<name>.handler` beside a construct file: what {@link PlatformFunctionOptions.handler} takes. */
export function handlerBeside(dir: string, name: string): string {
  return join(dir, `${name}.handler`);
}

/** One minute, the default timeout of the platform's small functions. */
export const ONE_MINUTE = Duration.minutes(1);
