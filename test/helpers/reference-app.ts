import { App, Validations } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CDK_JSON_CONTEXT, findingsOfFailedSynth } from './test-stack';
import type { NagFinding } from './test-stack';
import { DOMAIN_CONTEXT } from './reference-contexts';
import type { CompliancePacks } from './reference-contexts';
import { cachedSynthesis } from './synth-cache';
import type { AcknowledgedRules, SynthOutcome } from './synth-cache';
import { loadConfig } from '../../stacks/config';
import { addControlTowerControls } from '../../stacks/control-tower';
import { addCompliancePacks } from '../../stacks/nag';
import { buildPlatform } from '../../stacks/platform';
import type { Platform } from '../../stacks/platform';

export { DOMAIN_CONTEXT };

/** CloudFormation resource as it appears in a synthesized template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** A synthesized stack template. */
export interface StackTemplate {
  readonly Resources: Record<string, CfnResource>;
}

export interface ReferenceApp {
  readonly app: App;
  readonly platform: Platform;
  readonly stacks: Stack[];
}

export interface ReferenceAppOptions {
  /** Register the cdk-nag AwsSolutions and NIST 800-53 rev 5 packs on the app. */
  readonly nag?: boolean;
  /** Register the Control Tower proactive controls (cfn-guard) on the app. */
  readonly controlTower?: boolean;
  /** Where `app.synth()` writes the cloud assembly (a new temporary folder by default). */
  readonly outdir?: string;
}

/** The reference app exactly as `cdk synth` builds it (stacks/main.ts), with `context` as `-c` would pass it. */
export function referenceApp(context: Record<string, string> = {}, options: ReferenceAppOptions = {}): ReferenceApp {
  const app = new App({
    analyticsReporting: false, context: { ...CDK_JSON_CONTEXT, ...context }, ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = loadConfig((key) => app.node.tryGetContext(key));
  const platform = buildPlatform(app, config);
  if (options.nag) addCompliancePacks(app);
  if (options.controlTower) addControlTowerControls(app);
  const stacks = app.node.children.filter((c): c is Stack => (c as Stack).templateOptions !== undefined);
  return { app, platform, stacks };
}

/** Templates of every stack of a synthesized app, by stack id. */
export function templates(ref: ReferenceApp): Record<string, StackTemplate> {
  return templatesOf(ref.app.synth());
}

function templatesOf(assembly: CloudAssembly): Record<string, StackTemplate> {
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template as StackTemplate]));
}

/** Every acknowledgement (`Validations.of(x).acknowledge`) in the construct tree of `app`. */
function acknowledgementsOf(app: App): AcknowledgedRules[] {
  return app.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map((m) => ({ path: c.node.path, rules: m.data as Record<string, unknown> })));
}

/**
 * Synthesizes the reference app for `context` with `packs` into `outdir`: what `npx jest` runs once per variant
 * (synth-producer.ts, or a test file when no producer has the variant). What the synth throws is kept, not thrown.
 */
export function synthesizeReferenceApp(context: Record<string, string>, packs: CompliancePacks | undefined, outdir: string): SynthOutcome {
  let app: App | undefined;
  try {
    app = referenceApp(context, { nag: packs === 'nag', controlTower: packs === 'control-tower', outdir }).app;
    app.synth();
    return { directory: outdir, acknowledgements: acknowledgementsOf(app) };
  } catch (e) {
    const thrown = e instanceof Error ? e.message : String(e);
    const stack = e instanceof Error ? e.stack : undefined;
    return { directory: outdir, thrown, ...(stack ? { stack } : {}), acknowledgements: app ? acknowledgementsOf(app) : [] };
  }
}

/** A variant of the reference app as synthesized once in this jest run (see synth-cache.ts). */
export interface SynthesizedApp {
  /** The cloud assembly, as `app.synth()` returns it. */
  readonly assembly: CloudAssembly;
  /** Templates of every stack, by stack name. */
  readonly templates: Record<string, StackTemplate>;
  /** What the synthesis threw (a validation plugin with an unacknowledged finding fails it), as an Error. */
  readonly error?: Error;
  /** Every acknowledgement in the synthesized construct tree. */
  readonly acknowledgements: readonly AcknowledgedRules[];
}

const synthesized = new Map<string, SynthesizedApp>();

/** The reference app for `context` with `packs` added, synthesized once per jest run and read back here. */
export function synthesizedReferenceApp(context: Record<string, string> = {}, packs?: CompliancePacks): SynthesizedApp {
  const key = JSON.stringify([context, packs ?? null]);
  let entry = synthesized.get(key);
  if (!entry) {
    const outcome = cachedSynthesis(packs ? { context, packs } : { context }, (outdir) => synthesizeReferenceApp(context, packs, outdir));
    const assembly = new CloudAssembly(outcome.directory);
    let error: Error | undefined;
    if (outcome.thrown !== undefined) {
      error = new Error(outcome.thrown);
      if (outcome.stack) error.stack = outcome.stack;
    }
    entry = { assembly, templates: templatesOf(assembly), acknowledgements: outcome.acknowledgements, ...(error ? { error } : {}) };
    synthesized.set(key, entry);
  }
  return entry;
}

/** The unacknowledged error findings of the validation plugins in `synth` (as `nagFindings` reads them). */
export function synthFindings(synth: SynthesizedApp): NagFinding[] {
  return synth.error ? findingsOfFailedSynth(synth.error) : [];
}

/** The reference app for `context`: its synthesis (once per jest run) and its construct tree (built on first use). */
export interface SharedReferenceApp {
  /** The app built in this test file, without synthesizing it again: for what only the constructs tell. */
  readonly ref: ReferenceApp;
  readonly assembly: CloudAssembly;
  readonly templates: Record<string, StackTemplate>;
}

const shared = new Map<string, SharedReferenceApp>();

/**
 * The reference app for `context`, synthesized once per jest run and shared by the read-only tests (the synthesis
 * is the slow part); a synthesis that throws throws here. Tests that change the app (extra constructs) use
 * `referenceApp`; tests of the compliance packs use `synthesizedReferenceApp(context, packs)`.
 */
export function sharedReferenceApp(context: Record<string, string> = {}): SharedReferenceApp {
  const key = JSON.stringify(context);
  let entry = shared.get(key);
  if (!entry) {
    const synth = synthesizedReferenceApp(context);
    if (synth.error) throw synth.error;
    let built: ReferenceApp | undefined;
    entry = {
      assembly: synth.assembly,
      templates: synth.templates,
      get ref(): ReferenceApp {
        built ??= referenceApp(context);
        return built;
      },
    };
    shared.set(key, entry);
  }
  return entry;
}
