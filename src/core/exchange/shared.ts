import { z } from 'zod';
import { DATE_RANGE_MESSAGE, isRepresentableDate } from '../bounds.js';
import type { Limits } from '../limits.js';
import type { Role } from '../model.js';
import { ALWAYS, createFieldSchemas } from '../schemas.js';

/** Lower-case role names, as every exchange format spells them. */
export const EXCHANGE_ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export type ExchangeRole = (typeof EXCHANGE_ROLES)[number];

export function toRole(role: ExchangeRole): Role {
  return role.toUpperCase() as Role;
}

export function fromRole(role: Role): ExchangeRole {
  return role.toLowerCase() as ExchangeRole;
}

export const timestamp = z.iso
  .datetime({ offset: true, message: 'Expected an ISO 8601 date-time, such as 2026-03-02T09:14:05.120Z' })
  .transform((value) => new Date(value))
  .refine(isRepresentableDate, { message: DATE_RANGE_MESSAGE });

/** The schemas the exchange formats share, limits applied: a document is checked as strictly as an API call. */
export function exchangeFields(limits: Limits) {
  const fields = createFieldSchemas(limits);
  const messageList = <T extends z.ZodType>(item: T) =>
    z.array(item).superRefine((items, ctx) => {
      if (items.length > limits.maxMessagesPerSession) {
        ctx.addIssue({
          code: 'custom',
          message: `${items.length} messages; a session holds at most ${limits.maxMessagesPerSession}`,
          params: { limit: 'maxMessagesPerSession', max: limits.maxMessagesPerSession, actual: items.length },
        });
      }
    }, ALWAYS);
  return { ...fields, role: z.enum(EXCHANGE_ROLES), messageList };
}
