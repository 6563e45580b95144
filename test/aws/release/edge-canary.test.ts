import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EdgeCanary } from '../../../constructs/aws/release/edge-canary';
import { REFERENCE_CRITICAL_PATHS } from '../../../constructs/core/release/critical-paths';
import { testStack } from '../../helpers/test-stack';
import { releaseSafety } from './fixture';

describe('EdgeCanary', () => {
  const built = releaseSafety();
  const template = Template.fromStack(built.stack);

  test('a Synthetics canary of the critical paths through the edge every 5 minutes, the edge URL read from us-east-1 at each run', () => {
    template.hasResourceProperties('AWS::Synthetics::Canary', {
      Name: 'checkout-edge', RuntimeVersion: 'syn-nodejs-puppeteer-13.0', Schedule: { Expression: 'rate(5 minutes)' },
      Code: Match.objectLike({ Handler: 'index.handler' }),
      RunConfig: Match.objectLike({
        TimeoutInSeconds: 60,
        EnvironmentVariables: {
          CRITICAL_PATHS: JSON.stringify(REFERENCE_CRITICAL_PATHS), EDGE_URL_PARAMETER: '/checkout/edge/url', EDGE_URL_PARAMETER_REGION: 'us-east-1',
        },
      }),
      ArtifactS3Location: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^EdgeCanaryArtifacts') }, '/runs']] },
    });
  });

  test('its artifacts bucket keeps the nothing-lost rules: retained, versioned, KMS with a rotating key, private, TLS only, backed up', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        Tags: Match.arrayWith([{ Key: 'platform:backup', Value: 'default' }]),
      }),
    });
  });

  test('two failed runs in a row page through a runbook alarm, routed into the service\'s page composite', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SuccessPercent', Namespace: 'CloudWatchSynthetics', Statistic: 'Average', Period: 300, Threshold: 100,
      ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 2,
      AlarmDescription: Match.stringLikeRegexp('^\\[critical\\] The edge canary checkout-edge failed two runs in a row from eu-west-1.* Runbook: https://.+/runbooks/alerts/release/EdgeCanaryFailing\\.md$'),
    });
    const page = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).find((a) => String(a.Properties.AlarmDescription).includes('one page per service'));
    expect(JSON.stringify(page?.Properties.AlarmRule)).toContain('EdgeCanaryEdgeCanaryFailingAlarm');
  });

  test('a static URL, interval and paths are validated', () => {
    const make = (props: Partial<ConstructorParameters<typeof EdgeCanary>[2]>) => () => new EdgeCanary(testStack(), 'Canary', { service: 'checkout', ...props });
    expect(make({ url: 'http://shop.example.com' })).toThrow(
      "Test/Canary: url ('http://shop.example.com') is not an https URL: pass the HTTPS URL users reach the service under, e.g. https://shop.example.com");
    expect(make({ interval: Duration.seconds(90) })).toThrow('Test/Canary: interval (minutes) (1.5) must be an integer from 1 to 60: set interval (minutes) to a whole number between 1 and 60');
    expect(make({ criticalPaths: [] })).toThrow('Test/Canary: criticalPaths ([]) is empty: name at least the liveness path (PROBE_CRITICAL_PATHS)');
    const fixed = Template.fromStack(new EdgeCanary(testStack(), 'Canary', { service: 'checkout', url: 'https://shop.example.com' }).node.scope as never);
    fixed.hasResourceProperties('AWS::Synthetics::Canary', { RunConfig: Match.objectLike({ EnvironmentVariables: Match.objectLike({ EDGE_URL: 'https://shop.example.com' }) }) });
  });
});
