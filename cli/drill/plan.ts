/**
 * Resolves a drill's parameters from what the deployment left behind: a stack-outputs file
 * (`cdk deploy --outputs-file`), the cloud assembly in cdk.out (stack names, regions, the service and DR tier tags),
 * `--service` and `--param Name=value`. Unresolved values show as `<stack.Output>` placeholders in the plan.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Drill, StackRole } from '../../constructs/core/drills';
import { STOP_CONDITION_PARAMETER, awsCliCommand, jmesPath } from '../../constructs/core/drills';
import { DrTier } from '../../constructs/core/dr-tier';
import { isBaselineStackName, platformStackId, serviceOfPlatformStack } from '../../constructs/core/stack-naming';

/** What the cloud assembly says about the deployed platform. */
export interface Deployment {
  /** Stack name and region per role. */
  readonly stacks: Partial<Record<StackRole, { readonly name: string; readonly region?: string }>>;
  /** The `platform:dr-tier` tag of the stacks. */
  readonly tier?: DrTier;
  /** The `platform:service` tag of the stacks. */
  readonly service?: string;
}

/** Stack outputs as `cdk deploy --outputs-file` writes them: stack name -> output name -> value. */
export type StackOutputs = Record<string, Record<string, string>>;

/** Reads stacks, regions and tier from `<dir>/manifest.json`; undefined when there is no cloud assembly. */
export function readCloudAssembly(dir: string): Deployment | undefined {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    artifacts?: Record<string, {
      type?: string; environment?: string; displayName?: string; properties?: { tags?: Record<string, string>; stackName?: string };
    }>;
  };
  const stacks: Partial<Record<StackRole, { name: string; region?: string }>> = {};
  let tier: DrTier | undefined;
  let service: string | undefined;
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const tags = artifact.properties?.tags ?? {};
    const regionRole = tags['platform:region-role'];
    if (regionRole !== 'primary' && regionRole !== 'secondary' && regionRole !== 'global') continue;
    const name = artifact.properties?.stackName ?? id;
    // The account baseline's stacks carry a region role too, and hold nothing a drill acts on.
    if (isBaselineStackName(name)) continue;
    // The base stacks carry their region's role too; they are told apart by name (`<service>-<role>-base`).
    const base = name.endsWith(`-${regionRole}-base`);
    if (base && regionRole !== 'secondary') continue;
    const role: StackRole = base ? 'secondary-base' : regionRole;
    const region = /^aws:\/\/[^/]+\/(.+)$/.exec(artifact.environment ?? '')?.[1];
    stacks[role] = { name, ...(region && region !== 'unknown-region' ? { region } : {}) };
    if (tags['platform:dr-tier']) tier = DrTier.fromId(tags['platform:dr-tier'], 'cdk.out', 'platform:dr-tier');
    if (tags['platform:service']) service = tags['platform:service'];
  }
  return { stacks, ...(tier ? { tier } : {}), ...(service ? { service } : {}) };
}

/**
 * The service the deployment is for: `--service`, else the `platform:service` tag in the cloud assembly, else read
 * off a stack name (`<service>-<role>`, the library's platformStackId); undefined without any of them.
 */
export function serviceName(deployment: Deployment | undefined, service?: string): string | undefined {
  if (service !== undefined) return service;
  if (deployment?.service !== undefined) return deployment.service;
  const known = Object.entries(deployment?.stacks ?? {})[0] as [StackRole, { name: string }] | undefined;
  return known ? serviceOfPlatformStack(known[1].name, known[0]) : undefined;
}

/** The name of the stack that has `role`: from the cloud assembly, else `<service>-<role>`, else `SERVICE-<role>` (pass --service or --cdk-out). */
export function stackName(role: StackRole, deployment: Deployment | undefined, service?: string): string {
  const known = deployment?.stacks[role]?.name;
  if (known !== undefined) return known;
  const name = serviceName(deployment, service);
  return name !== undefined ? platformStackId(name, role) : `SERVICE-${role}`;
}

/** A drill's parameters, resolved as far as the inputs allow. */
export interface ResolvedParameters {
  /** Values known. */
  readonly values: Record<string, string>;
  /** Parameter name -> the value, or its `<placeholder>`. */
  readonly display: Record<string, string>;
  /** Names without a value. */
  readonly unresolved: string[];
}

/** Inputs of {@link resolveParameters}. */
export interface ResolveInputs {
  readonly outputs?: StackOutputs;
  readonly deployment?: Deployment;
  /** `--service`: names the stacks when there is no cloud assembly. */
  readonly service?: string;
  readonly overrides?: Record<string, string>;
}

/** Resolves every parameter of `drill`. */
export function resolveParameters(drill: Drill, inputs: ResolveInputs): ResolvedParameters {
  const values: Record<string, string> = {};
  const display: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const p of drill.parameters) {
    const stack = p.source.role ? inputs.deployment?.stacks[p.source.role as StackRole] : undefined;
    let value: string | undefined = inputs.overrides?.[p.name];
    let placeholder = `<${p.name}>`;
    if (value === undefined) {
      switch (p.source.kind) {
        case 'stack-output':
          value = stack ? inputs.outputs?.[stack.name]?.[p.source.output as string] : undefined;
          placeholder = `<${stackName(p.source.role as StackRole, inputs.deployment, inputs.service)}.${p.source.output}>`;
          break;
        case 'region':
          // Backup & restore has no secondary application stack: its base stack is in the same region.
          value = stack?.region ?? (p.source.role === 'secondary' ? inputs.deployment?.stacks['secondary-base']?.region : undefined);
          placeholder = `<${p.source.role} region>`;
          break;
        case 'input':
          value = p.source.defaultValue;
          placeholder = `<${p.name}: --param ${p.name}=${p.source.example}>`;
          break;
      }
    }
    if (value === undefined) unresolved.push(p.name);
    else values[p.name] = value;
    display[p.name] = value ?? placeholder;
  }
  return { values, display, unresolved };
}

/** The plan: every step with its parameters resolved (or placeholders), as text. */
export function renderPlan(drill: Drill, tier: DrTier, resolved: ResolvedParameters): string {
  const objectives = drill.objectivesFor(tier);
  const resolve = (name: string): string => resolved.display[name] ?? `<${name} from step output>`;
  const lines = [
    `Drill ${drill.id}: ${drill.title}`,
    `Tier ${tier.id}; objectives RTO ${objectives.rto}, RPO ${objectives.rpo}; runs in the ${drill.region} region (${resolve(drill.region === 'primary' ? 'PrimaryRegion' : 'SecondaryRegion')}).`,
    `Stop condition: CloudWatch alarm ${resolve(STOP_CONDITION_PARAMETER)} checked before every step.`,
    '',
    'Parameters:',
    ...drill.parameters.map((p) => `  ${p.name} = ${resolved.display[p.name]}`),
    '',
    'Steps:',
  ];
  drill.steps.forEach((step, i) => {
    const timeout = `timeout ${step.timeout}${step.kind === 'aws-api' ? `, up to ${step.maxAttempts} attempts` : ''}`;
    lines.push(`${i + 1}. ${step.name} [${step.kind}, ${timeout}]`);
    switch (step.kind) {
      case 'aws-api':
        lines.push(indent(awsCliCommand(drill, step.call, undefined, resolve)));
        break;
      case 'wait-for':
        lines.push(`   until ${step.selector} is ${step.desiredValues.map((v) => v.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_m, n: string) => resolve(n))).join(' or ')}:`);
        lines.push(indent(awsCliCommand(drill, step.call, jmesPath(step.selector), resolve)));
        break;
      case 'manual':
        lines.push(`   manual: ${step.instructions.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_m, n: string) => resolve(n))}`);
        break;
      case 'approve':
        lines.push(`   approve: ${step.message.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_m, n: string) => resolve(n))}`);
        break;
      case 'sleep':
        lines.push(`   pause ${step.duration}`);
        break;
    }
  });
  if (resolved.unresolved.length > 0) {
    lines.push('', `Unresolved: ${resolved.unresolved.join(', ')}. Pass --stack-outputs <file from cdk deploy --outputs-file> or --param Name=value.`);
  }
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `   ${l}`).join('\n');
}

