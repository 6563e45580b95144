import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { PlatformValidationError } from '../../core/errors';
import { requireIntegerInRange, requireNumberInRange, requirePath } from '../../core/validate';
import type { ResilientService } from '../compute/resilient-service';
import type { IResilientService } from '../compute/resilient-service-ref';
import type { ManagedPrometheus } from './managed-prometheus';

/** The ADOT collector image, pinned (a moving tag would change what runs on every deploy). */
/** The collector's OTLP/HTTP receiver, on the task's loopback: the application's `OTEL_EXPORTER_OTLP_ENDPOINT`. */
const OTLP_HTTP_ENDPOINT = '127.0.0.1:4318';

export const OTEL_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0';
/** The user the ADOT image declares (`aoc`, uid 10001): the sidecar never runs as root. */
const COLLECTOR_USER = '10001';
const CONTAINER_NAME = 'OtelCollector';
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

/** Options of {@link addOtelCollector}. */
export interface OtelCollectorOptions {
  /** The AMP workspace the collector remote-writes to (SigV4, service `aps`). */
  readonly workspace: ManagedPrometheus;
  /**
   * The service's Prometheus `job` label (= OTel `service.name`): what the SLO and golden-signal rules select on,
   * and the X-Ray service name of the sampling rule.
   */
  readonly serviceName: string;
  /**
   * Port of the application's metrics endpoint on the task (localhost).
   * @default 8080 - the ResilientService default container port
   */
  readonly metricsPort?: number;
  /**
   * Path of the application's Prometheus metrics endpoint.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * How often the collector scrapes the application, 5 to 300 seconds.
   * @default Duration.seconds(15)
   */
  readonly scrapeInterval?: Duration;
  /**
   * CPU units reserved for the collector, taken from the application container's share of the task.
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Memory (MiB) reserved for the collector (its hard limit), taken from the application container's share of the task.
   * @default 512
   */
  readonly memoryLimitMiB?: number;
  /**
   * Share of requests traced beyond the reservoir, 0 to 1 (X-Ray sampling rule `FixedRate`).
   * @default 0.05
   */
  readonly tracingFixedRate?: number;
  /**
   * Traces per second always sampled per service before the fixed rate applies, 0 to 100 (X-Ray `ReservoirSize`).
   * @default 1
   */
  readonly tracingReservoirPerSecond?: number;
}

/** Props of {@link OtelCollector}. */
export interface OtelCollectorProps extends OtelCollectorOptions {
  /** The service whose tasks get the collector sidecar. */
  readonly service: IResilientService;
}

/**
 * An AWS Distro for OpenTelemetry collector sidecar in every task of a {@link ResilientService}: scrapes the
 * application's Prometheus endpoint on localhost and remote-writes to AMP with SigV4; receives OTLP traces on
 * localhost and exports them to X-Ray, whose sampling rule bounds trace volume (and cost); proxies X-Ray sampling
 * requests of the application SDK. Runs non-root on a read-only root file system with reserved CPU and memory.
 */
export class OtelCollector extends Construct {
  /** The collector container. */
  public readonly container: ecs.ContainerDefinition;
  /** The X-Ray sampling rule of the service. */
  public readonly samplingRule: xray.CfnSamplingRule;
  /** The collector configuration (YAML), as passed in `AOT_CONFIG_CONTENT`. */
  public readonly config: string;

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id);
    const where = this.node.path;
    const { service } = props;
    const task = service.taskDefinition;
    const cpu = props.cpu ?? 256;
    const memoryLimitMiB = props.memoryLimitMiB ?? 512;
    const metricsPort = props.metricsPort ?? 8080;
    const metricsPath = props.metricsPath ?? '/metrics';
    const scrapeSeconds = (props.scrapeInterval ?? Duration.seconds(15)).toSeconds({ integral: false });
    const fixedRate = props.tracingFixedRate ?? 0.05;
    const reservoir = props.tracingReservoirPerSecond ?? 1;

    if (!SERVICE_NAME.test(props.serviceName)) {
      throw new PlatformValidationError(where, 'serviceName', props.serviceName, 'is not a valid service name',
        "use the service's Prometheus job name: a letter, then up to 62 letters, digits, '_', '.' or '-'");
    }
    requireIntegerInRange(where, 'metricsPort', metricsPort, 1, 65535);
    requirePath(where, 'metricsPath', metricsPath);
    requireIntegerInRange(where, 'scrapeInterval (seconds)', scrapeSeconds, 5, 300);
    requireNumberInRange(where, 'tracingFixedRate', fixedRate, 0, 1);
    requireIntegerInRange(where, 'tracingReservoirPerSecond', reservoir, 0, 100);
    requireIntegerInRange(where, 'cpu', cpu, 128, 4096);
    requireIntegerInRange(where, 'memoryLimitMiB', memoryLimitMiB, 128, 8192);
    if (task.node.tryFindChild(CONTAINER_NAME)) {
      throw new PlatformValidationError(where, 'service', service.node.path, 'already has an OpenTelemetry collector',
        'add one collector per service');
    }
    // The collector's share comes out of the application container's (ResilientService.addSidecar): the task size stays.
    const app = service.containerLimits;
    const appCpu = app.cpuCores * 1024 - cpu;
    const appMemory = app.memoryBytes / 1024 ** 2 - memoryLimitMiB;
    if (appCpu < 256 || appMemory < 512) {
      throw new PlatformValidationError(where, 'cpu/memoryLimitMiB', `${cpu}/${memoryLimitMiB}`,
        `leave the application ${appCpu} CPU units and ${appMemory} MiB of the ${task.cpu}/${task.memoryMiB} task (at least 256 and 512 needed)`,
        'raise the service\'s cpu and memoryLimitMiB or lower the collector\'s');
    }

    const stack = Stack.of(this);
    this.config = collectorConfig({ serviceName: props.serviceName, metricsPort, metricsPath, scrapeSeconds, region: stack.region });

    // The application exports traces to the collector's OTLP/HTTP receiver on the task's loopback.
    service.container.addEnvironment('OTEL_EXPORTER_OTLP_ENDPOINT', `http://${OTLP_HTTP_ENDPOINT}`);
    this.container = service.addSidecar(CONTAINER_NAME, {
      image: ecs.ContainerImage.fromRegistry(OTEL_COLLECTOR_IMAGE),
      cpu,
      memoryLimitMiB,
      // Telemetry must never take the service down: a crashed collector loses metrics (the Watchdog and absent-data
      // alarms notice), it does not stop the task.
      essential: false,
      user: COLLECTOR_USER,
      readonlyRootFilesystem: true,
      environment: {
        AOT_CONFIG_CONTENT: this.config,
        AMP_REMOTE_WRITE_URL: props.workspace.remoteWriteUrl,
      },
      healthCheck: {
        // The image has no shell: exec form.
        command: ['CMD', '/healthcheck'],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(10),
      },
      logging: ecs.LogDrivers.awsLogs({
        logGroup: service.logGroup,
        streamPrefix: 'otel',
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      }),
    });

    Validations.of(task.node.defaultChild as ecs.CfnTaskDefinition).acknowledge({
      id: 'CloudFormation-Validate::E1029',
      // eslint-disable-next-line no-template-curly-in-string
      reason: "'${env:AMP_REMOTE_WRITE_URL}' in AOT_CONFIG_CONTENT is the OpenTelemetry collector's own environment expansion, resolved by the collector at start from the container's AMP_REMOTE_WRITE_URL variable, not a CloudFormation parameter.",
    });

    // ---- permissions of the task role: remote write to this workspace only; X-Ray has no resource-level permissions
    props.workspace.grantRemoteWrite(task.taskRole);
    task.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
      resources: ['*'],
    }));
    const policy = task.taskRole.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray trace and sampling APIs (PutTraceSegments, PutTelemetryRecords, GetSampling*) support no resource-level permissions: AWS documents Resource "*" for them. Every other statement of this policy names its resource.',
      });
    }

    // ---- trace sampling bounded per service: a reservoir per second plus a fixed share of the rest
    this.samplingRule = new xray.CfnSamplingRule(this, 'SamplingRule', {
      samplingRule: {
        ruleName: `${props.serviceName}-bounded`.slice(0, 32),
        priority: 1000,
        fixedRate,
        reservoirSize: reservoir,
        serviceName: props.serviceName,
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });
  }
}

/** Adds an {@link OtelCollector} sidecar to `service` (as its child `OtelCollector`). */
export function addOtelCollector(service: ResilientService, options: OtelCollectorOptions): OtelCollector {
  if (service.node.tryFindChild('OtelCollector')) {
    throw new PlatformValidationError(`${service.node.path}/OtelCollector`, 'service', service.node.path, 'already has an OpenTelemetry collector',
      'add one collector per service');
  }
  return new OtelCollector(service, 'OtelCollector', { ...options, service });
}

interface ConfigInput {
  readonly serviceName: string;
  readonly metricsPort: number;
  readonly metricsPath: string;
  readonly scrapeSeconds: number;
  readonly region: string;
}

/**
 * The collector configuration. The remote-write URL comes from the environment (`${env:AMP_REMOTE_WRITE_URL}`),
 * so the YAML itself holds no deploy-time token. Everything listens on localhost only.
 */
function collectorConfig(c: ConfigInput): string {
  return stringify({
    extensions: {
      health_check: { endpoint: '127.0.0.1:13133' },
      sigv4auth: { region: c.region, service: 'aps' },
      awsproxy: { endpoint: '127.0.0.1:2000' },
    },
    receivers: {
      prometheus: {
        config: {
          global: { scrape_interval: `${c.scrapeSeconds}s`, scrape_timeout: `${Math.min(10, c.scrapeSeconds)}s` },
          scrape_configs: [{
            job_name: c.serviceName,
            metrics_path: c.metricsPath,
            static_configs: [{ targets: [`localhost:${c.metricsPort}`] }],
          }],
        },
      },
      otlp: { protocols: { grpc: { endpoint: '127.0.0.1:4317' }, http: { endpoint: OTLP_HTTP_ENDPOINT } } },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      resourcedetection: { detectors: ['env', 'ecs'] },
      'batch/metrics': { timeout: '30s' },
      'batch/traces': { timeout: '1s', send_batch_size: 50 },
    },
    exporters: {
      prometheusremotewrite: {
        // The collector's own environment expansion, not a JavaScript template.
        // eslint-disable-next-line no-template-curly-in-string
        endpoint: '${env:AMP_REMOTE_WRITE_URL}',
        auth: { authenticator: 'sigv4auth' },
        external_labels: { region: c.region },
      },
      awsxray: { region: c.region },
    },
    service: {
      extensions: ['health_check', 'sigv4auth', 'awsproxy'],
      pipelines: {
        metrics: { receivers: ['prometheus'], processors: ['memory_limiter', 'batch/metrics'], exporters: ['prometheusremotewrite'] },
        traces: { receivers: ['otlp'], processors: ['memory_limiter', 'resourcedetection', 'batch/traces'], exporters: ['awsxray'] },
      },
    },
  }, { lineWidth: 0 });
}
