/**
 * The AWS API calls the drills make, with AWS SDK v3: a registry mapping (service, api) as the drills and
 * SSM name them to a client and a Command, plus the SSM Automation calls of the automation path. Clients make one
 * attempt per call: the drill runner (and the automation path) owns retries.
 */
import {
  BackupClient, DescribeRecoveryPointCommand, DescribeRestoreJobCommand, GetRecoveryPointRestoreMetadataCommand, StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeReplicationGroupsCommand, ElastiCacheClient, TestFailoverCommand } from '@aws-sdk/client-elasticache';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateDBInstanceCommand, DeregisterDBProxyTargetsCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand, RDSClient, RegisterDBProxyTargetsCommand, RestoreDBClusterFromSnapshotCommand, RestoreDBClusterToPointInTimeCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import {
  GetAutomationExecutionCommand, SSMClient, SendAutomationSignalCommand, StartAutomationExecutionCommand, StopAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';

/** One AWS API request, parameters resolved. */
export interface AwsRequest {
  readonly service: string;
  readonly api: string;
  readonly params: Record<string, unknown>;
  readonly region: string;
  /** Per-resource endpoint (a step's `endpoint`), instead of the service's regional one. */
  readonly endpoint?: string;
  /** Aborts the in-flight call when the step's timeout passes. */
  readonly abortSignal?: AbortSignal;
}

/** Sends drill requests to AWS; tests mock the SDK clients underneath. */
export interface AwsCaller {
  call(request: AwsRequest): Promise<Record<string, unknown>>;
  /** Whether (service, api) can be called. */
  supports(service: string, api: string): boolean;
}

interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}
type ClientFactory = (config: { region: string; endpoint?: string; maxAttempts: number }) => SdkClient;
type CommandClass = new (input: never) => unknown;

interface ServiceEntry {
  readonly client: ClientFactory;
  readonly commands: Record<string, CommandClass>;
  /** Request members the SDK wants as Date (drills pass ISO text, as SSM does). */
  readonly dates?: readonly string[];
}

/** (service, api) -> client + Command for every API the drills use. */
export const SERVICES: Record<string, ServiceEntry> = {
  rds: {
    client: (c) => new RDSClient(c),
    commands: {
      FailoverGlobalCluster: FailoverGlobalClusterCommand, SwitchoverGlobalCluster: SwitchoverGlobalClusterCommand,
      DescribeGlobalClusters: DescribeGlobalClustersCommand, DescribeDBClusters: DescribeDBClustersCommand,
      DescribeDBInstances: DescribeDBInstancesCommand, CreateDBInstance: CreateDBInstanceCommand,
      RestoreDBClusterFromSnapshot: RestoreDBClusterFromSnapshotCommand, RestoreDBClusterToPointInTime: RestoreDBClusterToPointInTimeCommand,
      DeregisterDBProxyTargets: DeregisterDBProxyTargetsCommand, RegisterDBProxyTargets: RegisterDBProxyTargetsCommand,
    },
    dates: ['RestoreToTime'],
  },
  ecs: { client: (c) => new ECSClient(c), commands: { UpdateService: UpdateServiceCommand, DescribeServices: DescribeServicesCommand } },
  elbv2: { client: (c) => new ElasticLoadBalancingV2Client(c), commands: { DescribeTargetHealth: DescribeTargetHealthCommand } },
  elasticache: {
    client: (c) => new ElastiCacheClient(c),
    commands: { TestFailover: TestFailoverCommand, DescribeReplicationGroups: DescribeReplicationGroupsCommand },
  },
  backup: {
    client: (c) => new BackupClient(c),
    commands: {
      DescribeRecoveryPoint: DescribeRecoveryPointCommand, GetRecoveryPointRestoreMetadata: GetRecoveryPointRestoreMetadataCommand,
      StartRestoreJob: StartRestoreJobCommand, DescribeRestoreJob: DescribeRestoreJobCommand,
    },
  },
  cloudwatch: {
    client: (c) => new CloudWatchClient(c),
    commands: { DescribeAlarms: DescribeAlarmsCommand, GetMetricStatistics: GetMetricStatisticsCommand },
    dates: ['StartTime', 'EndTime'],
  },
  // Not a drill step's service: the CLI starts and follows a drill's SSM Automation document with these (cli/drill/automation.ts).
  ssm: {
    client: (c) => new SSMClient(c),
    commands: {
      StartAutomationExecution: StartAutomationExecutionCommand, GetAutomationExecution: GetAutomationExecutionCommand,
      StopAutomationExecution: StopAutomationExecutionCommand, SendAutomationSignal: SendAutomationSignalCommand,
    },
  },
};

/** {@link AwsCaller} on AWS SDK v3, credentials from the default provider chain. */
export class SdkAwsCaller implements AwsCaller {
  private readonly clients = new Map<string, SdkClient>();

  public supports(service: string, api: string): boolean {
    return SERVICES[service]?.commands[api] !== undefined;
  }

  public async call(request: AwsRequest): Promise<Record<string, unknown>> {
    const entry = SERVICES[request.service];
    const Command = entry?.commands[request.api];
    if (!entry || !Command) throw new Error(`${request.service}:${request.api} is not in the drill CLI's client registry (cli/drill/aws.ts)`);
    const key = `${request.service}|${request.region}|${request.endpoint ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = entry.client({ region: request.region, maxAttempts: 1, ...(request.endpoint ? { endpoint: request.endpoint } : {}) });
      this.clients.set(key, client);
    }
    const params: Record<string, unknown> = { ...request.params };
    for (const field of entry.dates ?? []) {
      if (typeof params[field] === 'string') params[field] = new Date(params[field] as string);
    }
    const output = await client.send(new Command(params as never), request.abortSignal ? { abortSignal: request.abortSignal } : undefined);
    const response = { ...(output as Record<string, unknown> | undefined) };
    delete response.$metadata;
    return response;
  }

  /** Closes the clients' connections. */
  public destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
