/**
 * DESIGN.md "Nothing lost": walks every resource of every stack of the reference app (all four DR tiers) and
 * checks each stateful resource against the contract, so a later construct cannot regress it.
 */
import { DrTier } from '../../constructs/core/dr-tier';
import { DOMAIN_CONTEXT, sharedReferenceApp, synthesizedReferenceApp } from '../helpers/reference-app';
import type { CfnResource, SynthesizedApp } from '../helpers/reference-app';
import { PRODUCTION_CONTEXT } from '../helpers/reference-contexts';

type Props = Record<string, unknown>;

/** The production-like app with the account baseline (its nag synthesis, which the baseline tests read too). */
const PRODUCTION = 'warm-standby+domain+account-baseline';
function productionApp(): SynthesizedApp {
  const synth = synthesizedReferenceApp(PRODUCTION_CONTEXT, 'nag');
  if (synth.error) throw synth.error;
  return synth;
}

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

/** Every resource of the app for `tier`, with its stack and the stack's region. */
function allResources(tier: string): Array<{ id: string; stack: string; region: string; logicalId: string; r: CfnResource }> {
  // `<tier>+domain`: the same tier with a domain (public origins, Route 53 routing, the origin-verify secret).
  const [drTier, domain] = tier.split('+');
  const { assembly, templates } = tier === PRODUCTION ? productionApp() : sharedReferenceApp({ drTier, ...(domain ? DOMAIN_CONTEXT : {}) });
  const regionOf = new Map(assembly.stacks.map((s) => [s.stackName, s.environment.region]));
  return Object.entries(templates)
    .flatMap(([stack, t]) => Object.entries(t.Resources).map(([logicalId, r]) => ({ id: `${stack}/${logicalId}`, stack, region: regionOf.get(stack) ?? '?', logicalId, r })));
}

function statefulResources(tier: string): Array<{ id: string; r: CfnResource }> {
  return allResources(tier).filter(({ r }) => r.Type in STATEFUL);
}

/**
 * Ids of the data stores (`backedUp` types) that a backup selection of their own region covers: by one of their
 * tags (the selection's `ListOfTags`), or by a reference to them in the selection's `Resources`. AWS Backup
 * selections are regional: a tag in a region without a plan protects nothing.
 */
function protectedDataStores(tier: string): Set<string> {
  const resources = allResources(tier);
  const selections = resources.filter(({ r }) => r.Type === 'AWS::Backup::BackupSelection').map(({ stack, region, r }) => {
    const selection = (r.Properties?.BackupSelection ?? {}) as {
      ListOfTags?: Array<{ ConditionType: string; ConditionKey: string; ConditionValue: string }>; Resources?: unknown[];
    };
    return { stack, region, tags: selection.ListOfTags ?? [], resources: JSON.stringify(selection.Resources ?? []) };
  });
  const covered = resources.filter(({ stack, region, logicalId, r }) => STATEFUL[r.Type]?.backedUp
    && selections.some((sel) => sel.region === region && (
      sel.tags.some((c) => c.ConditionType === 'STRINGEQUALS' && ((r.Properties?.Tags ?? []) as Array<{ Key: string; Value: string }>).some((t) => t.Key === c.ConditionKey && t.Value === c.ConditionValue))
      || (sel.stack === stack && (sel.resources.includes(`{"Ref":"${logicalId}"}`) || sel.resources.includes(`{"Fn::GetAtt":["${logicalId}",`))))));
  return new Set(covered.map(({ id }) => id));
}

/** `arn:<partition>:backup:<region>:<account>:backup-vault:<name>` as region and name. */
function vaultOfArn(arn: unknown): { region: string; name: string } | undefined {
  const m = typeof arn === 'string' ? /^arn:[\w-]+:backup:([\w-]+):\d{12}:backup-vault:(.+)$/.exec(arn) : null;
  return m ? { region: m[1], name: m[2] } : undefined;
}

describe.each([...DrTier.ALL.map((t) => t.id), `${DrTier.ACTIVE_ACTIVE.id}+domain`, PRODUCTION])('nothing lost (%s)', (tier) => {
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

  test('every data store of every stack is in a backup selection of its own region', () => {
    const covered = protectedDataStores(tier);
    const bad = resources.filter(({ id, r }) => STATEFUL[r.Type].backedUp && !covered.has(id)).map(({ id, r }) => `${id} ${r.Type}`);
    expect(bad).toEqual([]);
  });

  test('every backup plan copies every rule to a vault of the app in another region', () => {
    const all = allResources(tier);
    const vaults = all.filter(({ r }) => r.Type === 'AWS::Backup::BackupVault')
      .map(({ region, r }) => `${region}/${String(r.Properties?.BackupVaultName)}`);
    const plans = all.filter(({ r }) => r.Type === 'AWS::Backup::BackupPlan');
    expect(plans.length).toBeGreaterThan(0);
    const bad = plans.flatMap(({ id, region, r }) => {
      const rules = ((r.Properties?.BackupPlan as {
        BackupPlanRule?: Array<{ RuleName: string; CopyActions?: Array<{ DestinationBackupVaultArn: unknown }> }>;
      })?.BackupPlanRule ?? []);
      return rules.flatMap((rule) => {
        const destinations = (rule.CopyActions ?? []).map((c) => vaultOfArn(c.DestinationBackupVaultArn));
        const offRegion = destinations.filter((d) => d && d.region !== region && vaults.includes(`${d.region}/${d.name}`));
        return offRegion.length > 0 ? [] : [`${id} rule ${rule.RuleName}: no copy to a vault of the app in another region (${JSON.stringify(rule.CopyActions ?? [])})`];
      });
    });
    expect(bad).toEqual([]);
  });
});

describe('after a regional failover the promoted database stays backed up', () => {
  test.each(DrTier.ALL.filter((t) => t.replicatesContinuously).map((t) => t.id))('%s: the Aurora global secondary is in a backup selection of the secondary region', (tier) => {
    const secondaryClusters = allResources(tier).filter(({ stack, r }) => stack === 'checkout-secondary' && r.Type === 'AWS::RDS::DBCluster');
    expect(secondaryClusters.map(({ logicalId }) => logicalId)).toEqual([expect.stringMatching(/^DatabaseCluster/)]);
    expect(secondaryClusters[0].r.Properties?.GlobalClusterIdentifier).toBe('checkout-global');
    expect(protectedDataStores(tier).has(secondaryClusters[0].id)).toBe(true);
  });

  test.each(DrTier.ALL.filter((t) => t.replicatesContinuously).map((t) => t.id))('%s: the secondary region\'s plan copies to the primary region\'s vault', (tier) => {
    const all = allResources(tier);
    const primaryRegion = all.find(({ stack }) => stack === 'checkout-primary')!.region;
    const plan = all.find(({ stack, r }) => stack === 'checkout-secondary' && r.Type === 'AWS::Backup::BackupPlan')!;
    const destinations = ((plan.r.Properties?.BackupPlan as {
      BackupPlanRule: Array<{ CopyActions: Array<{ DestinationBackupVaultArn: unknown }> }>;
    }).BackupPlanRule)
      .flatMap((rule) => rule.CopyActions.map((c) => vaultOfArn(c.DestinationBackupVaultArn)));
    const primaryBaseVault = all.find(({ stack, r }) => stack === 'checkout-primary-base' && r.Type === 'AWS::Backup::BackupVault')!;
    expect(new Set(destinations.map((d) => `${d?.region}/${d?.name}`))).toEqual(new Set([`${primaryRegion}/${String(primaryBaseVault.r.Properties?.BackupVaultName)}`]));
  });
});

describe('stable logical IDs of stateful resources', () => {
  test('renaming a construct that holds data is a breaking change: this list changes only on purpose', () => {
    const ids = statefulResources('pilot-light').map(({ id, r }) => `${id} ${r.Type}`).sort();
    expect(ids).toMatchSnapshot();
  });
});
