import { DEFAULT_RUNBOOK_BASE_URL } from '../../../constructs/core/runbooks';
import { requireStackRegion, runbookBaseUrlOf } from '../../../constructs/aws/private/context';
import { testStack } from '../../helpers/test-stack';

describe('context helpers', () => {
  test('runbookBaseUrlOf: context runbookBaseUrl, else the repository URL', () => {
    expect(runbookBaseUrlOf(testStack({ context: { runbookBaseUrl: 'https://runbooks.example.com' } }))).toBe('https://runbooks.example.com');
    expect(runbookBaseUrlOf(testStack())).toBe(DEFAULT_RUNBOOK_BASE_URL);
    expect(runbookBaseUrlOf(testStack({ context: { runbookBaseUrl: '' } }))).toBe(DEFAULT_RUNBOOK_BASE_URL);
  });

  test('requireStackRegion: passes in the region, names the region and the fix elsewhere', () => {
    expect(() => requireStackRegion(testStack({ region: 'us-east-1' }), 'us-east-1', 'why', 'fix')).not.toThrow();
    expect(() => requireStackRegion(testStack(), 'us-east-1', 'CloudFront certificates live in us-east-1', 'build it in the global stack'))
      .toThrow("Test: region ('eu-west-1') is not us-east-1: CloudFront certificates live in us-east-1: build it in the global stack");
  });
});
