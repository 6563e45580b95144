/**
 * The CloudFormation resource schemas, checked where the synth-time validator cannot look: aws-cdk-lib's validator
 * skips every block that holds an intrinsic, and the ARC Region switch plan's steps are all `Fn::GetStackOutput`
 * (as are the other values the global stack reads from the regions). Here every intrinsic is replaced by the
 * well-formed literal it stands for (ARN-shaped for an ARN, the producer's output for a cross-stack reference) and
 * the same bundled schemas check the result.
 */
import { DOMAIN_CONTEXT, sharedReferenceApp } from '../helpers/reference-app';
import type { CfnResource } from '../helpers/reference-app';
import { holdsIntrinsic, resolveIntrinsics, schemaFindings } from '../helpers/cfn-schema';
import type { CfnTemplate, StackIndex, SynthesizedStack } from '../helpers/cfn-schema';

/** `<tier>` or `<tier>+domain` (with a domain: Route 53 routing, public origins, the origin-verify secret). */
function synthesizedStacks(tier: string): StackIndex {
  const [drTier, domain] = tier.split('+');
  const { assembly, templates } = sharedReferenceApp({ drTier, ...(domain ? DOMAIN_CONTEXT : {}) });
  return new Map(assembly.stacks.map((s): [string, SynthesizedStack] =>
    [s.stackName, {
      stackName: s.stackName, region: s.environment.region, account: s.environment.account, template: templates[s.stackName] as CfnTemplate,
    }]));
}

/** `resource` with its properties' intrinsics resolved in `stack`. */
function resolved(resource: CfnResource, stack: SynthesizedStack, stacks: StackIndex): CfnResource {
  return { ...resource, Properties: resolveIntrinsics(resource.Properties ?? {}, stack, stacks) as Record<string, unknown> };
}

interface PlanStep { readonly [key: string]: unknown; readonly Name: string }
interface PlanWorkflow { readonly WorkflowTargetAction: string; readonly WorkflowTargetRegion: string; readonly Steps: PlanStep[] }

/** The Region switch plan of the global stack: its logical id, the stack, and the plan as synthesized. */
function regionSwitchPlan(stacks: StackIndex): { id: string; stack: SynthesizedStack; plan: CfnResource } {
  for (const stack of stacks.values()) {
    for (const [id, plan] of Object.entries(stack.template.Resources)) {
      if (plan.Type === 'AWS::ARCRegionSwitch::Plan') return { id, stack, plan };
    }
  }
  throw new Error('the app has no AWS::ARCRegionSwitch::Plan');
}

/** Each step of the plan as `[<action>-<region>/<step>, workflow index, step index]`. */
function planSteps(plan: CfnResource): Array<[string, number, number]> {
  const workflows = (plan.Properties?.Workflows ?? []) as PlanWorkflow[];
  return workflows.flatMap((w, wi) => w.Steps.map((s, si): [string, number, number] => [`${w.WorkflowTargetAction}-${w.WorkflowTargetRegion}/${s.Name}`, wi, si]));
}

describe.each(['pilot-light', 'warm-standby', 'active-active+domain'])('resource schemas with intrinsics resolved (%s)', (tier) => {
  const stacks = synthesizedStacks(tier);
  const { id, stack, plan } = regionSwitchPlan(stacks);
  const resolvedPlan = resolved(plan, stack, stacks);

  test('the plan\'s steps are made of intrinsics (what the synth-time validator skips)', () => {
    const steps = ((plan.Properties?.Workflows ?? []) as PlanWorkflow[]).flatMap((w) => w.Steps);
    expect(steps.filter((s) => s.ExecutionBlockType !== 'ManualApproval').every((s) => JSON.stringify(s).includes('Fn::GetStackOutput'))).toBe(true);
    expect(holdsIntrinsic(resolvedPlan.Properties)).toBe(false);
  });

  test.each(planSteps(plan))('Region switch plan step %s passes the AWS::ARCRegionSwitch::Plan schema', (_name, wi, si) => {
    const props = resolvedPlan.Properties as { Workflows: PlanWorkflow[] };
    const workflow = props.Workflows[wi];
    const oneStep = { ...resolvedPlan, Properties: { ...props, Workflows: [{ ...workflow, Steps: [workflow.Steps[si]] }] } };
    expect(schemaFindings({ [id]: oneStep }, stack.region)).toEqual([]);
  });

  test('every resource of every stack that holds an intrinsic passes its resource schema once resolved', () => {
    const findings = [...stacks.values()].flatMap((s) => {
      const resources = Object.fromEntries(Object.entries(s.template.Resources)
        .filter(([, r]) => holdsIntrinsic(r.Properties))
        .map(([logicalId, r]) => [logicalId, resolved(r, s, stacks)]));
      return schemaFindings(resources, s.region).map((f) => `${s.stackName}/${f}`);
    });
    expect(findings).toEqual([]);
  });
});

describe('faults planted in the Region switch plan are caught', () => {
  const stacks = synthesizedStacks('pilot-light');
  const { id, stack, plan } = regionSwitchPlan(stacks);
  type Props = {
    Workflows: Array<{ Steps: Array<Record<string, unknown> & { ExecutionBlockConfiguration: Record<string, Record<string, unknown>> }> }>;
  };
  /** Activation of the secondary: approve, scale-out, move-writer. */
  const faults: Array<[string, (p: Props) => void, RegExp]> = [
    ['an unknown key in a step', (p) => { p.Workflows[1].Steps[1].Bogus = 'x'; },
      /^RegionSwitch\w+ F3002 Properties\.Workflows\.1\.Steps\.1\.Bogus: Additional properties are not allowed \('Bogus' was unexpected\)$/],
    ['two configurations in one step', (p) => {
      p.Workflows[1].Steps[1].ExecutionBlockConfiguration.GlobalAuroraConfig = p.Workflows[1].Steps[2].ExecutionBlockConfiguration.GlobalAuroraConfig;
    }, /^RegionSwitch\w+ F3018 Properties\.Workflows\.1\.Steps\.1\.ExecutionBlockConfiguration: Value is not valid under any of the \d+ oneOf schemas .*\(0 branches matched; exactly one is required\)/],
    ['a bad Behavior', (p) => { p.Workflows[1].Steps[2].ExecutionBlockConfiguration.GlobalAuroraConfig.Behavior = 'failoverAlways'; },
      /^RegionSwitch\w+ F3018 Properties\.Workflows\.1\.Steps\.2\.ExecutionBlockConfiguration: .*'failoverAlways' is not one of \['switchoverOnly', 'failover'\]/],
  ];
  const planted = (source: CfnResource, fault: (p: Props) => void): CfnResource => {
    const copy = structuredClone(source);
    fault(copy.Properties as unknown as Props);
    return copy;
  };

  test('the step layout the faults rely on', () => {
    const activation = (plan.Properties?.Workflows as PlanWorkflow[])[1];
    expect(activation.Steps.map((s) => s.Name)).toEqual(['approve', 'scale-out', 'move-writer']);
  });

  test.each(faults)('%s', (_name, fault, finding) => {
    const findings = schemaFindings({ [id]: planted(resolved(plan, stack, stacks), fault) }, stack.region);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(finding);
  });

  test('with the intrinsics left in place (what the synth-time validator sees), a bad Behavior passes', () => {
    expect(schemaFindings({ [id]: planted(plan, faults[2][1]) }, stack.region)).toEqual([]);
    expect(schemaFindings({ [id]: planted(resolved(plan, stack, stacks), faults[2][1]) }, stack.region)).not.toEqual([]);
  });
});
