import { DEFAULT_HTTP_DURATION_BUCKETS, leMatcher, Slo } from '../../../constructs/core/observability/slo';

describe('Slo: defaults and derived values', () => {
  test('availability defaults to 99.9% over 30 days, named <service>-availability', () => {
    const slo = Slo.availability({ service: 'checkout' });
    expect([slo.kind, slo.name, slo.target, slo.periodDays, slo.errorBudget, slo.periodSeconds])
      .toEqual(['availability', 'checkout-availability', 0.999, 30, 0.001, 2_592_000]);
  });

  test('latency keeps its threshold', () => {
    const slo = Slo.latency({ service: 'checkout', threshold: 0.25, target: 0.99 });
    expect([slo.name, slo.threshold, slo.errorBudget]).toEqual(['checkout-latency', 0.25, 0.01]);
  });
});

describe('Slo: SLI queries over the OTel HTTP server metrics', () => {
  test('availability: 5xx share of all requests, 0 errors when no 5xx series exists', () => {
    expect(Slo.availability({ service: 'checkout' }).errorRatio('5m')).toBe(
      '(sum(rate(http_server_request_duration_seconds_count{job="checkout",http_response_status_code=~"5.."}[5m])) or vector(0))'
      + ' / sum(rate(http_server_request_duration_seconds_count{job="checkout"}[5m]))');
  });

  test('latency: requests above the threshold bucket share of all requests', () => {
    expect(Slo.latency({ service: 'checkout', threshold: 0.25 }).errorRatio('1h')).toBe(
      '(sum(rate(http_server_request_duration_seconds_count{job="checkout"}[1h]))'
      + ' - sum(rate(http_server_request_duration_seconds_bucket{job="checkout",le="0.25"}[1h])))'
      + ' / sum(rate(http_server_request_duration_seconds_count{job="checkout"}[1h]))');
  });

  test('whole bucket bounds match both `1` and `1.0`', () => {
    expect(leMatcher(1)).toBe('le=~"1(\\\\.0)?"');
    expect(leMatcher(0.5)).toBe('le="0.5"');
  });

  test('default buckets are the OTel advice for http.server.request.duration', () => {
    expect(DEFAULT_HTTP_DURATION_BUCKETS).toEqual([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
  });
});

describe('Slo: validation', () => {
  test.each<[string, () => Slo, string]>([
    ['target 1', () => Slo.availability({ service: 'checkout', target: 1 }),
      'Slo.availability: target (1) must be between 0.9 and 0.99999: set target to the share of good requests, e.g. 0.999 for 99.9%'],
    ['target as percent', () => Slo.availability({ service: 'checkout', target: 99.9 }),
      'Slo.availability: target (99.9) must be between 0.9 and 0.99999: set target to the share of good requests, e.g. 0.999 for 99.9%'],
    ['target 0.8', () => Slo.latency({ service: 'checkout', threshold: 0.25, target: 0.8 }),
      'Slo.latency: target (0.8) must be between 0.9 and 0.99999: set target to the share of good requests, e.g. 0.999 for 99.9%'],
    ['target NaN', () => Slo.availability({ service: 'checkout', target: Number.NaN }),
      'Slo.availability: target (NaN) must be between 0.9 and 0.99999: set target to the share of good requests, e.g. 0.999 for 99.9%'],
    ['target whose page alert cannot fire', () => Slo.availability({ service: 'checkout', target: 0.92 }),
      'Slo.availability: target (0.92) makes the 1h burn-rate alert unreachable (14.4 × error budget 0.08 = 1.152, an error ratio of 1 or more): set target above 0.930555555556 or shorten periodDays'],
    ['fractional period', () => Slo.availability({ service: 'checkout', periodDays: 1.5 }),
      'Slo.availability: periodDays (1.5) must be a whole number of days from 1 to 365: set periodDays to e.g. 30 (or 28 for four whole weeks)'],
    ['zero period', () => Slo.availability({ service: 'checkout', periodDays: 0 }),
      'Slo.availability: periodDays (0) must be a whole number of days from 1 to 365: set periodDays to e.g. 30 (or 28 for four whole weeks)'],
    ['period shorter than the 3d window', () => Slo.availability({ service: 'checkout', periodDays: 2 }),
      'Slo.availability: periodDays (2) is shorter than the longest burn-rate window (3d): set periodDays to at least 3'],
    ['threshold not a bucket bound', () => Slo.latency({ service: 'checkout', threshold: 0.3 }),
      'Slo.latency: threshold (0.3) is not a bucket bound of the request-duration histogram: use one of 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10 (or pass the service\'s buckets)'],
    ['threshold in ms', () => Slo.latency({ service: 'checkout', threshold: 250, buckets: [0.1, 0.25] }),
      'Slo.latency: threshold (250) is not a bucket bound of the request-duration histogram: use one of 0.1, 0.25 (or pass the service\'s buckets)'],
    ['service with a quote', () => Slo.availability({ service: 'check"out' }),
      'Slo.availability: service (\'check"out\') is not a valid service name: use the service\'s Prometheus job name: a letter, then up to 62 letters, digits, \'_\', \'.\' or \'-\''],
    ['empty service', () => Slo.latency({ service: '', threshold: 0.25 }),
      'Slo.latency: service (\'\') is not a valid service name: use the service\'s Prometheus job name: a letter, then up to 62 letters, digits, \'_\', \'.\' or \'-\''],
  ])('%s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('custom buckets accept their own bounds', () => {
    expect(Slo.latency({ service: 'checkout', threshold: 0.3, buckets: [0.1, 0.3, 1] }).threshold).toBe(0.3);
  });
});
