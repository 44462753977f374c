import { defineResource } from '../defineResource';
import { getMany } from './getMany.operation';

/** Channel: the senders (WhatsApp numbers, Viber and SMS names) of the account. */
export const channel = defineResource({ name: 'Channel', value: 'channel' }, [getMany], 'getMany');
