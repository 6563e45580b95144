/**
 * The engine of a {@link DistributedCache}: Valkey (the default) or Redis OSS, at a version ElastiCache runs with
 * role-based access control (Valkey 7.2+, Redis OSS 6.2+).
 */
export class CacheEngine {
  /** Valkey 8.1 (the default). */
  public static readonly VALKEY_8_1 = new CacheEngine('valkey', '8.1');
  /** Valkey 8.0. */
  public static readonly VALKEY_8_0 = new CacheEngine('valkey', '8.0');
  /** Valkey 7.2. */
  public static readonly VALKEY_7_2 = new CacheEngine('valkey', '7.2');
  /** Redis OSS 7.1. */
  public static readonly REDIS_7_1 = new CacheEngine('redis', '7.1');
  /** Redis OSS 6.2. */
  public static readonly REDIS_6_2 = new CacheEngine('redis', '6.2');

  private constructor(
    /** `valkey` or `redis`, as ElastiCache names the engine. */
    public readonly name: 'valkey' | 'redis',
    /** `major.minor`. */
    public readonly version: string,
  ) {}

  /** The parameter group family (`valkey8`, `redis7`, `redis6.x`). */
  public get parameterGroupFamily(): string {
    const major = this.version.split('.')[0];
    return this.name === 'redis' && major === '6' ? 'redis6.x' : `${this.name}${major}`;
  }

  /** Valkey at `version` (`major.minor`); the construct refuses a version it has no parameter group family for. */
  public static valkey(version: string): CacheEngine {
    return new CacheEngine('valkey', version);
  }

  /** Redis OSS at `version` (`major.minor`); the construct refuses a version it has no parameter group family for. */
  public static redis(version: string): CacheEngine {
    return new CacheEngine('redis', version);
  }

  /** `valkey 8.1`. */
  public toString(): string {
    return `${this.name} ${this.version}`;
  }
}
