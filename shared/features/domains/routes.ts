import { gsi1, gsi2, gsi3 } from '../../db/table';
import { apiBasePath, workspacePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { noInput, pageOnlyQuery, workspaceParams } from '../../http/schemas';
import { memberSchema } from '../members/schemas';
import {
  claimDomainBody,
  domainParams,
  domainSchema,
  joinableWorkspaceSchema,
  joinRequestParams,
  joinRequestSchema,
  listJoinRequestsQuery,
  updateDomainBody,
} from './schemas';

const domainsPath = `${workspacePath}/domains`;
const domainPath = `${domainsPath}/{domain}`;
const joinRequestsPath = `${workspacePath}/join-requests`;

/** Claimed email domains, and joining through them. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  claimDomain: {
    operation: 'claimDomain',
    handler: 'functions/domains/claimDomain.ts',
    method: 'POST',
    path: domainsPath,
    summary:
      'Claim the domain of an email address: answers the DNS TXT record to publish, then verify. Public suffixes, IP addresses and public email providers are refused.',
    access: 'domains.manage',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput, body: claimDomainBody },
    response: { status: 201, kind: 'item', schema: domainSchema },
    table: { actions: ['PutItem', 'ConditionCheckItem'] },
  },
  listDomains: {
    operation: 'listDomains',
    handler: 'functions/domains/listDomains.ts',
    method: 'GET',
    path: domainsPath,
    summary: 'The workspace’s claimed domains, in domain order, each with its record.',
    access: 'domains.manage',
    input: { params: workspaceParams, query: pageOnlyQuery },
    response: { status: 200, kind: 'list', schema: domainSchema },
    table: { actions: ['Query'] },
  },
  getDomain: {
    operation: 'getDomain',
    handler: 'functions/domains/getDomain.ts',
    method: 'GET',
    path: domainPath,
    summary: 'One claimed domain, with its status, record and last checks.',
    access: 'domains.manage',
    input: { params: domainParams, query: noInput },
    response: { status: 200, kind: 'item', schema: domainSchema },
    table: { actions: ['BatchGetItem'] },
  },
  verifyDomain: {
    operation: 'verifyDomain',
    handler: 'functions/domains/verifyDomain.ts',
    method: 'POST',
    path: `${domainPath}/verify`,
    summary:
      'Look the TXT record up and verify the domain; a failure says what is wrong (no record, another value, the doubled name, or the lookup itself: 503).',
    access: 'domains.manage',
    input: { params: domainParams, query: noInput },
    response: { status: 200, kind: 'item', schema: domainSchema },
    alsoFailsWith: [503],
    table: {
      actions: ['BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'Query'],
      indexes: [gsi2],
    },
  },
  updateDomain: {
    operation: 'updateDomain',
    handler: 'functions/domains/updateDomain.ts',
    method: 'PATCH',
    path: domainPath,
    summary: 'Who may join through the domain (joinPolicy), and whether addresses at its subdomains match.',
    access: 'domains.manage',
    loadsWorkspace: true,
    input: { params: domainParams, query: noInput, body: updateDomainBody },
    response: { status: 200, kind: 'item', schema: domainSchema },
    table: { actions: ['BatchGetItem', 'UpdateItem', 'PutItem', 'ConditionCheckItem'] },
  },
  removeDomain: {
    operation: 'removeDomain',
    handler: 'functions/domains/removeDomain.ts',
    method: 'DELETE',
    path: domainPath,
    summary: 'Stop joining through the domain and free it; members stay, pending join requests are declined.',
    access: 'domains.manage',
    loadsWorkspace: true,
    input: { params: domainParams, query: noInput },
    response: { status: 204, kind: 'empty', schema: null },
    table: {
      actions: ['BatchGetItem', 'DeleteItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query'],
      indexes: [gsi2],
    },
  },
  listJoinableWorkspaces: {
    operation: 'listJoinableWorkspaces',
    handler: 'functions/domains/listJoinableWorkspaces.ts',
    method: 'GET',
    path: `${apiBasePath}/me/joinable-workspaces`,
    summary:
      'Workspaces the caller can join without an invitation: their verified domain matches the caller’s verified address.',
    access: 'signedIn',
    input: { params: noInput, query: noInput },
    response: { status: 200, kind: 'list', schema: joinableWorkspaceSchema, whole: true },
    alsoFailsWith: [403],
    table: { actions: ['BatchGetItem'] },
  },
  joinWorkspace: {
    operation: 'joinWorkspace',
    handler: 'functions/domains/joinWorkspace.ts',
    method: 'POST',
    path: `${workspacePath}/join`,
    summary:
      'Join through a verified domain: 201 Member at once, or 202 JoinRequest when the domain asks for approval. 404 unless a verified domain of the workspace matches the caller.',
    access: 'signedIn',
    input: { params: workspaceParams, query: noInput },
    response: {
      status: 201,
      kind: 'item',
      schema: memberSchema,
      accepted: {
        schema: joinRequestSchema,
        description: 'A join request, for an owner or an admin to answer',
      },
    },
    alsoFailsWith: [403, 404],
    // GetItem and DeleteItem: a pending invitation of the joiner's, read and used up; Query: a first billing item's count of numbers.
    table: {
      actions: [
        'BatchGetItem',
        'GetItem',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'ConditionCheckItem',
        'Query',
      ],
    },
  },
  listJoinRequests: {
    operation: 'listJoinRequests',
    handler: 'functions/domains/listJoinRequests.ts',
    method: 'GET',
    path: joinRequestsPath,
    summary: 'Requests to join through the workspace’s domains, newest first, all or of one status.',
    access: 'domains.manage',
    input: { params: workspaceParams, query: listJoinRequestsQuery },
    response: { status: 200, kind: 'list', schema: joinRequestSchema },
    table: { actions: ['Query'], indexes: [gsi1, gsi2] },
  },
  approveJoinRequest: {
    operation: 'approveJoinRequest',
    handler: 'functions/domains/approveJoinRequest.ts',
    method: 'POST',
    path: `${joinRequestsPath}/{userId}/approve`,
    summary: 'Let the requester in: they become a Member, if the domain still lets them in.',
    access: 'domains.manage',
    input: { params: joinRequestParams, query: noInput },
    response: { status: 201, kind: 'item', schema: memberSchema },
    table: {
      actions: [
        'GetItem',
        'BatchGetItem',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'ConditionCheckItem',
        'Query',
      ],
    },
  },
  declineJoinRequest: {
    operation: 'declineJoinRequest',
    handler: 'functions/domains/declineJoinRequest.ts',
    method: 'POST',
    path: `${joinRequestsPath}/{userId}/decline`,
    summary: 'Say no to a join request; the requester sees it declined.',
    access: 'domains.manage',
    input: { params: joinRequestParams, query: noInput },
    response: { status: 200, kind: 'item', schema: joinRequestSchema },
    table: { actions: ['GetItem', 'UpdateItem', 'PutItem'] },
  },
  listMyJoinRequests: {
    operation: 'listMyJoinRequests',
    handler: 'functions/domains/listMyJoinRequests.ts',
    method: 'GET',
    path: `${apiBasePath}/me/join-requests`,
    summary: 'The caller’s own join requests, across workspaces, newest first, with their status.',
    access: 'signedIn',
    input: { params: noInput, query: pageOnlyQuery },
    response: { status: 200, kind: 'list', schema: joinRequestSchema },
    table: { actions: ['Query'], indexes: [gsi3] },
  },
} as const satisfies Record<string, RouteDefinition>;
