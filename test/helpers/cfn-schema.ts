/**
 * Schema validation of synthesized resources with their intrinsics replaced by well-formed literals.
 *
 * The validator aws-cdk-lib runs at synth (`@aws/cloudformation-validate`, bundled with aws-cdk-lib together with
 * every CloudFormation resource provider schema) skips any block that holds an intrinsic, so values that arrive as
 * `Fn::GetStackOutput`, `Fn::GetAtt` or `Ref` are never checked against the resource schema. Here each intrinsic is
 * first resolved to the literal CloudFormation would pass at deploy time (following `Fn::GetStackOutput` into the
 * producer stack's output, ARN-shaped for an ARN), then the same bundled validator checks the result.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { CfnResource } from './reference-app';

/** A synthesized stack: its template and where it deploys. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
  readonly template: CfnTemplate;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown }>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One schema finding of severity error or fatal, as `<logicalId> <ruleId> <property path>: <message>`. */
export type SchemaFinding = string;

// ---- the validator aws-cdk-lib bundles (the same schemas its synth-time validation uses)

interface Diagnostic {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly propertyPath?: string;
  readonly entity?: { readonly logicalId?: string };
}
interface SchemaValidatorInstance {
  validate(template: unknown, region?: string): Diagnostic[];
  free(): void;
}
interface CloudFormationValidate {
  readonly SchemaValidator: new () => SchemaValidatorInstance;
  readonly TemplateContent: new (content: string, name?: string) => unknown;
}

let validateModule: CloudFormationValidate | undefined;
let validator: SchemaValidatorInstance | undefined;

function schemaValidator(): { module: CloudFormationValidate; validator: SchemaValidatorInstance } {
  if (!validateModule || !validator) {
    // A bundled dependency of aws-cdk-lib: resolved from aws-cdk-lib's own folder, so it is the exact version its synth uses.
    const requireFromCdk = createRequire(require.resolve('aws-cdk-lib/package.json'));
    validateModule = requireFromCdk(requireFromCdk.resolve('@aws/cloudformation-validate', { paths: [dirname(require.resolve('aws-cdk-lib/package.json'))] })) as CloudFormationValidate;
    validator = new validateModule.SchemaValidator();
  }
  return { module: validateModule, validator };
}

/**
 * Schema findings (severity error or fatal) of `resources`, validated as they are: intrinsic-holding blocks are
 * skipped by the validator, as at synth.
 */
export function schemaFindings(resources: Record<string, CfnResource>, region: string): SchemaFinding[] {
  const { module, validator: v } = schemaValidator();
  const diagnostics = v.validate(new module.TemplateContent(JSON.stringify({ Resources: resources })), region);
  return diagnostics
    .filter((d) => d.severity === 'ERROR' || d.severity === 'FATAL')
    .map((d) => `${d.entity?.logicalId ?? '?'} ${d.ruleId} ${d.propertyPath ?? ''}: ${d.message}`);
}

// ---- intrinsics to literals

/** The stacks of one app, by stack name (what `Fn::GetStackOutput` addresses). */
export type StackIndex = ReadonlyMap<string, SynthesizedStack>;

/** Resource types whose `Ref` is an ARN (CloudFormation "Return values"). */
const REF_IS_ARN = new Set([
  'AWS::ECS::Service', 'AWS::SNS::Topic', 'AWS::IAM::ManagedPolicy', 'AWS::SecretsManager::Secret',
  'AWS::SecretsManager::SecretTargetAttachment',
  'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::CertificateManager::Certificate', 'AWS::StepFunctions::StateMachine', 'AWS::ECS::TaskDefinition',
]);

/** Id prefixes of EC2 resources, whose schemas check the id's shape. */
const EC2_ID_PREFIX: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc', 'AWS::EC2::Subnet': 'subnet', 'AWS::EC2::SecurityGroup': 'sg', 'AWS::EC2::RouteTable': 'rtb',
  'AWS::EC2::InternetGateway': 'igw', 'AWS::EC2::NatGateway': 'nat', 'AWS::EC2::VPCEndpoint': 'vpce', 'AWS::EC2::EIP': 'eipalloc',
  'AWS::EC2::PrefixList': 'pl',
};

/** A physical name derived from the logical id: lowercase letters and digits, so it fits every name pattern. */
function physicalName(logicalId: string): string {
  return logicalId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 30) || 'x';
}

/** `length` hex digits unique to `logicalId` (ids of distinct resources stay distinct, as in the account). */
function hexOf(logicalId: string, length: number): string {
  return createHash('sha256').update(logicalId).digest('hex').slice(0, length);
}

/** A UUID-shaped id unique to `logicalId` (KMS key ids, health check ids, WAF ids). */
function uuidOf(logicalId: string): string {
  const h = hexOf(logicalId, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The ARN of resource `logicalId` of `type` in `stack` (the shape each service documents). */
function arnOf(stack: SynthesizedStack, logicalId: string, type: string): string {
  const { region, account } = stack;
  const name = physicalName(logicalId);
  const [, service, kind] = type.split('::');
  switch (type) {
    case 'AWS::ECS::Cluster': return `arn:aws:ecs:${region}:${account}:cluster/${name}`;
    case 'AWS::ECS::Service': return `arn:aws:ecs:${region}:${account}:service/cluster/${name}`;
    case 'AWS::ECS::TaskDefinition': return `arn:aws:ecs:${region}:${account}:task-definition/${name}:1`;
    case 'AWS::RDS::DBCluster': return `arn:aws:rds:${region}:${account}:cluster:${name}`;
    case 'AWS::RDS::DBInstance': return `arn:aws:rds:${region}:${account}:db:${name}`;
    case 'AWS::RDS::DBProxy': return `arn:aws:rds:${region}:${account}:db-proxy:prx-${hexOf(logicalId, 17)}`;
    case 'AWS::APS::Workspace': return `arn:aws:aps:${region}:${account}:workspace/ws-${uuidOf(logicalId)}`;
    case 'AWS::CloudWatch::Alarm':
    case 'AWS::CloudWatch::CompositeAlarm': return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
    case 'AWS::IAM::Role': return `arn:aws:iam::${account}:role/${name}`;
    case 'AWS::IAM::ManagedPolicy': return `arn:aws:iam::${account}:policy/${name}`;
    case 'AWS::SNS::Topic': return `arn:aws:sns:${region}:${account}:${name}`;
    case 'AWS::SQS::Queue': return `arn:aws:sqs:${region}:${account}:${name}`;
    case 'AWS::KMS::Key': return `arn:aws:kms:${region}:${account}:key/${uuidOf(logicalId)}`;
    case 'AWS::Lambda::Function': return `arn:aws:lambda:${region}:${account}:function:${name}`;
    case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
    case 'AWS::Logs::LogGroup': return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
    case 'AWS::SecretsManager::Secret':
    // The attachment's Ref is the ARN of the secret it attaches.
    case 'AWS::SecretsManager::SecretTargetAttachment': return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbCdEf`;
    case 'AWS::CertificateManager::Certificate': return `arn:aws:acm:${region}:${account}:certificate/${uuidOf(logicalId)}`;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${name}/0123456789abcdef`;
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}/0123456789abcdef`;
    case 'AWS::ElasticLoadBalancingV2::Listener': return `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/${name}/0123456789abcdef/0123456789abcdef`;
    case 'AWS::CloudFront::Distribution': return `arn:aws:cloudfront::${account}:distribution/E${name.toUpperCase().slice(0, 13)}`;
    case 'AWS::CloudFront::VpcOrigin': return `arn:aws:cloudfront::${account}:vpcorigin/vo_${name}`;
    case 'AWS::WAFv2::WebACL': return `arn:aws:wafv2:${region}:${account}:global/webacl/${name}/${uuidOf(logicalId)}`;
    case 'AWS::Backup::BackupVault': return `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
    case 'AWS::Backup::BackupPlan': return `arn:aws:backup:${region}:${account}:backup-plan:${name}`;
    case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
    default: return `arn:aws:${(service ?? 'x').toLowerCase()}:${region}:${account}:${(kind ?? 'resource').toLowerCase()}/${name}`;
  }
}

/** What `Ref` of resource `logicalId` returns. */
function refOf(stack: SynthesizedStack, logicalId: string): string {
  const resource = stack.template.Resources[logicalId];
  if (!resource) {
    const parameter = stack.template.Parameters?.[logicalId];
    if (parameter) return typeof parameter.Default === 'string' ? parameter.Default : 'parameter-value';
    throw new Error(`${stack.stackName}: Ref to ${logicalId}, which is neither a resource nor a parameter`);
  }
  const type = resource.Type;
  if (REF_IS_ARN.has(type)) return arnOf(stack, logicalId, type);
  if (EC2_ID_PREFIX[type]) return `${EC2_ID_PREFIX[type]}-${hexOf(logicalId, 17)}`;
  if (type === 'AWS::KMS::Key' || type === 'AWS::Route53::HealthCheck') return uuidOf(logicalId);
  if (type === 'AWS::CloudFront::Distribution') return `E${physicalName(logicalId).toUpperCase().slice(0, 13)}`;
  if (type === 'AWS::WAFv2::WebACL') return `${physicalName(logicalId)}|${uuidOf(logicalId)}|CLOUDFRONT`;
  // AppConfig ids are 4 to 7 lowercase letters and digits; a hosted configuration version's Ref is its number.
  if (type === 'AWS::AppConfig::HostedConfigurationVersion') return '1';
  if (type.startsWith('AWS::AppConfig::')) return hexOf(logicalId, 7);
  return physicalName(logicalId);
}

/** What `Fn::GetAtt [logicalId, attribute]` returns. */
function getAttOf(stack: SynthesizedStack, logicalId: string, attribute: string): string {
  const resource = stack.template.Resources[logicalId];
  if (!resource) throw new Error(`${stack.stackName}: Fn::GetAtt of ${logicalId}, which is not a resource`);
  const name = physicalName(logicalId);
  if (/Arn$/.test(attribute)) return arnOf(stack, logicalId, resource.Type);
  if (/DomainName$|DNSName$|\.Address$|Endpoint$/.test(attribute)) return `${name}.${stack.region}.example.com`;
  if (/Port$/.test(attribute)) return '5432';
  if (attribute === 'GroupId') return `sg-${hexOf(logicalId, 17)}`;
  if (/HostedZoneI[dD]$/.test(attribute)) return 'Z0123456789ABCDEFGHIJ';
  if (/Id$/.test(attribute)) return `${name}-id`;
  return name;
}

const PSEUDO: Record<string, (stack: SynthesizedStack) => string> = {
  'AWS::Region': (s) => s.region,
  'AWS::AccountId': (s) => s.account,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (s) => s.stackName,
  'AWS::StackId': (s) => `arn:aws:cloudformation:${s.region}:${s.account}:stack/${s.stackName}/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`,
};

/**
 * `value` with every intrinsic replaced by the literal it stands for: pseudo parameters by the stack's region and
 * account, `Ref`/`Fn::GetAtt` by a well-formed name or ARN of the resource's type, `Fn::GetStackOutput` by the
 * producer's output value (itself resolved in the producer), `Fn::Join`/`Fn::Sub`/`Fn::Select`/`Fn::Split` evaluated.
 */
export function resolveIntrinsics(value: unknown, stack: SynthesizedStack, stacks: StackIndex): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, stack, stacks));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0];
    const str = (v: unknown) => {
      const r = resolveIntrinsics(v, stack, stacks);
      if (typeof r !== 'string' && typeof r !== 'number') throw new Error(`${stack.stackName}: ${key} of a non-string ${JSON.stringify(r)}`);
      return String(r);
    };
    switch (key) {
      case 'Ref': {
        const name = arg as string;
        return PSEUDO[name] ? PSEUDO[name](stack) : refOf(stack, name);
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg as string[] : String(arg).split(/\.(.+)/);
        return getAttOf(stack, logicalId, attribute);
      }
      case 'Fn::GetStackOutput': {
        const { StackName, OutputName } = arg as { StackName: string; OutputName: string };
        const producer = stacks.get(StackName);
        const output = producer?.template.Outputs?.[OutputName];
        if (!producer || !output) throw new Error(`${stack.stackName}: Fn::GetStackOutput of ${StackName}.${OutputName}, which does not exist`);
        return resolveIntrinsics(output.Value, producer, stacks);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        const resolved = resolveIntrinsics(parts, stack, stacks);
        return (resolved as unknown[]).map((p) => str(p)).join(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = typeof arg === 'string' ? [arg, {}] : arg as [string, Record<string, unknown>];
        return text.replace(/\$\{([^}!]+)\}/g, (_m, ref: string) => {
          if (ref in variables) return str(variables[ref]);
          if (PSEUDO[ref]) return PSEUDO[ref](stack);
          const [logicalId, attribute] = ref.split(/\.(.+)/);
          return attribute ? getAttOf(stack, logicalId, attribute) : refOf(stack, logicalId);
        });
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const resolved = resolveIntrinsics(list, stack, stacks) as unknown[];
        return resolved[Number(resolveIntrinsics(index, stack, stacks))];
      }
      case 'Fn::Split': {
        const [separator, text] = arg as [string, unknown];
        return str(text).split(separator);
      }
      case 'Fn::FindInMap': {
        const [map, first, second] = (arg as unknown[]).map((a) => str(a));
        const found = stack.template.Mappings?.[map]?.[first]?.[second];
        if (found === undefined) throw new Error(`${stack.stackName}: Fn::FindInMap ${map}.${first}.${second} is not in the template's Mappings`);
        return found;
      }
      case 'Fn::GetAZs': return ['a', 'b', 'c'].map((z) => `${stack.region}${z}`);
      case 'Fn::Base64': return Buffer.from(str(arg)).toString('base64');
      case 'Fn::ImportValue': return `imported-${str(arg)}`;
      case 'Fn::If': {
        const [, whenTrue] = arg as [string, unknown, unknown];
        return resolveIntrinsics(whenTrue, stack, stacks);
      }
      default:
        if (key.startsWith('Fn::')) throw new Error(`${stack.stackName}: intrinsic ${key} is not resolved by this helper`);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, stack, stacks)]));
}

/** Whether `value` holds any intrinsic (what the synth-time validator skips). */
export function holdsIntrinsic(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsIntrinsic);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value as Record<string, unknown>).some(([k, v]) => k === 'Ref' || k.startsWith('Fn::') || holdsIntrinsic(v));
}

/** Whether `value` holds a cross-stack (cross-region) reference. */
export function holdsCrossStackReference(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes('"Fn::GetStackOutput"');
}
