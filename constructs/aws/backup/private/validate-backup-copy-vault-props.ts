import { Names, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import type { BackupCopyVaultProps } from '../backup-copy-vault';
import { lockBoundsOf } from './vault';
import type { LockBounds } from './vault';

/** {@link BackupCopyVaultProps} validated, with their defaults applied. */
export interface BackupCopyVaultSettings {
  /** Vault-lock bounds (default 7 to 365 days). */
  readonly bounds: LockBounds;
  /** Name of the vault: the given one, else derived from the construct path. */
  readonly backupVaultName: string;
}

/**
 * Validates `props` of the BackupCopyVault `scope`: its stack has a concrete account and region (the ARN other
 * regions address it by is built from them), the lock settings, and the vault name (2 to 50 letters, digits, `-` or
 * `_`). Throws {@link PlatformValidationError}.
 */
export function validateBackupCopyVaultProps(scope: Construct, props: BackupCopyVaultProps): BackupCopyVaultSettings {
  const where = scope.node.path;
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    throw new PlatformValidationError(where, 'env', { account: stack.account, region: stack.region },
      'is not concrete: the primary plan addresses this vault by an ARN built from account and region',
      'give the secondary stack an explicit env ({ account, region }) from the platform config');
  }
  const bounds = lockBoundsOf(where, props);
  const backupVaultName = props.backupVaultName ?? Names.uniqueResourceName(scope, { maxLength: 50, separator: '-', allowedSpecialCharacters: '-_' });
  if (!/^[a-zA-Z0-9\-_]{2,50}$/.test(backupVaultName)) {
    throw new PlatformValidationError(where, 'backupVaultName', backupVaultName, 'is not 2 to 50 letters, digits, - or _',
      "use a name such as 'platform-backup-replica'");
  }
  return { bounds, backupVaultName };
}
