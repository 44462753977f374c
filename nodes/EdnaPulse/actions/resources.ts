import { cascade } from './cascade/Cascade.resource';
import { channel } from './channel/Channel.resource';
import { conversation } from './conversation/Conversation.resource';
import { message } from './message/Message.resource';
import { template } from './template/Template.resource';
import type { ResourceModule } from './types';
import { webhook } from './webhook/Webhook.resource';

/** Every resource of the node, in the order of the Resource list. Adding one: one line here. */
export const RESOURCES: ResourceModule[] = [message, conversation, channel, cascade, template, webhook];
