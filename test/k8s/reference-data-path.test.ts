import { dataPathSettingsFromEnv, referenceDataPath } from '../../stacks/k8s/reference-data-path';

describe('the reference data path on Kubernetes (stacks/k8s/reference-data-path.ts)', () => {
  test('defaults: PostgreSQL and Valkey in the namespace, TLS, passwords from <service>-db and <service>-cache, no collector', () => {
    expect(referenceDataPath('checkout', 'shop')).toEqual({
      database: {
        endpoint: 'postgres.shop.svc', name: 'postgres', user: 'checkout', tlsMode: 'require',
        passwordSecret: { name: 'checkout-db', key: 'password' },
      },
      distributedCache: { endpoint: 'valkey.shop.svc', tls: true, passwordSecret: { name: 'checkout-cache', key: 'password' } },
    });
  });

  test('every setting overrides its default; `none` drops the data path or the L2 tier', () => {
    const path = referenceDataPath('checkout', 'shop', dataPathSettingsFromEnv({
      DB_ENDPOINT: 'db.example.internal', DB_READ_ONLY_ENDPOINT: 'db-ro.example.internal', DB_NAME: 'orders', DB_USER: 'app', DB_TLS: 'disable',
      DB_PASSWORD_SECRET: 'pg', CACHE_L2_ENDPOINT: 'redis.cache.svc', CACHE_L2_TLS: 'false', CACHE_L2_PASSWORD_SECRET: 'redis',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.monitoring.svc:4318',
    }));
    expect(path).toEqual({
      otlpEndpoint: 'http://otel-collector.monitoring.svc:4318',
      database: {
        endpoint: 'db.example.internal', readOnlyEndpoint: 'db-ro.example.internal', name: 'orders', user: 'app', tlsMode: 'disable',
        passwordSecret: { name: 'pg', key: 'password' },
      },
      distributedCache: { endpoint: 'redis.cache.svc', tls: false, passwordSecret: { name: 'redis', key: 'password' } },
    });
    expect(referenceDataPath('checkout', 'shop', { cacheEndpoint: 'none' }).distributedCache).toBeUndefined();
    expect(referenceDataPath('checkout', 'shop', { dbEndpoint: 'none', otlpEndpoint: 'http://c:4318' })).toEqual({ otlpEndpoint: 'http://c:4318' });
  });

  test('a bad CACHE_L2_TLS is refused with the fix', () => {
    expect(() => dataPathSettingsFromEnv({ CACHE_L2_TLS: 'yes' }))
      .toThrow('stacks/k8s (environment): CACHE_L2_TLS (\'yes\') must be "true" or "false": set CACHE_L2_TLS=false for a cache without TLS, or unset it');
  });
});
