/**
 * Reads a cloud assembly (`cdk.out`) as the scorecard sees it: every stack of every (nested) assembly with its
 * template's resources, each with its construct path (the resource's `aws:cdk:path` metadata, else the assembly's
 * `aws:cdk:logicalId` metadata), nested stack templates folded into their parent, and the validation report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One resource of a synthesized template. */
export interface AssemblyResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** Construct path, `<stack>/...`; the logical id when the assembly does not say. */
  readonly path: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** One stack of the assembly. */
export interface AssemblyStack {
  readonly name: string;
  readonly region?: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly resources: readonly AssemblyResource[];
  /**
   * Compliance findings acknowledged with a written reason (`aws:cdk:acknowledged-rules` metadata of cdk-nag packs or the
   * Control Tower controls): the record of a security review.
   */
  readonly acknowledgedFindings: number;
}

/** What the validation plugins (cdk-nag packs, cfn-guard) reported at synth, when they ran. */
export interface ValidationPluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: number;
}

/** The assembly as the scorecard reads it. */
export interface Assembly {
  readonly directory: string;
  readonly stacks: readonly AssemblyStack[];
  readonly validation: readonly ValidationPluginReport[];
}

interface Manifest {
  readonly artifacts?: Record<string, {
    readonly type?: string;
    readonly environment?: string;
    readonly displayName?: string;
    readonly properties?: {
      readonly templateFile?: string; readonly stackName?: string; readonly tags?: Record<string, string>; readonly directoryName?: string;
    };
    readonly metadata?: Record<string, Array<{ readonly type: string; readonly data?: unknown }>>;
    readonly additionalMetadataFile?: string;
  }>;
}

interface Template {
  readonly Description?: string;
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

/** Rule ids of compliance packs: cdk-nag's (AwsSolutions, NIST 800-53, HIPAA, PCI) and the Control Tower controls. */
const COMPLIANCE_RULE = /^(Annotation::)?(AwsSolutions|NIST|HIPAA|PCI|Serverless|cdk-validator-cfnguard)/;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Fails with a message naming the directory and what is missing (the command turns it into exit status 2). */
export class AssemblyError extends Error {}

/** Reads the cloud assembly in `directory`. */
export function readAssembly(directory: string): Assembly {
  const manifestFile = join(directory, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new AssemblyError(`${directory}: no manifest.json, not a cloud assembly: pass the folder \`cdk synth\` writes (cdk.out by default)`);
  }
  const stacks: AssemblyStack[] = [];
  collectStacks(directory, stacks);
  const reportFile = join(directory, 'validation-report.json');
  const validation = existsSync(reportFile)
    ? readJson<{ pluginReports?: Array<{ pluginName: string; conclusion: string; violations?: unknown[] }> }>(reportFile).pluginReports?.map((p) => ({
      pluginName: p.pluginName, conclusion: p.conclusion, violations: p.violations?.length ?? 0,
    })) ?? []
    : [];
  return { directory, stacks, validation };
}

function collectStacks(directory: string, into: AssemblyStack[]): void {
  const manifest = readJson<Manifest>(join(directory, 'manifest.json'));
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      collectStacks(join(directory, artifact.properties.directoryName), into);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const name = artifact.properties.stackName ?? id;
    const metadata = { ...(artifact.metadata ?? {}) };
    if (artifact.additionalMetadataFile && existsSync(join(directory, artifact.additionalMetadataFile))) {
      Object.assign(metadata, readJson<Record<string, Array<{ type: string; data?: unknown }>>>(join(directory, artifact.additionalMetadataFile)));
    }
    const acknowledgedFindings = Object.values(metadata).flat()
      .filter((e) => e.type === 'aws:cdk:acknowledged-rules')
      .flatMap((e) => Object.entries((e.data ?? {}) as Record<string, unknown>))
      .filter(([id, reason]) => COMPLIANCE_RULE.test(id) && typeof reason === 'string' && reason.length > 0).length;
    const pathOf = new Map<string, string>();
    for (const [path, entries] of Object.entries(metadata)) {
      for (const e of entries) if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') pathOf.set(e.data, path.replace(/^\//, ''));
    }
    const template = readJson<Template>(join(directory, artifact.properties.templateFile));
    const resources: AssemblyResource[] = [];
    addResources(directory, name, template, pathOf, resources);
    const region = /^aws:\/\/[^/]+\/(.+)$/.exec(artifact.environment ?? '')?.[1];
    into.push({
      name,
      ...(region && region !== 'unknown-region' ? { region } : {}),
      ...(template.Description ? { description: template.Description } : {}),
      tags: artifact.properties.tags ?? {},
      resources,
      acknowledgedFindings,
    });
  }
}

function addResources(directory: string, stack: string, template: Template, pathOf: ReadonlyMap<string, string>, into: AssemblyResource[]): void {
  for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
    const cdkPath = r.Metadata?.['aws:cdk:path'];
    into.push({
      stack, logicalId, type: r.Type, properties: r.Properties ?? {},
      path: typeof cdkPath === 'string' ? cdkPath : pathOf.get(logicalId) ?? `${stack}/${logicalId}`,
    });
    // A nested stack's template is an asset beside the manifest: its resources count as the parent stack's.
    const nested = r.Metadata?.['aws:asset:path'];
    if (r.Type === 'AWS::CloudFormation::Stack' && typeof nested === 'string' && existsSync(join(directory, nested))) {
      addResources(directory, stack, readJson<Template>(join(directory, nested)), pathOf, into);
    }
  }
}
