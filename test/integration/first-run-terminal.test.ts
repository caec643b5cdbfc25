/**
 * The terminal a new user sees, through the real CLI launcher (`node bin/aizalo.mjs`) as separate
 * processes: help and unknown commands, `start` on a taken port (a clear message naming PORT,
 * exit 1, no stack trace), and the start banner (console /app, admin /admin, how to reset a login)
 * printed apart from the JSON log lines, then a clean SIGTERM shutdown.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/pg.ts';
import { REDIS_URL } from '../helpers/harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI; `until` (optional) is called on each stdout chunk and may stop the process. */
function cli(args: string[], env: Record<string, string> = {}, until?: (out: string, stop: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/aizalo.mjs', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      until?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('aizalo help', () => {
  it.each([['--help'], ['help'], ['-h']])('`aizalo %s` prints the usage with every command and exits 0', async (flag) => {
    const r = await cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: aizalo <command>');
    for (const c of ['start', 'migrate', 'tenant create', 'channel add', 'user create', 'user reset-password']) expect(r.stdout).toContain(c);
  });

  it('an unknown command prints the usage to stderr and exits 2', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown command: frobnicate');
    expect(r.stderr).toContain('Usage: aizalo <command>');
  });
});

describe('aizalo start', () => {
  it('on a taken port says which variable to set and exits 1, without a stack trace', async () => {
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as AddressInfo).port;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aizalo-port-'));
    dirs.push(dataDir);
    try {
      const r = await cli(['start'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Port ${port} is already in use`);
      expect(r.stderr).toMatch(/Set PORT to a free port/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  }, 60_000);

  it('prints the banner apart from the JSON logs, naming /app, /admin and the reset command; SIGTERM stops it cleanly', async () => {
    const database = await createTestDatabase();
    try {
      const r = await cli(
        ['start'],
        {
          PORT: '0',
          HOST: '127.0.0.1',
          PUBLIC_URL: 'https://first-run.test',
          DATABASE_URL: database.url,
          REDIS_URL,
          REDIS_PREFIX: `aizalo-first-run-${process.pid}`,
          SECRET_KEY: 'first-run-secret-key-0123456789',
          DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aizalo-banner-')),
        },
        (out, stop) => {
          if (/\n=+\n\n/.test(out.slice(out.indexOf('Aizalo is running')))) stop();
        },
      );
      expect(r.code, r.stderr).toBe(0);
      const start = r.stdout.indexOf('\n===');
      const end = r.stdout.indexOf('===\n', r.stdout.indexOf('Lost a login?'));
      const banner = r.stdout.slice(start, end);
      expect(banner).toContain('https://first-run.test/app?tenant=demo');
      expect(banner).toContain('https://first-run.test/admin');
      expect(banner).toContain('aizalo user reset-password --email E [--tenant S]');
      expect(banner).toMatch(/Admin login \(platform owner\): admin@aizalo\.local \/ \S+/);
      // Everything outside the banner is a JSON log line (stdout is not a terminal here).
      const rest = (r.stdout.slice(0, start) + r.stdout.slice(end + 4)).split('\n').filter((l) => l.trim());
      expect(rest.length).toBeGreaterThan(0);
      for (const line of rest) expect(() => JSON.parse(line), line).not.toThrow();
    } finally {
      await database.drop();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`aizalo-first-run-${process.pid}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  }, 180_000);
});
