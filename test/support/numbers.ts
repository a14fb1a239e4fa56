import { randomInt } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { TestApi, TestUser } from './api';

/** A valid number no other test uses: San Francisco numbers with random subscriber digits. */
export function newNumber(): string {
  for (;;) {
    const candidate = `+1415${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    if (parsePhoneNumberFromString(candidate)?.isValid()) return candidate;
  }
}

export const numbersPath = (workspaceId: string) => `/v1/workspaces/${workspaceId}/phone-numbers`;
export const numberPath = (workspaceId: string, phoneNumberId: string) =>
  `${numbersPath(workspaceId)}/${phoneNumberId}`;
export const accessPath = (workspaceId: string, phoneNumberId: string, userId: string) =>
  `${numberPath(workspaceId, phoneNumberId)}/access/${userId}`;

/** Adds a number over HTTP (by an owner or admin) and answers its id. */
export async function addNumber(
  api: TestApi,
  workspaceId: string,
  by: TestUser,
  body: Record<string, unknown> = {},
) {
  const added = await api.post(numbersPath(workspaceId), by.token, { number: newNumber(), ...body });
  if (added.status !== 201) throw new Error(`number not added: ${JSON.stringify(added.body)}`);
  return added.body.data.id as string;
}

/** Grants access over HTTP, expecting it to succeed. */
export async function grant(
  api: TestApi,
  workspaceId: string,
  phoneNumberId: string,
  by: TestUser,
  to: TestUser,
  access: 'exclusive' | 'shared' | 'read-only',
  numberOwner?: boolean,
) {
  const granted = await api.put(accessPath(workspaceId, phoneNumberId, to.userId), by.token, {
    access,
    ...(numberOwner === undefined ? {} : { numberOwner }),
  });
  if (granted.status !== 200) throw new Error(`access not granted: ${JSON.stringify(granted.body)}`);
  return granted.body.data;
}

/** The telephony side's stand-in token (internal routes only). */
export async function serviceToken(api: TestApi): Promise<string> {
  return (await api.issuer.signService()).token;
}
