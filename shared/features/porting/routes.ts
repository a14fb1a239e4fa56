import { gsi2 } from '../../db/table';
import { workspacePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { noInput, workspaceParams } from '../../http/schemas';
import { pinContextKeys, pinPurpose } from './items';
import {
  carrierPortingSchema,
  carrierStatusBody,
  listPortingQuery,
  portingParams,
  portingRequestSchema,
  submitPortingBody,
  updatePortingBody,
} from './schemas';

const portingPath = `${workspacePath}/porting-requests`;
const requestPath = `${portingPath}/{portingRequestId}`;

/**
 * Porting requests: bringing numbers over from another carrier, with the
 * carrier account's PIN as a write-only secret (KMS envelope encryption).
 * Only the routes that encrypt or decrypt it import the encryption code.
 */
export const routes = {
  listPortingRequests: {
    operation: 'listPortingRequests',
    handler: 'functions/porting/listPortingRequests.ts',
    method: 'GET',
    path: portingPath,
    summary: 'The workspace’s porting requests, newest first; status: only those in it.',
    access: 'porting.manage',
    input: { params: workspaceParams, query: listPortingQuery },
    response: { status: 200, kind: 'list', schema: portingRequestSchema },
    table: { actions: ['Query'], indexes: [gsi2] },
  },
  submitPortingRequest: {
    operation: 'submitPortingRequest',
    handler: 'functions/porting/submitPortingRequest.ts',
    method: 'POST',
    path: portingPath,
    summary:
      'Ask to bring a number over from its current carrier. The PIN is encrypted at once and never returned; one open request per number, anywhere.',
    access: 'porting.manage',
    idempotent: true,
    secretKey: { use: 'encrypt', purpose: pinPurpose, contextKeys: pinContextKeys },
    input: { params: workspaceParams, query: noInput, body: submitPortingBody },
    response: { status: 201, kind: 'item', schema: portingRequestSchema },
    table: { actions: ['PutItem', 'ConditionCheckItem', 'GetItem'] },
    alsoFailsWith: [404, 409, 503],
  },
  getPortingRequest: {
    operation: 'getPortingRequest',
    handler: 'functions/porting/getPortingRequest.ts',
    method: 'GET',
    path: requestPath,
    summary: 'One porting request: its status, and the carrier’s reason when it waits on you.',
    access: 'porting.manage',
    input: { params: portingParams, query: noInput },
    response: { status: 200, kind: 'item', schema: portingRequestSchema },
    table: { actions: ['GetItem'] },
    alsoFailsWith: [404],
  },
  updatePortingRequest: {
    operation: 'updatePortingRequest',
    handler: 'functions/porting/updatePortingRequest.ts',
    method: 'PATCH',
    path: requestPath,
    summary:
      'Correct a request (any field, a new PIN too; accountHolder is replaced whole) while submitted or action-required: it is submitted again. Or {status: "cancelled"}, alone, before completed.',
    access: 'porting.manage',
    secretKey: { use: 'encrypt', purpose: pinPurpose, contextKeys: pinContextKeys },
    input: { params: portingParams, query: noInput, body: updatePortingBody },
    response: { status: 200, kind: 'item', schema: portingRequestSchema },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] },
    alsoFailsWith: [404, 409, 503],
  },
  readPortingRequestForCarrier: {
    operation: 'readPortingRequestForCarrier',
    handler: 'functions/porting/readPortingRequestForCarrier.ts',
    method: 'GET',
    path: `/internal${requestPath}`,
    summary:
      'Internal (carrier side): an open request with its account number and its PIN decrypted; every read is audited (portingRequest.pinRead).',
    access: 'service',
    secretKey: { use: 'decrypt', purpose: pinPurpose, contextKeys: pinContextKeys },
    auditsReads: true,
    input: { params: portingParams, query: noInput },
    response: { status: 200, kind: 'item', schema: carrierPortingSchema },
    table: { actions: ['GetItem', 'PutItem'] },
    alsoFailsWith: [404, 409, 503],
  },
  reportPortingStatus: {
    operation: 'reportPortingStatus',
    handler: 'functions/porting/reportPortingStatus.ts',
    method: 'POST',
    path: `/internal${requestPath}/status`,
    summary:
      'Internal (carrier side): the port’s progress. completed adds the number (to assignTo, exclusive and number owner, when still a member) in the same transaction; cancelled (with a reason) refuses the port and frees the number.',
    access: 'service',
    input: { params: portingParams, query: noInput, body: carrierStatusBody },
    response: { status: 200, kind: 'item', schema: portingRequestSchema },
    table: {
      // Query: a first billing item's count of numbers, when the completion is the workspace's first billed change.
      actions: [
        'BatchGetItem',
        'GetItem',
        'UpdateItem',
        'PutItem',
        'DeleteItem',
        'ConditionCheckItem',
        'Query',
      ],
    },
    alsoFailsWith: [404, 409],
  },
} as const satisfies Record<string, RouteDefinition>;
