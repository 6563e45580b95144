import { Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { AuroraDatabase, MultiAzNetwork, PlatformStack, ResilientService } from '../constructs';
import type { PlatformConfig } from './config';

/** Props of {@link PrimaryStack}. */
export interface PrimaryStackProps {
  readonly config: PlatformConfig;
}

/**
 * The primary-region platform of the reference service: a multi-AZ network, the service on ECS Fargate behind
 * an ALB, and an Aurora PostgreSQL cluster with read replicas behind RDS Proxy.
 */
export class PrimaryStack extends PlatformStack {
  public readonly network: MultiAzNetwork;
  public readonly database: AuroraDatabase;
  public readonly service: ResilientService;

  constructor(scope: Construct, id: string, props: PrimaryStackProps) {
    const { config } = props;
    super(scope, id, {
      env: { account: config.account, region: config.primaryRegion },
      service: config.service,
      regionRole: 'primary',
      drTier: config.drTier,
      availabilityZones: config.primaryAzs,
      description: `${config.service}: primary-region platform (network, service, Aurora) at DR tier ${config.drTier.id}`,
      terminationProtection: true,
    });

    this.network = new MultiAzNetwork(this, 'Network', { availabilityZones: config.primaryAzs });
    this.database = new AuroraDatabase(this, 'Database', { vpc: this.network.vpc });
    this.service = new ResilientService(this, 'Service', {
      vpc: this.network.vpc,
      image: ecs.ContainerImage.fromRegistry(config.image),
      containerPort: config.containerPort,
      certificate: config.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn)
        : undefined,
      environment: {
        SERVICE_NAME: config.service,
        DB_ENDPOINT: this.database.clientEndpoint,
        DB_READ_ONLY_ENDPOINT: this.database.clientReadOnlyEndpoint,
        DB_PORT: '5432',
        DB_USER: 'app',
        DB_IAM_AUTH: 'true',
      },
    });
    if (!config.certificateArn) {
      // The placeholder config has no domain, so no certificate: plain HTTP, flagged by a synth warning too.
      for (const id of ['NIST.800.53.R5-ALBHttpToHttpsRedirection', 'NIST.800.53.R5-ELBv2ACMCertificateRequired']) {
        Validations.of(this.service.listener).acknowledge({
          id,
          reason: 'No domainName/certificateArn configured (the placeholder setup): the listener serves HTTP. Production configs pass -c domainName, -c hostedZoneId and -c certificateArn, which turn on HTTPS with HTTP redirected.',
        });
      }
    }
    this.database.connections.allowDefaultPortFrom(this.service.service, 'service tasks to the database');
    this.database.grantConnect(this.service.taskDefinition.taskRole, 'app');
  }
}
