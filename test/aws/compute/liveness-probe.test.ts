import { LivenessProbe } from '../../../constructs/aws/compute/liveness-probe';

describe('LivenessProbe', () => {
  test.each<[string, LivenessProbe, string[]]>([
    ['curl (the default)', LivenessProbe.curl(), ['CMD-SHELL', 'curl -fsS http://localhost:8080/health || exit 1']],
    ['wget (busybox, Alpine)', LivenessProbe.wget(), ['CMD-SHELL', 'wget -q -O /dev/null http://localhost:8080/health || exit 1']],
    ['Node fetch (Node images without curl)', LivenessProbe.nodeFetch(),
      ['CMD', 'node', '-e', "fetch('http://127.0.0.1:8080/health').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]],
  ])('%s checks the port and path it is given', (_name, probe, command) => {
    expect(probe.command(8080, '/health')).toEqual(command);
  });

  test('a custom command is used as given, whatever the port and path, and is not shared', () => {
    // GIVEN a command of the image's own WHEN rendered and the result changed THEN the probe keeps the original
    const probe = LivenessProbe.custom(['CMD', '/bin/healthcheck']);
    const first = probe.command(9000, '/live');
    first.push('--mutated');
    expect(probe.command(8080, '/health')).toEqual(['CMD', '/bin/healthcheck']);
  });
});
