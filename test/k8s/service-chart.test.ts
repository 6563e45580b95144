import { Testing } from 'cdk8s';
import { resilienceRuleGroup } from '../../constructs/core/observability/resilience';
import { ruleFileDocument } from '../../constructs/core/observability/rule-file';
import { Slo } from '../../constructs/core/observability/slo';
import { ServiceChart } from '../../constructs/k8s';
import { evaluatedFlags } from '../../constructs/core/release/flags';
import { DATA_PATH, one, serviceProps, synthChart, synthService } from './helpers';
import type { KubernetesServiceProps } from '../../constructs/k8s';

const SELECTOR = { 'app.kubernetes.io/name': 'checkout' };

describe('ServiceChart', () => {
  const manifests = synthService();

  test('renders the objects in apply order', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Deployment/checkout', 'PodDisruptionBudget/checkout', 'HorizontalPodAutoscaler/checkout', 'Service/checkout',
      'NetworkPolicy/checkout-default-deny', 'NetworkPolicy/checkout-allow-ingress', 'NetworkPolicy/checkout-allow-prometheus',
      'NetworkPolicy/checkout-allow-dns', 'ServiceMonitor/checkout', 'PrometheusRule/checkout',
    ]);
    expect(new Set(manifests.map((m) => m.metadata.namespace))).toEqual(new Set(['default']));
  });

  describe('Deployment', () => {
    const d = one(manifests, 'Deployment');
    const pod = d.spec.template.spec;
    const c = pod.containers[0];

    test('leaves replicas to the autoscaler and rolls out without losing capacity', () => {
      expect(d.spec.replicas).toBeUndefined();
      expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
      expect(d.spec.selector).toEqual({ matchLabels: SELECTOR });
    });

    test('spreads pods over zones (hard) and nodes (soft)', () => {
      expect(pod.topologySpreadConstraints).toEqual([
        expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: SELECTOR } }),
        expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } }),
      ]);
    });

    test('probes /health (startup, liveness) and /ready (readiness) on the http port', () => {
      expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(60);
    });

    test('sets requests and limits (1 core, 2048 MiB by default), exposed as containerLimits', () => {
      expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { cpu: '1000m', memory: '2048Mi' } });
      const chart = new ServiceChart(Testing.app(), 'checkout', serviceProps({ cpuLimitCores: 0.5, memoryLimitMiB: 768 }));
      expect(chart.containerLimits).toEqual({ cpuCores: 0.5, memoryBytes: 768 * 1024 ** 2 });
      expect(one(synthChart(chart), 'Deployment').spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '500m', memory: '768Mi' });
    });

    test('runs non-root with a read-only root file system and no capabilities', () => {
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    });

    test('terminates gracefully: preStop wait, then the grace period', () => {
      expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
      expect(pod.terminationGracePeriodSeconds).toBe(30);
    });

    test('names the service for OpenTelemetry', () => {
      expect(c.env).toEqual(expect.arrayContaining([{ name: 'OTEL_SERVICE_NAME', value: 'checkout' }, { name: 'PORT', value: '8080' }]));
    });
  });

  test('PodDisruptionBudget: at most one pod down', () => {
    expect(one(manifests, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('HorizontalPodAutoscaler: CPU 70%, 3 to 20, scale-down stabilization', () => {
    const hpa = one(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' },
      minReplicas: 3, maxReplicas: 20,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
  });

  test('Service: port 80 to the http port of the pods', () => {
    expect(one(manifests, 'Service').spec).toEqual({
      type: 'ClusterIP', selector: SELECTOR, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  describe('NetworkPolicies', () => {
    const np = (name: string) => one(manifests, 'NetworkPolicy', `checkout-${name}`).spec;

    test('deny all ingress and egress by default', () => {
      expect(np('default-deny')).toEqual({ podSelector: { matchLabels: SELECTOR }, policyTypes: ['Ingress', 'Egress'] });
    });

    test('allow the ingress controller namespace and the same namespace on http', () => {
      expect(np('allow-ingress').ingress).toEqual([{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }, { podSelector: {} }],
        ports: [{ protocol: 'TCP', port: 'http' }],
      }]);
    });

    test('allow Prometheus of the monitoring namespace to scrape', () => {
      expect(np('allow-prometheus').ingress[0].from).toEqual([{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      }]);
    });

    test('allow DNS egress to kube-dns', () => {
      expect(np('allow-dns')).toMatchObject({
        policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      });
    });
  });

  test('ServiceMonitor: /metrics on the http port every 15s (as the AWS collector and the seeds), selected by the Prometheus label', () => {
    const sm = one(manifests, 'ServiceMonitor');
    expect(sm.metadata.labels).toMatchObject({ prometheus: 'platform' });
    expect(sm.spec).toEqual({
      selector: { matchLabels: SELECTOR },
      namespaceSelector: { matchNames: ['default'] },
      endpoints: [{ port: 'http', path: '/metrics', scheme: 'http', interval: '15s', scrapeTimeout: '10s' }],
    });
  });

  test('props change the namespace, ports and limits everywhere', () => {
    const m = synthService({ namespace: 'shop', port: 9000, minReplicas: 4, maxReplicas: 8, cpuLimitCores: 2, memoryLimitMiB: 1024 });
    expect(new Set(m.map((o) => o.metadata.namespace))).toEqual(new Set(['shop']));
    expect(one(m, 'Deployment').spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '2000m', memory: '1024Mi' });
    expect(one(m, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 4, maxReplicas: 8 });
    const golden = one(m, 'PrometheusRule').spec.groups.find((g: { name: string }) => g.name === 'golden-checkout');
    expect(golden.rules.find((r: { alert: string }) => r.alert === 'MemorySaturationHigh').expr).toContain(`/ ${1024 ** 3} > 0.85`);
  });

  test('PrometheusRule: the resilience group next to the golden signals, from the core generator', () => {
    const groups = one(manifests, 'PrometheusRule').spec.groups as Array<{ name: string; rules: Array<{ alert: string }> }>;
    const names = groups.map((g) => g.name);
    expect(names.indexOf('resilience-checkout')).toBe(names.indexOf('golden-checkout') + 1);
    const resilience = groups.find((g) => g.name === 'resilience-checkout');
    expect(resilience).toEqual(ruleFileDocument([resilienceRuleGroup({ service: 'checkout' })]).groups[0]);
    expect(resilience?.rules.map((r) => r.alert)).toEqual(['DatabaseCircuitOpen', 'CacheBypassActive', 'RequestsShed', 'RequestsShed', 'DbPoolSaturated']);
  });

  describe('data path (the names of reference-service/src/config.ts)', () => {
    const env = (m: ReturnType<typeof synthService>) => one(m, 'Deployment').spec.template.spec.containers[0].env;
    const dependencies = (m: ReturnType<typeof synthService>) => m.find((o) => o.metadata.name === 'checkout-allow-dependencies');
    const db = DATA_PATH.database;

    test('without one: the port and the service name only, no egress besides DNS', () => {
      expect(env(manifests)).toEqual([
        { name: 'PORT', value: '8080' }, { name: 'OTEL_SERVICE_NAME', value: 'checkout' }, { name: 'SERVICE_NAME', value: 'checkout' },
      ]);
      expect(dependencies(manifests)).toBeUndefined();
    });

    test('a full one: every variable, the passwords from their Secrets (never a value)', () => {
      expect(env(synthService(DATA_PATH))).toEqual([
        { name: 'PORT', value: '8080' },
        { name: 'OTEL_SERVICE_NAME', value: 'checkout' },
        { name: 'SERVICE_NAME', value: 'checkout' },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.monitoring.svc:4318' },
        { name: 'DB_ENDPOINT', value: 'postgres.checkout.svc' },
        { name: 'DB_READ_ONLY_ENDPOINT', value: 'postgres-ro.checkout.svc' },
        { name: 'DB_PORT', value: '5432' },
        { name: 'DB_NAME', value: 'postgres' },
        { name: 'DB_USER', value: 'checkout' },
        { name: 'DB_IAM_AUTH', value: 'false' },
        { name: 'DB_TLS', value: 'require' },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'checkout-db', key: 'password' } } },
        { name: 'CACHE_L1_TTL_SECONDS', value: '300' },
        { name: 'CACHE_L1_MAX_ITEMS', value: '10000' },
        { name: 'CACHE_L2_ENDPOINT', value: 'valkey.checkout.svc' },
        { name: 'CACHE_L2_PORT', value: '6379' },
        { name: 'CACHE_L2_TLS', value: 'true' },
        { name: 'CACHE_L2_CLUSTER_MODE', value: 'false' },
        { name: 'CACHE_L2_TTL_SECONDS', value: '1800' },
        { name: 'CACHE_L2_USERNAME', value: 'checkout' },
        { name: 'CACHE_L2_PASSWORD', valueFrom: { secretKeyRef: { name: 'checkout-cache', key: 'password' } } },
      ]);
    });

    test('props set every value; the read-only endpoint defaults to the writer; no L2 without distributedCache', () => {
      const m = synthService({
        database: { endpoint: '10.0.0.12', port: 6432, name: 'orders', user: 'app', tlsMode: 'disable', passwordSecret: { name: 'pg', key: 'pw' } },
        cacheL1TtlSeconds: 60, cacheL1MaxItems: 500,
      });
      expect(Object.fromEntries(env(m).map((v: { name: string; value?: string }) => [v.name, v.value]))).toMatchObject({
        DB_ENDPOINT: '10.0.0.12', DB_READ_ONLY_ENDPOINT: '10.0.0.12', DB_PORT: '6432', DB_NAME: 'orders', DB_USER: 'app', DB_TLS: 'disable',
        CACHE_L1_TTL_SECONDS: '60', CACHE_L1_MAX_ITEMS: '500',
      });
      expect(env(m).filter((v: { name: string }) => v.name.startsWith('CACHE_L2_') || v.name.startsWith('OTEL_EXPORTER'))).toEqual([]);
      const l2 = env(synthService({ database: db, distributedCache: { endpoint: 'redis.cache.svc', port: 6380, tls: false, clusterMode: true }, cacheL2TtlSeconds: 600 }));
      expect(l2.filter((v: { name: string }) => v.name.startsWith('CACHE_L2_'))).toEqual([
        { name: 'CACHE_L2_ENDPOINT', value: 'redis.cache.svc' }, { name: 'CACHE_L2_PORT', value: '6380' }, { name: 'CACHE_L2_TLS', value: 'false' },
        { name: 'CACHE_L2_CLUSTER_MODE', value: 'true' }, { name: 'CACHE_L2_TTL_SECONDS', value: '600' },
      ]);
    });

    test('a NetworkPolicy opens egress to the database, cache and collector ports (by port: a policy cannot select a DNS name)', () => {
      expect(dependencies(synthService(DATA_PATH))?.spec).toEqual({
        podSelector: { matchLabels: SELECTOR }, policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 6379 }, { protocol: 'TCP', port: 4318 }] }],
      });
      const https = synthService({ otlpEndpoint: 'https://otel.example.com', database: { ...db, port: 6379 }, distributedCache: { endpoint: 'valkey' } });
      expect(dependencies(https)?.spec.egress).toEqual([{ ports: [{ protocol: 'TCP', port: 6379 }, { protocol: 'TCP', port: 443 }] }]);
    });

    test('a password is a Secret reference, never a value (by type)', () => {
      const inline: KubernetesServiceProps['database'] = {
        endpoint: 'postgres', user: 'app', passwordSecret: { name: 'pg', key: 'password' },
        // @ts-expect-error the password itself is not a prop: pass passwordSecret
        password: 'hunter2',
      };
      expect(inline).toBeDefined();
    });
  });

  describe('feature flags (featureFlags)', () => {
    test('a ConfigMap holds the evaluated flags, every one off, mounted read-only as a directory; FLAGS_URL names the file', () => {
      const m = synthService({ featureFlags: true });
      const configMap = one(m, 'ConfigMap', 'checkout-flags');
      expect(JSON.parse(configMap.data['flags.json'] as string)).toEqual(evaluatedFlags());
      const pod = one(m, 'Deployment').spec.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'flags', configMap: { name: 'checkout-flags' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'flags', mountPath: '/etc/platform/flags', readOnly: true });
      expect(pod.containers[0].env).toContainEqual({ name: 'FLAGS_URL', value: 'file:///etc/platform/flags/flags.json' });
    });

    test('off by default: no ConfigMap, no mount, no FLAGS_URL', () => {
      expect(manifests.filter((o) => o.kind === 'ConfigMap')).toEqual([]);
      expect(JSON.stringify(one(manifests, 'Deployment'))).not.toContain('flags');
    });
  });

  test('snapshot: the Deployment', () => {
    expect(one(synthService(DATA_PATH), 'Deployment')).toMatchSnapshot();
  });

  describe('validation', () => {
    const make = (overrides: Parameters<typeof serviceProps>[0]) => () => new ServiceChart(Testing.app(), 'checkout', serviceProps(overrides));
    test.each([
      [{ minReplicas: 2 }, 'checkout: minReplicas (2) is below 3, the fewest that survive a zone outage with a pod down: set minReplicas to 3 or more'],
      [{ minReplicas: 5, maxReplicas: 4 }, 'checkout: maxReplicas (4) is below minReplicas (5): raise maxReplicas or lower minReplicas'],
      [{ targetCpuUtilization: 100 }, 'checkout: targetCpuUtilization (100) must be an integer from 10 to 95: set targetCpuUtilization to a whole number between 10 and 95'],
      [{ service: 'Checkout' }, 'checkout: service (\'Checkout\') is not a valid Kubernetes name: use at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit'],
      [{ port: 80 }, 'checkout: port (80) must be an integer from 1024 to 65535: set port to a whole number between 1024 and 65535'],
      [{ terminationGracePeriodSeconds: 5 }, 'checkout: terminationGracePeriodSeconds (5) must be a whole number of seconds above the 5-second preStop wait and at most 3600: set it to 30 or more'],
      [{ slos: [] }, 'checkout: slos ([]) is empty: pass the service\'s SLOs (e.g. serviceObjectives(service).slos)'],
      [{ slos: [Slo.availability({ service: 'checkout', target: 0.999, periodDays: 30 })] },
        'checkout: slos (["checkout-availability"]) has no latency SLO: add a Slo.latency({ service, threshold, target }): its threshold is the p99 alert threshold'],
      [{ slos: [Slo.latency({ service: 'cart', threshold: 0.25, target: 0.99, periodDays: 30 })] },
        'checkout: slos (\'cart-latency\') is an SLO of service \'cart\', not of \'checkout\': pass only SLOs declared with service: \'checkout\''],
    ])('%j', (overrides, message) => {
      expect(make(overrides)).toThrow(message);
    });

    const db = DATA_PATH.database;
    const secret = { name: 'checkout-db', key: 'password' };
    test.each<[Partial<KubernetesServiceProps>, string]>([
      [{ database: { ...db, endpoint: 'postgres://postgres.checkout.svc:5432' } },
        'checkout: database.endpoint (\'postgres://postgres.checkout.svc:5432\') has a scheme: pass the host name only, e.g. \'postgres.checkout.svc\' (the port is database.port)'],
      [{ database: { ...db, endpoint: 'postgres.checkout.svc:5432' } },
        'checkout: database.endpoint (\'postgres.checkout.svc:5432\') has a port: pass the host name only and the port as database.port'],
      [{ database: { ...db, readOnlyEndpoint: 'postgres ro' } },
        'checkout: database.readOnlyEndpoint (\'postgres ro\') is not a host name: use a DNS name such as \'postgres-ro.checkout.svc\' or an IPv4 address'],
      [{ database: { ...db, port: 70000 } }, 'checkout: database.port (70000) must be an integer from 1 to 65535: set database.port to a whole number between 1 and 65535'],
      [{ database: { ...db, user: '' } }, 'checkout: database.user (\'\') is not a valid name: use 1 to 63 characters without whitespace, e.g. \'checkout\''],
      [{ database: { ...db, tlsMode: 'verify-full' as 'require' } }, 'checkout: database.tlsMode (\'verify-full\') is not a supported value: use one of require, disable'],
      [{ database: { ...db, passwordSecret: 'hunter2' as unknown as typeof secret } },
        'checkout: database.passwordSecret (\'<redacted>\') is not a Secret reference: store the password in a Kubernetes Secret of the service\'s namespace and pass its { name, key }: the container reads DB_PASSWORD from it'],
      [{ database: { ...db, passwordSecret: { name: 'Checkout_DB', key: 'password' } } },
        'checkout: database.passwordSecret.name (\'Checkout_DB\') is not a valid Secret name: use at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit'],
      [{ database: { ...db, passwordSecret: { ...secret, key: 'pass word' } } },
        'checkout: database.passwordSecret.key (\'pass word\') is not a valid Secret key: use at most 253 letters, digits, \'-\', \'_\' and \'.\''],
      [{ cacheL1TtlSeconds: 60 },
        'checkout: cacheL1TtlSeconds (60) is set without database: the service reads its cache settings only with a database (DB_ENDPOINT): pass database or remove cacheL1TtlSeconds'],
      [{ distributedCache: { endpoint: 'valkey' } },
        'checkout: distributedCache ({"endpoint":"valkey"}) is set without database: the service reads its cache settings only with a database (DB_ENDPOINT): pass database or remove distributedCache'],
      [{ database: db, cacheL1TtlSeconds: 0 }, 'checkout: cacheL1TtlSeconds (0) must be an integer from 1 to 86400: set cacheL1TtlSeconds to a whole number between 1 and 86400'],
      [{ database: db, cacheL1MaxItems: 0 }, 'checkout: cacheL1MaxItems (0) must be an integer from 1 to 10000000: set cacheL1MaxItems to a whole number between 1 and 10000000'],
      [{ database: db, cacheL2TtlSeconds: 60 }, 'checkout: cacheL2TtlSeconds (60) is set without distributedCache: pass distributedCache or remove cacheL2TtlSeconds'],
      [{ database: db, distributedCache: { endpoint: 'rediss://valkey.checkout.svc' } },
        'checkout: distributedCache.endpoint (\'rediss://valkey.checkout.svc\') has a scheme: pass the host name only, e.g. \'valkey.checkout.svc\' (the port is distributedCache.port)'],
      [{ database: db, distributedCache: { endpoint: 'valkey', port: 0 } },
        'checkout: distributedCache.port (0) must be an integer from 1 to 65535: set distributedCache.port to a whole number between 1 and 65535'],
      [{ database: db, distributedCache: { endpoint: 'valkey' }, cacheL2TtlSeconds: 700_000 },
        'checkout: cacheL2TtlSeconds (700000) must be an integer from 1 to 604800: set cacheL2TtlSeconds to a whole number between 1 and 604800'],
      [{ database: db, distributedCache: { endpoint: 'valkey', username: 'checkout' } },
        'checkout: distributedCache.passwordSecret (undefined) is not set while distributedCache.username (\'checkout\') is, and the service requires CACHE_L2_PASSWORD with CACHE_L2_USERNAME: pass distributedCache.passwordSecret: { name, key } of the Secret holding the user\'s password'],
      [{ otlpEndpoint: 'otel-collector.monitoring.svc:4318' },
        'checkout: otlpEndpoint (\'otel-collector.monitoring.svc:4318\') is not an http(s) URL: use the collector\'s OTLP/HTTP endpoint, e.g. \'http://otel-collector.monitoring.svc:4318\''],
    ])('data path: %j', (overrides, message) => {
      expect(make(overrides)).toThrow(message);
    });
  });
});
