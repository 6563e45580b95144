/**
 * How a drill measures what it delivered: RTO ends when a declared step succeeds, RPO comes from the
 * replication lag at failover, an explicit measurement, or is zero when no data moves.
 */

/** Options of {@link RpoMeasurement.replicationLag}. */
export interface ReplicationLagOptions {
  /** The step at which data stops replicating (the failover); lag is read over the minutes before it starts. */
  readonly atStep: string;
  /** Parameter holding the DB cluster identifier the lag metric is published for (the secondary cluster). */
  readonly clusterParameter: string;
}

/** How a drill measures RPO. */
export class RpoMeasurement {
  private constructor(
    public readonly kind: 'replication-lag' | 'explicit' | 'none',
    /** How it is measured, in words (markdown). */
    public readonly how: string,
    /** The metric's step and cluster (replication lag). */
    public readonly replicationLag: ReplicationLagOptions | undefined,
  ) {}

  /**
   * The maximum CloudWatch `AWS/RDS` `AuroraGlobalDBReplicationLag` (milliseconds) of the secondary cluster
   * over the 5 minutes before the failover step: the writes that had not reached the secondary.
   */
  public static replicationLag(options: ReplicationLagOptions): RpoMeasurement {
    return new RpoMeasurement('replication-lag',
      `the maximum \`AWS/RDS\` \`AuroraGlobalDBReplicationLag\` of \`{{ ${options.clusterParameter} }}\` over the 5 minutes before step \`${options.atStep}\` started (the drill CLI reads it from CloudWatch)`,
      options);
  }

  /** Measured by the operator (e.g. last committed write before the fault vs. newest row after the restore). */
  public static explicit(how: string): RpoMeasurement {
    return new RpoMeasurement('explicit', how, undefined);
  }

  /** No data moves between stores, so nothing can be lost: RPO is zero by construction. */
  public static none(why: string): RpoMeasurement {
    return new RpoMeasurement('none', why, undefined);
  }
}

/** How a drill verifies recovery and measures RTO and RPO. */
export interface DrillVerification {
  /** The step whose success means "healthy in the other region": the end of the measured RTO. */
  readonly recoveredWhen: string;
  /** What "recovered" means and how it is checked (markdown). */
  readonly checks: readonly string[];
  /** How RPO is measured. */
  readonly rpo: RpoMeasurement;
}
