import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * HAProxy in front of the instances: round robin, health checks on /api/v1/health every second, L7 retries
 * on a connection that fails or closes without an answer (an instance killed mid-request), and its own 503
 * carrying Retry-After when no instance is healthy (the database is away).
 */
export function haproxyConfig(dir: string, lbPort: number, backends: number[]): string {
  const errorfile = path.join(dir, '503.http');
  writeFileSync(
    errorfile,
    [
      'HTTP/1.1 503 Service Unavailable',
      'Content-Type: application/json',
      'Retry-After: 5',
      'Cache-Control: no-store',
      'Connection: close',
      '',
      '{"error":"SERVICE_UNAVAILABLE","detail":"No instance is ready; retry shortly."}',
      '',
    ].join('\r\n'),
  );
  const cfg = [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout queue 5s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response response-timeout',
    `  errorfile 503 ${errorfile}`,
    'frontend api',
    `  bind 127.0.0.1:${lbPort}`,
    '  option forwardfor',
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk GET /api/v1/health',
    '  http-check expect status 200',
    '  default-server inter 1s fastinter 500ms fall 2 rise 2',
    ...backends.map((port, i) => `  server api${i + 1} 127.0.0.1:${port} check`),
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, cfg);
  return file;
}
