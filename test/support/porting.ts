import { randomBytes } from 'node:crypto';
import type { TestApi, TestUser } from './api';
import { newNumber } from './numbers';

export const portingPath = (workspaceId: string) => `/v1/workspaces/${workspaceId}/porting-requests`;
export const requestPath = (workspaceId: string, id: string) => `${portingPath(workspaceId)}/${id}`;
export const carrierPath = (workspaceId: string, id: string) => `/internal${requestPath(workspaceId, id)}`;
export const statusPath = (workspaceId: string, id: string) => `${carrierPath(workspaceId, id)}/status`;

/** A PIN no other test uses, recognisable in any log, item or body it must never reach. */
export const newPin = () => `Pin-${randomBytes(6).toString('hex')}`;

/** A valid submission for a fresh number, with what the test overrides. */
export const portingBody = (overrides: Record<string, unknown> = {}) => ({
  phoneNumber: newNumber(),
  carrier: 'Old Telco',
  accountNumber: '9988776655',
  pin: newPin(),
  accountHolder: {
    name: 'Acme Inc.',
    address: {
      line1: '1 Market St',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
  },
  ...overrides,
});

/** Submits over HTTP, expecting 201; answers the request and the body sent. */
export async function submitPort(
  api: TestApi,
  workspaceId: string,
  by: TestUser,
  overrides: Record<string, unknown> = {},
) {
  const body = portingBody(overrides);
  const submitted = await api.post(portingPath(workspaceId), by.token, body);
  if (submitted.status !== 201) throw new Error(`port not submitted: ${JSON.stringify(submitted.body)}`);
  return { request: submitted.body.data, body };
}

/** The carrier moves a request on, expecting 200. */
export async function carrierReports(
  api: TestApi,
  serviceToken: string,
  workspaceId: string,
  id: string,
  status: string,
  reason?: string,
) {
  const reported = await api.post(statusPath(workspaceId, id), serviceToken, {
    status,
    ...(reason === undefined ? {} : { reason }),
  });
  if (reported.status !== 200) throw new Error(`status not taken: ${JSON.stringify(reported.body)}`);
  return reported.body.data;
}
