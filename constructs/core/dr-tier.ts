import type { DurationText } from './duration';
import { formatDuration, parseDuration } from './duration';
import { PlatformValidationError } from './errors';

/** Recovery objectives of a workload: how long it may be down (RTO) and how much data it may lose (RPO). */
export interface RecoveryObjectives {
  /** Recovery time objective: fault to service restored in the other region. */
  readonly rto: DurationText;
  /** Recovery point objective: the most recent writes that may be lost. */
  readonly rpo: DurationText;
}

/** What a tier delivers at best with this platform's configuration, in seconds. */
export interface TierEnvelope {
  readonly rtoSeconds: number;
  readonly rpoSeconds: number;
}

/**
 * The four disaster-recovery tiers of the AWS whitepaper "Disaster Recovery of Workloads on AWS", cheapest
 * first. Values are the `platform:dr-tier` stack tag. Each carries its RTO/RPO envelope (the best objectives
 * it meets as this platform builds it) and its relative standby cost.
 */
export class DrTier {
  /**
   * Backups copied to the secondary region; recovery restores them and deploys the stacks. RTO: hours (the
   * restore of the database and a full deploy); RPO: the last cross-region copy (daily plan: 24 h).
   */
  public static readonly BACKUP_RESTORE = new DrTier('backup-restore', 0, 1.05,
    { rtoSeconds: 8 * 3600, rpoSeconds: 24 * 3600 }, 'Backup & restore');
  /**
   * Data replicated continuously (Aurora Global Database), network, load balancer and service provisioned
   * with zero tasks. RTO: tens of minutes (promote, scale out, flip DNS); RPO: replication lag (~1 min).
   */
  public static readonly PILOT_LIGHT = new DrTier('pilot-light', 1, 1.2,
    { rtoSeconds: 30 * 60, rpoSeconds: 60 }, 'Pilot light');
  /** A scaled-down copy serves health checks in the secondary region. RTO: minutes; RPO: ~1 min. */
  public static readonly WARM_STANDBY = new DrTier('warm-standby', 2, 1.5,
    { rtoSeconds: 10 * 60, rpoSeconds: 60 }, 'Warm standby');
  /** Both regions serve; a region's loss is absorbed by the other. RTO and RPO near zero (seconds). */
  public static readonly ACTIVE_ACTIVE = new DrTier('active-active', 3, 2.0,
    { rtoSeconds: 60, rpoSeconds: 1 }, 'Multi-site active/active');

  /** Every tier, cheapest first. */
  public static readonly ALL: readonly DrTier[] = [
    DrTier.BACKUP_RESTORE, DrTier.PILOT_LIGHT, DrTier.WARM_STANDBY, DrTier.ACTIVE_ACTIVE,
  ];

  private constructor(
    /** The `platform:dr-tier` tag value. */
    public readonly id: 'backup-restore' | 'pilot-light' | 'warm-standby' | 'active-active',
    /** Relative standby cost rank, 0 = cheapest. */
    public readonly costRank: number,
    /** Relative cost of the platform at this tier, single region = 1 (standby capacity, replication, DNS). */
    public readonly relativeCost: number,
    /** The best objectives this tier delivers. */
    public readonly envelope: TierEnvelope,
    /** Name as the whitepaper writes it. */
    public readonly title: string,
  ) {}

  /** Whether the secondary region runs the service before a failover. */
  public get secondaryServes(): boolean {
    return this === DrTier.WARM_STANDBY || this === DrTier.ACTIVE_ACTIVE;
  }

  /** Whether the data store is replicated continuously to the secondary region (Aurora Global Database). */
  public get replicatesContinuously(): boolean {
    return this !== DrTier.BACKUP_RESTORE;
  }

  /** The tier whose id (the `platform:dr-tier` value) is `id`; throws naming the prop otherwise. */
  public static fromId(id: string, where = 'config', prop = 'drTier'): DrTier {
    const tier = DrTier.ALL.find((t) => t.id === id);
    if (!tier) {
      throw new PlatformValidationError(where, prop, id, 'is not a DR tier',
        `use one of ${DrTier.ALL.map((t) => t.id).join(', ')}`);
    }
    return tier;
  }

  /**
   * The cheapest tier that meets both objectives. Throws when even active/active cannot (RTO under a minute
   * or RPO under a second are not a DR-tier question but an architecture one).
   */
  public static forObjectives(objectives: RecoveryObjectives, where = 'objectives'): DrTier {
    const { rtoSeconds, rpoSeconds } = parseObjectives(where, objectives);
    const tier = DrTier.ALL.find((t) => t.envelope.rtoSeconds <= rtoSeconds && t.envelope.rpoSeconds <= rpoSeconds);
    if (!tier) {
      const best = DrTier.ACTIVE_ACTIVE.envelope;
      const prop = rtoSeconds < best.rtoSeconds ? 'rto' : 'rpo';
      throw new PlatformValidationError(where, prop, objectives[prop], `is below what any DR tier delivers (active-active: RTO ${formatDuration(best.rtoSeconds)}, RPO ${formatDuration(best.rpoSeconds)})`,
        `relax ${prop} to at least ${formatDuration(prop === 'rto' ? best.rtoSeconds : best.rpoSeconds)}`);
    }
    return tier;
  }

  /** Whether this tier meets both objectives. */
  public meets(objectives: RecoveryObjectives, where = 'objectives'): boolean {
    const { rtoSeconds, rpoSeconds } = parseObjectives(where, objectives);
    return this.envelope.rtoSeconds <= rtoSeconds && this.envelope.rpoSeconds <= rpoSeconds;
  }

  /**
   * Throws when this tier cannot meet the objectives, naming the tier, the objective it misses and the
   * cheapest tier that would meet them.
   */
  public requireMeets(objectives: RecoveryObjectives, where = 'config', prop = 'drTier'): void {
    if (this.meets(objectives, where)) return;
    const { rtoSeconds, rpoSeconds } = parseObjectives(where, objectives);
    const missed = [
      ...(this.envelope.rtoSeconds > rtoSeconds ? [`RTO ${objectives.rto} (it delivers ${formatDuration(this.envelope.rtoSeconds)})`] : []),
      ...(this.envelope.rpoSeconds > rpoSeconds ? [`RPO ${objectives.rpo} (it delivers ${formatDuration(this.envelope.rpoSeconds)})`] : []),
    ];
    const cheapest = DrTier.forObjectives(objectives, where);
    throw new PlatformValidationError(where, prop, this.id, `cannot meet ${missed.join(' or ')}`,
      `use drTier ${cheapest.id} (the cheapest tier that meets RTO ${objectives.rto} and RPO ${objectives.rpo}) or relax the objectives`);
  }

  public toString(): string {
    return this.id;
  }
}

function parseObjectives(where: string, objectives: RecoveryObjectives): { rtoSeconds: number; rpoSeconds: number } {
  return { rtoSeconds: parseDuration(where, 'rto', objectives.rto), rpoSeconds: parseDuration(where, 'rpo', objectives.rpo) };
}
