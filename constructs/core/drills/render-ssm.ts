/**
 * Renders a drill to the content of an SSM Automation document (schema 0.3): one SSM step per drill step,
 * each with `timeoutSeconds` and `onFailure: Abort`. The stacks deploy it with `ssm.CfnDocument`
 * (`documentType: 'Automation'`, `content`), so the runbook's steps also run as automation.
 */
import { parseDuration } from '../duration';
import { snakeCase } from './aws-cli';
import type { Drill } from './drill';
import { parameterReferences } from './parameters';
import type { DrillRegion } from './parameters';
import type { AnyStep, AwsApiCall } from './steps';

/** An SSM Automation document parameter. */
export interface AutomationParameter {
  readonly type: 'String' | 'Integer' | 'StringList';
  readonly description: string;
  readonly default?: string | number | string[];
}

/** One `mainSteps` entry. */
export interface AutomationStep {
  readonly name: string;
  readonly action: 'aws:executeAwsApi' | 'aws:executeScript' | 'aws:waitForAwsResourceProperty' | 'aws:approve' | 'aws:sleep';
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly maxAttempts?: number;
  readonly onFailure: 'Abort';
  readonly isCritical: true;
  readonly inputs: Record<string, unknown>;
  readonly outputs?: { readonly Name: string; readonly Selector: string; readonly Type: 'String' | 'Integer' }[];
}

/** The document content (`ssm.CfnDocument` `content`). */
export interface AutomationDocumentContent {
  readonly schemaVersion: '0.3';
  readonly description: string;
  readonly assumeRole: '{{ AutomationAssumeRole }}';
  readonly parameters: Record<string, AutomationParameter>;
  readonly mainSteps: AutomationStep[];
}

/** Name of the document a stack deploys for `drill`: `<service>-drill-<id>`. */
export function automationDocumentName(service: string, drill: Drill): string {
  return `${service}-drill-${drill.id}`;
}

/**
 * Runs one AWS API call through boto3 with an explicit region or endpoint: `aws:executeAwsApi` can do
 * neither (ARC routing-control cluster endpoints; a failback step that acts in the other region).
 */
export const CALL_WITH_ENDPOINT_SCRIPT = [
  'import json',
  'import boto3',
  '',
  'def handler(events, context):',
  '    kwargs = {}',
  "    if events.get('Region'):",
  "        kwargs['region_name'] = events['Region']",
  "    if events.get('EndpointUrl'):",
  "        kwargs['endpoint_url'] = events['EndpointUrl']",
  "    client = boto3.client(events['Service'], **kwargs)",
  "    response = getattr(client, events['Method'])(**events['Params'])",
  "    response.pop('ResponseMetadata', None)",
  '    return json.loads(json.dumps(response, default=str))',
  '',
].join('\n');

/** What a step is rendered for: a drill, or another document built from the same steps (a remediation action). */
export interface StepOwner {
  /** Id of the drill or action (error messages: `drills/<id>`). */
  readonly id: string;
  /** The region the document runs in: a step calling the other region goes through boto3 with that region. */
  readonly region: DrillRegion;
}

function regionRef(drill: StepOwner, call: AwsApiCall): string | undefined {
  if (call.endpoint) return call.endpointRegion;
  if (call.region && call.region !== drill.region) return `{{ ${call.region === 'primary' ? 'PrimaryRegion' : 'SecondaryRegion'} }}`;
  return undefined;
}

/** One step as an SSM Automation `mainSteps` entry (`timeoutSeconds`, `onFailure: Abort`). */
export function renderAutomationStep(drill: StepOwner, step: AnyStep): AutomationStep {
  const base = {
    name: step.name,
    description: step.description,
    timeoutSeconds: parseDuration(`drills/${drill.id}`, `step ${step.name} timeout`, step.timeout),
    onFailure: 'Abort' as const,
    isCritical: true as const,
  };
  switch (step.kind) {
    case 'aws-api': {
      const region = regionRef(drill, step.call);
      const script = region !== undefined || step.call.endpoint !== undefined;
      const outputs = Object.entries(step.outputs).map(([name, selector]) => ({
        Name: name, Selector: script ? selector.replace(/^\$\./, '$.Payload.') : selector, Type: step.outputTypes[name] ?? 'String',
      }));
      return {
        ...base,
        action: script ? 'aws:executeScript' : 'aws:executeAwsApi',
        maxAttempts: step.maxAttempts,
        inputs: script
          ? {
            Runtime: 'python3.11', Handler: 'handler', Script: CALL_WITH_ENDPOINT_SCRIPT,
            InputPayload: {
              Service: step.call.service, Method: snakeCase(step.call.api), Region: region ?? '',
              EndpointUrl: step.call.endpoint ?? '', Params: step.call.params,
            },
          }
          : { Service: step.call.service, Api: step.call.api, ...step.call.params },
        ...(outputs.length > 0 ? { outputs } : {}),
      };
    }
    case 'wait-for':
      return {
        ...base,
        action: 'aws:waitForAwsResourceProperty',
        inputs: {
          Service: step.call.service, Api: step.call.api, ...step.call.params,
          PropertySelector: step.selector, DesiredValues: [...step.desiredValues],
        },
      };
    case 'approve':
      return { ...base, action: 'aws:approve', inputs: { Approvers: '{{ Approvers }}', MinRequiredApprovals: 1, Message: step.message } };
    case 'manual':
      return {
        ...base, action: 'aws:approve',
        inputs: { Approvers: '{{ Approvers }}', MinRequiredApprovals: 1, Message: `Manual step ${step.name}: ${step.instructions} Approve when done.` },
      };
    case 'sleep':
      return { ...base, action: 'aws:sleep', inputs: { Duration: `PT${parseDuration(`drills/${drill.id}`, `step ${step.name} duration`, step.duration)}S` } };
  }
}

/** The SSM Automation document content of `drill`. */
export function renderAutomationDocument(drill: Drill): AutomationDocumentContent {
  const mainSteps = drill.steps.map((s) => renderAutomationStep(drill, s));
  const referenced = new Set(parameterReferences(mainSteps));
  const parameters: Record<string, AutomationParameter> = {
    AutomationAssumeRole: {
      type: 'String', default: '',
      description: 'IAM role the automation assumes (empty: the permissions of the user who starts it).',
    },
  };
  for (const p of drill.parameters) {
    if (!referenced.has(p.name)) continue;
    const def = p.source.kind === 'input' ? p.source.defaultValue : undefined;
    parameters[p.name] = {
      type: p.type ?? 'String',
      description: `${p.description} From: ${p.source.describe().replace(/`/g, '')}.`,
      ...(def !== undefined ? { default: p.type === 'Integer' ? Number(def) : def } : {}),
    };
  }
  if (referenced.has('Approvers')) {
    parameters.Approvers = { type: 'StringList', description: 'IAM users or roles (ARNs) who approve the drill\'s approval and manual steps.' };
  }
  return {
    schemaVersion: '0.3',
    description: `# ${drill.title}\n\n${drill.summary}\n\nRunbook: runbooks/drills/${drill.id}.md`,
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters,
    mainSteps,
  };
}
