import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { DrTier } from '../../constructs/core/dr-tier';
import { PlatformStack } from '../../constructs/aws/platform-stack';
import { addCompliancePacks } from '../../stacks/nag';

/** Pinned environment of every test: deterministic templates, no lookups. */
export const TEST_ACCOUNT = '111111111111';
export const TEST_REGION = 'eu-west-1';

export interface TestStackOptions {
  readonly region?: string;
  readonly context?: Record<string, unknown>;
  readonly app?: App;
  readonly id?: string;
  /** Register the cdk-nag AwsSolutions and NIST 800-53 rev 5 packs on the app. */
  readonly nag?: boolean;
}

/**
 * The context of the project's cdk.json: the feature flags `cdk init` writes for this aws-cdk-lib version, so every
 * test runs the library the way a new consumer project does.
 */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** An app with stable output (no version reporting, no asset staging noise), under the project's feature flags. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ analyticsReporting: false, context: { ...CDK_JSON_CONTEXT, ...context } });
}

/** A PlatformStack in the pinned account and region, AZs from config. */
export function testStack(options: TestStackOptions = {}): PlatformStack {
  const app = options.app ?? testApp(options.context);
  if (options.nag) addCompliancePacks(app);
  return new PlatformStack(app, options.id ?? 'Test', {
    env: { account: TEST_ACCOUNT, region: options.region ?? TEST_REGION },
    service: 'checkout',
    regionRole: 'primary',
    drTier: DrTier.PILOT_LIGHT,
  });
}


/** One unacknowledged finding of a validation plugin. */
export interface NagFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly path: string;
  readonly description: string;
}

/**
 * Synthesizes the app that owns `stack` and returns the unacknowledged findings of severity `error` of every
 * validation plugin (cdk-nag packs), empty when they pass. Reads the validation report CDK writes.
 */
export function nagFindings(stack: Stack): NagFinding[] {
  const app = stack.node.root as App;
  try {
    app.synth({ force: true });
    return [];
  } catch (e) {
    return findingsOfFailedSynth(e);
  }
}

/** The findings of the validation report a failed synth names; what it threw, rethrown, when it names none. */
export function findingsOfFailedSynth(e: unknown): NagFinding[] {
  const text = e instanceof Error ? e.message : String(e);
  const report = /report can be found in: (\S+validation-report\.json)/.exec(text);
  if (!report) throw e;
  return readReport(report[1]);
}

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{ ruleName: string; description: string; severity: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

function readReport(file: string): NagFinding[] {
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((p) => p.violations
    .filter((v) => v.severity === 'error')
    .flatMap((v) => v.violatingConstructs.map((c) => ({
      plugin: p.pluginName, rule: v.ruleName, path: c.constructPath, description: v.description,
    }))));
}

/** `path rule` lines, for readable failure output. */
export function formatFindings(findings: readonly NagFinding[]): string[] {
  return findings.map((f) => `${f.path} ${f.rule}: ${f.description.slice(0, 120)}`);
}
