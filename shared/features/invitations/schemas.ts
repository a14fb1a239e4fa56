import * as z from 'zod/mini';
import { numberAccessLevels } from '../../access/roles';
import { deliveryStatuses } from '../../email/delivery';
import { idString, isoTime, pageQuery, roleSchema, workspaceIdParam } from '../../http/schemas';
import { moneySchema } from '../billing/schemas';
import { memberSchema } from '../members/schemas';
import { notSharedReasons } from '../numbers/items';
import { maxInvitationsPerRequest } from './addresses';

const invitationStatuses = ['pending', 'accepted', 'revoked', 'expired'] as const;

const phoneAssignmentInput = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('new').check(z.describe('The invitee picks a number during onboarding')),
  }),
  z.strictObject({
    mode: z.literal('share').check(z.describe('Access to existing numbers of the workspace')),
    phoneNumberIds: z.array(idString('Phone number id (PN…)')).check(z.minLength(1), z.maxLength(50)),
    access: z.enum(numberAccessLevels),
  }),
]);

export const createInvitationsBody = z.strictObject({
  emails: z.union(
    [
      z
        .array(z.string().check(z.maxLength(320)))
        .check(z.minLength(1), z.maxLength(maxInvitationsPerRequest), z.describe('Email addresses')),
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(maxInvitationsPerRequest * 321),
          z.describe('Email addresses separated by commas'),
        ),
    ],
    { error: 'Give a list of email addresses, or one string of addresses separated by commas.' },
  ),
  role: roleSchema,
  phoneAssignment: phoneAssignmentInput,
});

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  phoneAssignment: z.union([
    z.object({ mode: z.literal('new') }),
    z.object({
      mode: z.literal('share'),
      phoneNumberIds: z.array(z.string()),
      access: z.enum(numberAccessLevels),
    }),
  ]),
  status: z.enum(invitationStatuses),
  invitedBy: z.object({ userId: z.string(), name: z.string() }),
  createdAt: isoTime,
  expiresAt: isoTime,
  delivery: z.object({
    status: z
      .enum(deliveryStatuses)
      .check(
        z.describe(
          'queued (written, waiting for the mailer), sending, sent (accepted by the email service), delivered (the recipient’s server took it), failed (not sent: see reason), suppressed (the address is on the workspace’s suppressed addresses: nothing sent), bounced (hard bounce: the address is now suppressed), complained (reported as spam: the address is now suppressed)',
        ),
      ),
    reason: z.nullable(z.string()),
    attempts: z.number().check(z.int()),
  }),
  acceptedAt: z.nullable(isoTime),
  revokedAt: z.nullable(isoTime),
});

export const createInvitationsResultSchema = z.object({
  data: z.array(invitationSchema),
  errors: z.array(
    z.object({
      email: z.string(),
      code: z
        .string()
        .check(z.describe('Why this address was refused: INVALID_EMAIL, ALREADY_MEMBER, ALREADY_INVITED…')),
      message: z.string(),
    }),
  ),
  billing: z.optional(
    z
      .object({
        seatsAdded: z.int().check(z.describe('The seats the invitations created would add, all accepted')),
        chargeToday: moneySchema.check(
          z.describe('What those seats would bill if accepted today, net, before the credit balance'),
        ),
      })
      .check(z.describe('For callers who may manage billing (billing.manage) only')),
  ),
});

export const listInvitationsQuery = z.strictObject({
  status: z.optional(z.enum(invitationStatuses)),
  ...pageQuery,
});

export const invitationParams = z.strictObject({
  workspaceId: workspaceIdParam,
  invitationId: idString('Invitation id (IV…)'),
});

export const tokenParams = z.strictObject({
  token: z.string().check(z.minLength(1), z.maxLength(256), z.describe('The token from the invitation link')),
});

export const invitationPreviewSchema = z.object({
  workspace: z.object({ name: z.string() }),
  invitedBy: z.object({ name: z.string() }),
  role: roleSchema,
  email: z.string().check(z.describe('The invited address, masked: j***@acme.com')),
  status: z.enum(['pending', 'accepted', 'expired']),
  expiresAt: isoTime,
});

export const acceptInvitationBody = z.union(
  [
    z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(256)) }),
    z.strictObject({
      workspaceId: workspaceIdParam,
      invitationId: idString('Invitation id (IV…), from GET /v1/me/invitations'),
    }),
  ],
  {
    error:
      'Send the token from the invitation link, or the workspaceId and invitationId of one of your invitations.',
  },
);

export const acceptResultSchema = z.object({
  workspace: z.object({ id: z.string(), name: z.string() }),
  member: memberSchema,
  numbersNotShared: z
    .array(z.object({ id: z.string(), number: z.string(), reason: z.enum(notSharedReasons) }))
    .check(
      z.describe(
        'Numbers the invitation shared that could not be shared at accept (released, held exclusively by someone, or full): the accept went ahead without them',
      ),
    ),
});

export const myInvitationSchema = z.object({
  id: z.string(),
  workspace: z.object({ id: z.string(), name: z.string() }),
  invitedBy: z.object({ name: z.string() }),
  role: roleSchema,
  expiresAt: isoTime,
});
