import { gsi1, gsi2 } from '../../db/table';
import { workspacePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { noInput, workspaceParams } from '../../http/schemas';
import {
  availabilityBody,
  listMembersQuery,
  memberParams,
  memberSchema,
  removeMemberQuery,
  transferBody,
  transferResultSchema,
  updateMemberBody,
} from './schemas';

const memberPath = `${workspacePath}/members/{userId}`;

/** Members of a workspace: roles, removal, leaving, ownership. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  listMembers: {
    operation: 'listMembers',
    handler: 'functions/members/listMembers.ts',
    method: 'GET',
    path: `${workspacePath}/members`,
    summary: 'Members of a workspace, sorted by name then user id, optionally filtered by role.',
    access: 'member',
    input: { params: workspaceParams, query: listMembersQuery },
    response: { status: 200, kind: 'list', schema: memberSchema },
    table: { actions: ['Query'], indexes: [gsi1, gsi2] },
  },
  getMember: {
    operation: 'getMember',
    handler: 'functions/members/getMember.ts',
    method: 'GET',
    path: memberPath,
    summary: 'One member of a workspace.',
    access: 'member',
    loadsTargetMember: 'params',
    input: { params: memberParams, query: noInput },
    response: { status: 200, kind: 'item', schema: memberSchema },
    table: { actions: [] },
  },
  updateMemberRole: {
    operation: 'updateMemberRole',
    handler: 'functions/members/updateMemberRole.ts',
    method: 'PATCH',
    path: memberPath,
    summary: 'Change a member’s role (to or from owner: owners only).',
    access: 'members.updateRole',
    loadsTargetMember: 'params',
    input: { params: memberParams, query: noInput, body: updateMemberBody },
    response: { status: 200, kind: 'item', schema: memberSchema },
    table: { actions: ['UpdateItem', 'PutItem', 'ConditionCheckItem'] },
  },
  removeMember: {
    operation: 'removeMember',
    handler: 'functions/members/removeMember.ts',
    method: 'DELETE',
    path: memberPath,
    summary:
      'Remove a member (an owner: owners only), handing over the numbers only they used; refused from mobile clients.',
    access: 'members.remove',
    headers: {
      'X-Client-Platform':
        'The calling app’s platform: `mobile` is refused (removals are made on web or desktop).',
    },
    input: { params: memberParams, query: removeMemberQuery },
    response: { status: 204, kind: 'empty', schema: null },
    table: {
      actions: [
        'BatchGetItem',
        'GetItem',
        'DeleteItem',
        'UpdateItem',
        'PutItem',
        'ConditionCheckItem',
        'Query',
      ],
    },
  },
  leaveWorkspace: {
    operation: 'leaveWorkspace',
    handler: 'functions/members/leaveWorkspace.ts',
    method: 'POST',
    path: `${workspacePath}/leave`,
    summary: 'Leave a workspace (the last owner cannot); numbers only you used become unassigned.',
    access: 'member',
    input: { params: workspaceParams, query: noInput },
    response: { status: 204, kind: 'empty', schema: null },
    table: { actions: ['BatchGetItem', 'GetItem', 'DeleteItem', 'UpdateItem', 'PutItem', 'Query'] },
  },
  setMemberAvailability: {
    operation: 'setMemberAvailability',
    handler: 'functions/members/setMemberAvailability.ts',
    method: 'PUT',
    path: `${memberPath}/availability`,
    summary: 'When routing may ring a member (their own, or by owners and admins); null: always.',
    access: 'member',
    loadsTargetMember: 'params',
    input: { params: memberParams, query: noInput, body: availabilityBody },
    response: { status: 200, kind: 'item', schema: memberSchema },
    table: { actions: ['UpdateItem', 'PutItem', 'ConditionCheckItem'] },
    alsoFailsWith: [403, 409],
  },
  transferOwnership: {
    operation: 'transferOwnership',
    handler: 'functions/members/transferOwnership.ts',
    method: 'POST',
    path: `${workspacePath}/ownership-transfer`,
    summary: 'Make another member an owner and step down to admin, atomically.',
    access: 'ownership.transfer',
    loadsTargetMember: 'body',
    input: { params: workspaceParams, query: noInput, body: transferBody },
    response: { status: 200, kind: 'item', schema: transferResultSchema },
    table: { actions: ['UpdateItem', 'PutItem', 'ConditionCheckItem'] },
  },
} as const satisfies Record<string, RouteDefinition>;
