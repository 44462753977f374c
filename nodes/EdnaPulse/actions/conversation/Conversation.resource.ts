import { defineResource } from '../defineResource';
import { get } from './get.operation';

/** Conversation: one customer on one channel, from edna's message history. */
export const conversation = defineResource({ name: 'Conversation', value: 'conversation' }, [get], 'get');
