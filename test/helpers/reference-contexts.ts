/**
 * The variants of the reference app the tests synthesize, and which test files read each. Nothing here builds an
 * app (the jest global setup imports this file): it names the syntheses `npx jest` runs once per run, ahead of the
 * test files that read them (see synth-cache.ts). A variant a test reads that is missing here still works: the test
 * file then synthesizes it itself (slower; the run ends with a note naming it).
 */

/**
 * Context of a deployment with a domain: Route 53 then routes regions (failover or latency records with health
 * checks) and the load balancers are public origins that admit CloudFront only.
 */
export const DOMAIN_CONTEXT: Readonly<Record<string, string>> = {
  domainName: 'shop.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
};

/**
 * The production-like app the scorecard's 18 points assume: warm standby with a domain, page and ticket receivers, an
 * on-call rotation, production on, and the account baseline (`-c accountBaseline=true`).
 */
export const PRODUCTION_CONTEXT: Readonly<Record<string, string>> = {
  drTier: 'warm-standby', ...DOMAIN_CONTEXT, accountBaseline: 'true',
  pageEmails: 'oncall@example.com', ticketEmails: 'tickets@example.com', pageWebhookUrls: 'https://events.pagerduty.com/integration/abc/enqueue',
  onCallContacts: 'alice:alice@example.com,bob:bob@example.com', production: 'true',
};

/** Validation plugins added to a synthesis besides aws-cdk-lib's own: cdk-nag's packs or the Control Tower controls. */
export type CompliancePacks = 'nag' | 'control-tower';

/** One synthesis of the reference app: the context `-c` would pass, and the plugins added to the app. */
export interface SynthSpec {
  readonly context: Readonly<Record<string, string>>;
  readonly packs?: CompliancePacks;
}

/** A synthesis the run prepares, and the test files (relative to the repository) that read it. */
export interface PlannedSynth {
  readonly spec: SynthSpec;
  readonly usedBy: readonly string[];
}

const STACKS = 'test/stacks';
const CFN_SCHEMA = `${STACKS}/cfn-schema.test.ts`;
const CONTROL_TOWER = `${STACKS}/control-tower.test.ts`;
const DNS_ROUTING = `${STACKS}/dns-routing.test.ts`;
const DR_TIERS = `${STACKS}/dr-tiers.test.ts`;
const NOTHING_LOST = `${STACKS}/nothing-lost.test.ts`;
const OBSERVABILITY_PARITY = `${STACKS}/observability-parity.test.ts`;
const REFERENCE_APP = `${STACKS}/reference-app.test.ts`;
const ALERT_RUNBOOKS = 'test/runbooks/alert-runbooks.test.ts';
const SETTINGS = 'test/reference-service/settings.test.ts';
const SCORECARD = 'test/cli/scorecard/scorecard.test.ts';
const BASELINE = 'test/aws/platform/baseline-stacks.test.ts';
const DIAGRAM = 'test/cli/diagram/diagram.test.ts';
const DIAGRAMS = `${STACKS}/render-diagrams.test.ts`;

const plan = (context: Record<string, string>, usedBy: string[], packs?: CompliancePacks): PlannedSynth =>
  ({ spec: packs ? { context, packs } : { context }, usedBy });

/**
 * Every synthesis the test files read, in the order the producers take them: the broadest app first (the validator
 * it warms up covers every resource type), then the Control Tower ones (cfn-guard takes about 35 s each).
 */
export const PLANNED_SYNTHS: readonly PlannedSynth[] = [
  plan({ drTier: 'active-active', ...DOMAIN_CONTEXT }, [CFN_SCHEMA, DNS_ROUTING, NOTHING_LOST]),
  plan({ drTier: 'active-active', ...DOMAIN_CONTEXT }, [CONTROL_TOWER], 'control-tower'),
  // The account baseline: its nag synthesis is also the production app every baseline test and the scorecard read.
  plan({ ...PRODUCTION_CONTEXT }, [BASELINE, NOTHING_LOST, ALERT_RUNBOOKS, SCORECARD], 'nag'),
  plan({ ...PRODUCTION_CONTEXT }, [CONTROL_TOWER], 'control-tower'),
  plan({ drTier: 'pilot-light' }, [CONTROL_TOWER], 'control-tower'),
  plan({ drTier: 'active-active', ...DOMAIN_CONTEXT }, [DNS_ROUTING], 'nag'),
  plan({ drTier: 'pilot-light' }, [REFERENCE_APP], 'nag'),
  plan({ drTier: 'active-active' }, [REFERENCE_APP], 'nag'),
  plan({ drTier: 'pilot-light' }, [CFN_SCHEMA, DR_TIERS, NOTHING_LOST, REFERENCE_APP, ALERT_RUNBOOKS, SETTINGS, DIAGRAMS, SCORECARD]),
  plan({ drTier: 'warm-standby' }, [CFN_SCHEMA, DR_TIERS, NOTHING_LOST, REFERENCE_APP, ALERT_RUNBOOKS, SETTINGS, DIAGRAM, DIAGRAMS, SCORECARD]),
  plan({ drTier: 'active-active' }, [DR_TIERS, NOTHING_LOST, REFERENCE_APP, ALERT_RUNBOOKS, SETTINGS, DIAGRAMS, SCORECARD]),
  plan({ drTier: 'backup-restore' }, [DR_TIERS, NOTHING_LOST, REFERENCE_APP, ALERT_RUNBOOKS, DIAGRAM, DIAGRAMS, SCORECARD]),
  plan({}, [DNS_ROUTING, REFERENCE_APP]),
  plan({ drTier: 'backup-restore', ...DOMAIN_CONTEXT }, [DNS_ROUTING]),
  plan({ drTier: 'pilot-light', ...DOMAIN_CONTEXT }, [DNS_ROUTING]),
  plan({ drTier: 'warm-standby', ...DOMAIN_CONTEXT }, [DNS_ROUTING, ALERT_RUNBOOKS]),
  plan({ drTier: 'warm-standby', ...DOMAIN_CONTEXT, activeRegion: 'secondary' }, [DNS_ROUTING]),
  plan({ image: 'public.ecr.aws/acme/checkout:1.0.0' }, [DR_TIERS]),
  plan({ drTier: 'warm-standby', activeRegion: 'secondary' }, [DR_TIERS]),
  plan({ drTier: 'pilot-light', activeRegion: 'secondary' }, [DR_TIERS]),
  plan({
    domainName: 'shop.example.com', hostedZoneId: 'Z0123456789ABC',
    certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc-123',
  }, [DR_TIERS]),
  plan({ account: '123456789012', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2', drTier: 'warm-standby' }, [REFERENCE_APP]),
  plan({ drTier: 'pilot-light', runbookBaseUrl: 'https://runbooks.example.com/platform' }, [OBSERVABILITY_PARITY]),
  plan({ containerPort: '9090' }, [SETTINGS]),
  // A config that names receivers for every severity and an on-call rotation (reference-app.test.ts "incident response").
  plan({
    pageEmails: 'oncall@example.com', ticketEmails: 'tickets@example.com', pageWebhookUrls: 'https://events.pagerduty.com/integration/abc/enqueue',
    slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD', onCallContacts: 'alice:alice@example.com,bob:bob@example.com', production: 'true',
  }, [REFERENCE_APP]),
];
