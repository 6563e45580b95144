import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { DrTier, RecoveryObjectives } from '../../core/dr-tier';
import type { Drill } from '../../core/drills/drill';
import type { RedeployCommand } from '../../core/drills/catalog';
import type { Slo } from '../../core/observability/slo';
import type { CriticalPath } from '../../core/release/critical-paths';
import type { AwsRegion } from '../../core/regions';
import type { PlatformStackRole } from '../../core/stack-naming';
import type { LivenessProbe } from '../compute/liveness-probe';
import type { OnCallContact } from '../incidents/incident-response-props';
import type { AlertReceiver } from '../observability/alert-receiver';

/** One region of a {@link MultiRegionPlatform}. */
export interface PlatformRegion {
  readonly region: AwsRegion;
  /**
   * Availability zones the region's network spans (no lookup at synth), at least 2.
   * @default - the region's first three zones
   */
  readonly availabilityZones?: string[];
}

/**
 * A public domain for the platform. With one, Route 53 picks the region behind CloudFront (failover records for
 * pilot light and warm standby, latency records for active/active, health checks on each region's `/health`), and
 * the load balancers are public origins that admit CloudFront only (the origin-verify header).
 */
export interface PlatformDomain {
  /** The service's DNS name, e.g. `shop.example.com`. */
  readonly domainName: string;
  /** Route 53 hosted zone id of `domainName`. */
  readonly hostedZoneId: string;
  /** ACM certificate in us-east-1 (where CloudFront reads viewer certificates) covering `domainName`. */
  readonly certificateArn: string;
}

/** Which region CloudFront sends every request to, writes included. */
export type ActiveRegion = 'primary' | 'secondary';

/** Props of {@link MultiRegionPlatform}. */
export interface MultiRegionPlatformProps {
  /** Service name, 1-40 lowercase letters, digits and dashes: stack IDs, the `platform:service` tag, alarm and dashboard names. */
  readonly service: string;
  /** 12-digit AWS account id every stack deploys to. */
  readonly account: string;
  /** The region that serves traffic. */
  readonly primaryRegion: PlatformRegion;
  /** The region that takes over per the DR tier (its network and backup copy vault exist at every tier). */
  readonly secondaryRegion: PlatformRegion;
  /**
   * The DR tier (DESIGN.md "DR tiers"). With `recoveryObjectives` too, a tier that cannot meet them is an error.
   * @default - the cheapest tier that meets `recoveryObjectives` (one of the two is required)
   */
  readonly drTier?: DrTier;
  /** RTO and RPO the platform must meet (e.g. `{ rto: '15m', rpo: '1m' }`): they pick the tier when `drTier` is not given. */
  readonly recoveryObjectives?: RecoveryObjectives;
  /** The service's SLOs (availability first): burn-rate alarms, Prometheus rules, dashboards in every region. */
  readonly slos: readonly Slo[];
  /** Container image of the service; it serves `/health` (liveness) and `/ready` (readiness) on `containerPort`. */
  readonly image: ecs.ContainerImage;
  /**
   * How the container checks its own `/health`.
   * @default LivenessProbe.curl()
   */
  readonly livenessProbe?: LivenessProbe;
  /**
   * Port the container listens on (unprivileged, 1024-65535).
   * @default 8080
   */
  readonly containerPort?: number;
  /**
   * Extra environment of the container, added after the settings the platform passes (DESIGN.md "The workload's
   * settings": PORT, SERVICE_NAME, AWS_REGION, DB_*, CACHE_*), which it cannot override.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * The region CloudFront sends every request to; `secondary` after a failover (tiers with a secondary application).
   * @default 'primary'
   */
  readonly activeRegion?: ActiveRegion;
  /**
   * Public domain: Route 53 region routing behind CloudFront.
   * @default - no domain: CloudFront reaches internal load balancers through VPC origins; `activeRegion` picks the region
   */
  readonly domain?: PlatformDomain;
  /**
   * Where runbook links of alarms and alerts point: `<runbookBaseUrl>/runbooks/<path>.md` (https).
   * @default - the app's `runbookBaseUrl` context, else DEFAULT_RUNBOOK_BASE_URL
   */
  readonly runbookBaseUrl?: string;
  /**
   * IDs (and CloudFormation names) of the stacks, by role. The drill CLI finds stacks by their `platform:*` tags,
   * so any IDs work; the rendered drills name `<service>-<role>` (pass the drills' redeploy command otherwise).
   * @default - `<service>-<role>` (platformStackId)
   */
  readonly stackIds?: Partial<Record<PlatformStackRole, string>>;
  /**
   * The command the failover and failback drills tell the operator to run to redeploy the global stack with the
   * other region active (`activeRegion`).
   * @default - with the default stack IDs, the reference app's `npx cdk deploy <service>-global -c drTier=<tier>
   * -c activeRegion=<region> --require-approval never`; with other IDs, the same naming the global stack's ID
   */
  readonly redeployCommand?: RedeployCommand;
  /**
   * Tasks of the primary region's service (and of an active/active secondary): at least one per AZ.
   * @default { min: 3, max: 20 }
   */
  readonly capacity?: { readonly min: number; readonly max: number };
  /**
   * Who critical alerts page in every region (`AlertingTopics.pageReceivers`): e-mail, HTTPS endpoints, chat channels.
   * @default - nobody: synth warns (fails with `production: true`)
   */
  readonly pageReceivers?: readonly AlertReceiver[];
  /**
   * Who warning alerts open a ticket with, in every region (`AlertingTopics.ticketReceivers`).
   * @default - nobody
   */
  readonly ticketReceivers?: readonly AlertReceiver[];
  /**
   * The platform runs production: a critical topic that reaches nobody fails synthesis.
   * @default false
   */
  readonly production?: boolean;
  /**
   * The on-call rotation in escalation order (at least 2): Incident Manager contacts, rotations, the escalation plan and
   * the service's response plan in the primary stack; every region's page alarm opens an incident.
   * @default - no Incident Manager resources: pages go to the page receivers only
   */
  readonly onCallContacts?: readonly OnCallContact[];
  /**
   * Who the senior-engineer stage of the escalation engages (needs `onCallContacts`).
   * @default - every contact of the rotation
   */
  readonly seniorEngineer?: OnCallContact;
  /**
   * Who the incident-commander stage engages (needs `onCallContacts`).
   * @default - every contact of the rotation
   */
  readonly incidentCommander?: OnCallContact;
  /**
   * Create the account's Incident Manager replication set over both regions (with `onCallContacts`). Only where none
   * exists: there is one per account.
   * @default false - the replication set must exist before deployment
   */
  readonly incidentReplicationSet?: boolean;
  /**
   * Deploy the automatic remediations (`AutoRemediation`) in every region with their guard rails.
   * @default true
   */
  readonly autoRemediation?: boolean;
  /**
   * The service's critical paths: what the smoke test calls through the test listener after each traffic shift of a
   * deployment, and the edge canaries through CloudFront in each serving region.
   * @default PROBE_CRITICAL_PATHS - liveness and readiness (what every image serves)
   */
  readonly criticalPaths?: readonly CriticalPath[];
  /**
   * Add the account baseline (once per account, where no organization-wide setup provides it): `<service>-baseline` in
   * us-east-1 (multi-region CloudTrail, threat detection, cost monitoring) and `<service>-<role>-baseline` threat
   * detection stacks for the platform's regions other than us-east-1.
   * @default false
   */
  readonly accountBaseline?: boolean;
  /**
   * The service's monthly cost budget in USD (with `accountBaseline`): 80% forecast notifies the warning topic, 100%
   * actual the critical one.
   * @default 1000
   */
  readonly monthlyBudget?: number;
}

/**
 * The validated, defaulted form of {@link MultiRegionPlatformProps} every stack of the platform reads (built by
 * {@link MultiRegionPlatform}; a stack used alone takes one too).
 */
export interface PlatformSpec {
  /** {@link MultiRegionPlatformProps.service}. */
  readonly service: string;
  /** {@link MultiRegionPlatformProps.account}. */
  readonly account: string;
  /** The primary region's code. */
  readonly primaryRegion: AwsRegion;
  /** The secondary region's code. */
  readonly secondaryRegion: AwsRegion;
  /** The zones of the primary region's network (given or the region's first three). */
  readonly primaryAzs: string[];
  /** The zones of the secondary region's network. */
  readonly secondaryAzs: string[];
  /** The tier: given, or the cheapest that meets the recovery objectives. */
  readonly drTier: DrTier;
  /** Where CloudFront sends every request. */
  readonly activeRegion: ActiveRegion;
  /** {@link MultiRegionPlatformProps.slos}. */
  readonly slos: readonly Slo[];
  /** {@link MultiRegionPlatformProps.image}. */
  readonly image: ecs.ContainerImage;
  /** How the container checks its own `/health`. */
  readonly livenessProbe: LivenessProbe;
  /** The container's port. */
  readonly containerPort: number;
  /** The consumer's extra container environment. */
  readonly environment: Readonly<Record<string, string>>;
  /** Base of every runbook link. */
  readonly runbookBaseUrl: string;
  /** {@link MultiRegionPlatformProps.domain}. */
  readonly domain?: PlatformDomain;
  /** The ID of each stack, by role. */
  readonly stackIds: Readonly<Record<PlatformStackRole, string>>;
  /** Task range of the primary region's service. */
  readonly capacity: { readonly min: number; readonly max: number };
  /** The drills the regions deploy as SSM Automation documents (their redeploy command names the global stack). */
  readonly drills: readonly Drill[];
  /** {@link MultiRegionPlatformProps.pageReceivers}. */
  readonly pageReceivers: readonly AlertReceiver[];
  /** {@link MultiRegionPlatformProps.ticketReceivers}. */
  readonly ticketReceivers: readonly AlertReceiver[];
  /** {@link MultiRegionPlatformProps.production}. */
  readonly production: boolean;
  /** {@link MultiRegionPlatformProps.onCallContacts}; empty: no Incident Manager resources. */
  readonly onCallContacts: readonly OnCallContact[];
  /** {@link MultiRegionPlatformProps.seniorEngineer}. */
  readonly seniorEngineer?: OnCallContact;
  /** {@link MultiRegionPlatformProps.incidentCommander}. */
  readonly incidentCommander?: OnCallContact;
  /** {@link MultiRegionPlatformProps.incidentReplicationSet}. */
  readonly incidentReplicationSet: boolean;
  /** {@link MultiRegionPlatformProps.autoRemediation}. */
  readonly autoRemediation: boolean;
  /** {@link MultiRegionPlatformProps.criticalPaths}. */
  readonly criticalPaths: readonly CriticalPath[];
  /** {@link MultiRegionPlatformProps.accountBaseline}. */
  readonly accountBaseline: boolean;
  /** {@link MultiRegionPlatformProps.monthlyBudget}. */
  readonly monthlyBudget: number;
}
