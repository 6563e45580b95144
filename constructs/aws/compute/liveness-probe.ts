/** How a container checks its liveness path from inside (ECS container health check). */
export class LivenessProbe {
  private constructor(private readonly render: (port: number, path: string) => string[]) {}

  /** `curl -fsS http://localhost:<port><path>`: the image needs curl. */
  public static curl(): LivenessProbe {
    return new LivenessProbe((port, path) => ['CMD-SHELL', `curl -fsS http://localhost:${port}${path} || exit 1`]);
  }

  /** `wget -q -O /dev/null ...`: busybox and Alpine images. */
  public static wget(): LivenessProbe {
    return new LivenessProbe((port, path) => ['CMD-SHELL', `wget -q -O /dev/null http://localhost:${port}${path} || exit 1`]);
  }

  /** Node's built-in fetch, for Node images without curl (the reference service). */
  public static nodeFetch(): LivenessProbe {
    return new LivenessProbe((port, path) => ['CMD', 'node', '-e',
      `fetch('http://127.0.0.1:${port}${path}').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`]);
  }

  /** A command of your own in exec form (`['CMD', ...]`), e.g. a health-check binary shipped in the image. */
  public static custom(command: string[]): LivenessProbe {
    return new LivenessProbe(() => [...command]);
  }

  /** The container health-check command for `port` and `path`. */
  public command(port: number, path: string): string[] {
    return this.render(port, path);
  }
}
