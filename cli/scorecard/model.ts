/**
 * The scorecard's data (the report is data first: `--format json` prints it as is) and the helpers the rules share.
 * Field names are a contract: `{ areas: [{ name, level, max, evidence, missing }], checklist: [{ item, met, evidence,
 * missing }], total, max }`.
 */
import type { Assembly, AssemblyResource } from './assembly';

/** A resource that shows a point: where it is and what it shows. */
export interface Evidence {
  /** The requirement it satisfies (e.g. `L2 errors alarmed`). */
  readonly requirement: string;
  readonly stack: string;
  /** Construct path (aws:cdk:path). */
  readonly path: string;
  readonly logicalId: string;
  readonly type: string;
}

/** A requirement not met: what is missing and what provides it. */
export interface Missing {
  /** The level it blocks (areas); 0 for a checklist item. */
  readonly level: number;
  readonly requirement: string;
  /** What the assembly lacks, in a sentence. */
  readonly what: string;
  /** The construct of this library (or the step outside the assembly) that provides it. */
  readonly providedBy: string;
}

export interface AreaScore {
  readonly name: string;
  readonly level: number;
  readonly max: 3;
  readonly evidence: readonly Evidence[];
  readonly missing: readonly Missing[];
}

export interface ChecklistResult {
  readonly item: string;
  readonly met: boolean;
  readonly evidence: readonly Evidence[];
  readonly missing: readonly Missing[];
}

export interface Scorecard {
  readonly areas: readonly AreaScore[];
  readonly checklist: readonly ChecklistResult[];
  readonly total: number;
  readonly max: 18;
}

/** One requirement of a level: the resources that satisfy it (empty: not met). */
export interface Requirement {
  readonly level: 1 | 2 | 3;
  readonly name: string;
  /** Resources that show it; `undefined` entries are ignored. An empty list fails the requirement. */
  readonly check: (a: Index) => readonly AssemblyResource[];
  /** What is missing when it fails. */
  readonly what: string;
  readonly providedBy: string;
}

/** The assembly's resources by type, and lookups by logical id within a stack. */
export class Index {
  public readonly resources: readonly AssemblyResource[];
  private readonly byType = new Map<string, AssemblyResource[]>();
  private readonly byId = new Map<string, AssemblyResource>();

  constructor(public readonly assembly: Assembly) {
    this.resources = assembly.stacks.flatMap((s) => s.resources);
    for (const r of this.resources) {
      this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), r]);
      this.byId.set(`${r.stack}/${r.logicalId}`, r);
    }
  }

  /** Every resource of `types`. */
  public of(...types: string[]): AssemblyResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** The resource `{ Ref }` / `{ Fn::GetAtt }` of `value` names in `stack`'s template, if any. */
  public referenced(stack: string, value: unknown): AssemblyResource | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    const v = value as Record<string, unknown>;
    const id = typeof v.Ref === 'string' ? v.Ref : Array.isArray(v['Fn::GetAtt']) ? String((v['Fn::GetAtt'] as unknown[])[0]) : undefined;
    return id === undefined ? undefined : this.byId.get(`${stack}/${id}`);
  }
}

/** Scores one area: the highest level whose requirements, and every lower level's, are all met. */
export function scoreArea(name: string, requirements: readonly Requirement[], index: Index): AreaScore {
  const evidence: Evidence[] = [];
  const missing: Missing[] = [];
  const failedLevels = new Set<number>();
  for (const req of requirements) {
    const found = req.check(index);
    if (found.length === 0) {
      failedLevels.add(req.level);
      missing.push({ level: req.level, requirement: req.name, what: req.what, providedBy: req.providedBy });
    } else {
      evidence.push(...found.slice(0, 5).map((r) => toEvidence(`L${req.level} ${req.name}`, r)));
    }
  }
  let level = 0;
  while (level < 3 && !failedLevels.has(level + 1)) level++;
  return { name, level, max: 3, evidence, missing };
}

export function toEvidence(requirement: string, r: AssemblyResource): Evidence {
  return { requirement, stack: r.stack, path: r.path, logicalId: r.logicalId, type: r.type };
}

/** `props[key]` as a record, or empty. */
export function rec(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** `value` as an array, or empty. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** JSON text of a value, for pattern checks across intrinsics. */
export function text(value: unknown): string {
  return JSON.stringify(value ?? null);
}
