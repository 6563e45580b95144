import { DrTier } from '../../../core/dr-tier';
import { DRILLS, drillCatalog } from '../../../core/drills/catalog';
import type { Drill } from '../../../core/drills/drill';
import { PlatformValidationError } from '../../../core/errors';
import { PROBE_CRITICAL_PATHS, validateCriticalPaths } from '../../../core/release/critical-paths';
import { defaultAvailabilityZones, requireRegion } from '../../../core/regions';
import type { AwsRegion } from '../../../core/regions';
import { platformStackId } from '../../../core/stack-naming';
import type { PlatformStackRole } from '../../../core/stack-naming';
import { LivenessProbe } from '../../compute/liveness-probe';
import type { MultiRegionPlatformProps, PlatformRegion, PlatformSpec } from '../multi-region-platform-props';

const ROLES: readonly PlatformStackRole[] = ['primary-base', 'secondary-base', 'primary', 'secondary', 'global', 'baseline', 'primary-baseline', 'secondary-baseline'];

/**
 * Validates {@link MultiRegionPlatformProps} and fills the defaults, before any stack is created. Every error names
 * `where`, the prop, the value and the fix.
 */
export function resolvePlatformSpec(where: string, props: MultiRegionPlatformProps, runbookBaseUrl: string): PlatformSpec {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
    throw new PlatformValidationError(where, 'service', props.service, 'is not a valid service name',
      'use 1-40 lowercase letters, digits and dashes, starting with a letter');
  }
  if (!/^\d{12}$/.test(props.account)) {
    throw new PlatformValidationError(where, 'account', props.account, 'is not a 12-digit AWS account id', 'pass your account id, digits only');
  }
  const primaryRegion = requireRegion(where, 'primaryRegion.region', props.primaryRegion.region);
  const secondaryRegion = requireRegion(where, 'secondaryRegion.region', props.secondaryRegion.region);
  if (primaryRegion === secondaryRegion) {
    throw new PlatformValidationError(where, 'secondaryRegion.region', secondaryRegion, 'equals primaryRegion.region; a regional failure would take out both',
      'pick another region for the secondary');
  }
  const drTier = resolveTier(where, props);
  const activeRegion = props.activeRegion ?? 'primary';
  if (activeRegion === 'secondary' && !drTier.replicatesContinuously) {
    throw new PlatformValidationError(where, 'activeRegion', activeRegion, `needs an application in the secondary region, which DR tier ${drTier.id} does not deploy`,
      'restore into the secondary region first (runbooks/drills/backup-restore-failover.md), or run a tier with a secondary stack (pilot-light, warm-standby, active-active)');
  }
  if (props.slos.length === 0) {
    throw new PlatformValidationError(where, 'slos', [], 'is empty: nothing to alert on', 'pass the service\'s SLOs, availability first (Slo.availability, Slo.latency)');
  }
  const foreign = props.slos.find((slo) => slo.service !== props.service);
  if (foreign) {
    throw new PlatformValidationError(where, 'slos', foreign.name, `is an SLO of service '${foreign.service}', not of '${props.service}'`,
      `pass only SLOs declared with service: '${props.service}'`);
  }
  if (!props.slos.some((slo) => slo.kind === 'latency')) {
    throw new PlatformValidationError(where, 'slos', props.slos.map((slo) => slo.name), 'has no latency SLO',
      'add a Slo.latency({ service, threshold, target }): its threshold is the p99 alert threshold');
  }
  const containerPort = props.containerPort ?? 8080;
  if (!Number.isInteger(containerPort) || containerPort < 1024 || containerPort > 65535) {
    throw new PlatformValidationError(where, 'containerPort', containerPort, 'is not an unprivileged TCP port', 'use a port from 1024 to 65535 (the container runs as non-root)');
  }
  const capacity = props.capacity ?? { min: 3, max: 20 };
  if (!Number.isInteger(capacity.min) || !Number.isInteger(capacity.max) || capacity.min < 1 || capacity.max < capacity.min) {
    throw new PlatformValidationError(where, 'capacity', capacity, 'is not a task range of at least 1 with max >= min', 'e.g. { min: 3, max: 20 } (one task per AZ at least)');
  }
  if (!/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(runbookBaseUrl)) {
    throw new PlatformValidationError(where, 'runbookBaseUrl', runbookBaseUrl, 'is not an https URL', 'pass https://github.com/<org>/<repo>/blob/main');
  }
  validateDomain(where, props);
  const criticalPaths = props.criticalPaths ?? PROBE_CRITICAL_PATHS;
  validateCriticalPaths(where, 'criticalPaths', criticalPaths);
  if ((props.seniorEngineer || props.incidentCommander || props.incidentReplicationSet) && (props.onCallContacts ?? []).length === 0) {
    const given = props.seniorEngineer ? 'seniorEngineer' : props.incidentCommander ? 'incidentCommander' : 'incidentReplicationSet';
    throw new PlatformValidationError(where, given, props.seniorEngineer?.alias ?? props.incidentCommander?.alias ?? props.incidentReplicationSet,
      'needs onCallContacts (Incident Manager is set up only with an on-call rotation)', 'pass onCallContacts (at least two, in escalation order) or drop it');
  }
  const monthlyBudget = props.monthlyBudget ?? 1000;
  if (!Number.isFinite(monthlyBudget) || monthlyBudget <= 0) {
    throw new PlatformValidationError(where, 'monthlyBudget', monthlyBudget, 'is not a positive amount of USD', 'pass the service\'s monthly budget in USD, e.g. 2500');
  }
  const stackIds = Object.fromEntries(ROLES.map((role) => [role, props.stackIds?.[role] ?? platformStackId(props.service, role)])) as
    Record<PlatformStackRole, string>;
  if (new Set(Object.values(stackIds)).size !== ROLES.length) {
    throw new PlatformValidationError(where, 'stackIds', props.stackIds, 'gives two stacks the same ID', 'give every role its own stack ID');
  }
  return {
    service: props.service,
    account: props.account,
    primaryRegion,
    secondaryRegion,
    primaryAzs: zones(where, 'primaryRegion.availabilityZones', props.primaryRegion, primaryRegion),
    secondaryAzs: zones(where, 'secondaryRegion.availabilityZones', props.secondaryRegion, secondaryRegion),
    drTier,
    activeRegion,
    slos: props.slos,
    image: props.image,
    livenessProbe: props.livenessProbe ?? LivenessProbe.curl(),
    containerPort,
    environment: props.environment ?? {},
    runbookBaseUrl,
    domain: props.domain,
    stackIds,
    capacity,
    drills: drillsFor(props, stackIds.global),
    pageReceivers: props.pageReceivers ?? [],
    ticketReceivers: props.ticketReceivers ?? [],
    production: props.production ?? false,
    onCallContacts: props.onCallContacts ?? [],
    seniorEngineer: props.seniorEngineer,
    incidentCommander: props.incidentCommander,
    incidentReplicationSet: props.incidentReplicationSet ?? false,
    autoRemediation: props.autoRemediation ?? true,
    criticalPaths,
    accountBaseline: props.accountBaseline ?? false,
    monthlyBudget,
  };
}

/** The catalog as is (the reference app's command) unless the global stack has another ID or the props give the command. */
function drillsFor(props: MultiRegionPlatformProps, globalStackId: string): readonly Drill[] {
  if (props.redeployCommand) return drillCatalog({ redeployCommand: props.redeployCommand });
  if (globalStackId === platformStackId(props.service, 'global')) return DRILLS;
  return drillCatalog({
    redeployCommand: (activeRegion, drTier) => `npx cdk deploy ${globalStackId} -c drTier=${drTier} -c activeRegion=${activeRegion} --require-approval never`,
  });
}

function resolveTier(where: string, props: MultiRegionPlatformProps): DrTier {
  const objectives = props.recoveryObjectives;
  if (props.drTier === undefined && objectives === undefined) {
    throw new PlatformValidationError(where, 'drTier', undefined, 'is required without recoveryObjectives',
      'pass drTier (e.g. DrTier.WARM_STANDBY) or recoveryObjectives (e.g. { rto: \'15m\', rpo: \'1m\' }) to pick the cheapest tier that meets them');
  }
  const tier = props.drTier ?? DrTier.forObjectives(objectives!, where);
  if (objectives) tier.requireMeets(objectives, where, 'drTier');
  return tier;
}

function zones(where: string, prop: string, given: PlatformRegion, region: AwsRegion): string[] {
  if (given.availabilityZones === undefined) return defaultAvailabilityZones(region, 3);
  const azs = given.availabilityZones;
  const bad = azs.filter((az) => !new RegExp(`^${region}[a-z]$`).test(az));
  if (bad.length > 0 || azs.length < 2 || new Set(azs).size !== azs.length) {
    throw new PlatformValidationError(where, prop, azs, `must list at least 2 distinct zones of ${region}`, `e.g. ['${region}a', '${region}b', '${region}c']`);
  }
  return [...azs];
}

function validateDomain(where: string, props: MultiRegionPlatformProps): void {
  const domain = props.domain;
  if (domain === undefined) return;
  if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(domain.domainName)) {
    throw new PlatformValidationError(where, 'domain.domainName', domain.domainName, 'is not a DNS name', 'e.g. shop.example.com');
  }
  if (!/^[A-Z0-9]{1,32}$/.test(domain.hostedZoneId)) {
    throw new PlatformValidationError(where, 'domain.hostedZoneId', domain.hostedZoneId, 'is not a Route 53 hosted zone id', 'e.g. Z0123456789ABC (the zone of the domain)');
  }
  if (!/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(domain.certificateArn)) {
    throw new PlatformValidationError(where, 'domain.certificateArn', domain.certificateArn, 'is not an ACM certificate ARN in us-east-1',
      'issue the certificate in us-east-1 (CloudFront reads viewer certificates there) and pass its ARN');
  }
}
