import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AlertmanagerConfig, AlertmanagerTarget, Receiver } from '../../constructs/core/observability/alertmanager';
import { platformOverviewDashboard, serviceDashboard } from '../../constructs/core/observability/dashboards';
import { MonitoringStackChart } from '../../constructs/k8s';
import { serviceObjectives } from '../../stacks/objectives';
import { monitoringProps, one, synthMonitoring } from './helpers';

const PROM = { 'app.kubernetes.io/component': 'prometheus', 'app.kubernetes.io/instance': 'platform', 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/part-of': 'platform-stacks' };
const AM = { ...PROM, 'app.kubernetes.io/component': 'alertmanager', 'app.kubernetes.io/name': 'alertmanager' };

describe('MonitoringStackChart', () => {
  const manifests = synthMonitoring();

  test('renders the objects in apply order', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/prometheus-monitoring-platform', 'ClusterRole/prometheus-monitoring-platform', 'ClusterRoleBinding/prometheus-monitoring-platform',
      'Prometheus/platform', 'PodDisruptionBudget/prometheus-platform', 'PrometheusRule/platform-platform',
      'Secret/alertmanager-platform', 'Alertmanager/platform', 'PodDisruptionBudget/alertmanager-platform',
      'ConfigMap/grafana-datasources', 'ConfigMap/grafana-dashboard-providers', 'ConfigMap/grafana-dashboards',
      'Deployment/grafana', 'Service/grafana',
    ]);
  });

  describe('Prometheus', () => {
    const p = one(manifests, 'Prometheus');
    test('2 replicas, 30 days of retention (the seeds\', a full SLO period), a persistent volume each', () => {
      expect(p.spec).toMatchObject({
        replicas: 2, retention: '30d',
        storage: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } },
      });
    });
    test('loads the rules and ServiceMonitors labelled prometheus=<name> in every namespace', () => {
      expect(p.spec).toMatchObject({
        ruleSelector: { matchLabels: { prometheus: 'platform' } }, ruleNamespaceSelector: {},
        serviceMonitorSelector: { matchLabels: { prometheus: 'platform' } }, serviceMonitorNamespaceSelector: {},
        serviceAccountName: 'prometheus-monitoring-platform',
        alerting: { alertmanagers: [{ namespace: 'monitoring', name: 'alertmanager-operated', port: 'web', apiVersion: 'v2' }] },
      });
    });
    test('anti-affinity across zones; PDB minAvailable 1', () => {
      expect(p.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toEqual({
        weight: 100, podAffinityTerm: { labelSelector: { matchLabels: PROM }, topologyKey: 'topology.kubernetes.io/zone', namespaces: ['monitoring'] },
      });
      expect(p.spec.podMetadata.labels).toEqual(PROM);
      expect(one(manifests, 'PodDisruptionBudget', 'prometheus-platform').spec).toEqual({ minAvailable: 1, selector: { matchLabels: PROM } });
    });
  });

  describe('Alertmanager', () => {
    test('3 replicas, anti-affinity across zones; PDB maxUnavailable 1', () => {
      const a = one(manifests, 'Alertmanager');
      expect(a.spec.replicas).toBe(3);
      expect(a.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('topology.kubernetes.io/zone');
      expect(one(manifests, 'PodDisruptionBudget', 'alertmanager-platform').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: AM } });
    });
    test('configuration: the Secret alertmanager-<name> holds AlertmanagerConfig.render()', () => {
      const s = one(manifests, 'Secret');
      expect(s.stringData['alertmanager.yaml']).toBe(monitoringProps().alertmanagerConfig.render());
      const cfg = parse(s.stringData['alertmanager.yaml']);
      expect(cfg.inhibit_rules[0]).toEqual({ source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['alertname', 'service'] });
    });
    test('mounts the receivers\' secrets', () => {
      expect(one(synthMonitoring({ alertmanagerSecrets: ['pagerduty'] }), 'Alertmanager').spec.secrets).toEqual(['pagerduty']);
    });
    const withoutHeartbeat = new AlertmanagerConfig({
      paging: Receiver.pagerDuty('page', { routingKeyFile: '/etc/alertmanager/secrets/pagerduty/routing-key' }),
      ticket: Receiver.webhook('ticket', { url: 'http://receiver:8080/ticket' }),
    });
    test('heartbeatUrl: the Watchdog goes to the external dead man\'s switch every 5 minutes', () => {
      const cfg = parse(one(synthMonitoring({ alertmanagerConfig: withoutHeartbeat, heartbeatUrl: 'https://hc-ping.com/0b1c' }), 'Secret').stringData['alertmanager.yaml']);
      expect(cfg.route.routes[0]).toEqual({ receiver: 'heartbeat', matchers: ['alertname="Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '5m' });
      expect(cfg.receivers).toContainEqual({ name: 'heartbeat', webhook_configs: [{ url: 'https://hc-ping.com/0b1c', send_resolved: true }] });
      // Pages go to PagerDuty (Events API v2, the routing key read from the mounted Secret).
      expect(cfg.receivers).toContainEqual({ name: 'page', pagerduty_configs: [{ routing_key_file: '/etc/alertmanager/secrets/pagerduty/routing-key', send_resolved: true }] });
      // Without it, the Watchdog is routed to no heartbeat receiver.
      const plain = parse(one(synthMonitoring({ alertmanagerConfig: withoutHeartbeat }), 'Secret').stringData['alertmanager.yaml']);
      expect(plain.receivers.map((r: { name: string }) => r.name)).not.toContain('heartbeat');
    });
    test.each([
      [{ alertmanagerConfig: withoutHeartbeat, heartbeatUrl: 'http://hc-ping.com/x' }, "monitoring: heartbeatUrl ('http://hc-ping.com/x') is not an https URL: use the ping URL of the dead man's switch, e.g. https://hc-ping.com/<uuid>"],
      [{ heartbeatUrl: 'https://hc-ping.com/x', alertmanagerConfig: new AlertmanagerConfig({
        paging: Receiver.webhook('page', { url: 'https://x.example.com' }), ticket: Receiver.webhook('ticket', { url: 'https://x.example.com' }),
        heartbeat: Receiver.webhook('hb', { url: 'https://hc.example.com' }),
      }) }, "monitoring: heartbeatUrl ('https://hc-ping.com/x') is given while alertmanagerConfig already has the heartbeat receiver 'hb': set the dead man's switch once: heartbeatUrl, or AlertmanagerConfigProps.heartbeat"],
    ])('a bad heartbeatUrl is refused %#', (overrides, message) => {
      expect(() => synthMonitoring(overrides)).toThrow(message);
    });
  });

  describe('Grafana', () => {
    test('provisions the Prometheus data source', () => {
      const ds = parse(one(manifests, 'ConfigMap', 'grafana-datasources').data['datasources.yaml']);
      expect(ds.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus-operated.monitoring.svc:9090', isDefault: true })]);
    });
    test('provisions the core dashboards, byte for byte', () => {
      const slos = serviceObjectives('checkout').slos;
      const svc = serviceDashboard({ service: 'checkout', slos, cpuLimitCores: 1, memoryLimitBytes: 2 ** 31 });
      const data = one(synthMonitoring({ dashboards: [svc] }), 'ConfigMap', 'grafana-dashboards').data;
      expect(Object.keys(data)).toEqual(['platform-overview.json', 'svc-checkout.json']);
      expect(JSON.parse(data['platform-overview.json'])).toEqual(JSON.parse(JSON.stringify(platformOverviewDashboard({ slos }))));
    });
    test('mounts the provisioning ConfigMaps into a non-root, read-only container', () => {
      const pod = one(manifests, 'Deployment', 'grafana').spec.template.spec;
      expect(pod.volumes.filter((v: { configMap?: unknown }) => v.configMap).map((v: { configMap: { name: string } }) => v.configMap.name))
        .toEqual(['grafana-datasources', 'grafana-dashboard-providers', 'grafana-dashboards']);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    });
  });

  test('snapshot: the Prometheus', () => {
    expect(one(manifests, 'Prometheus')).toMatchSnapshot();
  });

  describe('validation', () => {
    const make = (overrides: Parameters<typeof monitoringProps>[0]) => () => new MonitoringStackChart(Testing.app(), 'monitoring', monitoringProps(overrides));
    test.each([
      [{ prometheusReplicas: 1 }, 'monitoring: prometheusReplicas (1) is below 2: one Prometheus is a single point of failure for alerting: set prometheusReplicas to 2 or more'],
      [{ alertmanagerReplicas: 2 }, 'monitoring: alertmanagerReplicas (2) is below 3: the cluster cannot lose a zone and still deduplicate: set alertmanagerReplicas to 3 or more'],
      [{ retention: '15 days' }, 'monitoring: retention (\'15 days\') is not a Prometheus duration: use a duration such as \'15d\''],
      [{ storageSize: '50GB' }, 'monitoring: storageSize (\'50GB\') is not a Kubernetes quantity: use a size such as \'50Gi\''],
      [{ dashboards: [platformOverviewDashboard({ slos: serviceObjectives('checkout').slos })] },
        'monitoring: dashboards (\'platform-overview\') is provisioned twice (the platform overview is always included): give every dashboard its own uid and do not pass platformOverviewDashboard(...) in dashboards'],
      [{ alertmanagerConfig: new AlertmanagerConfig({ target: AlertmanagerTarget.AMAZON_MANAGED_PROMETHEUS, paging: Receiver.sns('p', { topicArn: 'arn:aws:sns:eu-west-1:111111111111:p' }), ticket: Receiver.sns('t', { topicArn: 'arn:aws:sns:eu-west-1:111111111111:t' }) }) },
        'monitoring: alertmanagerConfig (\'amazon-managed-prometheus\') targets another Alertmanager than the one deployed here: build it with target: AlertmanagerTarget.SELF_HOSTED'],
    ])('%#', (overrides, message) => {
      expect(make(overrides)).toThrow(message);
    });
  });
});
