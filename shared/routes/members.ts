import { gsi1, gsi2 } from '../db/table-definition';
import type { RouteDefinition } from '../http/route';
import { memberParams, noInput, workspaceParams } from '../schemas/common';
import {
  listMembersQuery,
  memberSchema,
  removeMemberQuery,
  transferResultSchema,
  updateMemberBody,
} from '../schemas/members';
import { transferBody } from '../schemas/workspaces';
import { memberPath, workspacePath } from './paths';

/** Members of a workspace: roles, removal, leaving, ownership. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  listMembers: {
    operation: 'listMembers',
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
    method: 'DELETE',
    path: memberPath,
    summary: 'Remove a member (an owner: owners only); refused from mobile clients.',
    access: 'members.remove',
    loadsTargetMember: 'params',
    input: { params: memberParams, query: removeMemberQuery },
    response: { status: 204, kind: 'empty', schema: null },
    table: { actions: ['DeleteItem', 'UpdateItem', 'PutItem', 'ConditionCheckItem'] },
  },
  leaveWorkspace: {
    operation: 'leaveWorkspace',
    method: 'POST',
    path: `${workspacePath}/leave`,
    summary: 'Leave a workspace; the last owner cannot.',
    access: 'member',
    input: { params: workspaceParams, query: noInput },
    response: { status: 204, kind: 'empty', schema: null },
    table: { actions: ['DeleteItem', 'UpdateItem', 'PutItem'] },
  },
  transferOwnership: {
    operation: 'transferOwnership',
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
