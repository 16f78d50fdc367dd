import { ROLES } from '../../core/model.js';
import { builder } from '../builder.js';

export const RoleEnum = builder.enumType('Role', { values: ROLES });

export const MessageInput = builder.inputType('MessageInput', {
  fields: (t) => ({
    role: t.field({ type: RoleEnum, required: true }),
    content: t.string({ required: true }),
    name: t.string({ description: 'Tool or participant name.' }),
    metadata: t.field({ type: 'JSONObject', description: 'For tool messages: tool_call_id; for assistant messages: tool_calls.' }),
    clientId: t.string({
      description: 'Your idempotency key, unique within the session: a retry with the same clientId returns the stored message.',
    }),
  }),
});
