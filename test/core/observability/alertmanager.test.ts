import { parse } from 'yaml';
import { AlertmanagerConfig, AlertmanagerTarget, Receiver } from '../../../constructs/core/observability/alertmanager';
import type { ToolRun } from './tools';
import { runTool, writeTempFiles } from './tools';

const selfHosted = (): AlertmanagerConfig => new AlertmanagerConfig({
  paging: Receiver.pagerDuty('pager', { routingKeyFile: '/etc/alertmanager/secrets/pagerduty-key' }),
  ticket: Receiver.slack('tickets', { apiUrlFile: '/etc/alertmanager/secrets/slack-url', channel: '#checkout-alerts' }),
  heartbeat: Receiver.webhook('heartbeat', { url: 'https://hc-ping.example.com/abc' }),
});
const amp = (): AlertmanagerConfig => new AlertmanagerConfig({
  target: AlertmanagerTarget.AMAZON_MANAGED_PROMETHEUS,
  paging: Receiver.sns('paging', { topicArn: 'arn:aws:sns:eu-west-1:111111111111:platform-critical' }),
  ticket: Receiver.sns('ticket', { topicArn: 'arn:aws:sns:eu-west-1:111111111111:platform-warning' }),
});

function amtool(config: AlertmanagerConfig, args: string[]): ToolRun {
  const dir = writeTempFiles({ 'alertmanager.yml': config.render() });
  return runTool('amtool', [...args.map((a) => a.replace('CONFIG', 'alertmanager.yml'))], dir);
}

describe('AlertmanagerConfig: routing and inhibition', () => {
  test('routes by severity, groups by alertname and service, with the documented timings', () => {
    // GIVEN a self-hosted config WHEN rendered THEN the route tree is as documented
    const route = (parse(selfHosted().render()) as { route: Record<string, unknown> }).route;
    expect(route).toMatchObject({ receiver: 'tickets', group_by: ['alertname', 'service'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
    expect(route.routes).toEqual([
      { receiver: 'heartbeat', matchers: ['alertname="Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '5m' },
      { receiver: 'pager', matchers: ['severity="critical"'], group_wait: '30s', repeat_interval: '4h' },
      { receiver: 'tickets', matchers: ['severity="warning"'], group_wait: '5m', group_interval: '15m', repeat_interval: '24h' },
      { receiver: 'null', matchers: ['severity="info"'] },
    ]);
  });

  test('critical mutes warning and info of the same alertname and service; RegionDown mutes its region', () => {
    expect((parse(selfHosted().render()) as { inhibit_rules: unknown }).inhibit_rules).toEqual([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['alertname', 'service'] },
      { source_matchers: ['alertname="RegionDown"'], target_matchers: ['service=~".+"'], equal: ['region'] },
    ]);
  });

  test('rendering is deterministic', () => {
    expect(selfHosted().render()).toBe(selfHosted().render());
  });

  test('AMP definition wraps the config under alertmanager_config, SNS receivers signed for the topic region', () => {
    const def = parse(amp().renderAmpDefinition()) as { alertmanager_config: string };
    const config = parse(def.alertmanager_config) as { receivers: unknown[] };
    expect(config.receivers).toEqual([
      { name: 'paging', sns_configs: [{ topic_arn: 'arn:aws:sns:eu-west-1:111111111111:platform-critical', sigv4: { region: 'eu-west-1' }, send_resolved: true }] },
      { name: 'ticket', sns_configs: [{ topic_arn: 'arn:aws:sns:eu-west-1:111111111111:platform-warning', sigv4: { region: 'eu-west-1' }, send_resolved: true }] },
      { name: 'null' },
    ]);
  });

  test('without a heartbeat receiver, Watchdog (info) goes to null', () => {
    const route = (parse(amp().render()) as { route: { routes: Array<{ receiver: string }> } }).route;
    expect(route.routes.map((r) => r.receiver)).toEqual(['paging', 'ticket', 'null']);
  });
});

describe('AlertmanagerConfig: validation', () => {
  const pd = Receiver.pagerDuty('pager', { routingKeyFile: '/k' });
  const sns = Receiver.sns('ticket', { topicArn: 'arn:aws:sns:us-east-1:111111111111:t' });
  test.each<[string, () => unknown, string]>([
    ['AMP with a PagerDuty receiver', () => new AlertmanagerConfig({ target: AlertmanagerTarget.AMAZON_MANAGED_PROMETHEUS, paging: pd, ticket: sns }),
      "AlertmanagerConfig: paging ('pagerduty receiver pager') is not supported by Amazon Managed Service for Prometheus: use Receiver.sns(...): AMP only delivers to SNS topics"],
    ['two receivers with one name', () => new AlertmanagerConfig({ paging: pd, ticket: Receiver.webhook('pager', { url: 'https://x.example.com' }) }),
      "AlertmanagerConfig: ticket ('pager') has the same name as paging: give every receiver its own name (or pass the same Receiver object)"],
    ['a receiver named null', () => new AlertmanagerConfig({ paging: Receiver.webhook('null', { url: 'https://x.example.com' }), ticket: sns }),
      "AlertmanagerConfig: paging ('null') has the same name as the null receiver: give every receiver its own name (or pass the same Receiver object)"],
    ['SNS topic without a readable region', () => Receiver.sns('p', { topicArn: ['$', '{Token[TOKEN.1]}'].join('') }),
      'Receiver.sns(p): region (undefined) is missing and cannot be read from topicArn: pass region, the region of the SNS topic'],
    ['webhook without http(s)', () => Receiver.webhook('w', { url: 'ftp://x' }),
      "Receiver.webhook(w): url ('ftp://x') is not an http(s) URL: use a URL such as https://alerts.example.com/hook"],
    ['bad receiver name', () => Receiver.webhook('on call', { url: 'https://x.example.com' }),
      "Receiver.webhook: name ('on call') is not a valid receiver name: use letters, digits, '_', '.' and '-'"],
  ])('%s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('the same Receiver object may serve paging and ticket', () => {
    expect(() => new AlertmanagerConfig({ paging: pd, ticket: pd })).not.toThrow();
  });
});

describe('amtool', () => {
  test.each([['self-hosted', selfHosted], ['AMP', amp]])('check-config accepts the %s config', (_, build) => {
    const run = amtool(build(), ['check-config', 'CONFIG']);
    expect(run.output).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });

  test('check-config rejects a broken config (the check can fail)', () => {
    const dir = writeTempFiles({ 'alertmanager.yml': 'route:\n  receiver: missing\nreceivers: []\n' });
    expect(runTool('amtool', ['check-config', 'alertmanager.yml'], dir).status).not.toBe(0);
  });

  const matrix: Array<[string, string, string]> = [];
  for (const service of ['checkout', 'payments']) {
    matrix.push(['critical', service, 'pager'], ['warning', service, 'tickets'], ['info', service, 'null'], ['', service, 'tickets']);
  }
  test.each(matrix)('routes test: severity=%s service=%s → %s', (severity, service, receiver) => {
    const labels = [...(severity ? [`severity=${severity}`] : []), `service=${service}`, 'alertname=HttpErrorRateHigh'];
    const run = amtool(selfHosted(), ['config', 'routes', 'test', '--config.file=CONFIG', `--verify.receivers=${receiver}`, ...labels]);
    expect(run.stdout.trim()).toBe(receiver);
    expect(run.status).toBe(0);
  });

  test('routes test: Watchdog goes to the heartbeat receiver', () => {
    const run = amtool(selfHosted(), ['config', 'routes', 'test', '--config.file=CONFIG', 'alertname=Watchdog', 'severity=info']);
    expect(run.stdout.trim()).toBe('heartbeat');
  });
});
