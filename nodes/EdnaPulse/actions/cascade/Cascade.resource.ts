import { defineResource } from '../defineResource';
import { getMany } from './getMany.operation';

/** Cascade: the sequences of channels a message goes through (e.g. WhatsApp, then SMS). */
export const cascade = defineResource({ name: 'Cascade', value: 'cascade' }, [getMany], 'getMany');
