import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import { AuroraDatabase } from '../../../constructs/aws/data/aurora-database';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import type { PlatformStack } from '../../../constructs/aws/platform-stack';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { testStack } from '../../helpers/test-stack';

export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
export const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

export interface Platform {
  readonly stack: PlatformStack;
  readonly network: MultiAzNetwork;
  readonly service: ResilientService;
  readonly database?: AuroraDatabase;
  readonly topics: AlertingTopics;
}

/** GIVEN a network, an HTTPS service (and optionally an Aurora database) and the alerting topics. */
export function platform(options: { nag?: boolean; database?: boolean; context?: Record<string, unknown> } = {}): Platform {
  const stack = testStack({ nag: options.nag, context: options.context });
  const network = new MultiAzNetwork(stack, 'Network');
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
  const service = new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, certificate });
  const database = options.database ? new AuroraDatabase(stack, 'Database', { vpc: network.vpc }) : undefined;
  const topics = new AlertingTopics(stack, 'Alerting');
  return { stack, network, service, database, topics };
}
