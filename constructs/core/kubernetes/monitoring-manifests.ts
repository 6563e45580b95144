import type { KubernetesMonitoringProps } from './monitoring-props';
import { alertmanager, alertmanagerConfigSecret, alertmanagerPdb } from './private/alertmanager';
import { grafanaDashboardProviders, grafanaDashboards, grafanaDatasources, grafanaDeployment, grafanaService } from './private/grafana';
import { resolveMonitoringProps } from './private/monitoring-props';
import type { KubeObject, Manifest } from './objects';
import { platformPrometheusRule, prometheus, prometheusPdb, prometheusRbac } from './private/prometheus';

/** Every object of the monitoring stack, in apply order, with its construct id. Both engines call this. */
export function monitoringManifests(where: string, props: KubernetesMonitoringProps): Manifest[] {
  const p = resolveMonitoringProps(where, props);
  const m = (id: string, object: unknown): Manifest => ({ id, object: object as KubeObject });
  const [sa, role, binding] = prometheusRbac(p);
  return [
    m('PrometheusServiceAccount', sa),
    m('PrometheusClusterRole', role),
    m('PrometheusClusterRoleBinding', binding),
    m('Prometheus', prometheus(p)),
    m('PrometheusPodDisruptionBudget', prometheusPdb(p)),
    m('PlatformRules', platformPrometheusRule(p)),
    m('AlertmanagerConfig', alertmanagerConfigSecret(p)),
    m('Alertmanager', alertmanager(p)),
    m('AlertmanagerPodDisruptionBudget', alertmanagerPdb(p)),
    m('GrafanaDatasources', grafanaDatasources(p)),
    m('GrafanaDashboardProviders', grafanaDashboardProviders(p)),
    m('GrafanaDashboards', grafanaDashboards(where, p)),
    m('Grafana', grafanaDeployment(p)),
    m('GrafanaService', grafanaService(p)),
  ];
}
