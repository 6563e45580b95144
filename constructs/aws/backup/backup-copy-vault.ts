import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createDataKey } from '../private/encryption';
import { validateBackupCopyVaultProps } from './private/validate-backup-copy-vault-props';
import { createLockedVault } from './private/vault';

/** Props of {@link BackupCopyVault}. */
export interface BackupCopyVaultProps {
  /**
   * Name of the vault, 2 to 50 letters, digits, `-` or `_`. The primary region's plan addresses the vault by
   * this name, so it must not change once copies exist.
   * @default - derived from the construct path (stable, unique per stack and path)
   */
  readonly backupVaultName?: string;
  /**
   * Shortest retention the vault lock accepts for a copied recovery point.
   * @default Duration.days(7)
   */
  readonly lockMinRetention?: Duration;
  /**
   * Longest retention the vault lock accepts for a copied recovery point.
   * @default Duration.days(365)
   */
  readonly lockMaxRetention?: Duration;
  /**
   * Grace time after which the vault lock switches to compliance mode and becomes immutable (at least 72 hours).
   * Irreversible: a warning is emitted.
   * @default - governance mode: the lock can be removed by a principal allowed `backup:DeleteBackupVaultLockConfiguration`
   */
  readonly complianceLockAfter?: Duration;
}

/**
 * A region's copy vault: the copy destination of a {@link BackupPolicy} in another region (the "1 copy off-site"
 * of the 3-2-1 rule): the secondary region's for the primary plan, the primary region's for the plans of the
 * secondary region (the database a failover promotes) and of the global stack. Encrypted with its own rotating,
 * retained customer-managed key and locked like the primary vault.
 *
 * Create it in the other region's base stack and pass `copyDestination` to the `BackupPolicy`. The vault is
 * addressed by an ARN built from the stack's account, region and the vault's literal name, so the plan's stack
 * takes no cross-stack (cross-region) reference: the vault's stack must be deployed first
 * (`planStack.addDependency(vaultStack)`).
 */
export class BackupCopyVault extends Construct {
  /** The vault (retained, KMS-encrypted, locked). */
  public readonly vault: backup.BackupVault;
  /** Customer-managed key of the copied recovery points (rotating, retained). */
  public readonly encryptionKey: kms.Key;
  /** Name of the vault (a literal, never a token). */
  public readonly backupVaultName: string;
  /** ARN of the vault, built from the stack's account and region and the name (a literal, never a token). */
  public readonly backupVaultArn: string;
  /**
   * The vault as a copy destination for a plan in another region: an import by the literal ARN, so using it from
   * another stack creates no cross-stack reference.
   */
  public readonly copyDestination: backup.IBackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyVaultProps = {}) {
    super(scope, id);
    const where = this.node.path;
    const stack = Stack.of(this);
    const { bounds, backupVaultName } = validateBackupCopyVaultProps(this, props);
    this.backupVaultName = backupVaultName;
    this.encryptionKey = createDataKey(this, 'Key', `${where} AWS Backup vault (copies from the primary region)`);
    this.vault = createLockedVault(this, 'Vault', { ...props, key: this.encryptionKey, bounds, backupVaultName: this.backupVaultName });
    this.backupVaultArn = `arn:${partitionOf(stack.region)}:backup:${stack.region}:${stack.account}:backup-vault:${this.backupVaultName}`;
    this.copyDestination = backup.BackupVault.fromBackupVaultArn(this, 'CopyDestination', this.backupVaultArn);
  }
}

/**
 * @deprecated Use {@link BackupCopyVault}: the vault is the copy destination of another region's plan, not a replica.
 * Same construct, same construct IDs: switching the name replaces nothing.
 */
export const BackupVaultReplica = BackupCopyVault;
/** @deprecated Use {@link BackupCopyVault}. */
export type BackupVaultReplica = BackupCopyVault;
/** @deprecated Use {@link BackupCopyVaultProps}. */
export type BackupVaultReplicaProps = BackupCopyVaultProps;

/** The partition of a concrete region (literal, so the ARN carries no `AWS::Partition` of another stack). */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
