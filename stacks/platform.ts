import type { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { join } from 'node:path';
import { AlertReceiver, LivenessProbe, MultiRegionPlatform, PROBE_CRITICAL_PATHS, REFERENCE_CRITICAL_PATHS } from '../constructs';
import type { MultiRegionPlatformProps } from '../constructs';
import type { PlatformConfig } from './config';
import { serviceObjectives } from './objectives';

/** The reference service's folder (Dockerfile and sources). */
export const REFERENCE_SERVICE_DIR = join(__dirname, '..', 'reference-service');

/** The stacks of the reference platform, in deployment order (the library's {@link MultiRegionPlatform}). */
export type Platform = MultiRegionPlatform;

/**
 * Composes the reference platform for the configured DR tier into `app`: the config, read from context, becomes
 * the props of the library's MultiRegionPlatform; everything else is the library's.
 */
export function buildPlatform(app: App, config: PlatformConfig): Platform {
  return new MultiRegionPlatform(app, platformProps(config));
}

/** The reference platform's MultiRegionPlatform props for `config`. */
export function platformProps(config: PlatformConfig): MultiRegionPlatformProps {
  return {
    service: config.service,
    account: config.account,
    primaryRegion: { region: config.primaryRegion, availabilityZones: config.primaryAzs },
    secondaryRegion: { region: config.secondaryRegion, availabilityZones: config.secondaryAzs },
    drTier: config.drTier,
    recoveryObjectives: config.objectives,
    slos: serviceObjectives(config.service).slos,
    // Without -c image, the reference service: staged at synth (no Docker needed), built by cdk deploy.
    image: config.image ? ecs.ContainerImage.fromRegistry(config.image) : ecs.ContainerImage.fromAsset(REFERENCE_SERVICE_DIR),
    livenessProbe: config.image ? LivenessProbe.curl() : LivenessProbe.nodeFetch(),
    // Smoke tests and edge canaries call the reference service's critical paths; another image is held to its probes.
    criticalPaths: config.image ? PROBE_CRITICAL_PATHS : REFERENCE_CRITICAL_PATHS,
    containerPort: config.containerPort,
    activeRegion: config.activeRegion,
    domain: config.domainName && config.hostedZoneId && config.certificateArn
      ? { domainName: config.domainName, hostedZoneId: config.hostedZoneId, certificateArn: config.certificateArn }
      : undefined,
    runbookBaseUrl: config.runbookBaseUrl,
    // Critical pages and warning tickets; the Slack channel gets both. Info reaches nobody.
    pageReceivers: [
      ...config.pageEmails.map((e) => AlertReceiver.email(e)),
      ...config.pageWebhookUrls.map((u) => AlertReceiver.https(u)),
      ...(config.slack ? [AlertReceiver.slack(config.slack)] : []),
    ],
    ticketReceivers: [
      ...config.ticketEmails.map((e) => AlertReceiver.email(e)),
      ...(config.slack ? [AlertReceiver.slack(config.slack)] : []),
    ],
    production: config.production,
    onCallContacts: config.onCallContacts,
    seniorEngineer: config.seniorEngineer,
    incidentCommander: config.incidentCommander,
    incidentReplicationSet: config.incidentReplicationSet,
    autoRemediation: config.autoRemediation,
    accountBaseline: config.accountBaseline,
    monthlyBudget: config.monthlyBudget,
  };
}
