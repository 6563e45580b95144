import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RUNBOOK_BASE_URL, runbookPathFromUrl, runbookUrl } from '../../constructs/core/runbooks';

describe('runbook links', () => {
  test('the default base URL is the repository URL of package.json (main branch)', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { repository: { url: string } };
    expect(DEFAULT_RUNBOOK_BASE_URL).toBe(`${pkg.repository.url}/blob/main`);
  });

  test('url = <base>/runbooks/<path>.md, trailing slashes of the base ignored', () => {
    expect(runbookUrl('https://wiki.example.com/ops/', 'alerts/service/ServiceHigh5xxRate'))
      .toBe('https://wiki.example.com/ops/runbooks/alerts/service/ServiceHigh5xxRate.md');
  });

  test('path round-trips from the url', () => {
    expect(runbookPathFromUrl(runbookUrl(DEFAULT_RUNBOOK_BASE_URL, 'drills/restore-point-in-time'))).toBe('drills/restore-point-in-time');
    expect(runbookPathFromUrl('https://example.com/other.html')).toBeUndefined();
  });
});
