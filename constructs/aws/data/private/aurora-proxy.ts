import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AuroraDatabaseProps } from '../aurora-database-props';
import { POSTGRES_PORT, subnetsOf } from './aurora-cluster';

/**
 * Share (percent) of the writer's connections that global write forwarding may hold: 25, the default we know for the
 * Aurora PostgreSQL cluster parameter `apg_write_forward.max_forwarding_connections_pct` (the counterpart of Aurora
 * MySQL's `aurora_fwd_writer_max_connections_pct`), which this construct does not change. The parameter table was not
 * reachable offline when this was written: check it before relying on the exact figure. The Aurora User Guide ("Using
 * RDS Proxy with Aurora global databases") asks to lower the proxy's `MaxConnectionsPercent` by this quota when the
 * cluster forwards writes.
 */
export const WRITE_FORWARDING_CONNECTIONS_PERCENT = 25;

/** What {@link createProxyClientPath} built: the clients' way into a cluster. */
export interface ProxyClientPath {
  /** The secret the proxy logs in with. */
  readonly secret: secretsmanager.ISecret;
  /** The RDS Proxy (IAM auth and TLS required). */
  readonly proxy: rds.DatabaseProxy;
  /** Host name of the proxy's read-only endpoint. */
  readonly readOnlyEndpoint: string;
  /** The proxy's security group on the PostgreSQL port. */
  readonly connections: ec2.Connections;
}

/**
 * The generated master secret of `cluster`, retained with the stack and rotated every 30 days (single user). Its
 * replicas (`replicaRegions` of the generated secret) follow every rotation.
 */
export function retainAndRotateMasterSecret(scope: Construct, cluster: rds.DatabaseCluster): secretsmanager.ISecret {
  const where = scope.node.path;
  if (!cluster.secret) {
    throw new Error(`${where}: the cluster has no secret although credentials were generated (aws-cdk-lib contract changed)`);
  }
  // The master password outlives the stack like the snapshot it opens (`cluster.secret` is the attachment).
  const generatedSecret = cluster.node.tryFindChild('Secret');
  if (!(generatedSecret instanceof rds.DatabaseSecret)) {
    throw new Error(`${where}: the generated DatabaseSecret was not found under the cluster (aws-cdk-lib contract changed)`);
  }
  generatedSecret.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // Single-user rotation through the Secrets Manager SAR application (AWS::Serverless transform, resolved by
  // CloudFormation at deploy time): synthesizes offline, runs in the cluster's subnets, reaches Secrets Manager
  // through the VPC's interface endpoint. The L2 opens the cluster's port to the rotation function only.
  cluster.addRotationSingleUser({ automaticallyAfter: Duration.days(30) });
  return cluster.secret;
}

/** Options of {@link createProxyClientPath}. */
export interface ProxyClientPathOptions {
  readonly props: AuroraDatabaseProps;
  readonly clusterIdentifier: string;
  /** The secret the proxy logs in with: the master secret, or its replica on a global secondary. */
  readonly secret: secretsmanager.ISecret;
  /**
   * Share of the instances' `max_connections` the proxy may open: 100, or 100 minus
   * {@link WRITE_FORWARDING_CONNECTIONS_PERCENT} on a secondary that forwards writes.
   */
  readonly maxConnectionsPercent: number;
}

/**
 * The RDS Proxy of `cluster` with its read-only endpoint, built under `scope` (IDs `ProxySecurityGroup`,
 * `Cluster/Proxy`, `Cluster/Proxy/ReadOnlyEndpoint`), logging in with `options.secret`. On a global secondary the
 * read-only endpoint reaches the readers, and the read/write endpoint answers "The target group doesn't have any
 * associated read/write instances" until the cluster is promoted; from then on it sends requests to the new writer.
 */
export function createProxyClientPath(scope: Construct, cluster: rds.DatabaseCluster, options: ProxyClientPathOptions): ProxyClientPath {
  const { props, secret } = options;
  const where = scope.node.path;
  const vpcSubnets = subnetsOf(props);
  // IAM auth and TLS required, a read/write and a read-only endpoint on one security group.
  const proxySecurityGroup = new ec2.SecurityGroup(scope, 'ProxySecurityGroup', {
    vpc: props.vpc,
    description: `${where} RDS Proxy: ingress only from what connections.allowDefaultPortFrom() allows`,
  });
  const proxy = cluster.addProxy('Proxy', {
    vpc: props.vpc,
    vpcSubnets,
    securityGroups: [proxySecurityGroup],
    secrets: [secret],
    iamAuth: true,
    requireTLS: true,
    clientPasswordAuthType: rds.ClientPasswordAuthType.POSTGRES_SCRAM_SHA_256,
    dbProxyName: `${options.clusterIdentifier.slice(0, 54).replace(/-$/, '')}-proxy`,
    // 100 is the service default: left out then, so the property appears only where it is lowered.
    maxConnectionsPercent: options.maxConnectionsPercent < 100 ? options.maxConnectionsPercent : undefined,
  });
  const readOnlyEndpoint = proxy.addEndpoint('ReadOnlyEndpoint', {
    vpc: props.vpc,
    vpcSubnets,
    securityGroups: [proxySecurityGroup],
    targetRole: rds.ProxyEndpointTargetRole.READ_ONLY,
  });
  const connections = new ec2.Connections({
    securityGroups: [proxySecurityGroup],
    defaultPort: ec2.Port.tcp(POSTGRES_PORT),
  });
  return { secret, proxy, readOnlyEndpoint: readOnlyEndpoint.endpoint, connections };
}
