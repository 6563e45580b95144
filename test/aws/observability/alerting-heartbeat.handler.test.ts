import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler, isHeartbeat } from '../../../constructs/aws/observability/alerting-heartbeat.handler';

const cw = mockClient(CloudWatchClient);
const NOW = new Date('2026-03-01T12:00:00Z');

function event(...messages: string[]): SNSEvent {
  return { Records: messages.map((Message) => ({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: 'arn', Sns: { Message } })) } as unknown as SNSEvent;
}

const run = createHandler(new CloudWatchClient({ region: 'eu-west-1' }), { namespace: 'Platform/Alerting', source: 'checkout-primary/AlertingHeartbeat' }, () => NOW);

beforeEach(() => {
  cw.reset();
  cw.on(PutMetricDataCommand).resolves({});
});

describe('heartbeat recorder', () => {
  test('each firing Watchdog notification is one heartbeat data point', async () => {
    await expect(run(event('firing', 'firing'))).resolves.toEqual({ heartbeats: 2, ignored: 0 });
    expect(cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input)).toEqual([{
      Namespace: 'Platform/Alerting',
      MetricData: [{ MetricName: 'AlertingHeartbeat', Dimensions: [{ Name: 'Source', Value: 'checkout-primary/AlertingHeartbeat' }], Value: 2, Unit: 'Count', Timestamp: NOW }],
    }]);
  });

  test('a resolved Watchdog (Prometheus stopped evaluating it) is no heartbeat: nothing is recorded', async () => {
    await expect(run(event('resolved'))).resolves.toEqual({ heartbeats: 0, ignored: 1 });
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect([isHeartbeat(' Resolved\n'), isHeartbeat('firing'), isHeartbeat(undefined)]).toEqual([false, true, true]);
  });

  test('a failed PutMetricData fails the invocation (the silence alarm then pages)', async () => {
    cw.on(PutMetricDataCommand).rejects(new Error('AccessDenied'));
    await expect(run(event('firing'))).rejects.toThrow('AccessDenied');
  });
});
