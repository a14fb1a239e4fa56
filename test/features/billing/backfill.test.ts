import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillBilling } from '../../../scripts/backfill-billing';
import { billingKey } from '../../../shared/db/keys';
import { startTestApi, type TestApi } from '../../support/api';
import { addNumber } from '../../support/numbers';
import { createTeam } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

describe('the billing backfill', () => {
  it('gives a workspace from before billing its item, on the renewal list, once, however often it runs', async () => {
    const team = await createTeam(api);
    await addNumber(api, team.workspaceId, team.owner);
    // A workspace as the code before billing left it: no billing item.
    await api.documents.send(
      new DeleteCommand({ TableName: api.tableName, Key: billingKey(team.workspaceId) }),
    );
    const stored = async () =>
      (
        await api.documents.send(
          new GetCommand({
            TableName: api.tableName,
            Key: billingKey(team.workspaceId),
            ConsistentRead: true,
          }),
        )
      ).Item;
    expect(await stored()).toBeUndefined();
    // Shown as it would be written: the period running today, no back charge.
    const shown = (await api.get(`/v1/workspaces/${team.workspaceId}/billing`, team.owner.token)).body.data;
    expect(shown).toMatchObject({ seats: 3, numbers: 1, due: { amountCents: 0 } });

    const first = await backfillBilling(api.documents, api.tableName);
    expect(first.created).toBeGreaterThanOrEqual(1);
    expect(await stored()).toMatchObject({
      seats: 3,
      numbers: 1,
      creditBalanceCents: 0,
      dueCents: 0,
      periodStart: shown.periodStart,
      periodEnd: shown.periodEnd,
      GSI1PK: '#RENEWALS',
      GSI1SK: `${shown.periodEnd}#${team.workspaceId}`,
    });
    expect((await api.get(`/v1/workspaces/${team.workspaceId}/billing`, team.owner.token)).body.data).toEqual(
      shown,
    );
    expect(await backfillBilling(api.documents, api.tableName)).toMatchObject({ created: 0 });
  });
});
