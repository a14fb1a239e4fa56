import { randomInt } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PhoneNumberItem } from '../../shared/features/numbers/items';
import type { BenchUser } from './http';
import { type BenchContext, nth, pageSize, type Scenario } from './scenario';
import type { SeededMember } from './seed';

/** How many numbers the removal of a member with many numbers hands over. */
const numbersOfARemovedMember = 150;

/** A valid number the seeded ones (415) never use. */
function freshNumber(): string {
  for (;;) {
    const candidate = `+1628${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    if (parsePhoneNumberFromString(candidate)?.isValid()) return candidate;
  }
}

/**
 * The phone-number routes on the 1,000-member workspace, which gets 1,000
 * numbers: the decision and the routing (the hot path: the telephony side
 * asks on every call and text), the lists, the changes, and the removal of a
 * member who holds 150 numbers.
 */
export function createNumberScenarios(context: BenchContext): Scenario[] {
  const { seed, api, workspaceId, member, admin } = context;
  const numbersPath = `/v1/workspaces/${workspaceId}/phone-numbers`;
  const internalNumbersPath = `/internal${numbersPath}`;
  let service: BenchUser | undefined;
  let held: PhoneNumberItem | undefined;
  let walkAfter: string | undefined;

  const canUse: Scenario = {
    name: 'canUsePhoneNumber',
    operation: 'canUsePhoneNumber',
    expectedRequests: 1,
    decisionTarget: true,
    note: 'the decision for the caller: one BatchGetItem (member, workspace, number) is both the authorization and the answer',
    async prepare() {
      // The bench's 1,000 numbers, and one the member holds.
      await seed.seedNumbers(workspaceId, 1000 - 1);
      [held] = await seed.seedNumbers(workspaceId, 1, { userId: member.userId, access: 'shared' });
      service = await seed.service();
    },
    run: () => api.get(member, `${numbersPath}/${held?.id}/can?action=call`),
  };

  const decide: Scenario = {
    name: 'decideNumberUse (internal)',
    operation: 'decideNumberUse',
    expectedRequests: 1,
    decisionTarget: true,
    note: 'the telephony side asks for any user: one BatchGetItem (the user’s member item, workspace, number)',
    run: () => api.get(service, `${internalNumbersPath}/${held?.id}/can?userId=${member.userId}&action=text`),
  };

  const routing: Scenario = {
    name: 'getPhoneNumberRouting',
    operation: 'getPhoneNumberRouting',
    expectedRequests: 1,
    oneRequestTarget: true,
    note: 'a manager previews a call: one BatchGetItem (member, workspace, number; availability is on the entries)',
    run: () => api.get(admin, `${numbersPath}/${held?.id}/routing?at=2026-12-24T17:30:00-05:00`),
  };

  const routeIncoming: Scenario = {
    name: 'routeIncomingCall (internal)',
    operation: 'routeIncomingCall',
    expectedRequests: 1,
    oneRequestTarget: true,
    note: 'a live call: one BatchGetItem (workspace, number)',
    run: () => api.get(service, `${internalNumbersPath}/${held?.id}/routing`),
  };

  const find: Scenario = {
    name: 'findPhoneNumber (internal)',
    operation: 'findPhoneNumber',
    expectedRequests: 1,
    note: 'which workspace a called number is in: GetItem of its registry item',
    run: () => api.get(service, `/internal/v1/phone-numbers/${held?.number}`),
  };

  const listAll: Scenario = {
    name: 'listPhoneNumbers (1,000 numbers, page of 100)',
    operation: 'listPhoneNumbers',
    expectedRequests: 2,
    note: 'an admin pages the workspace’s numbers: GetItem (caller) + one Query of the workspace partition’s NUMBER# items',
    async run() {
      const response = await api.get(
        admin,
        `${numbersPath}?limit=${pageSize}${walkAfter ? `&after=${encodeURIComponent(walkAfter)}` : ''}`,
      );
      walkAfter = (response.body as { nextCursor?: string | null } | undefined)?.nextCursor ?? undefined;
      return response;
    },
  };

  let heavy: BenchUser | undefined;
  const listHeld: Scenario = {
    name: 'listPhoneNumbers (a member’s 150, page of 100)',
    operation: 'listPhoneNumbers',
    expectedRequests: 2,
    note: 'a member lists what they hold: GetItem (caller, whose numberAccess names them) + one BatchGetItem of the page',
    async prepare() {
      const [person] = seed.newPeople(1, 'holder');
      if (!person) throw new Error('no person');
      await seed.addMembers(workspaceId, [{ ...person, role: 'member' }]);
      await seed.seedNumbers(workspaceId, numbersOfARemovedMember, {
        userId: person.userId,
        access: 'exclusive',
      });
      heavy = await seed.signIn(person);
    },
    run: () => api.get(heavy, `${numbersPath}?limit=${pageSize}`),
  };

  let grantTargets: PhoneNumberItem[] = [];
  const grant: Scenario = {
    name: 'setNumberAccess (grant)',
    operation: 'setNumberAccess',
    expectedRequests: 2,
    note: 'BatchGetItem (caller, workspace, target, number) + TransactWriteItems (the number’s entry with D4 and the cap as conditions, the member’s line, the checks, the audit event)',
    async prepare() {
      grantTargets = await seed.seedNumbers(workspaceId, context.iterations);
    },
    run: (i) =>
      api.call(admin, 'PUT', `${numbersPath}/${nth(grantTargets, i).id}/access/${member.userId}`, {
        body: { access: 'shared' },
      }),
  };

  const update: Scenario = {
    name: 'updatePhoneNumber',
    operation: 'updatePhoneNumber',
    expectedRequests: 2,
    note: 'BatchGetItem (caller, number) + TransactWriteItems (the number, the checks, the audit event)',
    run: (i) =>
      api.patch(admin, `${numbersPath}/${nth(grantTargets, i).id}`, {
        name: `Support ${i}`,
        businessHours: {
          timeZone: 'America/New_York',
          weekly: {
            monday: [
              { start: '09:00', end: '12:00' },
              { start: '13:00', end: '17:00' },
            ],
          },
          overrides: [{ date: '2026-12-25', intervals: [], note: 'Christmas' }],
        },
      }),
  };

  const add: Scenario = {
    name: 'addPhoneNumber',
    operation: 'addPhoneNumber',
    expectedRequests: 3,
    note: 'GetItem (caller) + BatchGetItem (workspace and billing item: the billed read) + TransactWriteItems (the number, its registry item, the checks, the audit event, the billing item; an extra number’s line)',
    run: () => api.post(admin, numbersPath, { number: freshNumber() }),
  };

  let leaving: SeededMember[] = [];
  const removeHeavy: Scenario = {
    name: `removeMember (${numbersOfARemovedMember} numbers)`,
    operation: 'removeMember',
    iterations: { samples: 5, warmup: 1 },
    note: `a member holding ${numbersOfARemovedMember} numbers alone: GetItem, BatchGetItem (target), 2 BatchGetItem (their numbers), the removal's transaction, then 4 hand-over transactions of 40 numbers, each after reading its numbers and the heir`,
    async prepare() {
      leaving = seed.newPeople(6, 'many-numbers').map((person) => ({ ...person, role: 'member' }));
      await seed.addMembers(workspaceId, leaving);
      for (const person of leaving) {
        await seed.seedNumbers(workspaceId, numbersOfARemovedMember, {
          userId: person.userId,
          access: 'exclusive',
        });
      }
    },
    run: (i) =>
      api.del(
        context.owner,
        `/v1/workspaces/${workspaceId}/members/${nth(leaving, i).userId}?unassignNumbers=true`,
      ),
  };

  return [canUse, decide, routing, routeIncoming, find, listAll, listHeld, grant, update, add, removeHeavy];
}
