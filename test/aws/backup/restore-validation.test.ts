import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import type { PutRestoreValidationResultCommandInput } from '@aws-sdk/client-backup';
import { DBClusterNotFoundFault, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import type { DBCluster } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { backoffDelayMs, checkRestoredCluster, clusterIdentifierFromArn, isRetryable, withRetries } from '../../../constructs/aws/backup/private/restore-validation';
import { createHandler, handler } from '../../../constructs/aws/backup/restore-validation.handler';
import type { HandlerDependencies, RestoreJobEvent } from '../../../constructs/aws/backup/restore-validation.handler';

const PLAN_ARN = 'arn:aws:backup:eu-west-1:111111111111:restore-testing-plan:Test_Backup_AuroraRestoreTesting_5D721B3C-1234';
const RESTORED_ARN = 'arn:aws:rds:eu-west-1:111111111111:cluster:awsbackup-restore-test-abc123';
const JOB_ID = 'restore-job-1';

const backupMock = mockClient(BackupClient);
const rdsMock = mockClient(RDSClient);

function event(detail: RestoreJobEvent['detail'] = { restoreJobId: JOB_ID, status: 'COMPLETED' }): RestoreJobEvent {
  return {
    'version': '0', 'id': 'e-1', 'detail-type': 'Restore Job State Change', 'source': 'aws.backup', 'account': '111111111111',
    'time': '2026-01-03T06:30:00Z', 'region': 'eu-west-1', 'resources': [], detail,
  };
}

const healthy: DBCluster = {
  DBClusterIdentifier: 'awsbackup-restore-test-abc123',
  Status: 'available',
  StorageEncrypted: true,
  KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k-1',
  Engine: 'aurora-postgresql',
  EngineVersion: '16.13',
  Endpoint: 'awsbackup-restore-test-abc123.cluster-xyz.eu-west-1.rds.amazonaws.com',
};

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
}

/** A handler with the mocked clients, no real waits, and the metric lines collected. */
function testHandler(maxAttempts = 4) {
  const sleeps: number[] = [];
  const metricLines: string[] = [];
  const deps: HandlerDependencies = {
    backup: new BackupClient({ region: 'eu-west-1' }),
    rds: new RDSClient({ region: 'eu-west-1' }),
    config: { restoreTestingPlanArn: PLAN_ARN, restoreTestingPlanName: 'Test_Backup_AuroraRestoreTesting_5D721B3C', expectedEngine: 'aurora-postgresql', metricNamespace: 'Platform/Backup' },
    retry: { maxAttempts, baseDelayMs: 100, maxDelayMs: 1000, sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5 },
    emit: (line) => { metricLines.push(line); },
  };
  return { run: createHandler(deps), sleeps, metricLines };
}

function reported(): PutRestoreValidationResultCommandInput[] {
  return backupMock.commandCalls(PutRestoreValidationResultCommand).map((c) => c.args[0].input);
}

beforeEach(() => {
  backupMock.reset();
  rdsMock.reset();
  backupMock.on(DescribeRestoreJobCommand).resolves({
    RestoreJobId: JOB_ID, CreatedResourceArn: RESTORED_ARN, CreatedBy: { RestoreTestingPlanArn: PLAN_ARN },
  });
  backupMock.on(PutRestoreValidationResultCommand).resolves({});
  rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [healthy] });
});

describe('restore validation handler', () => {
  describe('success', () => {
    test('a healthy restored cluster is reported SUCCESSFUL', async () => {
      // GIVEN
      const { run, metricLines } = testHandler();
      // WHEN
      const outcome = await run(event());
      // THEN
      expect(rdsMock.commandCalls(DescribeDBClustersCommand)[0].args[0].input).toEqual({ DBClusterIdentifier: 'awsbackup-restore-test-abc123' });
      expect(reported()).toEqual([{
        RestoreJobId: JOB_ID,
        ValidationStatus: 'SUCCESSFUL',
        ValidationStatusMessage: 'Restored cluster awsbackup-restore-test-abc123 is available, encrypted with arn:aws:kms:eu-west-1:111111111111:key/k-1, engine aurora-postgresql 16.13',
      }]);
      expect(outcome).toMatchObject({ outcome: 'reported', verdict: { status: 'SUCCESSFUL' } });
      const emf = JSON.parse(metricLines[0]) as Record<string, unknown>;
      expect(emf).toMatchObject({ RestoreValidationFailed: 0, RestoreTestingPlanName: 'Test_Backup_AuroraRestoreTesting_5D721B3C' });
      expect(emf._aws).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'Platform/Backup', Dimensions: [['RestoreTestingPlanName']], Metrics: [{ Name: 'RestoreValidationFailed', Unit: 'Count' }] }] });
    });
  });

  describe('failure', () => {
    test.each<[string, Partial<DBCluster>, string]>([
      ['not available', { Status: 'inaccessible-encryption-credentials' }, "status is 'inaccessible-encryption-credentials', expected 'available'"],
      ['not encrypted', { StorageEncrypted: false, KmsKeyId: undefined }, 'storage is not encrypted with a KMS key'],
      ['another engine', { Engine: 'aurora-mysql' }, "engine is 'aurora-mysql', expected 'aurora-postgresql'"],
      ['no endpoint', { Endpoint: undefined }, 'the cluster has no endpoint'],
    ])('a cluster %s is reported FAILED with the reason', async (_name, override, reason) => {
      // GIVEN
      rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ ...healthy, ...override }] });
      const { run, metricLines } = testHandler();
      // WHEN
      await run(event());
      // THEN
      expect(reported()).toEqual([{
        RestoreJobId: JOB_ID,
        ValidationStatus: 'FAILED',
        ValidationStatusMessage: `Restored cluster awsbackup-restore-test-abc123 failed validation: ${reason}`,
      }]);
      expect(JSON.parse(metricLines[0])).toMatchObject({ RestoreValidationFailed: 1 });
    });

    test('every problem is named', async () => {
      rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ ...healthy, Status: 'creating', StorageEncrypted: false }] });
      await testHandler().run(event());
      expect(reported()[0].ValidationStatusMessage).toBe(
        "Restored cluster awsbackup-restore-test-abc123 failed validation: status is 'creating', expected 'available'; storage is not encrypted with a KMS key");
    });

    test('a restored cluster that does not exist is reported FAILED', async () => {
      rdsMock.on(DescribeDBClustersCommand).rejects(new DBClusterNotFoundFault({ message: 'not found', $metadata: {} }));
      await testHandler().run(event());
      expect(reported()).toEqual([{ RestoreJobId: JOB_ID, ValidationStatus: 'FAILED', ValidationStatusMessage: 'Restored cluster awsbackup-restore-test-abc123 was not found' }]);
    });

    test('a restore job that created no cluster is reported FAILED', async () => {
      backupMock.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, CreatedResourceArn: 'arn:aws:s3:::bucket', CreatedBy: { RestoreTestingPlanArn: PLAN_ARN } });
      await testHandler().run(event());
      expect(reported()).toEqual([{ RestoreJobId: JOB_ID, ValidationStatus: 'FAILED', ValidationStatusMessage: 'The restored resource arn:aws:s3:::bucket is not an RDS DB cluster' }]);
      expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
    });

    test('other errors are not swallowed: the invocation fails (Lambda retries, then the DLQ)', async () => {
      rdsMock.on(DescribeDBClustersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      await expect(testHandler().run(event())).rejects.toThrow('denied');
      expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
      expect(reported()).toEqual([]);
    });
  });

  describe('throttling', () => {
    test('ThrottlingException twice then success: retried with backoff and reported SUCCESSFUL', async () => {
      // GIVEN
      rdsMock.on(DescribeDBClustersCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves({ DBClusters: [healthy] });
      const { run, sleeps } = testHandler();
      // WHEN
      await run(event());
      // THEN: 3 calls, waits of half the ceiling (random 0.5) of 100 ms then 200 ms
      expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(3);
      expect(sleeps).toEqual([50, 100]);
      expect(reported()).toEqual([expect.objectContaining({ ValidationStatus: 'SUCCESSFUL' })]);
    });

    test('reporting the result is retried too', async () => {
      backupMock.on(PutRestoreValidationResultCommand).rejectsOnce(throttling()).resolves({});
      await testHandler().run(event());
      expect(backupMock.commandCalls(PutRestoreValidationResultCommand)).toHaveLength(2);
    });

    test('always throttled: gives up after maxAttempts and rejects, without reporting', async () => {
      rdsMock.on(DescribeDBClustersCommand).rejects(throttling());
      const { run, sleeps } = testHandler(4);
      await expect(run(event())).rejects.toThrow('DescribeDBClusters: still throttled after 4 attempts, giving up');
      expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(4);
      expect(sleeps).toEqual([50, 100, 200]);
      expect(reported()).toEqual([]);
    });
  });

  describe('events that are not ours', () => {
    test.each<[string, RestoreJobEvent['detail']]>([
      ['no restore job id', {}],
      ['a job that has not completed', { restoreJobId: JOB_ID, status: 'RUNNING' }],
    ])('%s is ignored without an API call', async (_name, detail) => {
      const outcome = await testHandler().run(event(detail));
      expect(outcome.outcome).toBe('ignored');
      expect(backupMock.calls()).toHaveLength(0);
    });

    test('a restore job that is not a restore test is ignored', async () => {
      backupMock.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, CreatedResourceArn: RESTORED_ARN });
      expect(await testHandler().run(event())).toEqual({ outcome: 'ignored', reason: 'not a restore testing job' });
      expect(reported()).toEqual([]);
      expect(rdsMock.calls()).toHaveLength(0);
    });

    test('a restore test of another plan is ignored', async () => {
      backupMock.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, CreatedResourceArn: RESTORED_ARN, CreatedBy: { RestoreTestingPlanArn: `${PLAN_ARN}-other` } });
      expect(await testHandler().run(event())).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/^restore job of another restore testing plan/) });
      expect(reported()).toEqual([]);
    });
  });

  describe('Lambda entry point', () => {
    test('reads its configuration from the environment', async () => {
      // GIVEN the environment the construct sets
      Object.assign(process.env, {
        RESTORE_TESTING_PLAN_ARN: PLAN_ARN, RESTORE_TESTING_PLAN_NAME: 'plan', EXPECTED_ENGINE: 'aurora-postgresql',
        METRIC_NAMESPACE: 'Platform/Backup', MAX_ATTEMPTS: '3', AWS_REGION: 'eu-west-1',
      });
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        // WHEN
        const outcome = await handler(event());
        // THEN
        expect(outcome).toMatchObject({ outcome: 'reported', verdict: { status: 'SUCCESSFUL' } });
        expect(write).toHaveBeenCalledWith(expect.stringMatching(/^\{"_aws":.*"RestoreValidationFailed":0.*\}\n$/));
      } finally {
        write.mockRestore();
        log.mockRestore();
        for (const name of ['RESTORE_TESTING_PLAN_ARN', 'RESTORE_TESTING_PLAN_NAME', 'EXPECTED_ENGINE', 'METRIC_NAMESPACE', 'MAX_ATTEMPTS']) delete process.env[name];
      }
    });
  });
});

describe('restore validation logic', () => {
  test.each([
    [RESTORED_ARN, 'awsbackup-restore-test-abc123'],
    ['arn:aws-cn:rds:cn-north-1:111111111111:cluster:db-1', 'db-1'],
    ['arn:aws:rds:eu-west-1:111111111111:db:instance-1', undefined],
    ['arn:aws:s3:::bucket', undefined],
  ])('clusterIdentifierFromArn(%s) is %s', (arn, id) => {
    expect(clusterIdentifierFromArn(arn)).toBe(id);
  });

  test('a healthy cluster passes', () => {
    expect(checkRestoredCluster(healthy, 'aurora-postgresql').status).toBe('SUCCESSFUL');
  });

  test.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'TooManyRequestsException' }, true],
    [{ name: 'Whatever', $retryable: { throttling: true } }, true],
    [{ name: 'Whatever', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'AccessDeniedException' }, false],
    ['a string', false],
  ])('isRetryable(%j) is %s', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });

  test('backoff is full jitter under an exponential ceiling capped at maxDelayMs', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
      const delay = backoffDelayMs(retry, { baseDelayMs: 100, maxDelayMs: 5000, random: () => r });
      const ceiling = Math.min(5000, 100 * 2 ** (retry - 1));
      return Number.isInteger(delay) && delay >= 0 && delay < ceiling;
    }));
  });

  test('withRetries makes exactly maxAttempts calls under constant throttling', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 8 }), async (maxAttempts) => {
      let calls = 0;
      const sleep = async (): Promise<void> => undefined;
      await expect(withRetries('op', async () => { calls++; throw throttling(); }, { maxAttempts, baseDelayMs: 1, maxDelayMs: 10, sleep, random: Math.random }))
        .rejects.toThrow(`op: still throttled after ${maxAttempts} attempts, giving up`);
      return calls === maxAttempts;
    }), { numRuns: 20 });
  });
});
