import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillAuditIndex } from '../../../scripts/backfill-audit-index';
import { newId } from '../../../shared/core/ids';
import { auditEventKey } from '../../../shared/db/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { workspacePath } from '../../support/paths';
import { createTeam } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

describe('the audit index backfill', () => {
  it('makes events written without index keys findable by the filters, once, however often it runs', async () => {
    const team = await createTeam(api);
    // An event as the code before the filter indexes wrote it: no GSI keys.
    const id = newId('EV');
    await api.documents.send(
      new PutCommand({
        TableName: api.tableName,
        Item: {
          ...auditEventKey(team.workspaceId, id),
          id,
          at: new Date().toISOString(),
          actor: { userId: team.admin.userId, email: team.admin.email },
          action: 'member.roleChanged',
          target: { type: 'member', id: team.member.userId },
          before: { role: 'member' },
          after: { role: 'admin' },
          requestId: 'before-the-indexes',
        },
      }),
    );
    const filtered = () =>
      api.get(
        `${workspacePath(team)}/audit-events?action=member.roleChanged&actor=${team.admin.userId}`,
        team.owner.token,
      );
    expect((await filtered()).body.data).toEqual([]);

    const first = await backfillAuditIndex(api.documents, api.tableName);
    expect(first.updated).toBe(1);
    expect((await filtered()).body.data.map((event: { id: string }) => event.id)).toEqual([id]);
    const byAction = await api.get(
      `${workspacePath(team)}/audit-events?action=member.roleChanged`,
      team.owner.token,
    );
    expect(byAction.body.data.map((event: { id: string }) => event.id)).toEqual([id]);

    expect(await backfillAuditIndex(api.documents, api.tableName)).toMatchObject({ updated: 0 });
  });
});
