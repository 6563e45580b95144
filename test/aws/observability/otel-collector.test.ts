import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import { addOtelCollector, OTEL_COLLECTOR_IMAGE } from '../../../constructs/aws/observability/otel-collector';
import type { OtelCollectorOptions } from '../../../constructs/aws/observability/otel-collector';
import { referenceRuleGroups } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../../helpers/container-limits';
import { platform } from './fixture';

function build(options: Partial<OtelCollectorOptions> = {}) {
  const p = platform();
  const workspace = new ManagedPrometheus(p.stack, 'Prometheus', { topics: p.topics, ruleGroups: referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS }) });
  const build = () => addOtelCollector(p.service, { workspace, serviceName: 'checkout', ...options });
  return { ...p, workspace, build };
}

/** The parts of the collector configuration the tests read. */
interface CollectorConfig {
  extensions: { sigv4auth: unknown };
  receivers: {
    prometheus: { config: { global: { scrape_interval: string }; scrape_configs: unknown[] } };
    otlp: { protocols: { grpc: { endpoint: string } } };
  };
  exporters: { prometheusremotewrite: unknown; awsxray: unknown };
  service: { extensions: string[]; pipelines: { metrics: unknown; traces: unknown } };
}

interface ContainerDef { [k: string]: unknown; Name: string; Cpu?: number; Memory?: number; Environment?: Array<{ Name: string; Value: unknown }> }

describe('addOtelCollector', () => {
  let template: Template;
  let containers: ContainerDef[];
  let config: CollectorConfig;
  beforeAll(() => {
    const b = build();
    b.build();
    template = Template.fromStack(b.stack);
    const [task] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    containers = task.Properties.ContainerDefinitions as ContainerDef[];
    const env = containers[1].Environment ?? [];
    config = parse(env.find((e) => e.Name === 'AOT_CONFIG_CONTENT')?.Value as string) as CollectorConfig;
  });

  describe('sidecar container', () => {
    test('runs the pinned ADOT image as non-root on a read-only root file system, non-essential, with a health check', () => {
      expect(OTEL_COLLECTOR_IMAGE).toMatch(/^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/);
      expect(containers[1]).toEqual(expect.objectContaining({
        Name: 'OtelCollector',
        Image: OTEL_COLLECTOR_IMAGE,
        User: '10001',
        ReadonlyRootFilesystem: true,
        Essential: false,
        HealthCheck: expect.objectContaining({ Command: ['CMD', '/healthcheck'] }),
      }));
    });

    test('reserves 256 CPU units and 512 MiB, taken from the application container so the task adds up', () => {
      expect(containers.map((c) => [c.Name, c.Cpu, c.Memory])).toEqual([['App', 768, 1536], ['OtelCollector', 256, 512]]);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
    });

    test('the service\'s containerLimits become what the application container keeps (what saturation divides by)', () => {
      // GIVEN a service before and after the collector WHEN its limits are read THEN they follow the rendered container
      const b = build();
      expect(b.service.containerLimits).toEqual({ cpuCores: 1, memoryBytes: 2048 * 1024 ** 2 });
      b.build();
      expect(b.service.containerLimits).toEqual({ cpuCores: 768 / 1024, memoryBytes: 1536 * 1024 ** 2 });
      const app = containers.find((c) => c.Name === 'App');
      expect(b.service.containerLimits).toEqual({ cpuCores: (app?.Cpu ?? 0) / 1024, memoryBytes: (app?.Memory ?? 0) * 1024 ** 2 });
    });

    test('AMP_REMOTE_WRITE_URL is the workspace remote-write endpoint', () => {
      const url = containers[1].Environment?.find((e) => e.Name === 'AMP_REMOTE_WRITE_URL')?.Value;
      expect(url).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Prometheus/), 'PrometheusEndpoint'] }, 'api/v1/remote_write']] });
    });
  });

  describe('collector configuration (AOT_CONFIG_CONTENT)', () => {
    test('scrapes the application /metrics on localhost as job checkout', () => {
      expect(config.receivers.prometheus.config.scrape_configs).toEqual([{
        job_name: 'checkout', metrics_path: '/metrics', static_configs: [{ targets: ['localhost:8080'] }],
      }]);
      expect(config.receivers.prometheus.config.global.scrape_interval).toBe('15s');
    });

    test('remote-writes metrics to the workspace, signed with SigV4 for aps', () => {
      // eslint-disable-next-line no-template-curly-in-string
      expect(config.exporters.prometheusremotewrite).toEqual(expect.objectContaining({ endpoint: '${env:AMP_REMOTE_WRITE_URL}', auth: { authenticator: 'sigv4auth' } }));
      expect(config.extensions.sigv4auth).toEqual({ region: 'eu-west-1', service: 'aps' });
      expect(config.service.pipelines.metrics).toEqual(expect.objectContaining({ receivers: ['prometheus'], exporters: ['prometheusremotewrite'] }));
      expect(config.service.extensions).toEqual(expect.arrayContaining(['sigv4auth', 'health_check']));
    });

    test('sends OTLP traces received on localhost to X-Ray', () => {
      expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('127.0.0.1:4317');
      expect(config.service.pipelines.traces).toEqual(expect.objectContaining({ receivers: ['otlp'], exporters: ['awsxray'] }));
      expect(config.exporters.awsxray).toEqual({ region: 'eu-west-1' });
    });
  });

  describe('permissions', () => {
    test('the task role may remote-write to this workspace only and send traces to X-Ray', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^CheckoutTaskDefinitionTaskRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Prometheus'), 'Arn'] } },
            {
              Effect: 'Allow',
              // sorted: @aws-cdk/aws-iam:minimizePolicies (recommended flags) orders the actions
              Action: ['xray:GetSamplingRules', 'xray:GetSamplingStatisticSummaries', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
              Resource: '*',
            },
          ]),
        },
      });
    });
  });

  describe('sampling', () => {
    test('an X-Ray sampling rule bounds traces to 1/s plus 5% of the rest', () => {
      template.hasResourceProperties('AWS::XRay::SamplingRule', {
        SamplingRule: Match.objectLike({ RuleName: 'checkout-bounded', ServiceName: 'checkout', ReservoirSize: 1, FixedRate: 0.05, Priority: 1000 }),
      });
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<OtelCollectorOptions>, string]>([
      ['a bad service name', { serviceName: '1checkout' }, "Test/Checkout/OtelCollector: serviceName ('1checkout') is not a valid service name: use the service's Prometheus job name: a letter, then up to 62 letters, digits, '_', '.' or '-'"],
      ['a fixed rate above 1', { tracingFixedRate: 1.5 }, 'Test/Checkout/OtelCollector: tracingFixedRate (1.5) must be between 0 and 1: set tracingFixedRate to a value between 0 and 1'],
      ['a reservoir above 100', { tracingReservoirPerSecond: 500 }, 'Test/Checkout/OtelCollector: tracingReservoirPerSecond (500) must be an integer from 0 to 100: set tracingReservoirPerSecond to a whole number between 0 and 100'],
      ['a scrape interval of 1 s', { scrapeInterval: Duration.seconds(1) }, 'Test/Checkout/OtelCollector: scrapeInterval (seconds) (1) must be an integer from 5 to 300: set scrapeInterval (seconds) to a whole number between 5 and 300'],
      ['a relative metrics path', { metricsPath: 'metrics' }, "Test/Checkout/OtelCollector: metricsPath ('metrics') is not an absolute URL path: use a path such as '/ready' (starting with '/', no query string)"],
      ['a collector that leaves the app too little', { cpu: 896 }, "Test/Checkout/OtelCollector: cpu/memoryLimitMiB ('896/512') leave the application 128 CPU units and 1536 MiB of the 1024/2048 task (at least 256 and 512 needed): raise the service's cpu and memoryLimitMiB or lower the collector's"],
    ])('%s is refused', (_, options, message) => {
      expect(build(options).build).toThrow(message);
    });

    test('a second collector on the same service is refused', () => {
      const b = build();
      b.build();
      expect(b.build).toThrow("Test/Checkout/OtelCollector: service ('Test/Checkout') already has an OpenTelemetry collector: add one collector per service");
    });
  });
});
