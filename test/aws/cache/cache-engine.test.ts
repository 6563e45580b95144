import { CacheEngine } from '../../../constructs/aws/cache/cache-engine';

describe('CacheEngine', () => {
  test.each<[string, CacheEngine, 'valkey' | 'redis', string, string]>([
    ['VALKEY_8_1 (the default)', CacheEngine.VALKEY_8_1, 'valkey', '8.1', 'valkey8'],
    ['VALKEY_8_0', CacheEngine.VALKEY_8_0, 'valkey', '8.0', 'valkey8'],
    ['VALKEY_7_2', CacheEngine.VALKEY_7_2, 'valkey', '7.2', 'valkey7'],
    ['REDIS_7_1', CacheEngine.REDIS_7_1, 'redis', '7.1', 'redis7'],
    ['REDIS_6_2', CacheEngine.REDIS_6_2, 'redis', '6.2', 'redis6.x'],
  ])('%s: engine name, version and parameter group family', (_name, engine, name, version, family) => {
    expect(engine.name).toBe(name);
    expect(engine.version).toBe(version);
    expect(engine.parameterGroupFamily).toBe(family);
    expect(engine.toString()).toBe(`${name} ${version}`);
  });

  test('valkey() and redis() describe any version; the family follows the major version', () => {
    expect(CacheEngine.valkey('9.0').parameterGroupFamily).toBe('valkey9');
    expect(CacheEngine.redis('7.0').toString()).toBe('redis 7.0');
    expect(CacheEngine.redis('6.0').parameterGroupFamily).toBe('redis6.x');
  });
});
