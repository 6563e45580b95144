/**
 * Panel helpers over @grafana/grafana-foundation-sdk shared by the dashboard generators. Not exported from the barrel.
 */
import { MetricEditorMode, MetricQueryType, MetricsQueryBuilder, QueryMode } from '@grafana/grafana-foundation-sdk/cloudwatch';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, LegendDisplayMode, LegendPlacement, ReduceDataOptionsBuilder, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import type { Dashboard, DashboardLink, Panel, RowPanel, Threshold } from '@grafana/grafana-foundation-sdk/dashboard';
import { AnnotationQueryBuilder, DashboardLinkBuilder, DashboardLinkType, DatasourceVariableBuilder, ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as GaugePanelBuilder } from '@grafana/grafana-foundation-sdk/gauge';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** Name of the Prometheus data source variable (`$datasource`). */
export const PROMETHEUS_VARIABLE = 'datasource';
/** Name of the CloudWatch data source variable (`$cloudwatch`). */
export const CLOUDWATCH_VARIABLE = 'cloudwatch';

const PROMETHEUS = { type: 'prometheus', uid: `$${PROMETHEUS_VARIABLE}` };
const CLOUDWATCH = { type: 'cloudwatch', uid: `$${CLOUDWATCH_VARIABLE}` };

/** A Prometheus query of a panel: PromQL and the legend of its series. */
export interface PromTarget {
  readonly expr: string;
  readonly legend: string;
}

/** A CloudWatch metric of a panel (metric search, or one metric with dimensions). */
export type CloudWatchTarget =
  | {
    readonly namespace: string; readonly metricName: string; readonly dimensions: Record<string, string>; readonly statistic: string;
    readonly label: string;
  }
  | { readonly search: string; readonly label: string };

/** What every panel helper takes. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly span: number;
  readonly height: number;
  /** Runbooks of the alerts this panel explains: `[title, url]`. */
  readonly runbooks?: ReadonlyArray<readonly [string, string]>;
  /** Threshold steps (first value null); rendered as dashed lines on time series. */
  readonly thresholds?: readonly Threshold[];
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
}

type AnyPanelBuilder = TimeseriesPanelBuilder | StatPanelBuilder | GaugePanelBuilder | TablePanelBuilder;

function common<T extends AnyPanelBuilder>(b: T, spec: PanelSpec): T {
  b.title(spec.title).description(spec.description).unit(spec.unit).span(spec.span).height(spec.height);
  if (spec.runbooks?.length) {
    b.links(spec.runbooks.map(([title, url]) => new DashboardLinkBuilder(title).type(DashboardLinkType.Link).url(url).targetBlank(true)));
  }
  if (spec.thresholds) b.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([...spec.thresholds]));
  if (spec.min !== undefined) b.min(spec.min);
  if (spec.max !== undefined) b.max(spec.max);
  if (spec.decimals !== undefined) b.decimals(spec.decimals);
  return b;
}

function refId(i: number): string {
  return String.fromCharCode(65 + i);
}

function promTargets(targets: readonly PromTarget[], instant = false): Array<Builder<Dataquery>> {
  return targets.map((t, i) => {
    const q = new DataqueryBuilder().datasource(PROMETHEUS).refId(refId(i)).expr(t.expr).legendFormat(t.legend);
    return instant ? q.instant().format(PromQueryFormat.Table) : q.range();
  });
}

function cloudWatchTargets(targets: readonly CloudWatchTarget[]): Array<Builder<Dataquery>> {
  return targets.map((t, i) => {
    const q = new MetricsQueryBuilder().datasource(CLOUDWATCH).refId(refId(i)).queryMode(QueryMode.Metrics)
      .region('default').label(t.label);
    if ('search' in t) {
      return q.metricQueryType(MetricQueryType.Search).metricEditorMode(MetricEditorMode.Code).expression(t.search);
    }
    return q.metricQueryType(MetricQueryType.Search).metricEditorMode(MetricEditorMode.Builder)
      .namespace(t.namespace).metricName(t.metricName).dimensions(t.dimensions).matchExact(true).statistic(t.statistic);
  });
}

function legend(): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).calcs([]);
}

/** A time series panel over Prometheus. */
export function promTimeseries(spec: PanelSpec, targets: readonly PromTarget[]): TimeseriesPanelBuilder {
  const b = common(new TimeseriesPanelBuilder(), spec).datasource(PROMETHEUS).targets(promTargets(targets)).legend(legend());
  if (spec.thresholds) b.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  return b;
}

/** A time series panel over CloudWatch. */
export function cloudWatchTimeseries(spec: PanelSpec, targets: readonly CloudWatchTarget[]): TimeseriesPanelBuilder {
  const b = common(new TimeseriesPanelBuilder(), spec).datasource(CLOUDWATCH).targets(cloudWatchTargets(targets)).legend(legend());
  if (spec.thresholds) b.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  return b;
}

/** A stat panel (last value) over Prometheus. */
export function promStat(spec: PanelSpec, targets: readonly PromTarget[]): StatPanelBuilder {
  return common(new StatPanelBuilder(), spec).datasource(PROMETHEUS).targets(promTargets(targets))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** A gauge panel (last value) over Prometheus. */
export function promGauge(spec: PanelSpec, targets: readonly PromTarget[]): GaugePanelBuilder {
  return common(new GaugePanelBuilder(), spec).datasource(PROMETHEUS).targets(promTargets(targets))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false)).showThresholdMarkers(true);
}

/** A table panel of one instant Prometheus query. */
export function promTable(spec: PanelSpec, target: PromTarget): TablePanelBuilder {
  return common(new TablePanelBuilder(), spec).datasource(PROMETHEUS).targets(promTargets([target], true));
}

/** The `$datasource` (Prometheus) variable. */
export function prometheusVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(PROMETHEUS_VARIABLE).label('Prometheus').type('prometheus');
}

/** The `$cloudwatch` (CloudWatch) variable. */
export function cloudWatchVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(CLOUDWATCH_VARIABLE).label('CloudWatch').type('cloudwatch');
}

/** Steps: `base` below `at`, then `color` (e.g. green below 80%, red from 80%). */
export function above(at: number, base = 'green', color = 'red'): Threshold[] {
  return [{ value: null, color: base }, { value: at, color }];
}

/**
 * What the SDK leaves to the Grafana UI, done here so the API stores a complete dashboard:
 * - panel ids in layout order (1, 2, ...; rows are panels too), which links to a panel need;
 * - the built-in "Annotations & Alerts" annotation (`annotations.list`, which the UI expects);
 * - links and the annotation without the SDK's default `placement: inControlsMenu`, which would tuck them into
 *   Grafana 12's controls menu.
 */
export function finishDashboard(d: Dashboard): Dashboard {
  const links = (list: DashboardLink[] | undefined): void => list?.forEach((l) => { delete l.placement; });
  links(d.links);
  (d.panels ?? []).forEach((p: Panel | RowPanel, i: number) => {
    p.id = i + 1;
    if ('links' in p) links(p.links);
  });
  const builtIn = new AnnotationQueryBuilder().name('Annotations & Alerts').builtIn(1).enable(true).hide(true)
    .datasource({ type: 'grafana', uid: '-- Grafana --' }).iconColor('rgba(0, 211, 255, 1)').type('dashboard').build();
  delete builtIn.placement;
  d.annotations = { list: [builtIn] };
  return d;
}

/** `value` with the keys of every object sorted, so `JSON.stringify` gives the same bytes for the same content. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
