/**
 * DESIGN.md "Nothing lost": walks every resource of every stack of the reference app (all four DR tiers) and
 * checks each stateful resource against the contract, so a later construct cannot regress it.
 */
import { DrTier } from '../../constructs/core/dr-tier';
import { DOMAIN_CONTEXT, sharedReferenceApp } from '../helpers/reference-app';
import type { CfnResource } from '../helpers/reference-app';

type Props = Record<string, unknown>;

interface StatefulRule {
  /** Encryption at rest (with a rotating key) is configured. */
  readonly encrypted: (p: Props) => boolean;
  /** The service's own deletion protection, where it has one. */
  readonly deletionProtection?: (p: Props) => boolean;
  /** Covered by the backup plan (tag the AWS Backup selection keys on). */
  readonly backedUp: boolean;
}

const tagged = (p: Props, key: string) => Array.isArray(p.Tags) && (p.Tags as Array<{ Key: string }>).some((t) => t.Key === key);

/** Stateful resource types and what each must have. A new stateful type must be added here. */
const STATEFUL: Record<string, StatefulRule> = {
  'AWS::RDS::DBCluster': {
    encrypted: (p) => p.StorageEncrypted === true && p.KmsKeyId !== undefined,
    deletionProtection: (p) => p.DeletionProtection === true,
    backedUp: true,
  },
  'AWS::RDS::GlobalCluster': {
    // Created from a source cluster, it inherits that cluster's encryption (checked on the DBCluster itself).
    encrypted: (p) => p.StorageEncrypted === true || p.SourceDBClusterIdentifier !== undefined,
    deletionProtection: (p) => p.DeletionProtection === true,
    backedUp: false,
  },
  'AWS::S3::Bucket': { encrypted: (p) => p.BucketEncryption !== undefined, backedUp: true },
  'AWS::DynamoDB::Table': {
    encrypted: (p) => (p.SSESpecification as Props | undefined)?.SSEEnabled === true,
    deletionProtection: (p) => p.DeletionProtectionEnabled === true,
    backedUp: true,
  },
  'AWS::DynamoDB::GlobalTable': { encrypted: (p) => p.SSESpecification !== undefined, backedUp: true },
  'AWS::EFS::FileSystem': { encrypted: (p) => p.Encrypted === true && p.KmsKeyId !== undefined, backedUp: true },
  'AWS::ElastiCache::ReplicationGroup': { encrypted: (p) => p.AtRestEncryptionEnabled === true && p.KmsKeyId !== undefined, backedUp: false },
  'AWS::Backup::BackupVault': { encrypted: (p) => p.EncryptionKeyArn !== undefined, backedUp: false },
  'AWS::KMS::Key': { encrypted: (p) => p.EnableKeyRotation === true, backedUp: false },
  'AWS::Logs::LogGroup': { encrypted: (p) => p.KmsKeyId !== undefined, backedUp: false },
  'AWS::SecretsManager::Secret': { encrypted: (p) => p.KmsKeyId !== undefined, backedUp: false },
};

const KEEP = ['Retain', 'Snapshot', 'RetainExceptOnCreate'];

function statefulResources(tier: string): Array<{ id: string; r: CfnResource }> {
  // `<tier>+domain`: the same tier with a domain (public origins, Route 53 routing, the origin-verify secret).
  const [drTier, domain] = tier.split('+');
  return Object.entries(sharedReferenceApp({ drTier, ...(domain ? DOMAIN_CONTEXT : {}) }).templates)
    .flatMap(([stack, t]) => Object.entries(t.Resources).map(([logicalId, r]) => ({ id: `${stack}/${logicalId}`, r })))
    .filter(({ r }) => r.Type in STATEFUL);
}

describe.each([...DrTier.ALL.map((t) => t.id), `${DrTier.ACTIVE_ACTIVE.id}+domain`])('nothing lost (%s)', (tier) => {
  const resources = statefulResources(tier);

  test('the app has stateful resources to check', () => {
    expect(resources.map(({ r }) => r.Type)).toEqual(expect.arrayContaining(['AWS::RDS::DBCluster', 'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup']));
  });

  test('every stateful resource is retained or snapshotted on delete and on replacement', () => {
    const bad = resources.filter(({ r }) => !KEEP.includes(r.DeletionPolicy ?? '') || !KEEP.includes(r.UpdateReplacePolicy ?? ''))
      .map(({ id, r }) => `${id} ${r.Type} DeletionPolicy=${r.DeletionPolicy} UpdateReplacePolicy=${r.UpdateReplacePolicy}`);
    expect(bad).toEqual([]);
  });

  test('every stateful resource is encrypted at rest (keys rotate)', () => {
    const bad = resources.filter(({ r }) => !STATEFUL[r.Type].encrypted(r.Properties ?? {})).map(({ id, r }) => `${id} ${r.Type}`);
    expect(bad).toEqual([]);
  });

  test('deletion protection is on wherever the service has it', () => {
    const bad = resources.filter(({ r }) => STATEFUL[r.Type].deletionProtection?.(r.Properties ?? {}) === false)
      .map(({ id, r }) => `${id} ${r.Type}`);
    expect(bad).toEqual([]);
  });

  test('every data store is tagged for the backup plan', () => {
    const bad = resources.filter(({ r }) => STATEFUL[r.Type].backedUp && !tagged(r.Properties ?? {}, 'platform:backup'))
      .map(({ id, r }) => `${id} ${r.Type}`);
    expect(bad).toEqual([]);
  });
});

describe('stable logical IDs of stateful resources', () => {
  test('renaming a construct that holds data is a breaking change: this list changes only on purpose', () => {
    const ids = statefulResources('pilot-light').map(({ id, r }) => `${id} ${r.Type}`).sort();
    expect(ids).toMatchSnapshot();
  });
});
