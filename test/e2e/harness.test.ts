import { freePort, INSTALL_HINT, requireBinary, startWebhookReceiver } from '../../cli/gameday/local/monitoring';

describe('e2e harness', () => {
  test('a missing tool fails with the apt-get hint, never a skip', () => {
    expect(() => requireBinary('E2E_TEST_NO_SUCH_BIN', ['no-such-prometheus-binary'])).toThrow(INSTALL_HINT);
    expect(INSTALL_HINT).toBe('apt-get install -y prometheus prometheus-alertmanager');
  });

  test('an override that is not executable fails with the hint', () => {
    process.env.E2E_TEST_BAD_BIN = '/nonexistent/prometheus';
    try {
      expect(() => requireBinary('E2E_TEST_BAD_BIN', ['prometheus'])).toThrow(/E2E_TEST_BAD_BIN=\/nonexistent\/prometheus is not an executable file/);
    } finally {
      delete process.env.E2E_TEST_BAD_BIN;
    }
  });

  test('free ports are distinct and usable', async () => {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });

  test('the webhook receiver records payloads with their path', async () => {
    const hook = await startWebhookReceiver();
    try {
      const payload = { version: '4', status: 'firing', receiver: 'critical', groupKey: 'k', groupLabels: {}, commonLabels: {},
        alerts: [{ status: 'firing', labels: { alertname: 'X' }, annotations: {}, startsAt: '', endsAt: '' }] };
      expect((await fetch(`${hook.url}/critical`, { method: 'POST', body: JSON.stringify(payload) })).status).toBe(200);
      const got = await hook.waitForAlert('X', (w) => w.path === '/critical' ? w.payload.alerts[0] : undefined, 1000);
      expect(got.alert.labels.alertname).toBe('X');
    } finally {
      await hook.close();
    }
  });
});
