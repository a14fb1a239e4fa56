import * as z from 'zod/mini';
import { plans, workspaceStatuses } from '../../access/tenancy';
import { printableOnly, visibleCharacter } from '../../core/text';
import { isoTime, roleSchema } from '../../http/schemas';

// Shown to every member and in emails: no control or lone surrogate characters, something visible.
const workspaceName = z
  .string()
  .check(
    z.trim(),
    z.normalize('NFC'),
    z.minLength(1),
    z.maxLength(100),
    z.regex(printableOnly, { error: 'Use no control characters.' }),
    z.regex(visibleCharacter, { error: 'Use at least one visible character.' }),
  );

export const createWorkspaceBody = z.strictObject({
  name: workspaceName,
  plan: z.optional(z.enum(plans)),
});

const settingsSchema = z.object({
  membersCanInvite: z.boolean(),
  adminsCanManageBilling: z.boolean(),
});

export const updateWorkspaceBody = z.strictObject({
  name: z.optional(workspaceName),
  settings: z.optional(
    z.strictObject({
      membersCanInvite: z.optional(z.boolean()),
      adminsCanManageBilling: z.optional(z.boolean()),
    }),
  ),
});

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(workspaceStatuses),
  plan: z.enum(plans),
  settings: settingsSchema,
  memberCount: z.int(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const myWorkspaceSchema = z.extend(workspaceSchema, { role: roleSchema });

export const permissionsSchema = z.object({ role: roleSchema, permissions: z.array(z.string()) });

export const meSchema = z.object({
  userId: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.string(),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: roleSchema })),
});
