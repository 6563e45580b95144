import { App } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { CDK_JSON_CONTEXT } from './test-stack';
import { loadConfig } from '../../stacks/config';
import { addCompliancePacks } from '../../stacks/nag';
import { buildPlatform } from '../../stacks/platform';
import type { Platform } from '../../stacks/platform';


/** CloudFormation resource as it appears in a synthesized template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/**
 * Context of a deployment with a domain: Route 53 then routes regions (failover or latency records with health
 * checks) and the load balancers are public origins that admit CloudFront only.
 */
export const DOMAIN_CONTEXT: Readonly<Record<string, string>> = {
  domainName: 'shop.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
};

export interface ReferenceApp {
  readonly app: App;
  readonly platform: Platform;
  readonly stacks: Stack[];
}

/** The reference app exactly as `cdk synth` builds it (stacks/main.ts), with `context` as `-c` would pass it. */
export function referenceApp(context: Record<string, string> = {}, options: { nag?: boolean } = {}): ReferenceApp {
  const app = new App({ analyticsReporting: false, context: { ...CDK_JSON_CONTEXT, ...context } });
  const config = loadConfig((key) => app.node.tryGetContext(key));
  const platform = buildPlatform(app, config);
  if (options.nag) addCompliancePacks(app);
  const stacks = app.node.children.filter((c): c is Stack => (c as Stack).templateOptions !== undefined);
  return { app, platform, stacks };
}

/** Templates of every stack of a synthesized app, by stack id. */
export function templates(ref: ReferenceApp): Record<string, { Resources: Record<string, CfnResource> }> {
  const assembly = ref.app.synth();
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template as { Resources: Record<string, CfnResource> }]));
}

const synthesized = new Map<string, { ref: ReferenceApp; templates: Record<string, { Resources: Record<string, CfnResource> }> }>();

/**
 * The reference app for `context`, synthesized once per test file and shared by its read-only tests (the
 * synthesis is the slow part). Tests that change the app (nag packs, extra constructs) use `referenceApp`.
 */
export function sharedReferenceApp(context: Record<string, string> = {}): { ref: ReferenceApp; templates: Record<string, { Resources: Record<string, CfnResource> }> } {
  const key = JSON.stringify(context);
  let entry = synthesized.get(key);
  if (!entry) {
    const ref = referenceApp(context);
    entry = { ref, templates: templates(ref) };
    synthesized.set(key, entry);
  }
  return entry;
}
