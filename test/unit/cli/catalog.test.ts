import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../../support/project.js';

const REQUIRED_EVENTS = [
  'user.created', 'user.updated', 'user.deleted', 'user.verified', 'user.login', 'user.failed_login',
  'user.password_changed', 'user.profile_updated', 'user.followed', 'user.unfollowed', 'user.blocked', 'user.unblocked',
  'post.created', 'post.updated', 'post.status_updated', 'post.deleted', 'post.liked', 'post.unliked', 'post.shared',
  'comment.created', 'comment.deleted', 'reaction.added', 'reaction.removed',
  'message.sent', 'message.edited', 'message.deleted', 'message.read', 'message.persisted',
  'conversation.created', 'conversation.member_added',
  'media.uploaded', 'media.upload_completed', 'media.processing_complete', 'media.deleted',
  'video.uploaded', 'video.processing_started', 'video.processing_complete', 'video.published', 'video.viewed',
  'stream.started', 'stream.ended', 'stream.viewer_joined', 'stream.viewer_left', 'stream.comment_posted',
  'service.call', 'cache.hit',
  // The seeds' events the first catalog lacked (issue 14).
  'user.role_assigned', 'user.profile_completed', 'content.flagged', 'post.published',
  'service.started', 'service.stopped', 'service.health_check_failed', 'service.rate_limit_exceeded',
];

describe('the bundled catalog', () => {
  it('validates with no finding', async () => {
    const result = await cli(['validate', '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('lists every Nova domain event with its metadata', async () => {
    const result = await cli(['list', '--format', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r['type']).sort()).toEqual([...REQUIRED_EVENTS].sort());
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['type', 'aggregate', 'topic', 'subject', 'key', 'schemaType', 'compatibility', 'versions', 'owner']));
      expect(row['versions']).toBeGreaterThanOrEqual(1);
    }
    const post = rows.find((r) => r['type'] === 'post.created')!;
    expect(post).toMatchObject({
      topic: 'nova.content.events',
      subject: 'nova.content.events-nova.post.PostCreated',
      key: 'post_id',
      schemaType: 'AVRO',
      versions: 2,
      legacyTypes: ['content.post.created', 'PostCreated'],
    });
    expect(rows.filter((r) => r['schemaType'] === 'JSON').map((r) => r['type']).sort()).toEqual(['cache.hit', 'service.call']);
    expect(rows.find((r) => r['type'] === 'message.persisted')).toMatchObject({ key: 'conversation_id', legacyTopics: ['message_persisted'] });
  });

  it('works from a subfolder of the project', async () => {
    const result = await cli(['list', '--format', 'json'], join(repoRoot, 'contracts', 'post'));
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as unknown[]).length).toBe(REQUIRED_EVENTS.length);
  });
});

describe('the CLI surface', () => {
  it('exits 2 with a clear message outside a project', async () => {
    const result = await cli(['validate'], mkdtempSync(join(tmpdir(), 'nova-empty-')));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PROJECT_NOT_FOUND: no nova-events project at or above/);
  });

  it('exits 2 on an unknown option or format', async () => {
    expect((await cli(['validate', '--bogus'])).code).toBe(2);
    const bad = await cli(['list', '--format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are text, json/);
  });

  it('runs from the installed bin with help and examples', () => {
    const help = execFileSync(process.execPath, [join(repoRoot, 'bin', 'nova-events.js'), '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/validate/);
    expect(help).toMatch(/Exit codes: 0 ok, 1 findings/);
    const validateHelp = spawnSync(process.execPath, [join(repoRoot, 'bin', 'nova-events.js'), 'validate', '--help'], { encoding: 'utf8' });
    expect(validateHelp.status).toBe(0);
    expect(validateHelp.stdout).toMatch(/\$ nova-events validate --format json/);
  });
});
