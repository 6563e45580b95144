/**
 * The data path's settings from the environment (the names the platform passes, DESIGN.md "The workload's
 * settings"): defaults, the platform's numbers, and a clear error naming the variable for every bad combination.
 */
import { ENV_VARS, optionsFromEnv } from '../../reference-service/src';

const DB = { DB_ENDPOINT: 'writer.proxy.internal', DB_USER: 'app', DB_PASSWORD: 'secret' };

describe('data path settings', () => {
  test('without DB_ENDPOINT there is no data path (probes and the sample route only)', () => {
    const options = optionsFromEnv({});
    expect(options.database).toBeUndefined();
    expect(options.cache).toBeUndefined();
    expect(options).toMatchObject({ timeScale: 1, maxInFlight: 200, otlpEndpoint: undefined });
  });

  test('defaults: TLS required, pool of 20, reads on the writer unless DB_READ_ONLY_ENDPOINT, L1 5 min x 10000, L2 off', () => {
    expect(optionsFromEnv(DB)).toMatchObject({
      database: {
        endpoint: 'writer.proxy.internal', readOnlyEndpoint: 'writer.proxy.internal', port: 5432, database: 'postgres',
        user: 'app', password: 'secret', iamAuth: false, tls: true, poolMax: 20, queryTimeoutMs: 2000,
      },
      cache: { l1TtlSeconds: 300, l1MaxItems: 10_000, l2: undefined },
    });
  });

  test('reads every platform setting', () => {
    const options = optionsFromEnv({
      DB_ENDPOINT: 'writer', DB_READ_ONLY_ENDPOINT: 'reader', DB_PORT: '6432', DB_NAME: 'catalog', DB_USER: 'app',
      DB_IAM_AUTH: 'true', AWS_REGION: 'eu-west-1', DB_TLS: 'require',
      CACHE_L1_TTL_SECONDS: '60', CACHE_L1_MAX_ITEMS: '500', CACHE_L2_ENDPOINT: 'cache', CACHE_L2_PORT: '6380',
      CACHE_L2_TLS: 'true', CACHE_L2_CLUSTER_MODE: 'true', CACHE_L2_TTL_SECONDS: '900', CACHE_L2_USERNAME: 'svc', CACHE_L2_PASSWORD: 'pw',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
    });
    expect(options).toMatchObject({
      otlpEndpoint: 'http://localhost:4318',
      database: { endpoint: 'writer', readOnlyEndpoint: 'reader', port: 6432, database: 'catalog', iamAuth: true, region: 'eu-west-1', password: undefined },
      cache: {
        l1TtlSeconds: 60, l1MaxItems: 500,
        l2: { endpoint: 'cache', port: 6380, tls: true, clusterMode: true, ttlSeconds: 900, username: 'svc', password: 'pw' },
      },
    });
  });

  test('bad values and combinations fail with the variable and the fix', () => {
    expect(() => optionsFromEnv({ DB_USER: 'app' })).toThrow(/DB_USER set but DB_ENDPOINT is not/);
    expect(() => optionsFromEnv({ CACHE_L2_ENDPOINT: 'cache' })).toThrow(/CACHE_L2_ENDPOINT set but DB_ENDPOINT is not/);
    expect(() => optionsFromEnv({ DB_ENDPOINT: 'w', DB_PASSWORD: 'x' })).toThrow(/DB_USER is required/);
    expect(() => optionsFromEnv({ ...DB, DB_TLS: 'prefer' })).toThrow(/DB_TLS="prefer" must be "require"/);
    expect(() => optionsFromEnv({ ...DB, DB_IAM_AUTH: 'true', AWS_REGION: 'eu-west-1' })).toThrow(/DB_PASSWORD is set but DB_IAM_AUTH is "true"/);
    expect(() => optionsFromEnv({ DB_ENDPOINT: 'w', DB_USER: 'app', DB_IAM_AUTH: 'true' })).toThrow(/AWS_REGION is not set/);
    expect(() => optionsFromEnv({ DB_ENDPOINT: 'w', DB_USER: 'app', DB_IAM_AUTH: 'true', AWS_REGION: 'eu-west-1', DB_TLS: 'disable' })).toThrow(/IAM authentication needs TLS/);
    expect(() => optionsFromEnv({ DB_ENDPOINT: 'w', DB_USER: 'app' })).toThrow(/DB_PASSWORD is required unless DB_IAM_AUTH/);
    expect(() => optionsFromEnv({ ...DB, DB_PORT: '0' })).toThrow(/DB_PORT="0" is not an integer between 1 and 65535/);
    expect(() => optionsFromEnv({ ...DB, CACHE_L1_TTL_SECONDS: '0' })).toThrow(/CACHE_L1_TTL_SECONDS="0"/);
    expect(() => optionsFromEnv({ ...DB, CACHE_L2_TLS: 'yes' })).toThrow(/CACHE_L2_TLS="yes" must be "true" or "false"/);
    expect(() => optionsFromEnv({ ...DB, CACHE_L2_USERNAME: 'svc' })).toThrow(/CACHE_L2_USERNAME is set without CACHE_L2_PASSWORD/);
    expect(() => optionsFromEnv({ ...DB, CACHE_L2_PASSWORD: 'pw' })).toThrow(/CACHE_L2_PASSWORD set but CACHE_L2_ENDPOINT is not/);
    expect(() => optionsFromEnv({ TIME_SCALE: '0' })).toThrow(/TIME_SCALE="0" must be a number in \(0, 1\]/);
    expect(() => optionsFromEnv({ MAX_IN_FLIGHT: '0' })).toThrow(/MAX_IN_FLIGHT="0"/);
    expect(() => optionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4317' })).toThrow(/must be an http\(s\) URL/);
    expect(() => optionsFromEnv({ FLAGS_URL: 'localhost:2772/applications/a' })).toThrow(
      'reference-service: FLAGS_URL="localhost:2772/applications/a" must be an http(s) URL (the AppConfig agent, e.g. http://localhost:2772/applications/...) or a file:/// URL (a mounted ConfigMap)');
    expect(() => optionsFromEnv({ FLAGS_POLL_INTERVAL_MS: '1000' })).toThrow(
      'reference-service: FLAGS_POLL_INTERVAL_MS / FLAGS_TIMEOUT_MS are set but FLAGS_URL is not; set FLAGS_URL or unset them');
    expect(() => optionsFromEnv({ FLAGS_URL: 'file:///etc/platform/flags/flags.json', FLAGS_TIMEOUT_MS: '0' })).toThrow(/FLAGS_TIMEOUT_MS="0" is not an integer between 1 and 60000/);
  });

  test('FLAGS_URL: the AppConfig agent or a mounted file, polled every 5 s with a 1 s timeout unless told; unset, no flags', () => {
    const agent = 'http://localhost:2772/applications/checkout/environments/eu-west-1/configurations/feature-flags';
    expect(optionsFromEnv({ FLAGS_URL: agent })).toMatchObject({ flagsUrl: agent, flagsPollIntervalMs: 5000, flagsTimeoutMs: 1000 });
    expect(optionsFromEnv({ FLAGS_URL: 'file:///etc/platform/flags/flags.json', FLAGS_POLL_INTERVAL_MS: '2000' }))
      .toMatchObject({ flagsUrl: 'file:///etc/platform/flags/flags.json', flagsPollIntervalMs: 2000 });
    expect(optionsFromEnv({}).flagsUrl).toBeUndefined();
  });

  test('the platform passes the data settings (password sign-in on Kubernetes); only test and drill knobs are operator variables', () => {
    const operator = Object.entries(ENV_VARS).filter(([, who]) => who === 'operator').map(([name]) => name).sort();
    expect(operator).toEqual([
      'CACHE_L2_TLS_CA_FILE', 'DB_POOL_MAX', 'DB_QUERY_TIMEOUT_MS', 'DB_TLS_CA_FILE', 'FAULT_ADDED_LATENCY_MS', 'FAULT_ADMIN_TOKEN',
      'FAULT_ERROR_RATE', 'FAULT_INJECTION_ENABLED', 'FLAGS_POLL_INTERVAL_MS', 'FLAGS_TIMEOUT_MS', 'MAX_IN_FLIGHT', 'SHUTDOWN_DRAIN_DELAY_MS',
      'SHUTDOWN_TIMEOUT_MS', 'TIME_SCALE',
    ]);
  });
});
