import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Tag key AWS Backup selections use to cover a stateful resource (DESIGN.md "Nothing lost"). */
export const BACKUP_TAG_KEY = 'platform:backup';

/**
 * Marks `resource` as stateful data to be covered by the platform backup plan. `tier` is the backup tier name
 * the selection keys on (`default` unless a construct needs a special plan).
 */
export function markForBackup(resource: IConstruct, tier = 'default'): void {
  Tags.of(resource).add(BACKUP_TAG_KEY, tier);
}
