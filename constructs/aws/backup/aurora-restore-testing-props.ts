import type { Duration } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as rds from 'aws-cdk-lib/aws-rds';

/** Options of {@link AuroraRestoreTesting} when created by `BackupPolicy.addAuroraRestoreTesting()`. */
export interface AuroraRestoreTestingOptions {
  /**
   * When restore tests start (a cron schedule, UTC).
   * @default - weekly, Saturdays 06:00 UTC
   */
  readonly schedule?: events.Schedule;
  /**
   * How long the restored cluster is kept for validation before AWS Backup deletes it, 1 to 168 whole hours.
   * @default Duration.hours(4)
   */
  readonly validationWindow?: Duration;
  /**
   * Restore only this cluster.
   * @default - every Aurora cluster tagged `platform:backup=default`
   */
  readonly cluster?: rds.IDatabaseCluster;
  /**
   * Engine the restored cluster must run.
   * @default 'aurora-postgresql'
   */
  readonly expectedEngine?: string;
  /**
   * VPC to run the validation function in (private subnets with egress; it calls the AWS Backup and RDS APIs).
   * @default - outside a VPC (acknowledged: it reaches AWS APIs only and holds no data)
   */
  readonly vpc?: ec2.IVpc;
}

/** Props of {@link AuroraRestoreTesting}. */
export interface AuroraRestoreTestingProps extends AuroraRestoreTestingOptions {
  /** The vault whose latest Aurora recovery point is restored. */
  readonly vault: backup.IBackupVault;
}
