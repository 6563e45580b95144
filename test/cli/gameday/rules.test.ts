import { parse } from 'yaml';
import { alertingRules, renderRuleFile } from '../../../constructs/core/observability/rule-file';
import type { AlertingRule, RecordingRule } from '../../../constructs/core/observability/rule-file';
import { runbookExists } from '../../../cli/gameday/experiment-kit';
import {
  compressRule, gameDayAlertmanagerConfig, gameDayRuleFiles, gameDayRuleGroups, parsePromDuration, REFERENCE_CONTAINER_LIMITS,
} from '../../../cli/gameday/rules';
import { referenceRuleGroups } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../../helpers/container-limits';
import { runTool, writeTempFiles } from '../../core/observability/tools';

describe('game day rules', () => {
  test('the full profile loads the rule text the platform deploys (AMP, PrometheusRule), unchanged', () => {
    expect(REFERENCE_CONTAINER_LIMITS).toEqual(TEST_CONTAINER_LIMITS);
    expect(gameDayRuleFiles(1)).toEqual({ 'platform-rules.yml': renderRuleFile(referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS })) });
  });

  test('compression divides for, keep_firing_for, ranges, subqueries and offsets, and nothing else', () => {
    const rule: AlertingRule = {
      alert: 'X', expr: 'sum(rate(m[5m])) > 3 * sum(rate(m[5m] offset 1w)) and max_over_time(x[1h:5m]) > 0', for: '10m', keepFiringFor: '5m',
      labels: { severity: 'warning', window: '5m' }, annotations: { summary: 's over 5m', description: 'd', runbook_url: 'u' },
    };
    expect(compressRule(rule, 60)).toEqual({
      ...rule,
      expr: 'sum(rate(m[5s])) > 3 * sum(rate(m[5s] offset 2h48m)) and max_over_time(x[1m:5s]) > 0',
      for: '10s',
      keepFiringFor: '5s',
    });
    const recording: RecordingRule = { record: 'r', expr: 'rate(m[30s])', labels: { a: 'b' } };
    // Never below the quick profile's 1 s scrape interval.
    expect(compressRule(recording, 60)).toEqual({ ...recording, expr: 'rate(m[1s])' });
    expect(parsePromDuration('1h30m')).toBe(5_400_000);
    expect(() => parsePromDuration('5 minutes')).toThrow('not a Prometheus duration: 5 minutes');
  });

  test('the quick profile\'s rules: SLO windows from the generator, every other rule compressed, promtool accepts them', () => {
    const groups = gameDayRuleGroups(60);
    const names = groups.map((g) => g.name);
    expect(names).toEqual(referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS }).map((g) => g.name));
    const byName = new Map(alertingRules(groups).map((r) => [`${r.alert}/${r.labels.severity}`, r]));
    expect(byName.get('DatabaseCircuitOpen/critical')?.for).toBe('1s');
    expect(byName.get('CacheBypassActive/warning')?.for).toBe('5s');
    expect(byName.get('RequestsShed/critical')?.expr).toContain('[5s]');
    expect(groups.find((g) => g.name.startsWith('slo-'))?.rules.some((r) => 'record' in r && r.record === 'slo:sli_error:ratio_rate1m')).toBe(true);
    for (const r of alertingRules(groups)) expect(runbookExists(r.annotations.runbook_url)).toBe(true);
    const dir = writeTempFiles(gameDayRuleFiles(60));
    const run = runTool('promtool', ['check', 'rules', 'platform-rules.yml'], dir);
    expect(run.output).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });

  test('Alertmanager: the platform\'s routes to the harness\'s webhook; fast timings only in the quick profile; amtool accepts both', () => {
    for (const fast of [true, false]) {
      const text = gameDayAlertmanagerConfig('http://127.0.0.1:9', fast);
      const doc = parse(text) as { route: { group_wait: string; routes: Array<{ receiver: string; group_wait?: string }> } };
      expect(doc.route.routes.map((r) => r.receiver)).toEqual(['heartbeat', 'critical', 'warning', 'null']);
      expect(doc.route.routes[1].group_wait).toBe(fast ? '1s' : '30s');
      expect(text).toContain('url: http://127.0.0.1:9/critical');
      const dir = writeTempFiles({ 'alertmanager.yml': text });
      const run = runTool('amtool', ['check-config', 'alertmanager.yml'], dir);
      expect(run.status).toBe(0);
    }
  });
});
