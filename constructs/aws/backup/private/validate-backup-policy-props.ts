import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import type { BackupPolicyProps } from '../backup-policy';
import { lockBoundsOf, requireWithinLock, wholeDays } from './vault';
import type { LockBounds } from './vault';

/** AWS Backup keeps continuous backups (point-in-time recovery) at most 35 days. */
const MAX_CONTINUOUS_DAYS = 35;
/** A recovery point in cold storage must stay there at least 90 days. */
const MIN_COLD_STORAGE_DAYS = 90;

/** {@link BackupPolicyProps} validated, with their defaults applied (retentions in whole days). */
export interface BackupPolicySettings {
  /** Vault-lock bounds. */
  readonly bounds: LockBounds;
  readonly continuousDays: number;
  readonly dailyDays: number;
  readonly weeklyDays: number;
  readonly monthlyDays: number;
  /** Age at which monthly recovery points move to cold storage. */
  readonly coldDays: number;
  /** Copy destinations: the other region's vault, then the backup account's vault. */
  readonly copyVaults: backup.IBackupVault[];
}

/**
 * Validates `props` of the BackupPolicy `scope` before anything is built and returns them with their defaults
 * (continuous 35 days, daily 35, weekly 90, monthly 365 with cold storage after 30, lock 7 to 365 days). Every
 * retention must fall within the vault lock. Throws {@link PlatformValidationError}; warns on the stack
 * (`platform:backup:no-copy`) when there is no copy destination.
 */
export function validateBackupPolicyProps(scope: Construct, props: BackupPolicyProps): BackupPolicySettings {
  const where = scope.node.path;
  const bounds = lockBoundsOf(where, props);
  const continuousDays = wholeDays(where, 'continuousBackupRetention', props.continuousBackupRetention ?? Duration.days(MAX_CONTINUOUS_DAYS), 1, MAX_CONTINUOUS_DAYS);
  const dailyDays = wholeDays(where, 'dailyRetention', props.dailyRetention ?? Duration.days(35), 1, 36500);
  const weeklyDays = wholeDays(where, 'weeklyRetention', props.weeklyRetention ?? Duration.days(90), 1, 36500);
  const monthlyDays = wholeDays(where, 'monthlyRetention', props.monthlyRetention ?? Duration.days(365), 1, 36500);
  const coldDays = wholeDays(where, 'monthlyColdStorageAfter', props.monthlyColdStorageAfter ?? Duration.days(30), 1, 36500);
  if (monthlyDays < coldDays + MIN_COLD_STORAGE_DAYS) {
    throw new PlatformValidationError(where, 'monthlyRetention (days)', monthlyDays,
      `is shorter than monthlyColdStorageAfter (${coldDays} days) plus the ${MIN_COLD_STORAGE_DAYS} days a recovery point must stay in cold storage`,
      `raise monthlyRetention to at least ${coldDays + MIN_COLD_STORAGE_DAYS} days or lower monthlyColdStorageAfter`);
  }
  requireWithinLock(where, 'continuousBackupRetention', continuousDays, bounds);
  requireWithinLock(where, 'dailyRetention', dailyDays, bounds);
  requireWithinLock(where, 'weeklyRetention', weeklyDays, bounds);
  requireWithinLock(where, 'monthlyRetention', monthlyDays, bounds);
  const copyVaults = copyDestinationsOf(where, Stack.of(scope), props);
  return { bounds, continuousDays, dailyDays, weeklyDays, monthlyDays, coldDays, copyVaults };
}

/** Validated copy destinations: the secondary region's vault, then the backup account's vault. */
function copyDestinationsOf(where: string, stack: Stack, props: BackupPolicyProps): backup.IBackupVault[] {
  const destinations: backup.IBackupVault[] = [];
  if (props.copyDestination) {
    const region = props.copyDestination.env.region;
    if (!Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region === stack.region) {
      throw new PlatformValidationError(where, 'copyDestination (region)', region,
        "is the vault's own region: a copy in the same region does not survive a regional outage",
        'pass the copyDestination of a BackupCopyVault deployed in the secondary region');
    }
    destinations.push(props.copyDestination);
  } else {
    Annotations.of(stack).addWarningV2('platform:backup:no-copy',
      `${where}: no copyDestination: recovery points stay in ${stack.region} only, so a regional outage or a compromised account loses them (3-2-1 rule not met). Pass the copyDestination of a BackupCopyVault in the secondary region.`);
  }
  if (props.backupAccountVault) {
    const account = props.backupAccountVault.env.account;
    if (!Token.isUnresolved(account) && !Token.isUnresolved(stack.account) && account === stack.account) {
      throw new PlatformValidationError(where, 'backupAccountVault (account)', account,
        "is this policy's own account: a copy in the same account is lost with the account",
        'pass a vault of the separate backup account (BackupVault.fromBackupVaultArn with that account\'s ARN), or use copyDestination for the secondary region');
    }
    destinations.push(props.backupAccountVault);
  }
  return destinations;
}
