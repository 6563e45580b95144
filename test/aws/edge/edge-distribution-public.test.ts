import { runInNewContext } from 'node:vm';
import { SecretValue } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EdgeDistribution } from '../../../constructs/aws/edge/edge-distribution';
import type { EdgeDistributionProps } from '../../../constructs/aws/edge/edge-distribution';
import { EdgeOrigin } from '../../../constructs/aws/edge/edge-origin';
import type { OriginVerifyHeader } from '../../../constructs/aws/edge/edge-origin';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

/** The managed CachingDisabled cache policy. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const SECRET_REFERENCE = '{{resolve:secretsmanager:svc/origin-verify:SecretString:::}}';
const ROUTED_NAME = 'origin.shop.example.com';

function header(overrides: Partial<OriginVerifyHeader> = {}): OriginVerifyHeader {
  return { name: 'X-Origin-Verify', value: SecretValue.secretsManager('svc/origin-verify').unsafeUnwrap(), ...overrides };
}

const ROUTED = EdgeOrigin.fromPublicName({ domainName: ROUTED_NAME, originVerifyHeader: header() });
const regional = (region: string, h: OriginVerifyHeader = header()) =>
  EdgeOrigin.fromPublicName({ domainName: `${region}.${ROUTED_NAME}`, originVerifyHeader: h, region });
const HEALTH_ORIGINS = [regional('eu-west-1'), regional('eu-central-1')];

type ExtraProps = Partial<EdgeDistributionProps>;

/** A us-east-1 stack with an EdgeDistribution `Edge` on the routed public name and the two regional health-check origins. */
function edgeStack(props: ExtraProps = {}, options: { nag?: boolean } = {}): { stack: Stack; edge: EdgeDistribution } {
  const stack = testStack({ region: 'us-east-1', nag: options.nag });
  const edge = new EdgeDistribution(stack, 'Edge', { primaryOrigin: ROUTED, healthCheckOrigins: HEALTH_ORIGINS, ...props });
  return { stack, edge };
}

interface Origin {
  Id: string;
  DomainName: unknown;
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[]; HTTPSPort?: number };
  OriginCustomHeaders?: Array<{ HeaderName: string; HeaderValue: unknown }>;
  OriginShield?: { Enabled: boolean; OriginShieldRegion?: string };
  VpcOriginConfig?: unknown;
}
interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachedMethods?: string[];
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  ViewerProtocolPolicy: string;
  FunctionAssociations?: Array<{ EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }>;
}
interface DistributionConfig {
  Origins: Origin[];
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  OriginGroups?: { Items: Array<{ Id: string; Members: { Items: Array<{ OriginId: string }> } }> };
}

function distributionConfig(template: Template): DistributionConfig {
  const distributions = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  expect(distributions).toHaveLength(1);
  return distributions[0].Properties.DistributionConfig as DistributionConfig;
}

function originNamed(config: DistributionConfig, domainName: string): Origin {
  const found = config.Origins.filter((o) => o.DomainName === domainName);
  expect(found).toHaveLength(1);
  return found[0];
}

function behavior(config: DistributionConfig, path: string): Behavior {
  const found = config.CacheBehaviors.find((b) => b.PathPattern === path);
  if (!found) throw new Error(`no behaviour for ${path}`);
  return found;
}

/** Runs the CloudFront Function code on a viewer request and returns the request it hands on. */
function runFunction(code: string,
  request: { uri: string; querystring: Record<string, unknown> }): { uri: string; querystring: Record<string, unknown> } {
  const handler = runInNewContext(`${code}; handler`, {}) as (event: unknown) => { uri: string; querystring: Record<string, unknown> };
  return handler({ version: '1.0', request: { method: 'GET', headers: {}, cookies: {}, ...request } });
}

function functionCode(template: Template): string {
  const fns = Object.values(template.findResources('AWS::CloudFront::Function'));
  expect(fns).toHaveLength(1);
  return fns[0].Properties.FunctionCode as string;
}

describe('EdgeDistribution with public-name origins', () => {
  let defaults: { stack: Stack; edge: EdgeDistribution; template: Template; config: DistributionConfig };
  beforeAll(() => {
    const built = edgeStack();
    const template = Template.fromStack(built.stack);
    defaults = { ...built, template, config: distributionConfig(template) };
  });

  describe('origins', () => {
    test('the routed name and each regional name are custom origins, HTTPS only with TLS 1.2', () => {
      expect(defaults.config.Origins.map((o) => o.DomainName).sort()).toEqual([
        `eu-central-1.${ROUTED_NAME}`, `eu-west-1.${ROUTED_NAME}`, ROUTED_NAME,
      ]);
      for (const origin of defaults.config.Origins) {
        expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
        expect(origin.VpcOriginConfig).toBeUndefined();
      }
    });

    test('every origin request carries the origin-verify header, its value a deploy-time dynamic reference', () => {
      for (const origin of defaults.config.Origins) {
        expect(origin.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: SECRET_REFERENCE }]);
      }
    });

    test('the routed origin has no Origin Shield (a fixed shield region would undo latency routing)', () => {
      const routed = originNamed(defaults.config, ROUTED_NAME);
      expect(routed.OriginShield?.Enabled ?? false).toBe(false);
      expect(routed.OriginShield?.OriginShieldRegion).toBeUndefined();
    });

    test('every behaviour but the health checks goes to the routed origin', () => {
      const routedId = originNamed(defaults.config, ROUTED_NAME).Id;
      expect(defaults.config.DefaultCacheBehavior.TargetOriginId).toBe(routedId);
      for (const path of ['/static/*', '/assets/*', '/api/*']) expect(behavior(defaults.config, path).TargetOriginId).toBe(routedId);
    });

    test('no VPC origin is created', () => {
      defaults.template.resourceCountIs('AWS::CloudFront::VpcOrigin', 0);
      expect(defaults.edge.vpcOrigins).toEqual([]);
    });

    test('a public origin pinned to a region gets Origin Shield there; a pinned secondary forms the static-read origin group', () => {
      const template = Template.fromStack(edgeStack({
        primaryOrigin: regional('eu-west-1'), secondaryOrigin: regional('eu-central-1'), healthCheckOrigins: undefined,
      }).stack);
      const config = distributionConfig(template);
      // CDK binds the group's primary as an origin of its own next to the default behaviour's: compare by name.
      const nameOf = Object.fromEntries(config.Origins.map((o) => [o.Id, o.DomainName]));
      for (const origin of config.Origins) {
        const region = (origin.DomainName as string).split('.')[0];
        expect(origin.OriginShield).toEqual({ Enabled: true, OriginShieldRegion: region });
      }
      expect(nameOf[config.DefaultCacheBehavior.TargetOriginId]).toBe(`eu-west-1.${ROUTED_NAME}`);
      expect(config.OriginGroups?.Items[0].Members.Items.map((m) => nameOf[m.OriginId])).toEqual([`eu-west-1.${ROUTED_NAME}`, `eu-central-1.${ROUTED_NAME}`]);
      expect(behavior(config, '/static/*').TargetOriginId).toBe(config.OriginGroups?.Items[0].Id);
      template.resourceCountIs('AWS::CloudFront::VpcOrigin', 0);
    });
  });

  describe('health-check paths', () => {
    test('EdgeDistribution.healthCheckPathFor names the region under /_health/', () => {
      expect(EdgeDistribution.healthCheckPathFor('eu-west-1')).toBe('/_health/eu-west-1');
      expect(EdgeDistribution.healthCheckPathFor('eu-central-1')).toBe('/_health/eu-central-1');
    });

    test.each(['eu-west-1', 'eu-central-1'])('/_health/%s goes to that region, uncached, GET and HEAD only, through the path function', (region) => {
      const b = behavior(defaults.config, EdgeDistribution.healthCheckPathFor(region));
      expect(b.TargetOriginId).toBe(originNamed(defaults.config, `${region}.${ROUTED_NAME}`).Id);
      expect(b.CachePolicyId).toBe(CACHING_DISABLED);
      expect(b.AllowedMethods).toEqual(['GET', 'HEAD']);
      const [fnId] = Object.keys(defaults.template.findResources('AWS::CloudFront::Function'));
      expect(b.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    });

    test('exactly the two health-check behaviours exist, before the static and API ones (CloudFront takes the first match)', () => {
      expect(defaults.config.CacheBehaviors.map((b) => b.PathPattern)).toEqual([
        '/_health/eu-west-1', '/_health/eu-central-1', '/static/*', '/assets/*', '/api/*',
      ]);
    });

    test('a broad user pattern (/_*) cannot take a region\'s health path: the first matching behaviour is still its own', () => {
      const { stack } = edgeStack({ staticPathPatterns: ['/_*'] });
      const config = distributionConfig(Template.fromStack(stack));
      const firstMatch = (path: string) => config.CacheBehaviors.find((b) => new RegExp(`^${b.PathPattern!.replace(/\*/g, '.*')}$`).test(path))!;
      for (const region of ['eu-west-1', 'eu-central-1']) {
        expect(firstMatch(`/_health/${region}`).PathPattern).toBe(`/_health/${region}`);
      }
      expect(firstMatch('/_other').PathPattern).toBe('/_*');
    });

    test('the viewer-request function hands the origin /health, without the query string', () => {
      const code = functionCode(defaults.template);
      expect(code).toContain('request.uri = "/health"');
      expect(runFunction(code, { uri: '/_health/eu-west-1', querystring: { probe: { value: '1' } } })).toMatchObject({ uri: '/health', querystring: {} });
      defaults.template.hasResourceProperties('AWS::CloudFront::Function', { FunctionConfig: { Runtime: 'cloudfront-js-2.0', Comment: 'Test/Edge: /_health/<region> to /health' } });
      expect(defaults.edge.healthCheckFunction).toBeDefined();
    });

    test('a custom healthCheckPath is what the function hands the origin', () => {
      const template = Template.fromStack(edgeStack({ healthCheckPath: '/healthz' }).stack);
      const code = functionCode(template);
      expect(code).toContain('request.uri = "/healthz"');
      expect(runFunction(code, { uri: '/_health/eu-central-1', querystring: {} }).uri).toBe('/healthz');
    });

    test('without healthCheckOrigins there is no health behaviour and no function', () => {
      const { stack, edge } = edgeStack({ healthCheckOrigins: undefined });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudFront::Function', 0);
      expect(distributionConfig(template).CacheBehaviors.filter((b) => b.PathPattern?.startsWith('/_health/'))).toEqual([]);
      expect(edge.healthCheckFunction).toBeUndefined();
    });
  });

  describe('compliance', () => {
    test('AwsSolutions and NIST 800-53 rev 5 report no unacknowledged finding', () => {
      expect(formatFindings(nagFindings(edgeStack({}, { nag: true }).stack))).toEqual([]);
    });
  });

  describe('validation', () => {
    const W = 'Test/Edge';
    const literal = (prop: string) =>
      `${W}: ${prop}.originVerifyHeader.value ('<literal>') is a literal string, readable by anyone who can read the template: pass a secret resolved at deploy time, e.g. SecretValue.secretsManager('<name>').unsafeUnwrap()`;
    const badName = (prop: string, name: string) =>
      `${W}: ${prop}.originVerifyHeader.name ('${name}') is not an HTTP header name: use letters, digits and dashes, e.g. 'X-Origin-Verify'`;
    const underHealth = (prop: string, pattern: string) =>
      `${W}: ${prop} ('${pattern}') is under /_health/, which the health-check paths use: pick another prefix; /_health/<region> reaches one region's health endpoint`;

    test.each<[string, ExtraProps, string]>([
      ['a literal header value on the primary origin',
        { primaryOrigin: EdgeOrigin.fromPublicName({ domainName: ROUTED_NAME, originVerifyHeader: header({ value: 'not-a-secret' }) }) },
        literal('primaryOrigin')],
      ['a literal header value on a health-check origin',
        { healthCheckOrigins: [regional('eu-west-1'), regional('eu-central-1', header({ value: 'not-a-secret' }))] },
        literal('healthCheckOrigins[1]')],
      ['a header name with spaces',
        { primaryOrigin: EdgeOrigin.fromPublicName({ domainName: ROUTED_NAME, originVerifyHeader: header({ name: 'X Origin Verify' }) }) },
        badName('primaryOrigin', 'X Origin Verify')],
      ['a header name with a colon',
        { primaryOrigin: EdgeOrigin.fromPublicName({ domainName: ROUTED_NAME, originVerifyHeader: header({ name: 'X-Origin-Verify:' }) }) },
        badName('primaryOrigin', 'X-Origin-Verify:')],
      ['an empty header name',
        { primaryOrigin: EdgeOrigin.fromPublicName({ domainName: ROUTED_NAME, originVerifyHeader: header({ name: '' }) }) },
        badName('primaryOrigin', '')],
      ['a pinned public origin whose region is not a region',
        { primaryOrigin: EdgeOrigin.fromPublicName({ domainName: ROUTED_NAME, originVerifyHeader: header(), region: 'Ireland' }) },
        `${W}: primaryOrigin.region ('Ireland') is not a region name: pass the origin's region as a plain string such as 'eu-west-1'`],
      ['a health-check origin without region', { healthCheckOrigins: [regional('eu-west-1'), ROUTED] },
        `${W}: healthCheckOrigins[1].region (undefined) is required: the health path names the region: pass the regional name of one region, e.g. EdgeOrigin.fromPublicName({ domainName: 'eu-west-1.origin.shop.example.com', region: 'eu-west-1', ... })`],
      ['a VPC origin as health-check origin',
        { healthCheckOrigins: [EdgeOrigin.fromLoadBalancer({ loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/x/0123456789abcdef', domainName: 'x.eu-west-1.elb.amazonaws.com', region: 'eu-west-1' })] },
        `${W}: healthCheckOrigins[0] ('x.eu-west-1.elb.amazonaws.com') is a VPC origin: health-check paths serve DNS-routed public origins: pass the region's own name, EdgeOrigin.fromPublicName({ domainName: '<region>.origin.<domain>', region, originVerifyHeader })`],
      ['the same health-check region twice', { healthCheckOrigins: [regional('eu-west-1'), regional('eu-west-1')] },
        `${W}: healthCheckOrigins[1].region ('eu-west-1') appears twice: pass one health-check origin per region`],
      ['a healthCheckPath without leading slash', { healthCheckPath: 'health' },
        `${W}: healthCheckPath ('health') is not an absolute URL path: use a path such as '/ready' (starting with '/', no query string)`],
      ['a healthCheckPath with a query string', { healthCheckPath: '/health?deep=1' },
        `${W}: healthCheckPath ('/health?deep=1') is not an absolute URL path: use a path such as '/ready' (starting with '/', no query string)`],
      ['a static pattern under /_health/', { staticPathPatterns: ['/static/*', '/_health/*'] }, underHealth('staticPathPatterns', '/_health/*')],
      ['an API pattern under /_health/', { apiPathPatterns: ['/_health/eu-west-1'] }, underHealth('apiPathPatterns', '/_health/eu-west-1')],
      ['more behaviours than CloudFront allows, health paths counted',
        { staticPathPatterns: Array.from({ length: 22 }, (_, i) => `/s${i}/*`) },
        `${W}: staticPathPatterns (23) with apiPathPatterns and 2 health-check paths exceeds the 24 path behaviours CloudFront allows: merge patterns with wildcards`],
    ])('%s', (_name, props, message) => {
      expect(() => edgeStack(props)).toThrow(message);
    });

    test('21 static, 1 API and 2 health paths (24 behaviours) are accepted', () => {
      expect(() => edgeStack({ staticPathPatterns: Array.from({ length: 21 }, (_, i) => `/s${i}/*`) })).not.toThrow();
    });
  });
});
