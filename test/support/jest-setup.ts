/**
 * Each test starts with no webhook key held (nodes/EdnaPulse/trigger/webhookKeys.ts): tests reuse the same
 * workflow and credential IDs with different keys, as n8n never would within ten seconds.
 */
import { webhookKeys } from '../../nodes/EdnaPulse/trigger/webhookKeys';

beforeEach(() => webhookKeys.clear());
