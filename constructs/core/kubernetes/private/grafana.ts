import { stringify } from 'yaml';
import { dashboardJson } from '../../observability/dashboards';
import { PlatformValidationError } from '../../errors';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import type { ResolvedMonitoringProps } from './monitoring-props';
import { PART_OF } from '../objects';

/** Uid of the provisioned Prometheus data source. */
export const GRAFANA_DATASOURCE_UID = 'prometheus';
/** Where the dashboards ConfigMap is mounted and the file provider reads. */
export const GRAFANA_DASHBOARDS_PATH = '/var/lib/grafana/dashboards';
/** A ConfigMap holds at most 1 MiB. */
const CONFIG_MAP_LIMIT_BYTES = 1024 * 1024;

function labels(): Record<string, string> {
  return { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/component': 'grafana', ...PART_OF };
}

function meta(p: ResolvedMonitoringProps, name: string) {
  return { name, namespace: p.namespace, labels: labels() };
}

/** The Prometheus data source (through the operator's `prometheus-operated` Service), the default. */
export function grafanaDatasources(p: ResolvedMonitoringProps): IConfigMap {
  return {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(p, 'grafana-datasources'),
    data: {
      'datasources.yaml': stringify({
        apiVersion: 1,
        datasources: [{
          name: 'Prometheus', type: 'prometheus', uid: GRAFANA_DATASOURCE_UID, access: 'proxy', isDefault: true, editable: false,
          url: `http://prometheus-operated.${p.namespace}.svc:9090`,
        }],
      }, { lineWidth: 0 }),
    },
  };
}

/** The file provider that loads the dashboards ConfigMap (read-only in the UI: edit the code, not the dashboard). */
export function grafanaDashboardProviders(p: ResolvedMonitoringProps): IConfigMap {
  return {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(p, 'grafana-dashboard-providers'),
    data: {
      'dashboards.yaml': stringify({
        apiVersion: 1,
        providers: [{
          name: 'platform-stacks', folder: 'Platform', type: 'file', disableDeletion: true, allowUiUpdates: false,
          updateIntervalSeconds: 30, options: { path: GRAFANA_DASHBOARDS_PATH },
        }],
      }, { lineWidth: 0 }),
    },
  };
}

/** The core dashboards, one `<uid>.json` key each (`dashboardJson`: the same bytes as the AWS path provisions). */
export function grafanaDashboards(where: string, p: ResolvedMonitoringProps): IConfigMap {
  const data = Object.fromEntries(p.dashboards.map((d) => [`${d.uid}.json`, dashboardJson(d)]));
  const size = Object.values(data).reduce((n, v) => n + Buffer.byteLength(v), 0);
  if (size > CONFIG_MAP_LIMIT_BYTES) {
    throw new PlatformValidationError(where, 'dashboards', p.dashboards.map((d) => d.uid), `render to ${size} bytes, above the 1 MiB a ConfigMap holds`,
      'provision fewer dashboards here and the rest with another MonitoringStack or the Grafana API');
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(p, 'grafana-dashboards'), data };
}

/**
 * Grafana: stateless (data sources and dashboards are provisioned; its SQLite database is scratch), non-root,
 * read-only root file system, admin credentials from a Secret the user creates.
 */
export function grafanaDeployment(p: ResolvedMonitoringProps): IDeployment {
  const secret = (key: string) => ({ secretKeyRef: { name: p.grafanaAdminSecret, key } });
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(p, 'grafana'),
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } },
      template: {
        metadata: { labels: labels() },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'grafana',
            image: p.grafanaImage,
            ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
            env: [
              { name: 'GF_SECURITY_ADMIN_USER', valueFrom: secret('admin-user') },
              { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: secret('admin-password') },
              { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'false' },
              { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
              { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
            ],
            readinessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
            livenessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 10, failureThreshold: 6, initialDelaySeconds: 30 },
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [
              { name: 'storage', mountPath: '/var/lib/grafana' },
              { name: 'tmp', mountPath: '/tmp' },
              { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
              { name: 'dashboard-providers', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
              { name: 'dashboards', mountPath: GRAFANA_DASHBOARDS_PATH, readOnly: true },
            ],
          }],
          volumes: [
            { name: 'storage', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
            { name: 'datasources', configMap: { name: 'grafana-datasources' } },
            { name: 'dashboard-providers', configMap: { name: 'grafana-dashboard-providers' } },
            { name: 'dashboards', configMap: { name: 'grafana-dashboards' } },
          ],
        },
      },
    },
  };
}

/** ClusterIP Service on 3000. */
export function grafanaService(p: ResolvedMonitoringProps): IService {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(p, 'grafana'),
    spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'grafana' }, ports: [{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }] },
  };
}
