import { PlatformValidationError } from './errors';

/**
 * The four disaster-recovery tiers of the AWS whitepaper "Disaster Recovery of Workloads on AWS", cheapest
 * first. Values are the `platform:dr-tier` stack tag.
 */
export class DrTier {
  /** Backups copied to the secondary region; recovery is restore + deploy. Hours of RTO, RPO of the last copy. */
  public static readonly BACKUP_RESTORE = new DrTier('backup-restore', 0);
  /** Data replicated, infrastructure provisioned but idle (zero tasks). Tens of minutes of RTO. */
  public static readonly PILOT_LIGHT = new DrTier('pilot-light', 1);
  /** A scaled-down copy runs in the secondary region. Minutes of RTO. */
  public static readonly WARM_STANDBY = new DrTier('warm-standby', 2);
  /** Both regions serve. Near-zero RTO. */
  public static readonly ACTIVE_ACTIVE = new DrTier('active-active', 3);

  /** Every tier, cheapest first. */
  public static readonly ALL: readonly DrTier[] = [
    DrTier.BACKUP_RESTORE, DrTier.PILOT_LIGHT, DrTier.WARM_STANDBY, DrTier.ACTIVE_ACTIVE,
  ];

  /** The tier whose id (the `platform:dr-tier` value) is `id`; throws naming the prop otherwise. */
  public static fromId(id: string, where = 'config', prop = 'drTier'): DrTier {
    const tier = DrTier.ALL.find((t) => t.id === id);
    if (!tier) {
      throw new PlatformValidationError(where, prop, id, 'is not a DR tier',
        `use one of ${DrTier.ALL.map((t) => t.id).join(', ')}`);
    }
    return tier;
  }

  private constructor(
    /** The `platform:dr-tier` tag value. */
    public readonly id: 'backup-restore' | 'pilot-light' | 'warm-standby' | 'active-active',
    /** Relative standby cost rank, 0 = cheapest. */
    public readonly costRank: number,
  ) {}

  /** Whether the secondary region runs the service before a failover. */
  public get secondaryServes(): boolean {
    return this === DrTier.WARM_STANDBY || this === DrTier.ACTIVE_ACTIVE;
  }

  public toString(): string {
    return this.id;
  }
}
