import type { ActiveRegion, PlatformSpec } from '../constructs/aws/platform/multi-region-platform-props';
import { DrTier } from '../constructs/core/dr-tier';
import type { RecoveryObjectives } from '../constructs/core/dr-tier';
import type { DurationText } from '../constructs/core/duration';
import { parseDuration } from '../constructs/core/duration';
import { PlatformValidationError } from '../constructs/core/errors';
import type { AwsRegion } from '../constructs/core/regions';
import { defaultAvailabilityZones, requireRegion } from '../constructs/core/regions';
import { DEFAULT_RUNBOOK_BASE_URL } from '../constructs/core/runbooks';
import type { BaselineConfig } from './config-baseline';
import { loadBaselineConfig } from './config-baseline';
import type { OnCallConfig } from './config-on-call';
import { loadOnCallConfig } from './config-on-call';

/**
 * The reference platform's configuration: one typed object, every field overridable with cdk context
 * (`-c key=value` or cdk.json "context"). Synthesis reads nothing else: no lookups, no environment.
 *
 * The fields it shares with the library's PlatformSpec come from there: `account` (12 digits; the placeholder
 * 111111111111 synthesizes but cannot deploy), `primaryRegion`, `secondaryRegion`, `primaryAzs`/`secondaryAzs` (no
 * lookup), `drTier` (without `-c drTier`, the cheapest tier that meets `objectives`; with both, a tier that cannot meet
 * them is an error) and `activeRegion` (`-c activeRegion=secondary` moves all traffic, writes included, to the secondary
 * region after a failover; only tiers with a secondary application stack can).
 */
export interface PlatformConfig extends OnCallConfig, BaselineConfig, Pick<PlatformSpec,
  'account' | 'primaryRegion' | 'secondaryRegion' | 'primaryAzs' | 'secondaryAzs' | 'drTier' | 'activeRegion'> {
  /** Service name: stack names, tags (`platform:service`), alarm and dashboard names. */
  readonly service: string;
  /**
   * Container image the service runs; it must serve `/health` (liveness, checked with curl) and `/ready`
   * (readiness) on `containerPort`. Undefined: the reference service in reference-service/, built from its
   * Dockerfile by `cdk deploy`.
   */
  readonly image?: string;
  /** Port the container listens on. */
  readonly containerPort: number;
  /** Recovery objectives (`-c rto=15m -c rpo=1m`), when stated. */
  readonly objectives?: RecoveryObjectives;
  /** Where runbook links point: `<runbookBaseUrl>/runbooks/<path>.md`. */
  readonly runbookBaseUrl: string;
  /** Optional public domain of the service (needs `hostedZoneId` and `certificateArn`). */
  readonly domainName?: string;
  /** Route 53 hosted zone id of `domainName`. */
  readonly hostedZoneId?: string;
  /**
   * ACM certificate in us-east-1 (where CloudFront reads viewer certificates) covering `domainName`: the
   * distribution answers on the domain with TLS 1.2+.
   */
  readonly certificateArn?: string;
}

/** The values of {@link PlatformConfig.activeRegion}. */
export type { ActiveRegion };

/** Placeholder account: synthesizes anywhere, deploys nowhere. */
export const PLACEHOLDER_ACCOUNT = '111111111111';

/** Defaults of every config field; each is overridable with `-c <field>=<value>`. */
export const DEFAULTS = {
  service: 'checkout',
  containerPort: 8080,
  account: PLACEHOLDER_ACCOUNT,
  primaryRegion: 'eu-west-1',
  secondaryRegion: 'eu-central-1',
  drTier: DrTier.PILOT_LIGHT.id,
  activeRegion: 'primary',
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
} as const;

/** Reads a context value; the CDK passes `-c key=value` as strings, cdk.json may hold other JSON types. */
export type ContextReader = (key: string) => unknown;

const WHERE = 'config';

/**
 * Builds and validates the config from context. Every bad value fails here, naming the context key, the
 * value and the fix, before any construct is created.
 */
export function loadConfig(readContext: ContextReader = () => undefined): PlatformConfig {
  const str = (key: string): string | undefined => {
    const v = readContext(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v.trim();
    if (typeof v === 'number') return String(v);
    throw new PlatformValidationError(WHERE, key, v, 'is not a string', `pass -c ${key}=<value>`);
  };

  const service = str('service') ?? DEFAULTS.service;
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(service)) {
    throw new PlatformValidationError(WHERE, 'service', service, 'is not a valid service name',
      'use 1-40 lowercase letters, digits and dashes, starting with a letter (e.g. -c service=checkout)');
  }

  const account = str('account') ?? DEFAULTS.account;
  if (!/^\d{12}$/.test(account)) {
    throw new PlatformValidationError(WHERE, 'account', account, 'is not a 12-digit AWS account id',
      'pass -c account=123456789012 (your account id, digits only)');
  }

  const primaryRegion = requireRegion(WHERE, 'primaryRegion', str('primaryRegion') ?? DEFAULTS.primaryRegion);
  const secondaryRegion = requireRegion(WHERE, 'secondaryRegion', str('secondaryRegion') ?? DEFAULTS.secondaryRegion);
  if (primaryRegion === secondaryRegion) {
    throw new PlatformValidationError(WHERE, 'secondaryRegion', secondaryRegion,
      'equals primaryRegion; a regional failure would take out both',
      `pick a secondary region other than ${primaryRegion} (e.g. -c secondaryRegion=${primaryRegion === 'eu-central-1' ? 'eu-west-1' : 'eu-central-1'})`);
  }

  const rto = str('rto');
  const rpo = str('rpo');
  if ((rto === undefined) !== (rpo === undefined)) {
    const missing = rto === undefined ? 'rto' : 'rpo';
    throw new PlatformValidationError(WHERE, missing, undefined, `is required with ${missing === 'rto' ? 'rpo' : 'rto'}`,
      'state both objectives, e.g. -c rto=15m -c rpo=1m');
  }
  const objectives = rto !== undefined && rpo !== undefined ? { rto: rto as DurationText, rpo: rpo as DurationText } : undefined;
  if (objectives) {
    parseDuration(WHERE, 'rto', objectives.rto);
    parseDuration(WHERE, 'rpo', objectives.rpo);
  }
  const tierText = str('drTier');
  const drTier = tierText !== undefined
    ? DrTier.fromId(tierText, WHERE, 'drTier')
    : objectives ? DrTier.forObjectives(objectives, WHERE) : DrTier.fromId(DEFAULTS.drTier, WHERE, 'drTier');
  if (objectives) drTier.requireMeets(objectives, WHERE, 'drTier');

  const activeRegionText = str('activeRegion') ?? DEFAULTS.activeRegion;
  if (activeRegionText !== 'primary' && activeRegionText !== 'secondary') {
    throw new PlatformValidationError(WHERE, 'activeRegion', activeRegionText, 'is not a region role',
      'use primary (the default) or secondary (-c activeRegion=secondary sends all traffic to the secondary region)');
  }
  const activeRegion: ActiveRegion = activeRegionText;
  // Backup & restore keeps no application stack in the secondary region (secondaryRegionShape).
  if (activeRegion === 'secondary' && drTier === DrTier.BACKUP_RESTORE) {
    throw new PlatformValidationError(WHERE, 'activeRegion', activeRegion, `needs an application in the secondary region, which DR tier ${drTier.id} does not deploy`,
      'restore into the secondary region first (runbooks/drills/backup-restore-failover.md), or run a tier with a secondary stack (pilot-light, warm-standby, active-active)');
  }

  const containerPortText = str('containerPort') ?? String(DEFAULTS.containerPort);
  const containerPort = Number(containerPortText);
  if (!Number.isInteger(containerPort) || containerPort < 1024 || containerPort > 65535) {
    throw new PlatformValidationError(WHERE, 'containerPort', containerPortText, 'is not an unprivileged TCP port',
      'use a port from 1024 to 65535 (the container runs as non-root)');
  }

  const image = str('image');
  if (image !== undefined && /\s/.test(image)) {
    throw new PlatformValidationError(WHERE, 'image', image, 'is not a container image reference',
      'pass -c image=<registry>/<repository>:<tag>');
  }

  const runbookBaseUrl = str('runbookBaseUrl') ?? DEFAULTS.runbookBaseUrl;
  if (!/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(runbookBaseUrl)) {
    throw new PlatformValidationError(WHERE, 'runbookBaseUrl', runbookBaseUrl, 'is not an https URL',
      'pass -c runbookBaseUrl=https://github.com/<org>/<repo>/blob/main');
  }

  const primaryAzs = azList(str('primaryAzs'), 'primaryAzs', primaryRegion);
  const secondaryAzs = azList(str('secondaryAzs'), 'secondaryAzs', secondaryRegion);

  const domainName = str('domainName');
  const hostedZoneId = str('hostedZoneId');
  const certificateArn = str('certificateArn');
  if (domainName !== undefined) {
    if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(domainName)) {
      throw new PlatformValidationError(WHERE, 'domainName', domainName, 'is not a DNS name', 'pass -c domainName=shop.example.com');
    }
    if (hostedZoneId === undefined) {
      throw new PlatformValidationError(WHERE, 'hostedZoneId', hostedZoneId, `is required with domainName ${domainName}`,
        'pass -c hostedZoneId=Z0123456789ABC (the Route 53 zone of the domain)');
    }
    if (certificateArn === undefined) {
      throw new PlatformValidationError(WHERE, 'certificateArn', certificateArn, `is required with domainName ${domainName}`,
        'pass -c certificateArn=arn:aws:acm:us-east-1:<account>:certificate/<id> (CloudFront reads certificates from us-east-1)');
    }
  }
  for (const [key, value] of [['hostedZoneId', hostedZoneId], ['certificateArn', certificateArn]] as const) {
    if (value !== undefined && domainName === undefined) {
      throw new PlatformValidationError(WHERE, key, value, 'is given without domainName, which it belongs to',
        'pass -c domainName=<the service\'s DNS name> with it (all three of domainName, hostedZoneId and certificateArn), or drop it');
    }
  }
  if (certificateArn !== undefined && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)) {
    throw new PlatformValidationError(WHERE, 'certificateArn', certificateArn, 'is not an ACM certificate ARN in us-east-1',
      'issue the certificate in us-east-1 (CloudFront reads viewer certificates there) and pass its ARN');
  }

  return {
    service, image, containerPort, account, primaryRegion, secondaryRegion, primaryAzs, secondaryAzs, drTier, activeRegion, objectives,
    runbookBaseUrl, domainName, hostedZoneId, certificateArn, ...loadOnCallConfig(str), ...loadBaselineConfig(str),
  };
}

function azList(value: string | undefined, key: string, region: AwsRegion): string[] {
  if (value === undefined) return defaultAvailabilityZones(region, 3);
  const azs = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = azs.filter((az) => !new RegExp(`^${region}[a-z]$`).test(az));
  if (bad.length > 0 || azs.length < 2 || new Set(azs).size !== azs.length) {
    throw new PlatformValidationError(WHERE, key, value, `must list at least 2 distinct zones of ${region}`,
      `pass -c ${key}=${region}a,${region}b,${region}c`);
  }
  return azs;
}
