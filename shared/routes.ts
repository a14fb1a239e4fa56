import * as z from 'zod/mini';
import { gsi1 } from './db/table-definition';
import type { RouteDefinition } from './http/route';
import { auditEventSchema, listAuditQuery } from './schemas/audit';
import { memberParams, noInput, workspaceParams } from './schemas/common';
import {
  listMembersQuery,
  memberSchema,
  removeMemberQuery,
  transferResultSchema,
  updateMemberBody,
} from './schemas/members';
import {
  createWorkspaceBody,
  listWorkspacesQuery,
  meSchema,
  myWorkspaceSchema,
  permissionsSchema,
  transferBody,
  updateWorkspaceBody,
  workspaceSchema,
} from './schemas/workspaces';

const workspacesPath = '/v1/workspaces';
const workspacePath = `${workspacesPath}/{workspaceId}`;
const memberPath = `${workspacePath}/members/{userId}`;

/**
 * The route table: CDK creates one route and one function per entry, the
 * local server mounts the same handlers, and the OpenAPI document is
 * generated from it.
 */
export const routes = {
  createWorkspace: {
    operation: 'createWorkspace',
    method: 'POST',
    path: workspacesPath,
    summary: 'Create a workspace; the caller becomes its owner.',
    access: 'signedIn',
    input: { params: noInput, query: noInput, body: createWorkspaceBody },
    response: { status: 201, kind: 'item', schema: workspaceSchema },
    idempotent: true,
    table: { actions: ['GetItem', 'PutItem'] },
  },
  listWorkspaces: {
    operation: 'listWorkspaces',
    method: 'GET',
    path: workspacesPath,
    summary: 'The workspaces the caller belongs to, each with the caller’s role.',
    access: 'signedIn',
    input: { params: noInput, query: listWorkspacesQuery },
    response: { status: 200, kind: 'list', schema: myWorkspaceSchema },
    table: { actions: ['Query', 'BatchGetItem'] },
  },
  getWorkspace: {
    operation: 'getWorkspace',
    method: 'GET',
    path: workspacePath,
    summary: 'A workspace the caller belongs to.',
    access: 'member',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput },
    response: { status: 200, kind: 'item', schema: workspaceSchema },
    table: { actions: [] },
  },
  updateWorkspace: {
    operation: 'updateWorkspace',
    method: 'PATCH',
    path: workspacePath,
    summary: 'Rename a workspace or change its settings (adminsCanManageBilling: owners only).',
    access: 'workspace.configure',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput, body: updateWorkspaceBody },
    response: { status: 200, kind: 'item', schema: workspaceSchema },
    table: { actions: ['UpdateItem', 'PutItem', 'ConditionCheckItem'] },
  },
  getPermissions: {
    operation: 'getPermissions',
    method: 'GET',
    path: `${workspacePath}/permissions`,
    summary: 'The caller’s role and permissions in a workspace.',
    access: 'member',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput },
    response: { status: 200, kind: 'item', schema: permissionsSchema },
    table: { actions: [] },
  },
  listMembers: {
    operation: 'listMembers',
    method: 'GET',
    path: `${workspacePath}/members`,
    summary: 'Members of a workspace, sorted by name then user id, optionally filtered by role.',
    access: 'member',
    input: { params: workspaceParams, query: listMembersQuery },
    response: { status: 200, kind: 'list', schema: memberSchema },
    table: { actions: ['Query'], indexes: [gsi1] },
  },
  getMember: {
    operation: 'getMember',
    method: 'GET',
    path: memberPath,
    summary: 'One member of a workspace.',
    access: 'member',
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
    input: { params: workspaceParams, query: noInput, body: transferBody },
    response: { status: 200, kind: 'item', schema: transferResultSchema },
    table: { actions: ['UpdateItem', 'PutItem', 'ConditionCheckItem'] },
  },
  listAuditEvents: {
    operation: 'listAuditEvents',
    method: 'GET',
    path: `${workspacePath}/audit-events`,
    summary: 'The workspace’s audit log, newest first, filterable by action and actor.',
    access: 'audit.read',
    input: { params: workspaceParams, query: listAuditQuery },
    response: { status: 200, kind: 'list', schema: auditEventSchema },
    table: { actions: ['Query'] },
  },
  getMe: {
    operation: 'getMe',
    method: 'GET',
    path: '/v1/me',
    summary: 'The signed-in user and their workspaces.',
    access: 'signedIn',
    input: { params: noInput, query: noInput },
    response: { status: 200, kind: 'item', schema: meSchema },
    table: { actions: ['Query', 'BatchGetItem'] },
  },
  getOpenApi: {
    operation: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API’s OpenAPI 3.1 document.',
    access: 'public',
    input: { params: noInput, query: noInput },
    response: { status: 200, kind: 'document', schema: z.record(z.string(), z.unknown()) },
    table: { actions: [] },
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof routes;
export const routeList: RouteDefinition[] = Object.values(routes);
