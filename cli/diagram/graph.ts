/**
 * The architecture of a synthesized platform as a graph: regions, their stacks, the main resources of each stack
 * (CloudFront, load balancers, services, caches, proxies, databases, backup plans and vaults, networks, the Region
 * switch plan) and how they connect: requests (CloudFront → load balancer → service → cache, proxy → database),
 * Aurora Global Database replication, backups and their cross-region copies.
 * Everything is read from the templates; the order of nodes and edges is stable for a given assembly.
 */
import { DrTier } from '../../constructs/core/dr-tier';
import { formatDuration } from '../../constructs/core/duration';
import { ReferenceResolver } from './assembly';
import type { AssemblyStack, ResourceRef, TemplateResource } from './assembly';

/** What a node stands for (its shape and colour in the picture). */
export type NodeKind = 'edge' | 'load-balancer' | 'service' | 'cache' | 'proxy' | 'database' | 'backup-plan' | 'backup-vault' | 'network' | 'region-switch';

/** What an edge stands for (its line style). */
export type EdgeKind = 'request' | 'failover' | 'replication' | 'backup' | 'copy';

export interface DiagramNode {
  /** `<stack>.<logicalId>`. */
  readonly id: string;
  readonly kind: NodeKind;
  /** Lines of text. */
  readonly label: readonly string[];
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label: string;
}

export interface DiagramStack {
  readonly name: string;
  readonly nodes: readonly DiagramNode[];
}

export interface DiagramRegion {
  readonly region: string;
  /** `primary`, `secondary` or `global` (the stacks' `platform:region-role`), `primary, secondary` when they share a region. */
  readonly role: string;
  readonly stacks: readonly DiagramStack[];
}

export interface ArchitectureDiagram {
  readonly title: string;
  readonly regions: readonly DiagramRegion[];
  readonly edges: readonly DiagramEdge[];
}

const MAIN_TYPES: Readonly<Record<string, NodeKind>> = {
  'AWS::CloudFront::Distribution': 'edge',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'load-balancer',
  'AWS::ECS::Service': 'service',
  'AWS::ElastiCache::ReplicationGroup': 'cache',
  'AWS::RDS::DBProxy': 'proxy',
  'AWS::RDS::DBCluster': 'database',
  'AWS::Backup::BackupPlan': 'backup-plan',
  'AWS::Backup::BackupVault': 'backup-vault',
  'AWS::EC2::VPC': 'network',
  'AWS::ARCRegionSwitch::Plan': 'region-switch',
};

const ROLE_ORDER = ['global', 'primary', 'secondary'];

const nodeId = (ref: ResourceRef): string => `${ref.stack}.${ref.logicalId}`;
const props = (r: TemplateResource | undefined): Record<string, unknown> => r?.Properties ?? {};
const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Builds the diagram of `stacks` (readAssembly). */
export function architectureDiagram(stacks: readonly AssemblyStack[]): ArchitectureDiagram {
  const builder = new DiagramBuilder(new ReferenceResolver(stacks));
  return builder.build();
}

class DiagramBuilder {
  private readonly edges = new Map<string, DiagramEdge>();

  constructor(private readonly resolver: ReferenceResolver) {}

  public build(): ArchitectureDiagram {
    const stacks = this.resolver.stacks;
    for (const stack of stacks) {
      for (const [logicalId, resource] of Object.entries(stack.resources)) this.connect(stack, logicalId, resource);
    }
    const regions = [...new Set(stacks.map((s) => s.region))].map((region) => {
      const inRegion = stacks.filter((s) => s.region === region);
      const roles = [...new Set(inRegion.map((s) => s.tags['platform:region-role'] ?? 'unknown'))]
        .sort((a, b) => rank(ROLE_ORDER, a) - rank(ROLE_ORDER, b));
      return {
        region, role: roles.join(', '),
        stacks: inRegion.map((s) => ({ name: s.stackName, nodes: this.nodesOf(s) })).filter((s) => s.nodes.length > 0),
      };
    }).sort((a, b) => rank(ROLE_ORDER, a.role.split(', ')[0]) - rank(ROLE_ORDER, b.role.split(', ')[0]));
    const known = new Set(regions.flatMap((r) => r.stacks.flatMap((s) => s.nodes.map((n) => n.id))));
    const edges = [...this.edges.values()].filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to)
      .sort((a, b) => `${a.from} ${a.to} ${a.kind}`.localeCompare(`${b.from} ${b.to} ${b.kind}`));
    return { title: titleOf(stacks), regions, edges };
  }

  private nodesOf(stack: AssemblyStack): DiagramNode[] {
    return Object.entries(stack.resources).filter(([, r]) => MAIN_TYPES[r.Type] !== undefined)
      .map(([logicalId, r]) => ({
        id: nodeId({ stack: stack.stackName, logicalId }), kind: MAIN_TYPES[r.Type], label: this.labelOf(stack, logicalId, r),
      }))
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id));
  }

  private labelOf(stack: AssemblyStack, logicalId: string, r: TemplateResource): string[] {
    const p = props(r);
    const self = { stack: stack.stackName, logicalId };
    switch (MAIN_TYPES[r.Type]) {
      case 'edge': {
        const config = rec(p.DistributionConfig);
        const aliases = list(config.Aliases).filter((a): a is string => typeof a === 'string');
        return [`CloudFront${config.WebACLId !== undefined ? ' + WAF' : ''}`, aliases.length > 0 ? aliases.join(', ') : '*.cloudfront.net'];
      }
      case 'load-balancer':
        return ['Application Load Balancer', String(p.Scheme ?? 'internet-facing')];
      case 'service': {
        const range = this.scalingOf(stack, self, 'ecs:service:DesiredCount');
        return ['ECS Fargate service', range ?? `${String(p.DesiredCount ?? 'default')} tasks`];
      }
      case 'cache': {
        const shards = Number(p.NumNodeGroups ?? 1);
        const perShard = p.ReplicasPerNodeGroup !== undefined ? Number(p.ReplicasPerNodeGroup) + 1 : Number(p.NumCacheClusters ?? 1);
        return [`ElastiCache ${String(p.Engine ?? 'redis')} ${String(p.EngineVersion ?? '')}`.trim(),
          `${shards} shard${shards === 1 ? '' : 's'} × ${perShard} nodes, ${String(p.CacheNodeType ?? '')}`.replace(/, $/, '')];
      }
      case 'proxy':
        return ['RDS Proxy', `${String(p.EngineFamily ?? '').toLowerCase() || 'database'}${p.RequireTLS === true ? ', TLS' : ''}`];
      case 'database':
        return this.databaseLabel(stack, self, p);
      case 'backup-plan': {
        const rules = list(rec(p.BackupPlan).BackupPlanRule).map((rule) => String(rec(rule).RuleName ?? '')).filter((n) => n !== '');
        return ['AWS Backup plan', rules.join(', ').toLowerCase()];
      }
      case 'backup-vault':
        return ['AWS Backup vault', rec(p.LockConfiguration).MinRetentionDays !== undefined ? 'vault lock' : 'no lock'];
      case 'network':
        return ['VPC', String(p.CidrBlock ?? '')];
      case 'region-switch': {
        const steps = list(rec(list(p.Workflows)[0]).Steps).map((step) => String(rec(step).Name ?? '')).filter((n) => n !== '');
        return ['ARC Region switch plan', `${String(p.RecoveryApproach ?? '')}, RTO ${String(p.RecoveryTimeObjectiveMinutes ?? '?')} min`, steps.join(' → ')];
      }
      default:
        return [r.Type];
    }
  }

  private databaseLabel(stack: AssemblyStack, self: ResourceRef, p: Record<string, unknown>): string[] {
    const instances = Object.values(stack.resources).filter((r) => r.Type === 'AWS::RDS::DBInstance'
      && this.resolver.refs(stack.stackName, props(r).DBClusterIdentifier).some((ref) => ref.logicalId === self.logicalId)).length;
    const readers = this.scalingOf(stack, self, 'rds:cluster:ReadReplicaCount');
    const engine = String(p.Engine ?? 'aurora').replace(/^aurora-postgresql$/, 'Aurora PostgreSQL').replace(/^aurora-mysql$/, 'Aurora MySQL');
    const role = p.GlobalClusterIdentifier !== undefined ? 'global secondary' : this.isGlobalSource(self) ? 'global primary' : 'regional';
    const size = p.ServerlessV2ScalingConfiguration !== undefined ? 'Serverless v2' : `${instances} instance${instances === 1 ? '' : 's'}`;
    return [`${engine} ${String(p.EngineVersion ?? '')}`.trim(), `${role}, ${size}${readers ? ` (readers ${readers.replace(' tasks', '')})` : ''}`
      + `${p.EnableGlobalWriteForwarding === true ? ', write forwarding' : ''}`];
  }

  /** `min–max tasks` of the Application Auto Scaling target of `self` in `dimension`, if there is one. */
  private scalingOf(stack: AssemblyStack, self: ResourceRef, dimension: string): string | undefined {
    const target = Object.values(stack.resources).find((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget'
      && props(r).ScalableDimension === dimension
      && this.resolver.refs(stack.stackName, props(r).ResourceId).some((ref) => ref.logicalId === self.logicalId));
    return target ? `${String(props(target).MinCapacity)}–${String(props(target).MaxCapacity)} tasks` : undefined;
  }

  private isGlobalSource(cluster: ResourceRef): boolean {
    return this.resolver.stacks.some((s) => Object.values(s.resources).some((r) => r.Type === 'AWS::RDS::GlobalCluster'
      && this.resolver.refs(s.stackName, props(r).SourceDBClusterIdentifier).some((ref) => nodeId(ref) === nodeId(cluster))));
  }

  private addEdge(from: ResourceRef, to: ResourceRef, kind: EdgeKind, label: string): void {
    const key = `${nodeId(from)} ${nodeId(to)}`;
    const existing = this.edges.get(key);
    // One edge per pair: a request path wins over a failover path; labels of the same kind add up.
    if (existing && existing.kind !== kind) {
      if (existing.kind === 'request') return;
    } else if (existing && !existing.label.split(', ').includes(label)) {
      this.edges.set(key, { ...existing, label: `${existing.label}, ${label}` });
      return;
    } else if (existing) {
      return;
    }
    this.edges.set(key, { from: nodeId(from), to: nodeId(to), kind, label });
  }

  /** The main resources `value` leads to, looking through the resources that only wire them (origins, target groups, endpoints). */
  private mainTargets(stack: string, value: unknown, depth = 0): ResourceRef[] {
    return this.resolver.refs(stack, value).flatMap((ref) => {
      const r = this.resolver.resource(ref);
      if (!r) return [];
      if (MAIN_TYPES[r.Type] !== undefined) return [ref];
      const p = props(r);
      if (depth > 2) return [];
      if (r.Type === 'AWS::CloudFront::VpcOrigin') return this.mainTargets(ref.stack, rec(p.VpcOriginEndpointConfig).Arn, depth + 1);
      if (r.Type === 'AWS::RDS::DBProxyEndpoint') return this.mainTargets(ref.stack, p.DBProxyName, depth + 1);
      return [];
    });
  }

  private connect(stack: AssemblyStack, logicalId: string, resource: TemplateResource): void {
    const self = { stack: stack.stackName, logicalId };
    const p = props(resource);
    switch (resource.Type) {
      case 'AWS::CloudFront::Distribution':
        return this.connectOrigins(stack, self, rec(p.DistributionConfig));
      case 'AWS::ECS::Service':
        return this.connectService(stack, self, p);
      case 'AWS::RDS::DBProxyTargetGroup':
        for (const proxy of this.mainTargets(stack.stackName, p.DBProxyName)) {
          for (const cluster of this.mainTargets(stack.stackName, p.DBClusterIdentifiers)) this.addEdge(proxy, cluster, 'request', 'connections');
        }
        return;
      case 'AWS::RDS::DBCluster':
        return this.connectGlobalSecondary(stack, self, p);
      case 'AWS::Backup::BackupPlan':
        return this.connectBackupPlan(stack, self, p);
      case 'AWS::Backup::BackupSelection':
        return this.connectBackupSelection(stack, p);
      default:
        return;
    }
  }

  private connectOrigins(stack: AssemblyStack, self: ResourceRef, config: Record<string, unknown>): void {
    const failoverIds = new Set(list(rec(config.OriginGroups).Items)
      .flatMap((g) => list(rec(rec(g).Members).Items).slice(1).map((m) => rec(m).OriginId)));
    const primaryIds = new Set(list(rec(config.OriginGroups).Items).map((g) => rec(list(rec(rec(g).Members).Items)[0]).OriginId));
    const origins = list(config.Origins).map(rec);
    // Origins in use first (outside groups or first in a group), then the failover members.
    for (const origin of [...origins.filter((o) => !failoverIds.has(o.Id)), ...origins.filter((o) => failoverIds.has(o.Id))]) {
      const failover = failoverIds.has(origin.Id) && !primaryIds.has(origin.Id);
      for (const target of this.mainTargets(stack.stackName, origin)) {
        this.addEdge(self, target, failover ? 'failover' : 'request', failover ? 'failover origin (5xx)' : 'origin');
      }
    }
  }

  private connectService(stack: AssemblyStack, self: ResourceRef, p: Record<string, unknown>): void {
    const targetGroups = new Set(list(p.LoadBalancers).flatMap((lb) => this.resolver.refs(stack.stackName, rec(lb).TargetGroupArn).map(nodeId)));
    for (const r of Object.values(stack.resources)) {
      if (r.Type !== 'AWS::ElasticLoadBalancingV2::Listener' && r.Type !== 'AWS::ElasticLoadBalancingV2::ListenerRule') continue;
      const actions = r.Type === 'AWS::ElasticLoadBalancingV2::Listener' ? props(r).DefaultActions : props(r).Actions;
      if (!this.resolver.refs(stack.stackName, actions).some((ref) => targetGroups.has(nodeId(ref)))) continue;
      const listener = r.Type === 'AWS::ElasticLoadBalancingV2::Listener' ? props(r).LoadBalancerArn
        : this.resolver.refs(stack.stackName, props(r).ListenerArn).map((ref) => props(this.resolver.resource(ref)).LoadBalancerArn);
      for (const lb of this.mainTargets(stack.stackName, listener)) this.addEdge(lb, self, 'request', 'forward');
    }
    for (const taskDefinition of this.resolver.refs(stack.stackName, p.TaskDefinition)) {
      for (const container of list(props(this.resolver.resource(taskDefinition)).ContainerDefinitions).map(rec)) {
        for (const setting of [...list(container.Environment), ...list(container.Secrets)].map(rec)) {
          for (const target of this.mainTargets(stack.stackName, setting.Value ?? setting.ValueFrom)) {
            if (target.stack === stack.stackName && ['cache', 'proxy', 'database'].includes(MAIN_TYPES[this.resolver.resource(target)?.Type ?? ''] ?? '')) {
              this.addEdge(self, target, 'request', String(setting.Name));
            }
          }
        }
      }
    }
  }

  private connectGlobalSecondary(stack: AssemblyStack, self: ResourceRef, p: Record<string, unknown>): void {
    if (p.GlobalClusterIdentifier === undefined) return;
    const referenced = this.resolver.refs(stack.stackName, p.GlobalClusterIdentifier);
    for (const s of this.resolver.stacks) {
      for (const [id, r] of Object.entries(s.resources)) {
        if (r.Type !== 'AWS::RDS::GlobalCluster') continue;
        const named = props(r).GlobalClusterIdentifier === p.GlobalClusterIdentifier
          || referenced.some((ref) => ref.stack === s.stackName && ref.logicalId === id);
        if (!named) continue;
        for (const source of this.mainTargets(s.stackName, props(r).SourceDBClusterIdentifier)) {
          this.addEdge(source, self, 'replication', 'Aurora Global Database replication');
        }
      }
    }
  }

  private connectBackupPlan(stack: AssemblyStack, self: ResourceRef, p: Record<string, unknown>): void {
    for (const rule of list(rec(p.BackupPlan).BackupPlanRule).map(rec)) {
      const vaults = this.mainTargets(stack.stackName, rule.TargetBackupVault);
      for (const vault of vaults) this.addEdge(self, vault, 'backup', 'recovery points');
      for (const copy of list(rule.CopyActions).map(rec)) {
        for (const destination of this.vaultsOf(stack.stackName, copy.DestinationBackupVaultArn)) {
          for (const vault of vaults) this.addEdge(vault, destination, 'copy', 'cross-region copy');
        }
      }
    }
  }

  /** The vaults an ARN value names: by reference, or by the name and region of a literal `arn:aws:backup:...:backup-vault:<name>`. */
  private vaultsOf(stack: string, arn: unknown): ResourceRef[] {
    if (typeof arn !== 'string') return this.mainTargets(stack, arn);
    const [, region, name] = /^arn:[^:]+:backup:([^:]+):[^:]*:backup-vault:(.+)$/.exec(arn) ?? [];
    return this.resolver.stacks.filter((s) => s.region === region).flatMap((s) => Object.entries(s.resources)
      .filter(([, r]) => r.Type === 'AWS::Backup::BackupVault' && props(r).BackupVaultName === name)
      .map(([logicalId]) => ({ stack: s.stackName, logicalId })));
  }

  private connectBackupSelection(stack: AssemblyStack, p: Record<string, unknown>): void {
    const selection = rec(p.BackupSelection);
    const tags = list(selection.ListOfTags).map(rec).filter((t) => t.ConditionType === 'STRINGEQUALS');
    for (const plan of this.mainTargets(stack.stackName, p.BackupPlanId)) {
      for (const [logicalId, r] of Object.entries(stack.resources)) {
        const kind = MAIN_TYPES[r.Type];
        if (kind !== 'database' && kind !== 'cache') continue;
        const resourceTags = list(props(r).Tags).map(rec);
        if (tags.some((t) => resourceTags.some((rt) => rt.Key === t.ConditionKey && rt.Value === t.ConditionValue))) {
          this.addEdge({ stack: stack.stackName, logicalId }, plan, 'backup', 'backed up');
        }
      }
    }
  }
}

const KIND_ORDER: readonly NodeKind[] = ['edge', 'region-switch', 'load-balancer', 'service', 'cache', 'proxy', 'database', 'backup-plan', 'backup-vault', 'network'];

function rank(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

function titleOf(stacks: readonly AssemblyStack[]): string {
  const services = [...new Set(stacks.map((s) => s.tags['platform:service']).filter((s) => s !== undefined))];
  const tiers = [...new Set(stacks.map((s) => s.tags['platform:dr-tier']).filter((s) => s !== undefined))];
  const tier = tiers.length === 1 ? DrTier.ALL.find((t) => t.id === tiers[0]) : undefined;
  const what = services.length > 0 ? services.join(', ') : 'cloud assembly';
  if (!tier) return tiers.length > 0 ? `${what}: DR tier ${tiers.join(', ')}` : what;
  return `${what}: DR tier ${tier.id} (${tier.title}): RTO ${formatDuration(tier.envelope.rtoSeconds)}, RPO ${formatDuration(tier.envelope.rpoSeconds)}, relative cost ${tier.relativeCost}`;
}
