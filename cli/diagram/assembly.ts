/**
 * A synthesized cloud assembly (`cdk.out`) as the diagram reads it: every CloudFormation stack with its environment,
 * tags and template, and the references between resources, across stacks too (`Fn::GetStackOutput`,
 * `Fn::ImportValue`). Plain JSON: no AWS call, no CDK toolkit, any schema version of `manifest.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** One stack of the assembly. */
export interface AssemblyStack {
  /** The CloudFormation stack name. */
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** Stack tags (`platform:service`, `platform:region-role`, `platform:dr-tier`). */
  readonly tags: Readonly<Record<string, string>>;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly outputs: Readonly<Record<string, { readonly Value: unknown; readonly Export?: { readonly Name?: unknown } }>>;
}

/** A resource, named by its stack and logical ID. */
export interface ResourceRef {
  readonly stack: string;
  readonly logicalId: string;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly tags?: Record<string, string> };
}

/** Every CloudFormation stack of the assembly in `dir`, in the manifest's order. */
export function readAssembly(dir: string): AssemblyStack[] {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${dir} is not a cloud assembly (no manifest.json): run cdk synth first, or pass --cdk-out <dir>`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile !== undefined)
    .map(([id, a]) => {
      const [, account = 'unknown', region = 'unknown'] = /^aws:\/\/([^/]+)\/(.+)$/.exec(a.environment ?? '') ?? [];
      const template = JSON.parse(readFileSync(join(dir, a.properties?.templateFile ?? ''), 'utf8')) as {
        Resources?: Record<string, TemplateResource>; Outputs?: AssemblyStack['outputs'];
      };
      return {
        stackName: a.properties?.stackName ?? id, account, region, tags: a.properties?.tags ?? {},
        resources: template.Resources ?? {}, outputs: template.Outputs ?? {},
      };
    });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves what a template value refers to: resources of its own stack and, through outputs, of other stacks. */
export class ReferenceResolver {
  private readonly byName: ReadonlyMap<string, AssemblyStack>;

  constructor(public readonly stacks: readonly AssemblyStack[]) {
    this.byName = new Map(stacks.map((s) => [s.stackName, s]));
  }

  /** The stack named `name`. */
  public stack(name: string): AssemblyStack {
    const stack = this.byName.get(name);
    if (!stack) throw new Error(`no stack ${name} in the assembly`);
    return stack;
  }

  /** The resource `ref` names, if its stack has it. */
  public resource(ref: ResourceRef): TemplateResource | undefined {
    return this.byName.get(ref.stack)?.resources[ref.logicalId];
  }

  /** The resources `value` (in a template of `stack`) refers to, in the order met, each once. */
  public refs(stack: string, value: unknown): ResourceRef[] {
    const found = new Map<string, ResourceRef>();
    this.walk(stack, value, found, 0);
    return [...found.values()];
  }

  private walk(stack: string, value: unknown, found: Map<string, ResourceRef>, depth: number): void {
    if (depth > 8) return;
    if (Array.isArray(value)) {
      for (const v of value) this.walk(stack, v, found, depth);
      return;
    }
    if (!isRecord(value)) return;
    const add = (ref: ResourceRef): void => {
      if (this.resource(ref)) found.set(`${ref.stack}/${ref.logicalId}`, ref);
    };
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = value[key];
      if (key === 'Ref' && typeof arg === 'string') return add({ stack, logicalId: arg });
      if (key === 'Fn::GetAtt') {
        const [logicalId] = Array.isArray(arg) ? arg : typeof arg === 'string' ? [arg.split('.')[0]] : [];
        if (typeof logicalId === 'string') add({ stack, logicalId });
        return;
      }
      if (key === 'Fn::Sub') {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, undefined];
        for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) add({ stack, logicalId: m[1] });
        this.walk(stack, vars, found, depth + 1);
        return;
      }
      if (key === 'Fn::GetStackOutput' && isRecord(arg)) {
        const other = typeof arg.StackName === 'string' ? this.byName.get(arg.StackName) : undefined;
        const output = other && typeof arg.OutputName === 'string' ? other.outputs[arg.OutputName] : undefined;
        if (other && output) this.walk(other.stackName, output.Value, found, depth + 1);
        return;
      }
      if (key === 'Fn::ImportValue' && typeof arg === 'string') {
        for (const other of this.stacks) {
          for (const output of Object.values(other.outputs)) {
            if (output.Export?.Name === arg) this.walk(other.stackName, output.Value, found, depth + 1);
          }
        }
        return;
      }
    }
    for (const v of Object.values(value)) this.walk(stack, v, found, depth + 1);
  }
}
