import { gsi1 } from '../../db/table';
import { apiBasePath, workspacePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { noInput, pageOnlyQuery, workspaceParams } from '../../http/schemas';
import {
  acceptInvitationBody,
  acceptResultSchema,
  createInvitationsBody,
  createInvitationsResultSchema,
  invitationParams,
  invitationPreviewSchema,
  invitationSchema,
  listInvitationsQuery,
  myInvitationSchema,
  tokenParams,
} from './schemas';

const invitationsPath = `${workspacePath}/invitations`;
const invitationPath = `${invitationsPath}/{invitationId}`;

/** Invitations by email. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  createInvitations: {
    operation: 'createInvitations',
    handler: 'functions/invitations/createInvitations.ts',
    method: 'POST',
    path: invitationsPath,
    summary:
      'Invite up to 100 addresses with a role and a phone assignment; each refused address is reported in errors.',
    access: 'members.invite',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput, body: createInvitationsBody },
    response: { status: 201, kind: 'document', schema: createInvitationsResultSchema },
    idempotent: true,
    queuesEmail: true,
    alsoFailsWith: [429],
    // Query: the billing impact, for a workspace from before billing, counts its numbers once.
    table: {
      actions: [
        'GetItem',
        'BatchGetItem',
        'Query',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'ConditionCheckItem',
      ],
    },
  },
  listInvitations: {
    operation: 'listInvitations',
    handler: 'functions/invitations/listInvitations.ts',
    method: 'GET',
    path: invitationsPath,
    summary: 'Invitations, newest first, by status; owners and admins see all, members those they sent.',
    access: 'member',
    input: { params: workspaceParams, query: listInvitationsQuery },
    response: { status: 200, kind: 'list', schema: invitationSchema },
    table: { actions: ['Query'] },
  },
  resendInvitation: {
    operation: 'resendInvitation',
    handler: 'functions/invitations/resendInvitation.ts',
    method: 'POST',
    path: `${invitationPath}/resend`,
    summary: 'Send a pending invitation again with a new link valid 7 days; the old link stops working.',
    access: 'members.invite',
    loadsWorkspace: true,
    input: { params: invitationParams, query: noInput },
    response: { status: 200, kind: 'item', schema: invitationSchema },
    queuesEmail: true,
    alsoFailsWith: [429],
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] },
  },
  revokeInvitation: {
    operation: 'revokeInvitation',
    handler: 'functions/invitations/revokeInvitation.ts',
    method: 'DELETE',
    path: invitationPath,
    summary: 'Revoke a pending invitation (its sender, owners and admins); its link stops working.',
    access: 'member',
    loadsWorkspace: true,
    input: { params: invitationParams, query: noInput },
    response: { status: 204, kind: 'empty', schema: null },
    alsoFailsWith: [403],
    table: { actions: ['GetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem'] },
  },
  getInvitation: {
    operation: 'getInvitation',
    handler: 'functions/invitations/getInvitation.ts',
    method: 'GET',
    path: `${apiBasePath}/invitations/{token}`,
    summary: 'What an invitation link offers, without signing in; the invited address is masked.',
    access: 'public',
    input: { params: tokenParams, query: noInput },
    response: { status: 200, kind: 'item', schema: invitationPreviewSchema },
    alsoFailsWith: [404],
    table: { actions: ['GetItem', 'BatchGetItem'] },
  },
  acceptInvitation: {
    operation: 'acceptInvitation',
    handler: 'functions/invitations/acceptInvitation.ts',
    method: 'POST',
    path: `${apiBasePath}/invitations/accept`,
    summary:
      'Join a workspace with an invitation (its token, or its id from /v1/me/invitations), signed in with the invited, verified address.',
    access: 'signedIn',
    input: { params: noInput, query: noInput, body: acceptInvitationBody },
    response: { status: 200, kind: 'item', schema: acceptResultSchema },
    alsoFailsWith: [403, 404, 409, 410],
    // Query: a workspace from before billing counts its numbers once, for its first billing item.
    table: { actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query'] },
  },
  listMyInvitations: {
    operation: 'listMyInvitations',
    handler: 'functions/invitations/listMyInvitations.ts',
    method: 'GET',
    path: `${apiBasePath}/me/invitations`,
    summary: 'Pending invitations to the caller’s verified email address, across workspaces.',
    access: 'signedIn',
    input: { params: noInput, query: pageOnlyQuery },
    response: { status: 200, kind: 'list', schema: myInvitationSchema },
    alsoFailsWith: [403],
    table: { actions: ['Query', 'BatchGetItem'], indexes: [gsi1] },
  },
} as const satisfies Record<string, RouteDefinition>;
